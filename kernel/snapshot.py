"""The reader's side of published snapshots: which file ``snapshots/CURRENT`` names,
a read-only connection to it, and the pins that keep a snapshot from pruning.

``publish.snapshot`` writes snapshots; the dashboard, the exports and the certificates
read them only through this module.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kernel.errors import UserError
from kernel.paths import WarehousePaths

PINS = "pins"


class NoSnapshot(UserError):
    """No snapshot has been published yet in this warehouse (exit 1)."""


@dataclass(frozen=True)
class SnapshotInfo:
    """Which snapshot a reader has, and what it holds."""

    path: Path
    as_of: str
    built_at: str
    digest: str
    # publish found the current snapshot identical (same as_of and digest) and kept it
    kept: bool = False


def missing_marts(con: duckdb.DuckDBPyConnection, *names: str) -> list[str]:
    """Which of ``names`` the open snapshot lacks (one an earlier release published
    before those marts existed), in the order given. The one check every reader of a
    mart added later uses, so an old snapshot is told apart the same way everywhere."""
    present = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and table_name in "
            f"({', '.join('?' for _ in names)})",
            list(names),
        ).fetchall()
    }
    return [name for name in names if name not in present]


def pin(paths: WarehousePaths, snapshot: Path, by: str) -> Path:
    """Keep ``snapshot`` from pruning because ``by`` refers to it (an export folder, a
    certificate). One pin per referrer: an export folder written again moves its pin to
    the new snapshot, so a daily export keeps one snapshot, not one per day."""
    pins = paths.snapshots / PINS
    pins.mkdir(parents=True, exist_ok=True)
    marker = pins / hashlib.sha256(by.encode()).hexdigest()[:24]
    temporary = marker.with_suffix(".tmp")
    temporary.write_text(f"{snapshot.name}\n{by}\n", encoding="utf-8")
    os.replace(temporary, marker)
    return marker


def pinned(paths: WarehousePaths) -> set[str]:
    """Names of the snapshots something refers to."""
    pins = paths.snapshots / PINS
    if not pins.is_dir():
        return set()
    return {
        marker.read_text(encoding="utf-8").split("\n", 1)[0]
        for marker in pins.iterdir()
        if marker.suffix != ".tmp"
    }


def current_path(paths: WarehousePaths) -> Path:
    """The file CURRENT names; NoSnapshot when nothing was published."""
    try:
        name = paths.current_pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NoSnapshot(f"no published snapshot in {paths.root}: run `make build` first") from None
    return paths.snapshots / name


_INFO_SQL = (
    "select strftime(as_of, '%Y-%m-%dT%H:%M:%S.%f'), "
    "strftime(built_at, '%Y-%m-%dT%H:%M:%S.%f'), digest from _snapshot"
)


def _info(con: duckdb.DuckDBPyConnection, path: Path) -> SnapshotInfo:
    as_of, built_at, digest = con.execute(_INFO_SQL).fetchall()[0]
    return SnapshotInfo(path, as_of, built_at, digest)


def connect_current(paths: WarehousePaths) -> tuple[duckdb.DuckDBPyConnection, SnapshotInfo]:
    """A read-only connection to the current snapshot, and what it is."""
    path = current_path(paths)
    con = duckdb.connect(str(path), read_only=True)
    return con, _info(con, path)


def open_snapshot(path: Path) -> tuple[duckdb.DuckDBPyConnection, SnapshotInfo]:
    """A read-only connection to the published snapshot file ``path`` (the one CURRENT
    named when the reader asked), and what it is; NoSnapshot when the file cannot be
    opened (deleted by hand, say)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        raise NoSnapshot(
            f"the published snapshot {path} cannot be opened: run `make build` ({error})"
        ) from None
    return con, _info(con, path)
