"""Files that failed whole, kept in the lake (``lake/failures.jsonl``) so the returns to
schools (退回清单) can tell each sender why their file loaded nothing.

A file fails whole when it cannot be read (no recognizable header, an encoding or a
type that is not read, a damaged workbook ...) or when every row is rejected; it is
never landed as a batch, so before this list the lake forgot it. One line per failed
load: the file, its SHA-256, when it failed (UTC), its kind when known, the message's
code and the message itself in Chinese and English with long digit runs masked
(``kernel.errors.redact``: a message may quote a cell), and the rows read and rejected;
when every row was rejected, those rows (line, reason, column and masked value, as the
lake's rejects keep them) go to ``lake/failure_rejects.jsonl`` under the failure's id.
A lake an earlier release wrote gets an empty list on first use (``ensure_failures``):
it simply has no failed files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.inbox import points_outside
from kernel.manifest import file_sha256, sync
from kernel.paths import WarehousePaths


def ensure_failures(paths: WarehousePaths) -> None:
    """An empty list of failed loads where the lake has none yet (a new lake, or one an
    earlier release wrote), so the build always has one to read."""
    if not paths.lake.exists():
        return
    for target in (paths.failures, paths.failure_rejects):
        if target.exists():
            continue
        temporary = target.with_suffix(".tmp")
        temporary.write_text("", encoding="utf-8")
        os.replace(temporary, target)


def _sha256(inbox: Path, name: str) -> str:
    path = inbox / name.split("#", 1)[0]  # a workbook's sheet: the workbook
    try:
        if points_outside(path, inbox) or not path.is_file():
            return ""
        return file_sha256(path)
    except OSError:
        return ""


def failure_line(result: Any, inbox: Path, at: dt.datetime) -> dict:
    """The line of one failed load (``result``: an ``ingest.loader.FileResult``)."""
    fault = result.fault
    code = fault.code if fault is not None else "cannot_be_loaded"
    if fault is not None:
        fault.redacted = True
    detail = {lang: (fault.render(lang) if fault else result.message) for lang in ("zh", "en")}
    sha = _sha256(inbox, result.file)
    key = f"{result.file}\n{sha}\n{at.isoformat()}".encode()
    return {
        "failure_id": at.strftime("%Y%m%dT%H%M%S%f") + "-" + hashlib.sha256(key).hexdigest()[:12],
        "file": result.file,
        "sha256": sha,
        "kind": result.kind,
        "failed_at": at.isoformat(),
        "reason": code,
        "detail_zh": detail["zh"],
        "detail_en": detail["en"],
        "rows_read": result.rows_read,
        "rows_rejected": result.rows_rejected,
    }


def record_failures(
    paths: WarehousePaths, inbox: Path, results: Iterable[Any], at: dt.datetime | None = None
) -> int:
    """Append a line for each failed load of ``results``; how many."""
    moment = at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    failed = [r for r in results if r.failed]
    if not failed:
        return 0
    lines = [failure_line(r, inbox, moment) for r in failed]
    rejects = [
        {
            "failure_id": line["failure_id"],
            "source_line": row["source_line"],
            "reason": row["reason"],
            "reason_column": row["reason_column"],
            "reason_value": row["reason_value"],
        }
        for line, result in zip(lines, failed, strict=True)
        for row in getattr(result, "rejected_rows", [])
    ]
    ensure_failures(paths)
    # the rejected rows first: a failure line is only read with its rows written
    for target, records in ((paths.failure_rejects, rejects), (paths.failures, lines)):
        with target.open("a", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    sync(paths.lake)
    return len(lines)
