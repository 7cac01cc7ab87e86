"""``make build``: ``dbt build`` over the lake, then publish the marts as a snapshot.

Nothing is published unless every model and test passes, so the dashboard and the
exports keep the previous snapshot when a build fails. One build runs at a time per
warehouse (a lock under ``build/``, released by the system even when the build is
killed); a second one is refused with a message instead of waiting on DuckDB's lock.

dbt runs as a child process that holds the lock too, and ends with its parent: it
inherits the lock file's descriptor (an ``flock`` belongs to the open file, so the lock
stays held until every process holding that file has ended, dbt included), the kernel
sends it SIGTERM when ``python -m publish`` dies (``PR_SET_PDEATHSIG``), and a SIGTERM
or SIGINT to publish is passed on to dbt and waited for. So a publish killed alone,
even with ``kill -9``, never leaves a dbt that still writes the DuckDB file while the
next build takes the lock.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from ingest import ensure_lake
from kernel.errors import UsageError, UserError
from kernel.manifest import Batch, read_manifest, verify
from kernel.paths import WarehousePaths, warehouse_paths
from kernel.settings import settings
from kernel.snapshot import NoSnapshot, SnapshotInfo, connect_current
from publish import refresh
from publish.migrate import migrate
from publish.snapshot import publish

log = logging.getLogger(__name__)

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
# dbt's parse of the project, shared by the warehouses this checkout builds (run_dbt)
DEFAULT_PARSE_CACHE = DBT_PROJECT / ".parse-cache"


def parse_cache() -> Path:
    """Where builds keep dbt's parse: ``DBT_PARSE_CACHE``, else ``dbt_project/.parse-cache``."""
    return settings().dbt_parse_cache or DEFAULT_PARSE_CACHE


def data_cutoff(paths: WarehousePaths, as_of: str | None) -> str:
    """The ``as_of`` of a build: the given moment, else the newest batch's load time."""
    if as_of:
        try:
            moment = dt.datetime.fromisoformat(as_of)
        except ValueError:
            raise ValueError(
                f"AS_OF={as_of!r} is not a timestamp; write it as 2025-03-31T23:59:59"
            ) from None
        return moment.replace(tzinfo=None).isoformat(timespec="microseconds")
    loaded = [b.loaded_at for b in read_manifest(paths) if b.is_active]
    if loaded:
        return max(loaded)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def dbt_environment(paths: WarehousePaths) -> dict[str, str]:
    """dbt's settings for this warehouse: its files, target and logs under WAREHOUSE_DIR.

    dbt runs in the warehouse's folder (``cwd=paths.root``) and sees WAREHOUSE_DIR as
    ``.``: the paths profiles.yml and the lake's sources write are then the same for
    every warehouse, and so is the parse of the project, which one warehouse's build can
    reuse for another's (``parse_cache()``)."""
    return {
        **os.environ,
        "WAREHOUSE_DIR": ".",
        "DBT_PROFILES_DIR": str(DBT_PROJECT),
        "DBT_PROJECT_DIR": str(DBT_PROJECT),
        "DBT_TARGET_PATH": str(paths.root / "dbt" / "target"),
        "DBT_LOG_PATH": str(paths.root / "dbt" / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_dbt(
    paths: WarehousePaths,
    args: list[str],
    as_of: str,
    variables: dict | None = None,
    environment: dict[str, str] | None = None,
    lock: BuildLock | None = None,
) -> int:
    """Run one dbt command for this warehouse (``variables`` as dbt vars,
    ``environment`` besides ``dbt_environment`` and ``DBT_AS_OF``); returns dbt's exit
    code.

    dbt holds the build ``lock`` with this process until it has ended, and ends with
    it (see the module docstring); Stopped when a SIGTERM or SIGINT, passed on to dbt,
    ended the run."""
    paths.dbt_database.parent.mkdir(parents=True, exist_ok=True)
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *args, *(["--vars", json.dumps(variables)] if variables else [])]
    # the cut-off in the environment, not in --vars: a var that changes makes dbt parse
    # the whole project again, an env var only the two models that read it
    env = {**dbt_environment(paths), "DBT_AS_OF": as_of, **(environment or {})}
    own_parse, shared_parse = _parse_files(paths, args)
    if not own_parse.exists() and shared_parse.exists():
        env["DBT_PARTIAL_PARSE_FILE_PATH"] = str(shared_parse)
    process = subprocess.Popen(
        command,
        cwd=paths.root,
        env=env,
        pass_fds=(lock.fileno(),) if lock else (),
        preexec_fn=_end_with_parent(),
    )
    if lock:
        lock.note(f"pid {os.getpid()}, dbt pid {process.pid}")
    try:
        code = _wait_passing_signals(process)
    finally:
        if lock:
            lock.note(f"pid {os.getpid()}")
    if code == 0:
        _share_parse(own_parse, shared_parse)
    return code


def _parse_files(paths: WarehousePaths, args: list[str]) -> tuple[Path, Path]:
    """The parse dbt keeps in this warehouse's target (``partial_parse.msgpack``), and
    the one shared by every warehouse built with this copy of the project, per target.

    A first build in a new warehouse (a small bureau's first refresh, every test's
    warehouse) starts from the shared parse: dbt re-parses only the files that differ
    from it, 0.8 s instead of a full parse of 2.5 s. dbt checks the parse it is given
    (its version, the profile, each file's checksum, the env vars each file reads), so
    a parse from other code or settings only costs a fuller parse."""
    target = args[args.index("--target") + 1] if "--target" in args else "duckdb"
    own = paths.root / "dbt" / "target" / "partial_parse.msgpack"
    return own, parse_cache() / f"{target}.msgpack"


def _share_parse(own: Path, shared: Path) -> None:
    """Offer this build's parse to the next new warehouse (replaced atomically, so a
    build reading it never sees half a file); a cache that cannot be written (a
    read-only checkout) is skipped."""
    if not own.exists():
        return
    with contextlib.suppress(OSError):
        shared.parent.mkdir(parents=True, exist_ok=True)
        temporary = shared.with_name(f".{shared.name}.{os.getpid()}.tmp")
        shutil.copyfile(own, temporary)
        os.replace(temporary, shared)


class Stopped(Exception):
    """``python -m publish`` was asked to stop; its dbt child has ended too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# prctl(2): the signal a child gets when the thread that started it ends
PR_SET_PDEATHSIG = 1


def _end_with_parent() -> Callable[[], None] | None:
    """What the dbt child runs before dbt: ask the kernel for SIGTERM when this process
    dies (Linux), and die at once if it already has. libc is loaded here, in the
    parent: loading a library between fork and exec is not safe."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def arrange() -> None:
        prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGTERM))
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


