"""``python -m ingest status``: every batch of the lake with its rows read, loaded and
rejected, and the exact duplicates the last build found in it; ``status --verify``:
every batch file checked against the manifest.

Duplicates are computed once, by the models (``dq_duplicates_by_file``: the rows of a
file dropped as exact copies of a row loaded before them, DESIGN.md "Exact
duplicates"); status only reads that mart from the published snapshot, so it shows
what the last ``make build`` counted, and says so when there is none yet.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field

import duckdb

from ingest.terminal import column_width, fit, pad
from kernel.manifest import Batch, read_manifest, verify
from kernel.paths import WarehousePaths
from kernel.snapshot import NoSnapshot, current_path, open_snapshot

NOT_BUILT = "duplicates: not built yet"


@dataclass
class Duplicates:
    """The last build's exact duplicates by batch, and when it was built ("" for no
    build)."""

    built_at: str = ""
    by_batch: dict[str, int] = field(default_factory=dict)


def last_build_duplicates(paths: WarehousePaths) -> Duplicates:
    """``dq_duplicates_by_file`` of the current snapshot, by batch; empty when nothing
    was published, or the snapshot predates the mart."""
    try:
        con, info = open_snapshot(current_path(paths))
    except NoSnapshot:
        return Duplicates()
    try:
        rows = con.execute(
            "select batch_id, duplicates_removed from dq_duplicates_by_file"
        ).fetchall()
    except duckdb.CatalogException:
        return Duplicates()
    finally:
        con.close()
    return Duplicates(info.built_at[:19], {batch_id: int(n) for batch_id, n in rows})


def _duplicates_cell(batch: Batch, duplicates: Duplicates) -> str:
    """A batch's duplicates as the table shows them: the count the last build found,
    ``-`` for an activity batch it did not read (loaded since, or not in effect then),
    nothing for another kind (duplicates are counted among activity rows)."""
    if batch.kind != "activity":
        return ""
    if batch.batch_id in duplicates.by_batch:
        return str(duplicates.by_batch[batch.batch_id])
    return "-"


def status_report(paths: WarehousePaths, as_json: bool) -> int:
    """Print every batch (``--json``: the manifest's lines); exit 0."""
    batches = read_manifest(paths)
    if as_json:
        print(json.dumps([asdict(b) for b in batches], ensure_ascii=False, indent=2))
        return 0
    if not batches:
        print(f"no batches in {paths.lake}; load an inbox with python -m ingest --inbox DIR")
        return 0
    duplicates = last_build_duplicates(paths)
    file_width = column_width([b.file for b in batches])
    print(
        f"{'batch':34} {pad('file', file_width)} {'kind':14} "
        f"{'read':>8} {'loaded':>8} {'rejected':>8} {'duplicates':>10} state"
    )
    for b in batches:
        if b.is_active:
            state = "active"
        elif b.superseded_by:
            state = f"superseded by {b.superseded_by}"
        else:
            state = f"withdrawn {b.superseded_at}"
        print(
            f"{b.batch_id:34} {pad(fit(b.file, file_width, keep='end'), file_width)} "
            f"{b.kind:14} {b.rows_read:>8} {b.rows_loaded:>8} {b.rows_rejected:>8} "
            f"{_duplicates_cell(b, duplicates):>10} {state}"
        )
    active = [b for b in batches if b.is_active]
    label = f"total ({len(active)} active of {len(batches)} batches)"
    print(
        f"{label:34} {pad('', file_width)} {'':14} "
        f"{sum(b.rows_read for b in active):>8} {sum(b.rows_loaded for b in active):>8} "
        f"{sum(b.rows_rejected for b in active):>8}"
    )
    if not duplicates.built_at:
        print(NOT_BUILT)
    else:
        print(
            f"duplicates: loaded rows not kept, as exact copies of a row loaded before them "
            f"(in the same file or another), as the build of {duplicates.built_at} counted "
            "them; - for a batch that build did not read"
        )
    return 0


def verify_report(paths: WarehousePaths, as_json: bool) -> int:
    """Exit 0 when every batch file matches the manifest, else 1 naming each one."""
    batches = read_manifest(paths)
    problems = verify(paths, batches)
    files = sum(len(b.checksums) or 2 for b in batches)
    if as_json:
        print(json.dumps({"files": files, "problems": problems}, ensure_ascii=False))
    elif not problems:
        print(f"all {files} batch files match the manifest")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0
