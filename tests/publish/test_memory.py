"""DuckDB's memory limit for a build (``publish.memory``), and the CTEs DuckDB's tables
read in place (``dbt_project/macros/materializations/inline_ctes.sql``)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import pytest

from kernel.errors import UsageError, UserError
from kernel.manifest import Batch
from kernel.paths import warehouse_paths
from publish import memory, snapshot
from tests.conftest import make_warehouse

MIB = 1024 * 1024
GIB = 1024 * MIB


def _batch(rows_loaded: int) -> Batch:
    return Batch(
        batch_id=f"b{rows_loaded}",
        file="x.csv",
        sha256="0" * 64,
        kind="activity",
        loaded_at="2025-03-01T08:00:00",
        rows_read=rows_loaded + 1,
        rows_loaded=rows_loaded,
        rows_rejected=1,
    )


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("512MB", 512_000_000),
        ("4GB", 4_000_000_000),
        ("1.5GiB", 1_610_612_736),
        (" 256 mib ", 268_435_456),
        ("2TB", 2_000_000_000_000),
    ],
)
def test_a_size_is_read_in_decimal_or_binary_units(text: str, size: int) -> None:
    assert memory.parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "512", "4 G", "-1GB", "1e9B"])
def test_what_is_not_a_size_says_how_to_write_one(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        memory.parse_size(text)
    assert str(raised.value) == (
        f"BUILD_MEMORY_LIMIT={text!r} is not a size: write a number and a unit, "
        "e.g. BUILD_MEMORY_LIMIT=4GB or 512MB"
    )


def test_the_limit_follows_the_lake_between_a_floor_and_half_the_machine() -> None:
    machine = 24 * GIB
    # a small bureau's lake: the floor, 256 MiB
    assert memory.sized_limit(25, machine) == 268_435_456
    assert memory.sized_limit(0, machine) == 268_435_456
    # 10M rows landed: 100 bytes a row
    assert memory.sized_limit(10_000_000, machine) == 1_000_000_000
    # 1,000M rows: half of 24 GiB
    assert memory.sized_limit(1_000_000_000, machine) == 12 * GIB
    # a machine too small for half of it to reach the floor still gets the floor
    assert memory.sized_limit(10_000_000, 256 * MIB) == 268_435_456
    # a system that does not say its memory: no cap
    assert memory.sized_limit(1_000_000_000, 0) == 100_000_000_000


def test_the_limit_counts_every_batch_unless_the_variable_sets_it(monkeypatch) -> None:
    monkeypatch.delenv("BUILD_MEMORY_LIMIT", raising=False)
    monkeypatch.setattr(memory, "machine_memory", lambda: 24 * GIB)
    batches = [_batch(6_000_000), _batch(3_000_000), _batch(500_000)]
    assert memory.memory_limit(batches) == 950_000_000
    monkeypatch.setenv("BUILD_MEMORY_LIMIT", "2GB")
    assert memory.memory_limit(batches) == 2_000_000_000


def test_dbt_reads_the_limit_in_whole_mib(tmp_path: Path) -> None:
    paths = warehouse_paths(tmp_path / "w")
    written = memory.write_memory_limit(paths, 1_000_000_000)
    assert written == tmp_path / "w" / "build" / "memory_limit.jsonl"
    # 1,000,000,000 / 1,048,576 = 953.67
    assert written.read_text(encoding="utf-8") == '{"memory_limit": "953MiB"}\n'
    assert memory.duckdb_size(268_435_456) == "256MiB"


def test_the_advice_names_the_limit_and_twice_it(monkeypatch) -> None:
    monkeypatch.delenv("BUILD_MEMORY_LIMIT", raising=False)
    assert memory.limit_advice(983_564_288) == (
        "DuckDB needed more memory than the build's limit of 938 MiB (sized from the "
        "lake): run the build again with a higher limit, e.g. BUILD_MEMORY_LIMIT=2GiB"
    )
    monkeypatch.setenv("BUILD_MEMORY_LIMIT", "3GiB")
    assert memory.limit_advice(3 * GIB) == (
        "DuckDB needed more memory than the build's limit of 3,072 MiB "
        "(BUILD_MEMORY_LIMIT): run the build again with a higher limit, "
        "e.g. BUILD_MEMORY_LIMIT=6GiB"
    )


def test_the_digest_says_when_its_floor_was_above_the_builds_limit(monkeypatch) -> None:
    monkeypatch.delenv("BUILD_MEMORY_LIMIT", raising=False)
    # a small lake's build runs under 256 MiB, its digest under its floor of 512 MiB
    assert memory.limit_advice(512 * MIB, 256 * MIB) == (
        "DuckDB needed more memory than the digest's limit of 512 MiB (its floor, above "
        "the build's 256 MiB): run the build again with a higher limit, "
        "e.g. BUILD_MEMORY_LIMIT=1GiB"
    )
    # a digest under the build's own limit names the build's
    assert memory.limit_advice(3 * GIB, 3 * GIB) == (
        "DuckDB needed more memory than the build's limit of 3,072 MiB (sized from the "
        "lake): run the build again with a higher limit, e.g. BUILD_MEMORY_LIMIT=6GiB"
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _physical() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def test_a_containers_memory_limit_caps_the_machines(tmp_path: Path) -> None:
    # cgroup v2 (one hierarchy): the container's group limits it to 2 GiB; the job's
    # group below it says no limit, and the parent's limit binds it all the same
    cgroups, own = tmp_path / "cgroup", tmp_path / "self-cgroup"
    _write(own, "0::/box/job\n")
    _write(cgroups / "box" / "memory.max", "2147483648\n")
    _write(cgroups / "box" / "job" / "memory.max", "max\n")
    assert memory.cgroup_limits(cgroups, own) == [2_147_483_648]
    assert memory.machine_memory(cgroups, own) == min(_physical(), 2_147_483_648)
    # a lake of 100M rows gets half of the container's 2 GiB, not half the machine's
    assert memory.sized_limit(100_000_000, memory.machine_memory(cgroups, own)) == GIB


def test_cgroup_v1_and_a_hybrid_mount_are_read_and_no_limit_is_none(tmp_path: Path) -> None:
    cgroups, own = tmp_path / "cgroup", tmp_path / "self-cgroup"
    # v1, as this project's CI machine has it: the process's own group writes "no
    # limit" as 2**63 less a page; its parent (the mount's root) allows 1 GiB
    _write(own, "4:memory:/process_api/abc\n3:cpuset:/\n0::/\n")
    own_group = cgroups / "memory" / "process_api" / "abc"
    _write(own_group / "memory.limit_in_bytes", "9223372036854771712\n")
    _write(cgroups / "memory" / "memory.limit_in_bytes", "1073741824\n")
    # a hybrid host mounts v2 under unified/, whose root has no memory.max
    (cgroups / "unified").mkdir()
    assert memory.cgroup_limits(cgroups, own) == [1_073_741_824]
    # no limit anywhere: the machine's memory alone
    _write(cgroups / "memory" / "memory.limit_in_bytes", "9223372036854771712\n")
    assert memory.cgroup_limits(cgroups, own) == []
    assert memory.machine_memory(cgroups, own) == _physical()
    # a system without control groups: the same
    assert memory.machine_memory(cgroups, tmp_path / "missing") == _physical()


def test_a_run_out_of_memory_is_told_from_other_failures(tmp_path: Path) -> None:
    paths = warehouse_paths(tmp_path / "w")
    assert not memory.ran_out_of_memory(paths)  # no run yet
    results = tmp_path / "w" / "dbt" / "target" / "run_results.json"
    results.parent.mkdir(parents=True)
    failed = {"status": "error", "message": "Runtime Error in model m\n  Binder Error: x"}
    results.write_text(json.dumps({"results": [failed, {"status": "success"}]}))
    assert not memory.ran_out_of_memory(paths)
    failed["message"] = "Runtime Error\n  Out of Memory Error: failed to allocate 2.0 MiB"
    results.write_text(json.dumps({"results": [failed, {"status": "success"}]}))
    assert memory.ran_out_of_memory(paths)


def test_a_build_runs_under_the_limit_and_its_tables_read_ctes_in_place(
    tmp_path: Path,
) -> None:
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    # 1 MiB is far too little for dbt's first query over the seeds: that the build
    # fails shows the limit reached DuckDB
    warehouse.env["BUILD_MEMORY_LIMIT"] = "1MiB"
    failed = warehouse.run("publish", check=False)
    assert failed.returncode == 1
    assert (
        "error: DuckDB needed more memory than the build's limit of 1 MiB "
        "(BUILD_MEMORY_LIMIT): run the build again with a higher limit, "
        "e.g. BUILD_MEMORY_LIMIT=1GiB\n"
    ) in failed.stderr
    assert "Traceback" not in failed.stderr + failed.stdout
    assert not (warehouse.root / "snapshots" / "CURRENT").exists()

    del warehouse.env["BUILD_MEMORY_LIMIT"]
    warehouse.run("publish")
    limit_file = warehouse.root / "build" / "memory_limit.jsonl"
    assert limit_file.read_text(encoding="utf-8") == '{"memory_limit": "256MiB"}\n'
    assert (warehouse.root / "snapshots" / "CURRENT").exists()

    # every top-level CTE of a mart runs `not materialized` on DuckDB, while the
    # compiled model (what Spark runs) keeps the plain `name as (`
    model = Path("volunteer_warehouse", "models", "marts", "agg_organization_monthly.sql")
    target = warehouse.root / "dbt" / "target"
    header = re.compile(r"^(\w+) as (not materialized )?\($", re.MULTILINE)
    ran = header.findall((target / "run" / model).read_text(encoding="utf-8"))
    compiled = header.findall((target / "compiled" / model).read_text(encoding="utf-8"))
    assert [name for name, _ in ran] == [name for name, _ in compiled]
    assert len(ran) == 24
    assert {hint for _, hint in ran} == {"not materialized "}
    assert {hint for _, hint in compiled} == {""}


def test_a_digest_that_runs_out_of_memory_says_what_to_raise_and_leaves_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.delenv("BUILD_MEMORY_LIMIT", raising=False)
    paths = warehouse_paths(tmp_path / "w")
    paths.marts_database.parent.mkdir(parents=True)
    con = duckdb.connect(str(paths.marts_database))
    con.execute("create table facts as select i, repeat('x', 50) || i as t from range(300000) r(i)")
    con.close()
    # the digest's floor lowered to 1 MiB, which 300,000 rows of text cannot be sorted in
    monkeypatch.setattr(snapshot, "DIGEST_MIN_LIMIT", MIB)
    with pytest.raises(UserError) as raised:
        snapshot.publish(paths, "2025-03-01T00:00:00", MIB)
    assert str(raised.value) == (
        "the snapshot's digest: DuckDB needed more memory than the build's limit of 1 MiB "
        "(sized from the lake): run the build again with a higher limit, e.g. "
        "BUILD_MEMORY_LIMIT=1GiB; nothing was published and readers keep the previous "
        "snapshot"
    )
    assert list(paths.snapshots.iterdir()) == []  # no half-made copy, no CURRENT
