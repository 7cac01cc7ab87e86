"""The export files in memory, for the dashboard's 导出 page: the same files as
``make export`` (same tables, same suppression), cut to the districts and
organizations a reader chose and may see."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import duckdb

from export.district_monthly import resolve_period
from export.package import write_files, write_manifest
from export.tables import Tables, build_tables
from kernel.snapshot import SnapshotInfo

ZIP_NAME = "exports.zip"


def restrict(
    tables: Tables,
    districts: Sequence[str] | None,
    organizations: Sequence[str] | None,
    district_rows: bool = True,
) -> Tables:
    """Only the chosen districts (None: all) and organizations with the ones under them
    (None: all); with organizations chosen, only their districts' rows, and none at all
    without ``district_rows`` (a reader who may see only their units). Suppression was
    applied before, on the whole bureau, so a figure is the same as in ``make export``."""
    units = tables.organizations
    if districts is not None:
        units = [r for r in units if r.labels["district_code"] in districts]
    if organizations is not None:
        chosen = set(organizations)
        units = [
            r
            for r in units
            if r.labels["org_code"] in chosen or r.labels["parent_org_code"] in chosen
        ]
    keep = set(districts) if districts is not None else None
    if organizations is not None:
        in_units = {r.labels["district_code"] for r in units}
        keep = in_units if keep is None else keep & in_units
    rows = [
        r
        for r in tables.districts
        if district_rows and (keep is None or r.labels["district_code"] in keep)
    ]
    return replace(tables, districts=rows, organizations=units)


def build_bundle(
    con: duckdb.DuckDBPyConnection,
    snapshot: SnapshotInfo,
    first: str,
    last: str,
    districts: Sequence[str] | None = None,
    organizations: Sequence[str] | None = None,
    suppress: int | None = None,
    district_rows: bool = True,
    bureau: bool = False,
) -> dict[str, bytes]:
    """Every export file by its name inside the export (``reports/D01.pdf`` ...), the
    manifest, and ``exports.zip`` holding them all. ``bureau``: the reader may see the
    whole bureau, so the PDFs may state the data-quality figures of files (rejected
    rows, unknown organizations); any narrower reader is referred to the bureau."""
    period = resolve_period(con, first, last)
    tables = restrict(build_tables(con, period, suppress), districts, organizations, district_rows)
    tables = replace(tables, bureau=bureau)
    with tempfile.TemporaryDirectory(prefix="export-bundle-") as scratch:
        folder = Path(scratch)
        # the month-end files (bureau_monthly.csv, briefings, returns) are make export's only
        files = write_files(con, snapshot, tables, folder, pdf=True, month_end=False, returns=False)
        scope = {
            "districts": None if districts is None else list(districts),
            "organizations": None if organizations is None else list(organizations),
        }
        write_manifest(folder, snapshot, tables, files, scope)
        bundle = {
            path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in bundle.items():
            archive.writestr(name, data)
    bundle[ZIP_NAME] = buffer.getvalue()
    return bundle
