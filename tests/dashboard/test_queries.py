"""The query module on the first-slice warehouse: parameters, snapshots and filters."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard import queries
from kernel import formatting
from kernel.snapshot import NoSnapshot
from tests.conftest import Warehouse

WHOLE_PERIOD = queries.Filters("2025-01", "2025-03")


@pytest.mark.integration
def test_months_and_districts_on_offer(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    # approved sessions run from 2025-01-08 (GB18030 file, line 5) to 2025-03-15 (s01 line 24)
    assert queries.available_months(snapshot) == ["2025-01", "2025-02", "2025-03"]
    assert queries.districts(snapshot, queries.BUREAU).to_dict("list") == {
        "district_code": ["D01", "D02", "D03", "unknown"],
        "district_name": ["城东协作区", "城西协作区", "高新协作区", "未归属区域"],
    }


@pytest.mark.integration
def test_user_input_is_a_parameter_never_sql(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    hostile = queries.Filters("2025-01", "2025-03", ("D01') or true --", "x' or '1'='1"))
    assert queries.kpis(snapshot, hostile, queries.BUREAU) == queries.Kpis(0, 0, 0, 0, 0, 0)
    assert queries.by_district(snapshot, hostile, queries.BUREAU).empty


@pytest.mark.integration
def test_a_replaced_snapshot_is_not_read_under_the_old_key(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    stale = dataclasses.replace(snapshot, path=str(Path(snapshot.path).with_name("old.duckdb")))
    with pytest.raises(queries.SnapshotChanged):
        queries.kpis(stale, WHOLE_PERIOD, queries.BUREAU)


def test_no_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path))
    with pytest.raises(NoSnapshot, match="make build"):
        queries.current_snapshot()
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "CURRENT").write_text("gone.duckdb\n")
    with pytest.raises(NoSnapshot, match="make build"):
        queries.current_snapshot()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2025-1", "2025-03", None), "YYYY-MM"),
        (("2025-03", "2025-01", None), "starts after it ends"),
        (("2025-01", "2025-03", ()), "pass None for all districts"),
    ],
)
def test_filters_refuse_what_no_widget_gives(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        queries.Filters(*args)


# Scope (what a reader may see) is enforced in SQL and is part of the cache key. From
# the first slice (test_overview.py's docstring), 2025-01..2025-03:
#   D02 alone: 735 min, 7 person-times, 5 volunteers, roster 3, active 3, pending 1
#   S01 and its branches (= D01): 603 min, 5, 3 volunteers, roster 4, active 3, pending 1
@pytest.mark.integration
@pytest.mark.parametrize(
    ("scope", "expected", "districts"),
    [
        (queries.Scope(districts=("D02",)), queries.Kpis(735, 7, 5, 3, 3, 1), ["D02"]),
        (queries.Scope(organizations=("S01",)), queries.Kpis(603, 5, 3, 4, 3, 1), ["D01"]),
        (queries.BUREAU, queries.Kpis(1458, 13, 7, 8, 6, 2), ["D01", "D02", "D03", "unknown"]),
    ],
)
def test_scope_is_enforced_in_sql(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    scope: queries.Scope,
    expected: queries.Kpis,
    districts: list[str],
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    assert queries.kpis(snapshot, WHOLE_PERIOD, scope) == expected
    assert queries.districts(snapshot, scope)["district_code"].tolist() == districts
    # a filter cannot reach outside the scope: D01 picked by a reader scoped to D02
    outside = dataclasses.replace(WHOLE_PERIOD, districts=("D01",))
    if scope.districts == ("D02",):
        assert queries.kpis(snapshot, outside, scope) == queries.Kpis(0, 0, 0, 0, 0, 0)
        assert queries.data_quality(snapshot, "file_loads", WHOLE_PERIOD, scope).empty
    # the whole month range, district by district, adds up only where it should:
    # volunteers are distinct per district (T001 volunteered in D01 and D02)
    by_district = queries.by_district(snapshot, WHOLE_PERIOD, scope)
    assert int(by_district["total_minutes"].sum()) == expected.total_minutes


def test_pages_never_scan_the_sessions() -> None:
    # 10 million sessions: every query reads the pre-aggregated marts instead
    source = Path(queries.__file__).read_text(encoding="utf-8")
    assert "fct_volunteer_sessions" not in source.split('"""', 2)[2]


def test_periods_shift_by_whole_months() -> None:
    filters = queries.Filters("2025-01", "2025-03", ("D01",))
    assert filters.previous() == queries.Filters("2024-10", "2024-12", ("D01",))
    assert filters.last_year() == queries.Filters("2024-01", "2024-03", ("D01",))
    assert queries.Filters("2025-12", "2025-12").previous().month_from == "2025-11"
    assert formatting.shift_month("2025-01", -1) == "2024-12"
    with pytest.raises(ValueError, match="pass None for all"):
        queries.Filters("2025-01", "2025-03", organizations=())


@pytest.mark.integration
def test_the_figures_builder_takes_the_catalogs_metrics(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # participation_rate brings its numerator and denominator; D01 and D02 as in the
    # scope test above (D01 = S01 and its branches: roster 4, active 3; D02: 3 and 3)
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    frame = queries.figures(
        snapshot, WHOLE_PERIOD, queries.BUREAU, "district", ("participation_rate",)
    )
    assert list(frame.columns) == [
        "district_code",
        "district_name",
        "active_members",
        "roster_size",
    ]
    rows = frame.set_index("district_code")
    assert rows.loc["D01", ["roster_size", "active_members"]].tolist() == [4, 3]
    assert rows.loc["D02", ["roster_size", "active_members"]].tolist() == [3, 3]
    with pytest.raises(ValueError, match="activity_day_coverage"):
        queries.figures(
            snapshot, WHOLE_PERIOD, queries.BUREAU, "district", ("activity_day_coverage",)
        )
    with pytest.raises(ValueError, match="no grouping"):
        queries.figures(snapshot, WHOLE_PERIOD, queries.BUREAU, "weekday")


@pytest.mark.integration
def test_one_reader_per_snapshot_file_and_a_new_one_when_current_moves(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    from dashboard.queries import reader

    root = tmp_path / "warehouse"
    shutil.copytree(first_slice.root / "snapshots", root / "snapshots")
    monkeypatch.setenv("WAREHOUSE_DIR", str(root))
    first = queries.current_snapshot()
    assert reader._reader(first.path) is reader._reader(first.path)
    moved = Path(first.path).with_name("moved.duckdb")
    shutil.copy(first.path, moved)
    (root / "snapshots" / "CURRENT").write_text("moved.duckdb\n", encoding="utf-8")
    second = queries.current_snapshot()
    assert second.path == str(moved) and second.digest == first.digest
    assert reader._reader(second.path) is not reader._reader(first.path)
    with pytest.raises(queries.SnapshotChanged):
        queries.kpis(first, WHOLE_PERIOD, queries.BUREAU)
