"""``python -m ingest repair``: land a damaged batch again from its original file.

A batch file that is missing or no longer matches its checksum (``status --verify``)
stops every build. Loading the original again does not mend it: the same name with the
same content is ``unchanged``. Repair reads the original (its name inside ``--inbox``
and the SHA-256 the manifest recorded: another content is refused, since it may be a
corrected file that must load as a new batch), validates it as a load on the batch's
own day would, and writes the batch's files again under the same batch id, only when
they give the counts the manifest recorded; the manifest's checksums follow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.inbox import points_outside
from ingest.landing import connect, ensure_lake, query_params
from ingest.loader import land_table, read_mapped
from ingest.mapping import Mapping, inbox_mapping_files, load_mapping_file, mappings_for
from ingest.messages import Text
from ingest.raw_table import FileFault
from kernel.errors import mask_secrets
from kernel.manifest import Batch, damage, file_sha256, read_manifest, write_manifest
from kernel.paths import WarehousePaths, load_secret


@dataclass
class Repaired:
    """One damaged batch and what repair did: ``repaired`` or ``refused`` (``why``)."""

    file: str
    batch_id: str
    outcome: str
    why: str = ""  # in English; ``reason`` writes it in any language
    reason: Text | None = None

    def __post_init__(self) -> None:
        if self.reason is not None and not self.why:
            self.why = self.reason.render("en")


def _original(batch: Batch) -> str:
    """The inbox file a batch came from (a workbook's, for a sheet)."""
    return batch.file.rpartition("#")[0] if "#" in batch.file else batch.file


def repair(
    paths: WarehousePaths, inbox: Path, mapping_files: list[Path] | None = None
) -> list[Repaired]:
    """Land every damaged batch of the manifest again from its original in ``inbox``."""
    ensure_lake(paths)
    batches = read_manifest(paths)
    damaged = [batch for batch in batches if damage(paths, batch)]
    if not damaged:
        return []
    mappings = [
        mapping
        for source in [*(mapping_files or []), *inbox_mapping_files(inbox)]
        for mapping in load_mapping_file(source)
    ]
    secret = load_secret(paths)
    done: list[Repaired] = []
    landed: dict[str, Batch] = {}
    con = connect(paths)
    try:
        for batch in damaged:
            why = _land_again(paths, inbox, batch, mappings, secret, con, landed)
            outcome = "refused" if why else "repaired"
            done.append(Repaired(batch.file, batch.batch_id, outcome, reason=why))
    finally:
        con.close()
    if landed:
        write_manifest(
            paths,
            [
                dataclasses.replace(b, checksums=landed[b.batch_id].checksums)
                if b.batch_id in landed
                else b
                for b in batches
            ],
        )
    return done


def _land_again(
    paths: WarehousePaths,
    inbox: Path,
    batch: Batch,
    mappings: list[Mapping],
    secret: bytes,
    con: duckdb.DuckDBPyConnection,
    landed: dict[str, Batch],
) -> Text | None:
    """Write the batch's files again from its original, as a load on its day did, and
    record the new batch in ``landed``; or why it cannot be."""
    name = _original(batch)
    path = inbox / name
    if not path.is_file() or points_outside(path, inbox):
        return Text("repair_no_original", name=name, inbox=inbox)
    if file_sha256(path) != batch.sha256:
        return Text("repair_other_file", name=name, inbox=inbox)
    params = query_params(secret, dt.datetime.fromisoformat(batch.loaded_at).date())
    try:
        tables = read_mapped(path, paths.staging, mappings_for(mappings, name), con, {})
        for raw, mapping in tables:
            table_name = name if len(tables) == 1 else f"{name}#{raw.detected['sheet']}"
            if table_name == batch.file:
                landed[batch.batch_id] = land_table(
                    paths,
                    raw,
                    table_name,
                    batch.sha256,
                    "",
                    params,
                    False,
                    None,
                    mapping,
                    con,
                    batch,
                )
                return None
            for scratch in raw.scratch_files:
                scratch.unlink(missing_ok=True)
    except FileFault as fault:
        fault.text.redacted = True
        return fault.text
    except (OSError, ValueError) as error:  # a library's line may quote the file
        return Text("repair_unreadable", detail=mask_secrets(str(error).strip().splitlines()[0]))
    return Text("repair_no_sheet", file=batch.file)
