"""Loading an inbox: each file read, validated, pseudonymized and landed as one batch."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.config import WarehousePaths, load_secret
from ingest.errors import redact
from ingest.headers import map_headers
from ingest.landing import (
    Batch,
    commit,
    ensure_lake,
    file_sha256,
    land,
    new_batch_id,
    query_params,
    read_manifest,
    remove_leftovers,
)
from ingest.reading import FileFault, read_file
from ingest.validating import build_query

log = logging.getLogger(__name__)

SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


@dataclass
class FileResult:
    """What happened to one inbox file."""

    file: str
    outcome: str  # loaded, replaced, unchanged, failed
    kind: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    batch_id: str = ""
    message: str = ""
    rejects_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


def inbox_files(inbox: Path) -> list[Path]:
    """Every readable file under the inbox, in a stable order; hidden and lock files skipped."""
    return sorted(
        path
        for path in inbox.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUFFIXES
        and not any(part.startswith((".", "~$")) for part in path.relative_to(inbox).parts)
    )


def load_inbox(
    paths: WarehousePaths,
    inbox: Path,
    append: bool = False,
    today: dt.date | None = None,
) -> list[FileResult]:
    """Load every file of the inbox; a failing file never stops the others."""
    ensure_lake(paths)
    for leftover in remove_leftovers(paths):
        log.info("removed %s, left by an interrupted load", leftover.name)
    params = query_params(load_secret(paths), today)
    results = []
    for path in inbox_files(inbox):
        name = path.relative_to(inbox).as_posix()
        try:
            results.append(load_file(paths, path, name, params, append))
        except FileFault as fault:
            results.append(FileResult(name, "failed", message=f"{name}: {redact(str(fault))}"))
        except (duckdb.Error, OSError, ValueError) as error:
            first = (
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            )
            message = f"{name}: cannot be loaded: {redact(first)}"
            results.append(FileResult(name, "failed", message=message))
    return results


def load_file(
    paths: WarehousePaths, path: Path, name: str, params: dict, append: bool
) -> FileResult:
    """Load one file as one batch, or report it unchanged."""
    sha = file_sha256(path)
    active = [b for b in read_manifest(paths) if b.file == name and b.is_active]
    same = next((b for b in active if b.sha256 == sha), None)
    if same is not None:
        return FileResult(
            name,
            "unchanged",
            same.kind,
            same.rows_read,
            same.rows_loaded,
            same.rows_rejected,
            same.batch_id,
        )
    raw = read_file(path, paths.staging)
    header_map = map_headers(raw.headers)
    positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
    query = build_query(raw.kind, header_map.columns, positions, raw.headers, name)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    batch = Batch(
        batch_id=new_batch_id(sha, now),
        file=name,
        sha256=sha,
        kind=raw.kind,
        loaded_at=now.isoformat(timespec="microseconds"),
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        detected=raw.detected,
        unmapped_headers=header_map.unmapped,
    )
    con = duckdb.connect()
    try:
        con.register("raw", raw.batches)
        land(paths, con, query, params, batch, lambda: raw.rows_read)
        by_reason = dict(
            con.execute(
                "select reason, count(*) from read_parquet(?) group by reason order by reason",
                [str(paths.kind_dir("rejects") / f"{batch.batch_id}.parquet")],
            ).fetchall()
        )
    finally:
        con.close()
        for scratch in raw.scratch_files:
            scratch.unlink(missing_ok=True)
    commit(paths, batch, append)
    log.info("%s: %s batch %s", name, raw.kind, batch.batch_id)
    return FileResult(
        name,
        "replaced" if active and not append else "loaded",
        raw.kind,
        batch.rows_read,
        batch.rows_loaded,
        batch.rows_rejected,
        batch.batch_id,
        rejects_by_reason=by_reason,
    )
