"""The lake's manifest: one line per batch (``lake/manifest.jsonl``), its reader and its
atomic writer, and the checksums and flushes they rely on. The kernel of the lake, which
landing, migrations, builds and reports all read (it imports nothing of theirs)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kernel.paths import WarehousePaths


@dataclass
class Batch:
    """One manifest line: a file landed at a moment, and what became of its rows."""

    batch_id: str
    file: str
    sha256: str
    kind: str
    loaded_at: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    mode: str = "replace"
    superseded_at: str | None = None
    superseded_by: str | None = None
    detected: dict[str, Any] = field(default_factory=dict)
    unmapped_headers: list[str] = field(default_factory=list)
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    # SHA-256 of each file of the batch, by its path under lake/ (absent in batches
    # landed before checksums were recorded)
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def is_active(self) -> bool:
        return self.superseded_at is None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(paths: WarehousePaths) -> list[Batch]:
    if not paths.manifest.exists():
        return []
    with paths.manifest.open(encoding="utf-8") as handle:
        return [Batch(**json.loads(line)) for line in handle if line.strip()]


def write_manifest(paths: WarehousePaths, batches: list[Batch]) -> None:
    """Replace the manifest in one atomic step (write, fsync, rename)."""
    temporary = paths.manifest.with_suffix(".jsonl.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for batch in batches:
            handle.write(json.dumps(asdict(batch), ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, paths.manifest)
    sync(paths.lake)


def sync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk: what was renamed into place
    survives a power cut too."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


REMEDY = (
    "land it again from its original (python -m ingest repair --inbox DIR, with the "
    "original file under its name in DIR) or restore the lake from a backup"
)


def damage(paths: WarehousePaths, batch: Batch) -> list[str]:
    """What is wrong with a batch's files, one message each: missing, or a SHA-256 that is
    not the one the manifest recorded (corrupted, truncated, replaced); [] when none.
    Batches landed before checksums were recorded are checked for presence only."""
    expected = batch.checksums or {
        f"{batch.kind}/{batch.batch_id}.parquet": "",
        f"rejects/{batch.batch_id}.parquet": "",
    }
    problems = []
    for relative, digest in expected.items():
        path = paths.lake / relative
        if not path.is_file():
            problems.append(f"{relative} ({batch.file}) is missing: {REMEDY}")
        elif digest and file_sha256(path) != digest:
            problems.append(
                f"{relative} ({batch.file}) does not match its checksum in the manifest: "
                f"the file is corrupted or truncated; {REMEDY}"
            )
    return problems


def verify(paths: WarehousePaths, batches: list[Batch] | None = None) -> list[str]:
    """Every problem ``damage`` finds in the batches (default: every batch); [] when
    all files match the manifest."""
    batches = read_manifest(paths) if batches is None else batches
    return [problem for batch in batches for problem in damage(paths, batch)]
