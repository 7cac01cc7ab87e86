"""Publishing: the snapshot readers open, its digest, and what a failed build leaves."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import duckdb
import pytest

from kernel.paths import warehouse_paths
from kernel.snapshot import connect_current
from publish import snapshot
from publish.cli import main as build_main
from publish.snapshot import mart_digest
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


def _csv_digest(name: str, header: str, rows: list[tuple]) -> str:
    """The digest of one table worked out here: rows sorted by every column with nulls
    last, written as DuckDB writes CSV (null as nothing)."""
    ordered = sorted(rows, key=lambda row: [(value is None, value) for value in row])
    lines = [",".join("" if v is None else str(v) for v in row) for row in ordered]
    text = f"{name}\n{header}\n" + "".join(f"{line}\n" for line in lines)
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_large_mart_is_digested_range_by_range_to_the_same_bytes(monkeypatch) -> None:
    """90 distinct keys and 10 nulls, split at 10 rows: 9 bounds give 10 ranges and the
    nulls' range; the digest is the whole table's sorted CSV."""
    monkeypatch.setattr(snapshot, "DIGEST_RANGE_ROWS", 10)
    rows = [(f"k{n:02d}", n % 7) for n in range(89, -1, -1)] + [(None, n) for n in range(10)]
    con = duckdb.connect()
    con.execute("create table t (k varchar, v integer)")
    con.executemany("insert into t values (?, ?)", rows)
    assert len(snapshot._ranges(con, "main", "t")) == 11
    copies = _Recorder(con)
    assert mart_digest(copies, "main", ["t"]) == _csv_digest("t", "k,v", rows)
    # written as 11 sorted ranges, the header with the first only
    written = [sql for sql in copies.statements if sql.startswith("copy")]
    assert len(written) == 11
    assert [("header true" in sql) for sql in written] == [True] + [False] * 10


class _Recorder:
    """A connection that notes every statement it is given, then runs it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, sql: str, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)


def test_ranges_of_ties_and_an_empty_last_range_give_the_same_bytes(monkeypatch) -> None:
    """Three dates over 50 rows, split at 10: the bounds fall on ties, so every row of a
    date stays in one range, and the range above the last bound (the latest date) is
    empty; an integer first column splits as well, a double one is sorted whole."""
    monkeypatch.setattr(snapshot, "DIGEST_RANGE_ROWS", 10)
    days = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    rows = [(days[0 if n < 5 else 1 if n < 10 else 2], n) for n in range(50)]
    numbers = [(n % 4, f"x{n}") for n in range(30)]
    doubles = [(n / 4, n) for n in range(30)]
    con = duckdb.connect()
    con.execute("create table d (day date, n integer)")
    con.executemany("insert into d values (?, ?)", rows)
    con.execute("create table i (k integer, s varchar)")
    con.executemany("insert into i values (?, ?)", numbers)
    con.execute("create table f (k double, n integer)")
    con.executemany("insert into f values (?, ?)", doubles)
    assert snapshot._ranges(con, "main", "d")[-1] == " where \"day\" > cast('2025-03-01' as DATE)"
    assert len(snapshot._ranges(con, "main", "i")) == 3
    assert snapshot._ranges(con, "main", "f") == [""]
    monkeypatch.setattr(snapshot, "DIGEST_MAX_RANGES", 2)  # 30 rows in 2 ranges, not 3
    assert snapshot._ranges(con, "main", "i") == [
        " where \"k\" <= cast('1' as INTEGER)",
        " where \"k\" > cast('1' as INTEGER)",
    ]
    for name, header, table in (("d", "day,n", rows), ("i", "k,s", numbers)):
        assert mart_digest(con, "main", [name]) == _csv_digest(name, header, table)
    whole = hashlib.sha256()
    whole.update(b"f\nk,n\n")
    whole.update("".join(f"{k},{n}\n" for k, n in sorted(doubles)).encode())
    assert mart_digest(con, "main", ["f"]) == whole.hexdigest()


def test_the_current_snapshot_holds_the_marts_and_no_staging(first_slice: Warehouse) -> None:
    con, info = connect_current(warehouse_paths(first_slice.root))
    tables = [
        r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
    ]
    assert tables == [
        "_snapshot",
        "agg_branch_compliance", "agg_bureau_monthly",
        "agg_dashboard_cells", "agg_dashboard_communities", "agg_dashboard_events",
        "agg_dashboard_person_months",
        "agg_district_monthly", "agg_organization_monthly",
        "agg_quota_attainment",
        "dim_activity_types", "dim_dates", "dim_districts", "dim_organizations", "dim_people",
        "dq_duplicates_by_file", "dq_duplicates_dropped", "dq_failed_file_rejects",
        "dq_failed_files", "dq_file_loads",
        "dq_findings_by_file", "dq_pending_sessions",
        "dq_people_missing_from_roster", "dq_persons_over_24_hours", "dq_rejects",
        "dq_rejects_by_reason", "dq_submissions",
        "dq_unknown_organizations", "dq_unmapped_activity_labels",
        "fct_event_summaries", "fct_person_months", "fct_person_quota_years",
        "fct_volunteer_sessions",
    ]  # fmt: skip
    assert mart_digest(con, "main", tables[1:]) == info.digest
    con.close()


def test_a_bad_as_of_is_refused_before_dbt_runs(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    assert build_main(["--as-of", "last tuesday"]) == 2
    assert "AS_OF='last tuesday' is not a timestamp" in capsys.readouterr().err
    assert not (tmp_path / "snapshots").exists()


def test_pruning_keeps_the_newest_the_current_and_the_pinned(tmp_path, monkeypatch) -> None:
    from kernel.paths import warehouse_paths
    from kernel.snapshot import pin
    from publish.snapshot import prune

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
