"""The marts in a DuckDB file of their own: a snapshot is a copy of that file.

``tests/fixtures/valid/release_2a1d234`` holds a warehouse the release before this
change wrote, with its marts inside ``build/dbt.duckdb``. Built again by today's code
from the same lake, its figures must be the very same: every row of every mart the
release published, in the columns it had, is in the new snapshot as it was (same
as_of). The marts have grown since (event summaries, issue 18: the activity columns of
the monthly marts, agg_dashboard_events and fct_event_summaries), so the digest is new
and a second snapshot is published; that lake holds no event summary, so
fct_event_summaries is empty, agg_dashboard_events holds the logs' activities only and
the new columns say no activity was reported in a summary. The unknown district's name
changed from 未知 to 未归属区域 (issue 19: one name everywhere); its code, ``unknown``, and
every figure did not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import pytest

from kernel.paths import warehouse_paths
from kernel.snapshot import connect_current
from publish.snapshot import publish
from tests.conftest import REPO, Warehouse

RELEASE = REPO / "tests" / "fixtures" / "valid" / "release_2a1d234"
SNAPSHOT = "20261206T002029791965-77e4185effe6.duckdb"
AS_OF = "2026-12-06T00:20:22.234975"
DIGEST = "77e4185effe69d5b7d82d0c6028f1aa9339899b322139a7f8496aaa02d6d491f"


def _schemas_and_tables(database: Path) -> set[tuple[str, str]]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "select schema_name, table_name from duckdb_tables() where not internal"
        ).fetchall()
    finally:
        con.close()
    return set(rows)


@pytest.mark.integration
def test_the_last_releases_warehouse_is_built_again_to_the_same_figures(tmp_path) -> None:
    root = tmp_path / "warehouse"
    root.mkdir()
    with tarfile.open(RELEASE / "warehouse.tar.xz") as archive:
        archive.extractall(root, filter="data")
    assert ("marts", "fct_volunteer_sessions") in _schemas_and_tables(root / "build" / "dbt.duckdb")
    env = {**os.environ, "WAREHOUSE_DIR": str(root), "WAREHOUSE_SECRET": "release-fixture-secret"}
    for name in ("AS_OF", "FROM", "TO"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "publish"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.splitlines()[0] == (
        "migrated: deleted the dbt database of an older format; the next build is full"
    )
    assert "full refresh of the session facts (first build)" in result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith("published ") and f": as_of {AS_OF}, digest " in last
    assert DIGEST not in last
    snapshots = sorted(p.name for p in (root / "snapshots").glob("*.duckdb"))
    assert len(snapshots) == 2 and SNAPSHOT in snapshots
    (new,) = [name for name in snapshots if name != SNAPSHOT]
    con = duckdb.connect()
    try:
        con.execute(f"attach '{root / 'snapshots' / SNAPSHOT}' as released (read_only)")
        con.execute(f"attach '{root / 'snapshots' / new}' as rebuilt (read_only)")

        def tables(database: str) -> dict[str, list[str]]:
            found: dict[str, list[str]] = {}
            for table, column in con.execute(
                "select table_name, column_name from duckdb_columns() "
                "where database_name = ? and table_name <> '_snapshot' "
                "order by table_name, column_index",
                [database],
            ).fetchall():
                found.setdefault(table, []).append(column)
            return found

        released, rebuilt = tables("released"), tables("rebuilt")
        added = {"agg_dashboard_events", "fct_event_summaries"}
        # the returns to schools (issue 20)
        added |= {"dq_rejects", "dq_duplicates_dropped", "dq_findings_by_file"}
        added |= {"dq_failed_files", "dq_failed_file_rejects"}
        # submission status and the bureau's monthly row (issue 20)
        added |= {"dq_submissions", "agg_bureau_monthly"}
        assert set(rebuilt) == set(released) | added
        for table, columns in released.items():
            assert rebuilt[table][: len(columns)] == columns, table
            # the one change of a figure's label since that release: the unknown
            # district is named 未归属区域 everywhere (issue 19), 未知 before
            listed = ", ".join(
                "case when district_name = '未知' then '未归属区域' else district_name end"
                if c == "district_name" and "district_code" in columns
                else f'"{c}"'
                for c in columns
            )
            for one, other in (("released", "rebuilt"), ("rebuilt", "released")):
                differ = con.execute(
                    f"select count(*) from (select {listed} from {one}.main.{table} "
                    f"except all select {listed} from {other}.main.{table})"
                ).fetchone()
                assert differ == (0,), (table, one)
        assert con.execute("select count(*) from rebuilt.main.fct_event_summaries").fetchone() == (
            0,
        )
        # the dashboard's activities: the logs' only, their sessions those of the cells
        assert con.execute(
            "select (select list(distinct source) from rebuilt.main.agg_dashboard_events), "
            "(select sum(person_times) from rebuilt.main.agg_dashboard_events) "
            "= (select sum(person_times) from rebuilt.main.agg_dashboard_cells)"
        ).fetchone() == (["logs"], True)
        # the new columns: the logs' activities (each at most its sessions), no summary
        assert con.execute(
            "select count(*) filter (where events_logged > person_times "
            "or events_reported <> 0 or events_held <> events_logged "
            "or reported_person_times <> 0 or reported_minutes <> 0), "
            "sum(events_logged) filter (where person_times > 0) > 0 "
            "from rebuilt.main.agg_district_monthly"
        ).fetchone() == (0, True)
    finally:
        con.close()
    assert (root / "build" / "FORMAT").read_text() == "3\n"
    built = _schemas_and_tables(root / "build" / "dbt.duckdb")
    assert {schema for schema, _ in built} == {"intermediate", "seeds"}  # staging: views
    marts = _schemas_and_tables(root / "build" / "marts.duckdb")
    assert ("main", "fct_volunteer_sessions") in marts
    assert {schema for schema, _ in marts} == {"main"}


def test_leftovers_in_the_marts_file_are_not_published(first_slice: Warehouse, tmp_path) -> None:
    root = tmp_path / "warehouse"
    shutil.copytree(first_slice.root, root)
    paths = warehouse_paths(root)
    con = duckdb.connect(str(paths.marts_database))
    con.execute("create table main.agg_removed_model as select 1 as x").fetchall()
    con.execute("create table main.fct_volunteer_sessions__dbt_tmp as select 1 as x").fetchall()
    con.execute("create view main.v_leftover as select * from main.dim_districts").fetchall()
    con.execute("create schema scratch").fetchall()
    con.execute("create table scratch.dim_districts as select 1 as x").fetchall()
    con.close()
    info = publish(paths, "2025-03-31T00:00:00")
    snapshot = duckdb.connect(str(info.path), read_only=True)
    try:
        relations = snapshot.execute(
            "select schema_name, table_name from duckdb_tables() where not internal "
            "union all select schema_name, view_name from duckdb_views() where not internal"
        ).fetchall()
        (marts,) = snapshot.execute("select marts from _snapshot").fetchall()[0]
    finally:
        snapshot.close()
    names = {name for _, name in relations}
    assert {schema for schema, _ in relations} == {"main"}
    assert not names & {"agg_removed_model", "fct_volunteer_sessions__dbt_tmp", "v_leftover"}
    assert "agg_removed_model" not in marts.split(",")
    assert names == set(marts.split(",")) | {"_snapshot"}
    assert len(names) == 33  # the 32 marts and _snapshot


def _built_from_lake(source: Warehouse, root: Path, cache: Path) -> tuple[str, str]:
    """Publish ``source``'s lake in a new warehouse at ``root`` with the parse cache at
    ``cache``; the digest published, and how dbt's log says it parsed the project."""
    root.mkdir(parents=True)
    shutil.copytree(source.root / "lake", root / "lake")
    # dbt says how it parsed in its debug log, which builds write only when asked
    env = {
        **source.env,
        "WAREHOUSE_DIR": str(root),
        "DBT_PARSE_CACHE": str(cache),
        "DBT_LOG_LEVEL_FILE": "debug",
    }
    result = subprocess.run(
        [sys.executable, "-m", "publish"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    log = (root / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    parsed = [
        line.split("]: ", 1)[1]
        for line in log.splitlines()
        if "partial parsing" in line.lower() and "]: " in line
    ]
    con, info = connect_current(warehouse_paths(root))
    con.close()
    return info.digest, parsed[0]


@pytest.mark.integration
def test_a_new_warehouse_starts_from_the_parse_an_earlier_build_left(
    first_slice: Warehouse, tmp_path
) -> None:
    cache = tmp_path / "parse-cache"
    first, parsed_first = _built_from_lake(first_slice, tmp_path / "one", cache)
    assert parsed_first == (
        "Unable to do partial parsing because saved manifest not found. Starting full parse."
    )
    assert sorted(p.name for p in cache.iterdir()) == ["duckdb.msgpack"]
    second, parsed_second = _built_from_lake(first_slice, tmp_path / "two", cache)
    assert (
        parsed_second == "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed."
    )
    # the same lake gives the same figures, whichever parse dbt started from
    con, info = connect_current(warehouse_paths(first_slice.root))
    con.close()
    assert first == second == info.digest