def _wait_passing_signals(process: subprocess.Popen) -> int:
    """The child's exit code, a SIGTERM or SIGINT to this process passed on to it while
    it runs; Stopped, once the child has ended, if one was."""
    if threading.current_thread() is not threading.main_thread():
        return process.wait()  # only the main thread may handle signals
    received: list[int] = []

    def pass_on(signum: int, _frame: object) -> None:
        received.append(signum)
        process.send_signal(signum)

    previous = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise Stopped(received[0])
    return code


def build_command(full_refresh: bool) -> list[str]:
    """``dbt build`` as every build runs it, whatever the target. Unit tests check the
    models' code, not the data: they run in the test suite
    (tests/dbt_project/test_unit_tests.py), not on every build."""
    return ["build", "--exclude", "test_type:unit", *(["--full-refresh"] if full_refresh else [])]


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


def run(args: argparse.Namespace) -> int:
    """``python -m publish build`` with its parsed options (``publish.cli``)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = warehouse_paths(args.warehouse)
    try:
        as_of = data_cutoff(paths, args.as_of)
    except ValueError as error:
        raise UsageError(str(error)) from None
    ensure_lake(paths)
    try:
        with build_lock(paths) as lock:
            return _build(paths, args, as_of, lock)
    except Stopped as stopped:
        print(
            f"error: stopped by {stopped}: dbt was stopped too, nothing was published and "
            "readers keep the previous snapshot",
            file=sys.stderr,
        )
        return 128 + stopped.signum


def _in_build(batch: Batch, as_of: str | None) -> bool:
    """Whether a build reads the batch: in effect now, or at ``as_of`` when given."""
    if not as_of:
        return batch.is_active
    return batch.loaded_at <= as_of and (batch.superseded_at is None or batch.superseded_at > as_of)


def _build(paths: WarehousePaths, args: argparse.Namespace, as_of: str, lock: BuildLock) -> int:
    """dbt build, then publish; the caller holds the build ``lock``."""
    migrate(paths)  # a warehouse an earlier release wrote: brought up to date first
    as_of_asked = data_cutoff(paths, args.as_of) if args.as_of else None
    damaged = verify(paths, [b for b in read_manifest(paths) if _in_build(b, as_of_asked)])
    if damaged:
        listing = "\n  ".join(damaged)
        print(
            f"error: the lake has damaged batch files, so nothing was built or published "
            f"and readers keep the previous snapshot:\n  {listing}",
            file=sys.stderr,
        )
        return 1
    everything = refresh.build_inputs(paths, args.as_of, args.target)
    if not args.full_refresh and refresh.unchanged_since_last_build(
        paths, everything, _current_name(paths)
    ):
        return _kept(paths)
    refresh.forget_green_build(paths)
    if args.target != "duckdb":
        from publish import spark  # imports this module: loaded only when asked for

        code = spark.build_and_publish(
            paths.root, as_of, args.as_of, args.full_refresh, target=args.target, lock=lock
        )
    else:
        code = _build_duckdb(paths, args, as_of, lock)
    current = _current_name(paths)
    if code == 0 and current:
        refresh.record_green_build(paths, everything, current)
    return code


def _current_name(paths: WarehousePaths) -> str | None:
    """The snapshot CURRENT names, None before the first publish."""
    try:
        return paths.current_pointer.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _kept(paths: WarehousePaths) -> int:
    """A build with nothing new: no dbt run, the current snapshot stays (DESIGN.md)."""
    try:
        con, current = connect_current(paths)
    except (NoSnapshot, duckdb.Error, IndexError) as error:
        print(f"error: the current snapshot cannot be read ({error})", file=sys.stderr)
        return 1
    con.close()
    print(
        "nothing new since the last green build (the same lake batches, models, seeds and "
        f"AS_OF): kept {current.path.name}: as_of {current.as_of}, digest {current.digest}"
    )
    report_warnings(paths)
    return 0


def _build_duckdb(
    paths: WarehousePaths, args: argparse.Namespace, as_of: str, lock: BuildLock
) -> int:
    """dbt build on DuckDB, then publish."""
    inputs = refresh.fingerprint(paths, args.as_of)
    reason = "asked for" if args.full_refresh else refresh.full_refresh_reason(paths, inputs)
    if reason:
        log.info("full refresh of the session facts (%s)", reason)
    else:
        log.info("incremental refresh: only the sessions of changed activity batches")
    refresh.forget(paths)
    code = run_dbt(paths, build_command(bool(reason)), as_of, lock=lock)
    if code != 0:
        print(
            "error: dbt build failed (see the lines above); nothing was published and "
            "readers keep the previous snapshot",
            file=sys.stderr,
        )
        return code
    refresh.record(paths, inputs)
    announce(publish(paths, as_of))
    report_warnings(paths)
    return 0


def announce(snapshot: SnapshotInfo, origin: str = "") -> None:
    """Say what a green build left current: a new snapshot, or the current one kept
    because the build's figures and cut-off equal it (``origin``: e.g. " from the
    Spark build")."""
    if snapshot.kept:
        print(
            f"the build's marts equal the current snapshot's (the same as_of and digest): "
            f"kept {snapshot.path.name}: as_of {snapshot.as_of}, digest {snapshot.digest}"
        )
    else:
        print(
            f"published {snapshot.path.name}{origin}: as_of {snapshot.as_of}, "
            f"digest {snapshot.digest}"
        )


def data_warnings(paths: WarehousePaths) -> list[tuple[str, int]]:
    """The data tests of the last dbt run that warned (tests that describe data quality,
    docs/data-tests.md): each test's name and how many rows it found."""
    results = paths.root / "dbt" / "target" / "run_results.json"
    if not results.exists():
        return []
    warned = [
        result
        for result in json.loads(results.read_text(encoding="utf-8")).get("results", [])
        if result.get("status") == "warn"
    ]
    return sorted(
        (result["unique_id"].split(".")[2], int(result.get("failures") or 0)) for result in warned
    )


def report_warnings(paths: WarehousePaths) -> None:
    """Say on stderr which data-quality tests warned: the figures were published, and
    these describe the data an analyst should look at."""
    warned = data_warnings(paths)
    if not warned:
        return
    lines = "\n".join(f"  {name}: {rows} row{'s' if rows != 1 else ''}" for name, rows in warned)
    print(
        f"warning: {len(warned)} data-quality test{'s' if len(warned) != 1 else ''} found "
        f"rows to look at (the figures were published; see docs/data-tests.md):\n{lines}",
        file=sys.stderr,
    )
