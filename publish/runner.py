"""dbt as a child process of ``python -m publish``: its settings for one warehouse, the
parse it shares with other warehouses, and a run that holds the build lock and ends
with its parent.

dbt inherits the build lock file's descriptor (``publish.lock``), the kernel sends it
SIGTERM when ``python -m publish`` dies (``PR_SET_PDEATHSIG``), and a SIGTERM or SIGINT
to publish is passed on to dbt and waited for. So a publish killed alone, even with
``kill -9``, never leaves a dbt that still writes the DuckDB file while the next build
takes the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kernel.paths import WarehousePaths
from kernel.settings import settings
from publish.lock import BuildLock
from publish.progress import DbtOutput

DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"
# dbt's parse of the project, shared by the warehouses this checkout builds (run_dbt)
DEFAULT_PARSE_CACHE = DBT_PROJECT / ".parse-cache"


def parse_cache() -> Path:
    """Where builds keep dbt's parse: ``DBT_PARSE_CACHE``, else ``dbt_project/.parse-cache``."""
    return settings().dbt_parse_cache or DEFAULT_PARSE_CACHE


def dbt_environment(paths: WarehousePaths) -> dict[str, str]:
    """dbt's settings for this warehouse: its files, target and logs under WAREHOUSE_DIR.

    dbt runs in the warehouse's folder (``cwd=paths.root``) and sees WAREHOUSE_DIR as
    ``.``: the paths profiles.yml and the lake's sources write are then the same for
    every warehouse, and so is the parse of the project, which one warehouse's build can
    reuse for another's (``parse_cache()``)."""
    return {
        # dbt's own debug log (dbt/logs/dbt.log) costs a build a tenth of its time in
        # writing every node's events; the build's log (logs/build-*.log) keeps every
        # line dbt prints. DBT_LOG_LEVEL_FILE=debug in the environment writes it again.
        "DBT_LOG_LEVEL_FILE": "none",
        **os.environ,
        "WAREHOUSE_DIR": ".",
        "DBT_PROFILES_DIR": str(DBT_PROJECT),
        "DBT_PROJECT_DIR": str(DBT_PROJECT),
        "DBT_TARGET_PATH": str(paths.root / "dbt" / "target"),
        "DBT_LOG_PATH": str(paths.root / "dbt" / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def build_command(full_refresh: bool) -> list[str]:
    """``dbt build`` as every build runs it, whatever the target. Unit tests check the
    models' code, not the data: they run in the test suite
    (tests/dbt_project/test_unit_tests.py), not on every build. Each model's
    ``column_rules`` test runs in its layer's group (``dbt_project/tests/rules/``, one
    node per layer and severity instead of one per model; docs/data-tests.md)."""
    return [
        "build",
        "--exclude",
        "test_type:unit",
        "test_name:column_rules",
        *(["--full-refresh"] if full_refresh else []),
    ]


def run_dbt(
    paths: WarehousePaths,
    args: list[str],
    variables: dict | None = None,
    environment: dict[str, str] | None = None,
    lock: BuildLock | None = None,
    output: DbtOutput | None = None,
) -> int:
    """Run one dbt command for this warehouse (``variables`` as dbt vars,
    ``environment`` besides ``dbt_environment``); returns dbt's exit code. The build's
    cut-off and batches reach dbt as files (``publish.selection.write_selection``).

    dbt holds the build ``lock`` with this process until it has ended, and ends with
    it (see the module docstring); Stopped when a SIGTERM or SIGINT, passed on to dbt,
    ended the run.

    With ``output``, dbt's lines (stdout and stderr) go to it: the build's log file and
    a progress bar (``publish.progress``); without, to this process's stdout. dbt colours
    them only when they reach a terminal as written."""
    paths.dbt_database.parent.mkdir(parents=True, exist_ok=True)
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *args, *(["--vars", json.dumps(variables)] if variables else [])]
    env = {**dbt_environment(paths), **(environment or {})}
    colours = output.colours if output else sys.stdout.isatty()
    env["DBT_USE_COLORS"] = "true" if colours else "false"
    own_parse, shared_parse = _parse_files(paths, args)
    if not own_parse.exists() and shared_parse.exists():
        env["DBT_PARTIAL_PARSE_FILE_PATH"] = str(shared_parse)
    process = subprocess.Popen(
        command,
        cwd=paths.root,
        env=env,
        pass_fds=(lock.fileno(),) if lock else (),
        preexec_fn=_end_with_parent(),
        **(_piped() if output else {}),
    )
    reader = output.pump(process.stdout) if output and process.stdout else None
    if lock:
        lock.note(f"pid {os.getpid()}, dbt pid {process.pid}")
    try:
        code = _wait_passing_signals(process)
    finally:
        if lock:
            lock.note(f"pid {os.getpid()}")
        if reader:
            reader.join()
    if code == 0:
        _share_parse(own_parse, shared_parse)
    return code


def _piped() -> dict[str, Any]:
    """Popen's arguments for reading dbt's output line by line, stderr with stdout."""
    return {
        "stdout": subprocess.PIPE,
        "stderr": subprocess.STDOUT,
        "text": True,
        "encoding": "utf-8",
        "errors": "replace",
        "bufsize": 1,
    }


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
