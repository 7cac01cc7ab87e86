"""Lake format migrations: a lake written by an earlier release is brought up to date
on first use, before anything reads it.

``lake/FORMAT`` holds the lake's format number; a lake without it is format 1.

- **2**: a reject is stored as its code, the column it names and that
  column's value, masked (``reason_value``); format 1 stored a message built from the
  cell, which could quote an ID or phone number in clear. Each rejects file is
  rewritten without the message: the value comes from the row's masked
  ``raw_values`` (null where the reason named several columns), and every long number
  in ``raw_values`` is masked again with today's rule (numbers written with spaces or
  dashes). The manifest's checksums follow the new files.

A migration is resumable: the new files are written beside the old ones
(``.parquet.v<format>``), then a journal (``_migration.json``) records their checksums,
the manifest is rewritten with them, the files are renamed into place and the
journal removed; a run killed at any point is completed by the next one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kernel.manifest import file_sha256, read_manifest, write_manifest
from kernel.paths import WarehousePaths
from kernel.pseudonymize import mask_numbers

log = logging.getLogger(__name__)

LAKE_FORMAT = 2
_JOURNAL = "_migration.json"


def format_file(paths: WarehousePaths) -> Path:
    return paths.lake / "FORMAT"


def lake_format(paths: WarehousePaths) -> int:
    """The lake's format: its FORMAT file, else 1 (a lake written before it existed)."""
    try:
        return int(format_file(paths).read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return 1


def mark_current(paths: WarehousePaths) -> None:
    """Record that the lake is of today's format (a new lake, or one just migrated)."""
    target = format_file(paths)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(f"{LAKE_FORMAT}\n", encoding="utf-8")
    os.replace(temporary, target)


def migrate_lake(paths: WarehousePaths) -> bool:
    """Bring the lake at ``paths`` to ``LAKE_FORMAT``; whether anything was migrated.
    A lake that does not exist yet is left alone (``ensure_lake`` creates it current)."""
    if not paths.manifest.exists():
        return False
    if lake_format(paths) >= LAKE_FORMAT and not (paths.lake / _JOURNAL).exists():
        return False
    with (paths.lake / ".migrate.lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be migrating: wait for it
        if lake_format(paths) >= LAKE_FORMAT and not (paths.lake / _JOURNAL).exists():
            return False
        _to_format_2(paths)
        mark_current(paths)
    log.warning("migrated the lake in %s to format %d", paths.lake, LAKE_FORMAT)
    return True


def _to_format_2(paths: WarehousePaths) -> None:
    rejects = paths.kind_dir("rejects")
    journal = paths.lake / _JOURNAL
    if journal.exists():
        checksums = json.loads(journal.read_text(encoding="utf-8"))
    else:
        checksums = {}
        for path in sorted(rejects.glob("*.parquet")):
            if path.name == "_schema.parquet":
                continue  # ensure_lake writes it again from today's SQL
            if "message" not in pq.read_schema(path).names:
                continue
            new = path.with_name(path.name + ".v2")
            pq.write_table(_rejects_v2(pq.read_table(path)), new, compression="zstd")
            checksums[f"rejects/{path.name}"] = file_sha256(new)
        temporary = journal.with_suffix(".tmp")
        temporary.write_text(json.dumps(checksums), encoding="utf-8")
        os.replace(temporary, journal)
    batches = read_manifest(paths)
    for batch in batches:
        for relative in list(batch.checksums):
            if relative in checksums:
                batch.checksums[relative] = checksums[relative]
    write_manifest(paths, batches)
    for relative in checksums:
        new = paths.lake / (relative + ".v2")
        if new.exists():
            os.replace(new, paths.lake / relative)
    journal.unlink()


def _rejects_v2(table: pa.Table) -> pa.Table:
    """A format-1 rejects table in format 2: ``message`` out, ``reason_value`` in (from
    the row's masked values), every value masked again with today's rule."""
    rows = table.to_pylist()
    values, raw = [], []
    for row in rows:
        cells = json.loads(row["raw_values"]) if row.get("raw_values") else {}
        cells = {key: mask_numbers(cell) for key, cell in cells.items()}
        column = row.get("reason_column") or ""
        values.append(None if "/" in column else cells.get(column))
        raw.append(json.dumps(cells, ensure_ascii=False, separators=(",", ":")))
    kept = [name for name in table.column_names if name not in ("message", "raw_values")]
    columns = {name: table.column(name) for name in kept}
    at = kept.index("reason_column") + 1 if "reason_column" in kept else len(kept)
    names = [*kept[:at], "reason_value", *kept[at:], "raw_values"]
    columns["reason_value"] = pa.array(values, pa.string())
    columns["raw_values"] = pa.array(raw, pa.string()).cast(pa.json_(pa.string()))
    return pa.table({name: columns[name] for name in names})
