"""Where a warehouse keeps its files, and the pseudonymization secret.

Everything lives under ``WAREHOUSE_DIR`` (default ``warehouse/``), so two warehouses
never touch each other.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from kernel.settings import settings

LAKE_KINDS = (
    "activity",
    "events",
    "people",
    "organizations",
    "districts",
    "activity_types",
    "rejects",
)


@dataclass(frozen=True)
class WarehousePaths:
    """The folders and files of one warehouse."""

    root: Path

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def manifest(self) -> Path:
        return self.lake / "manifest.jsonl"

    @property
    def failures(self) -> Path:
        """Loads of files that failed whole (``ingest.failures``), one JSON line each."""
        return self.lake / "failures.jsonl"

    @property
    def failure_rejects(self) -> Path:
        """The rejected rows of those loads (every row rejected), one JSON line each."""
        return self.lake / "failure_rejects.jsonl"

    def kind_dir(self, kind: str) -> Path:
        return self.lake / kind

    @property
    def staging(self) -> Path:
        """Scratch space for loads in progress; never read by dbt."""
        return self.root / "tmp"

    @property
    def dbt_database(self) -> Path:
        return self.root / "build" / "dbt.duckdb"

    @property
    def marts_database(self) -> Path:
        """The marts as the last build left them, in its ``main`` schema: the file a
        snapshot is a copy of (dbt writes it beside ``dbt_database``)."""
        return self.root / "build" / "marts.duckdb"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def current_pointer(self) -> Path:
        return self.snapshots / "CURRENT"

    @property
    def key_file(self) -> Path:
        return self.root / "secret.key"


def warehouse_paths(root: str | os.PathLike[str] | None = None) -> WarehousePaths:
    """Paths of the warehouse at ``root``, else ``$WAREHOUSE_DIR``, else ``warehouse/``."""
    chosen = root if root is not None else settings().warehouse_dir
    return WarehousePaths(Path(chosen).resolve())


def load_secret(paths: WarehousePaths) -> bytes:
    """The HMAC secret: ``$WAREHOUSE_SECRET``, else the key file, created 0600 on first use."""
    from_env = settings().secret
    if from_env:
        return from_env.encode("utf-8")
    if not paths.key_file.exists():
        paths.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(paths.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return paths.key_file.read_text(encoding="utf-8").strip().encode("utf-8")
