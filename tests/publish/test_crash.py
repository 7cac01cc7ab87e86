"""A build killed at any moment (``kill -9`` during ``dbt build`` or while the snapshot is
written) leaves readers on a complete snapshot, and the next build completes with the
figures of a build that was never interrupted. Two builds of one warehouse never run
at once, even when only ``python -m publish`` is killed and its dbt lives on for a
moment: dbt holds the lock until it has ended, and ends with publish. (Ingest's own
kill test is tests/ingest: together more than 20 kills.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from publish.snapshot import mart_digest
from tests.conftest import REPO, Warehouse, make_warehouse

pytestmark = pytest.mark.integration

KILLS = 14


def _start_build(
    warehouse: Warehouse, output: Path | None = None, as_of: str | None = None
) -> subprocess.Popen[str]:
    """``python -m publish`` in the background; its output to pipes, or to the files
    ``output``/stdout and ``output``/stderr (when the test waits for publish alone: dbt
    holds publish's pipes open, and would block on a full one, until it ends).

    A build with nothing new runs no dbt and publishes nothing, so every build here
    rebuilds in full, and with ``as_of`` (a cut-off a few microseconds after the
    reference's: the same figures, a snapshot of its own) it writes a new snapshot and
    switches CURRENT as any build with new data does."""
    streams: dict[str, Any]
    if output is None:
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    else:
        output.mkdir(exist_ok=True)
        streams = {name: (output / name).open("w") for name in ("stdout", "stderr")}
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "publish", "--full-refresh"],
            cwd=REPO,
            env={**warehouse.env, **({"AS_OF": as_of} if as_of else {})},
            text=True,
            start_new_session=True,  # its own process group: the kill takes dbt with it
            **streams,
        )
    finally:
        for stream in streams.values():
            if stream is not subprocess.PIPE:
                stream.close()


def _current_is_complete(root: Path) -> str:
    """The current snapshot's digest, after checking its marts give that digest."""
    snapshots = root / "snapshots"
    return _is_complete(snapshots / (snapshots / "CURRENT").read_text().strip())


def _is_complete(snapshot: Path) -> str:
    """A snapshot's digest, after checking its marts give that digest."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        digest, marts = con.execute("select digest, marts from _snapshot").fetchone()
        assert mart_digest(con, "main", marts.split(",")) == digest
        return digest
    finally:
        con.close()


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …: comm may hold spaces, so read after its last ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def _running_dbt(build: subprocess.Popen[str], warehouse: Warehouse) -> int:
    """The dbt process a build started, once it has the warehouse's DuckDB file open."""
    database = str((warehouse.root / "build" / "dbt.duckdb").resolve())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert build.poll() is None, "the build ended before dbt opened its database"
        for pid in _children(build.pid):
            try:
                if any(os.readlink(fd) == database for fd in Path(f"/proc/{pid}/fd").iterdir()):
                    return pid
            except OSError:
                continue
        time.sleep(0.05)
    raise AssertionError("dbt never opened its database")


def _state(pid: int) -> str:
    """The process's state letter in ``/proc/<pid>/stat``; "X" when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "X"


def _alive(pid: int) -> bool:
    """Whether a process runs (one that ended and waits to be reaped has ended)."""
    return _state(pid) not in ("Z", "X")


def _stopped(pid: int) -> bool:
    """Whether a process is stopped (SIGSTOP has taken effect), waiting a moment for it."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        state = _state(pid)
        if state in ("T", "Z", "X"):
            return state == "T"
        time.sleep(0.01)
    return False


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, str, float]:
    warehouse = make_warehouse(tmp_path_factory.mktemp("crash"), "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    started = time.monotonic()
    warehouse.run("publish")
    duration = time.monotonic() - started
    return warehouse, _current_is_complete(warehouse.root), duration


def test_kill_9_at_any_moment_of_a_build_loses_nothing(
    built: tuple[Warehouse, str, float],
) -> None:
    warehouse, reference, duration = built
    (loaded,) = warehouse.query("select as_of from _snapshot")[0]
    for kill in range(KILLS):
        as_of = (loaded + dt.timedelta(microseconds=kill + 1)).isoformat(timespec="microseconds")
        build = _start_build(warehouse, as_of=as_of)
        # moments spread over a whole build, the last ones in its final second, where
        # the snapshot is written and CURRENT switched
        time.sleep(duration * (kill + 0.5) / KILLS)
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        assert _current_is_complete(warehouse.root) == reference
        # every snapshot a reader could open is whole: one being written is hidden
        for visible in (warehouse.root / "snapshots").glob("[!.]*.duckdb"):
            assert _is_complete(visible) == reference, visible.name
    result = warehouse.run("publish")
    assert _current_is_complete(warehouse.root) == reference
    # published anew, or the current kept when no killed build got as far as switching
    assert result.stdout.splitlines()[-1].endswith(f"digest {reference}")
    leftovers = list((warehouse.root / "snapshots").glob(".*.tmp*"))
    assert leftovers == []


def test_a_second_build_is_refused_while_one_runs(built: tuple[Warehouse, str, float]) -> None:
    warehouse, reference, _ = built
    first = _start_build(warehouse)
    dbt = _running_dbt(first, warehouse)
    try:
        second = warehouse.run("publish", check=False)
        assert second.returncode == 75
        assert second.stderr == (
            f"error: another build of {warehouse.root} is running (pid {first.pid}, dbt pid "
            f"{dbt}); wait for it to finish, or stop it, then run `make build` again\n"
        )
    finally:
        first.communicate()  # the next tests start when it has finished
    assert first.returncode == 0
    assert _current_is_complete(warehouse.root) == reference


def test_killing_publish_alone_keeps_the_build_locked_until_its_dbt_has_ended(
    built: tuple[Warehouse, str, float], tmp_path: Path
) -> None:
    warehouse, reference, _ = built
    # dbt rewrites it when it finishes a build (or stops on SIGINT), not when SIGTERM ends it
    run_results = warehouse.root / "dbt" / "target" / "run_results.json"
    last_results = run_results.read_bytes()
    # dbt is held still, so that it is sure to outlive publish while the next build tries;
    # a dbt that ended between being seen and being stopped (a first-slice build takes
    # a few seconds) sets nothing up, and the build is started again
    for attempt in range(3):
        build = _start_build(warehouse, tmp_path / f"attempt-{attempt}")
        dbt = _running_dbt(build, warehouse)
        os.kill(dbt, signal.SIGSTOP)
        if _stopped(dbt):
            break
        build.wait()
    else:
        raise AssertionError("dbt ended before it could be stopped, three times")
    try:
        os.kill(build.pid, signal.SIGKILL)  # publish alone, not its process group
        build.wait()
        second = warehouse.run("publish", check=False)
        assert (second.returncode, second.stderr) == (
            75,
            f"error: another build of {warehouse.root} is running (pid {build.pid}, dbt pid "
            f"{dbt}); wait for it to finish, or stop it, then run `make build` again\n",
        )
        # the kernel sent dbt SIGTERM when publish died: it ends as soon as it runs again
        os.kill(dbt, signal.SIGCONT)
        deadline = time.monotonic() + 10
        while _alive(dbt):
            assert time.monotonic() < deadline, "dbt outlived its publish"
            time.sleep(0.05)
        assert run_results.read_bytes() == last_results  # ended, not finished
    finally:
        if _alive(dbt):  # a check above failed: leave no dbt behind for the next tests
            os.kill(dbt, signal.SIGKILL)
    result = warehouse.run("publish")
    assert result.stdout.splitlines()[-1].endswith(f"digest {reference}")
    assert _current_is_complete(warehouse.root) == reference


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stopped_publish_stops_its_dbt_and_waits_for_it(
    built: tuple[Warehouse, str, float], stop: signal.Signals, tmp_path: Path
) -> None:
    warehouse, reference, _ = built
    build = _start_build(warehouse, tmp_path)
    dbt = _running_dbt(build, warehouse)
    try:
        os.kill(build.pid, stop)
        build.wait(timeout=120)
        # publish ended after its dbt had: nothing of the build runs on
        assert not _alive(dbt)
        assert build.returncode == 128 + stop
        # a line of its own among dbt's (its multiprocessing helper may write after it)
        assert (
            f"error: stopped by {stop.name}: dbt was stopped too, nothing was published and "
            "readers keep the previous snapshot"
        ) in (tmp_path / "stderr").read_text().splitlines()
    finally:
        if _alive(dbt):
            os.kill(dbt, signal.SIGKILL)
    assert _current_is_complete(warehouse.root) == reference


def test_a_corrupted_batch_file_is_named_and_nothing_is_published(
    built: tuple[Warehouse, str, float], tmp_path: Path
) -> None:
    warehouse, reference, _ = built
    copy = Warehouse(
        tmp_path / "warehouse", warehouse.inbox, tmp_path / "exports", dict(warehouse.env)
    )
    shutil.copytree(warehouse.root, copy.root)
    copy.env["WAREHOUSE_DIR"] = str(copy.root)
    batch = next(
        line
        for line in (copy.root / "lake" / "manifest.jsonl").read_text().splitlines()
        if '"roster.xlsx"' in line
    )
    batch_id = json.loads(batch)["batch_id"]
    damaged = copy.root / "lake" / "people" / f"{batch_id}.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-100])  # truncated
    result = copy.run("publish", check=False)
    assert result.returncode == 1
    assert result.stderr == (
        "error: the lake has damaged batch files, so nothing was built or published and "
        "readers keep the previous snapshot:\n"
        f"  people/{batch_id}.parquet (roster.xlsx) does not match its checksum in the "
        "manifest: the file is corrupted or truncated; land it again from its original "
        "(python -m ingest repair --inbox DIR, with the original file under its name in DIR) "
        "or restore the lake from a backup\n"
    )
    assert _current_is_complete(copy.root) == reference
