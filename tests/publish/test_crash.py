"""A build killed at any moment (``kill -9`` during ``dbt build`` or while the snapshot is
written) leaves readers on a complete snapshot, and the next build completes with the
figures of a build that was never interrupted. Two builds of one warehouse never run
at once. (Ingest's own kill test is tests/ingest: together more than 20 kills.)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from publish.snapshot import mart_digest
from tests.conftest import REPO, Warehouse, make_warehouse

pytestmark = pytest.mark.integration

KILLS = 14


def _start_build(warehouse: Warehouse) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "publish"],
        cwd=REPO,
        env=warehouse.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes dbt with it
    )


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
    for kill in range(KILLS):
        build = _start_build(warehouse)
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
    assert "published" in result.stdout
    leftovers = list((warehouse.root / "snapshots").glob(".*.tmp*"))
    assert leftovers == []


def test_a_second_build_is_refused_while_one_runs(built: tuple[Warehouse, str, float]) -> None:
    warehouse, reference, _ = built
    first = _start_build(warehouse)
    lock = warehouse.root / "build" / ".build.lock"
    deadline = time.monotonic() + 60
    while f"pid {first.pid}" not in (lock.read_text() if lock.exists() else ""):
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.05)
    second = warehouse.run("publish", check=False)
    assert second.returncode == 75
    assert second.stderr == (
        f"error: another build of {warehouse.root} is running (pid {first.pid}); wait for "
        "it to finish, or stop it, then run `make build` again\n"
    )
    first.communicate()
    assert first.returncode == 0
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
