"""The build lock: one build at a time per warehouse.

A lock file under ``build/``, held with ``flock`` and so released by the system even
when the build is killed; a second build is refused at once with a message naming the
holder, instead of waiting on DuckDB's lock. dbt runs as a child that inherits the lock
file's descriptor (``publish.runner.run_dbt``): an ``flock`` belongs to the open file,
so the lock stays held until every process holding that file has ended, dbt included.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from kernel.errors import UserError
from kernel.paths import WarehousePaths


class BuildBusy(UserError):
    """Another build holds this warehouse's build lock: try again later."""

    exit_code = 75  # EX_TEMPFAIL


@dataclass
class BuildLock:
    """The warehouse's build lock, held: its open file (whose descriptor a dbt child
    inherits, and with it the lock), which says who holds it."""

    handle: IO[str]

    def fileno(self) -> int:
        return self.handle.fileno()

    def note(self, holder: str) -> None:
        """Say who holds the lock (a refused build names them)."""
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.write(holder)
        self.handle.flush()


@contextlib.contextmanager
def build_lock(paths: WarehousePaths) -> Iterator[BuildLock]:
    """Hold the warehouse's build lock for the duration, or raise BuildBusy at once."""
    lock = paths.dbt_database.parent / ".build.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildBusy(
                f"another build of {paths.root} is running ({holder}); wait for it to "
                "finish, or stop it, then run `make build` again"
            ) from None
        held = BuildLock(handle)
        held.note(f"pid {os.getpid()}")
        yield held
