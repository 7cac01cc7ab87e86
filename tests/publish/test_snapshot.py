"""Publishing: the snapshot readers open, its digest, and what a failed build leaves."""

from __future__ import annotations

import hashlib
import threading

import duckdb
import pytest

from ingest.config import warehouse_paths
from publish.build import main as build_main
from publish.snapshot import connect_current, mart_digest
from tests.conftest import Warehouse


def test_digest_is_sha256_of_sorted_csv_per_table_in_name_order() -> None:
    con = duckdb.connect()
    con.execute("create table b (x integer, y varchar)")
    con.execute("insert into b values (2, 'z'), (1, 'é')")
    con.execute("create table a (k varchar)")
    con.execute("insert into a values ('q')")
    expected = hashlib.sha256(b"a\nk\nq\nb\nx,y\n1,\xc3\xa9\n2,z\n").hexdigest()
    assert mart_digest(con, "main", ["b", "a"]) == expected


def test_a_digest_that_cannot_be_written_fails_at_once_and_leaves_no_thread() -> None:
    con = duckdb.connect()
    con.execute("create table a (k varchar)")
    threads = threading.active_count()
    with pytest.raises(duckdb.CatalogException, match="nothere"):
        mart_digest(con, "main", ["a", "nothere"])
    assert threading.active_count() == threads


def test_the_current_snapshot_holds_the_marts_and_no_staging(first_slice: Warehouse) -> None:
    con, info = connect_current(warehouse_paths(first_slice.root))
    tables = [
        r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
    ]
    assert tables == [
        "_snapshot",
        "agg_branch_compliance",
        "agg_dashboard_cells", "agg_dashboard_communities", "agg_dashboard_person_months",
        "agg_district_monthly", "agg_organization_monthly",
        "agg_quota_attainment",
        "dim_activity_types", "dim_dates", "dim_districts", "dim_organizations", "dim_people",
        "dq_duplicates_by_file", "dq_file_loads", "dq_pending_sessions",
        "dq_people_missing_from_roster", "dq_persons_over_24_hours", "dq_rejects_by_reason",
        "dq_unknown_organizations", "dq_unmapped_activity_labels",
        "fct_person_months", "fct_person_quota_years", "fct_volunteer_sessions",
    ]  # fmt: skip
    assert mart_digest(con, "main", tables[1:]) == info.digest
    con.close()


def test_a_bad_as_of_is_refused_before_dbt_runs(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    assert build_main(["--as-of", "last tuesday"]) == 2
    assert "AS_OF='last tuesday' is not a timestamp" in capsys.readouterr().err
    assert not (tmp_path / "snapshots").exists()


def test_pruning_keeps_the_newest_the_current_and_the_pinned(tmp_path, monkeypatch) -> None:
    from ingest.config import warehouse_paths
    from publish.snapshot import pin, prune

    paths = warehouse_paths(tmp_path)
    paths.snapshots.mkdir(parents=True)
    names = [f"2025010{day}T000000-{day:012d}.duckdb" for day in range(1, 9)]
    for name in names:
        (paths.snapshots / name).write_bytes(b"")
    # CURRENT still names the second oldest (a build is publishing), an export pinned
    # the oldest: with 3 kept, only the 3rd, 4th and 5th go
    (paths.snapshots / "CURRENT").write_text(names[1] + "\n")
    pin(paths, paths.snapshots / names[0], "exports/2025-01")
    # a folder exported again moves its pin: the 3rd snapshot is no longer pinned
    pin(paths, paths.snapshots / names[2], "exports/monthly")
    pin(paths, paths.snapshots / names[5], "exports/monthly")
    monkeypatch.setenv("KEEP_SNAPSHOTS", "3")
    removed = prune(paths)
    assert [path.name for path in removed] == names[2:5]
    assert sorted(path.name for path in paths.snapshots.glob("*.duckdb")) == [
        names[0],
        names[1],
        *names[5:],
    ]
