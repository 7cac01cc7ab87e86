"""A roster's ``effective_date``: the date the roster is valid from.

The column is optional. It is read like ``activity_date`` (the same formats), lands
as a nullable DATE in the people batches, rejects a row as ``bad_date`` when it
cannot be read, and an older lake whose people batches lack it still reads, with
nulls, because the kind's ``_schema.parquet`` gives dbt the column.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import openpyxl

from ingest.landing import ensure_lake
from kernel.paths import warehouse_paths

# One roster per alias, each writing its date in another accepted format; the
# expected dates are worked out by hand from the text (45352 days after 1899-12-30
# is 2024-03-01: 2024-01-01 is serial 45292, plus 31 + 29 days of Jan and Feb 2024).
ALIAS_DATES = [
    ("生效日期", "2025-03-05", dt.date(2025, 3, 5)),
    ("统计日期", "2025/3/6", dt.date(2025, 3, 6)),
    ("截至日期", "2025.3.7", dt.date(2025, 3, 7)),
    ("名册日期", "2025年3月8日", dt.date(2025, 3, 8)),
    ("effective_date", "20250309", dt.date(2025, 3, 9)),
    ("AS_OF_DATE", "45352", dt.date(2024, 3, 1)),
]


def test_every_alias_and_date_format_lands_as_the_rosters_effective_date(warehouse) -> None:
    for i, (header, text, _) in enumerate(ALIAS_DATES):
        headers = ["人员编号", "人员类别", header]
        warehouse.write(f"roster{i}.csv", headers, [[f"P{i}", "党员", text]])

    results = warehouse.load()

    assert [(r.file, r.kind, r.rows_loaded, r.rows_rejected) for r in results] == [
        (f"roster{i}.csv", "people", 1, 0) for i in range(len(ALIAS_DATES))
    ]
    landed = [warehouse.rows("people", r.batch_id)[0]["effective_date"] for r in results]
    assert landed == [expected for _, _, expected in ALIAS_DATES]


def test_a_roster_without_the_column_lands_a_null_date_column(warehouse) -> None:
    warehouse.write("roster.csv", ["人员编号", "人员类别"], [["P001", "党员"]])

    result = warehouse.load_one()

    path = warehouse.paths.kind_dir("people") / f"{result.batch_id}.parquet"
    con = duckdb.connect()
    described = con.execute(
        "select column_type from (describe select * from read_parquet(?)) "
        "where column_name = 'effective_date'",
        [str(path)],
    ).fetchall()
    con.close()
    assert described == [("DATE",)]
    (row,) = warehouse.rows("people", result.batch_id)
    assert row["effective_date"] is None


def test_an_unreadable_effective_date_rejects_the_row_as_bad_date(warehouse) -> None:
    warehouse.write(
        "roster.csv",
        ["人员编号", "加入日期", "统计日期"],
        [
            ["P001", "2020-09-01", "2025-02-30"],
            ["P002", "2020-09-01", "2025-03-01"],
            ["P003", "2020-13-01", "去年"],
        ],
    )

    result = warehouse.load_one()

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 1, 2)
    assert result.rejects_by_reason == {"bad_date": 2}
    first, third = warehouse.rejects(result.batch_id)
    assert (first["source_line"], first["reason_column"], first["reason_value"]) == (
        2,
        "统计日期",
        "2025-02-30",
    )
    # a bad join date comes first: the person's own dates are checked before the roster's
    assert (third["source_line"], third["reason_column"], third["reason_value"]) == (
        4,
        "加入日期",
        "2020-13-01",
    )
    (loaded,) = warehouse.rows("people", result.batch_id)
    assert (loaded["source_line"], loaded["effective_date"]) == (3, dt.date(2025, 3, 1))


def test_a_native_excel_date_is_read_as_the_effective_date(warehouse) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["工号", "职务", "名册日期"])
    workbook.active.append(["T001", "书记", dt.datetime(2025, 9, 1)])
    workbook.save(warehouse.inbox / "roster.xlsx")

    result = warehouse.load_one()

    (row,) = warehouse.rows("people", result.batch_id)
    assert (result.kind, row["effective_date"]) == ("people", dt.date(2025, 9, 1))


def test_an_older_lake_without_the_column_reads_with_nulls_after_the_next_load(warehouse) -> None:
    warehouse.write("old.csv", ["人员编号", "人员类别"], [["P001", "党员"]])
    old = warehouse.load_one()
    people = warehouse.paths.kind_dir("people")
    # make the lake as an ingest before the column wrote it: the batch and the
    # schema file without effective_date
    con = duckdb.connect()
    for name in (f"{old.batch_id}.parquet", "_schema.parquet"):
        path = str(people / name)
        con.execute(
            "copy (select * exclude (effective_date) from read_parquet(?)) to "
            f"'{path}.old' (format parquet)",
            [path],
        )
        (people / f"{name}.old").replace(people / name)
    con.close()

    ensure_lake(warehouse_paths(warehouse.paths.root))

    pattern = str(people / "*.parquet")
    con = duckdb.connect()
    rows = con.execute(
        "select source_line, effective_date, typeof(effective_date) "
        f"from read_parquet('{pattern}', union_by_name = true)"
    ).fetchall()
    con.close()
    # the schema file has no rows; the old batch's one row reads a null DATE
    assert rows == [(2, None, "DATE")]


def test_an_unchanged_schema_file_is_not_rewritten(warehouse) -> None:
    ensure_lake(warehouse.paths)
    schema = warehouse.paths.kind_dir("people") / "_schema.parquet"
    before = schema.stat().st_ino, schema.stat().st_mtime_ns

    ensure_lake(warehouse.paths)

    assert (schema.stat().st_ino, schema.stat().st_mtime_ns) == before


def test_schema_files_are_planned_again_only_when_their_sql_or_a_file_changed(
    warehouse, monkeypatch
) -> None:
    ensure_lake(warehouse.paths)
    stamp = warehouse.paths.lake / "_schema.sha256"
    planned = []
    real_connect = duckdb.connect
    monkeypatch.setattr(
        "ingest.landing.duckdb.connect", lambda *a, **k: planned.append(1) or real_connect(*a, **k)
    )

    ensure_lake(warehouse.paths)  # nothing changed: no DuckDB at all
    assert planned == []

    # a stamp that does not match (cut short by a crash, or another version's SQL)
    stamp.write_text(stamp.read_text(encoding="utf-8")[:10], encoding="utf-8")
    ensure_lake(warehouse.paths)
    assert planned == [1]
    # a schema file removed
    (warehouse.paths.kind_dir("districts") / "_schema.parquet").unlink()
    ensure_lake(warehouse.paths)
    assert planned == [1, 1]
    assert (warehouse.paths.kind_dir("districts") / "_schema.parquet").exists()
    ensure_lake(warehouse.paths)
    assert planned == [1, 1]
