"""The query module on the first-slice warehouse: parameters, snapshots and filters."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard import queries
from publish.snapshot import NoSnapshot
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
    assert queries.districts(snapshot).to_dict("list") == {
        "district_code": ["D01", "D02", "D03", "unknown"],
        "district_name": ["城东协作区", "城西协作区", "高新协作区", "未知"],
    }


@pytest.mark.integration
def test_user_input_is_a_parameter_never_sql(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    hostile = queries.Filters("2025-01", "2025-03", ("D01') or true --", "x' or '1'='1"))
    assert queries.kpis(snapshot, hostile) == queries.Kpis(0, 0, 0, 0, 0, 0)
    assert queries.hours_by_district(snapshot, hostile).empty


@pytest.mark.integration
def test_a_replaced_snapshot_is_not_read_under_the_old_key(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    snapshot = queries.current_snapshot()
    stale = dataclasses.replace(snapshot, path=str(Path(snapshot.path).with_name("old.duckdb")))
    with pytest.raises(queries.SnapshotChanged):
        queries.kpis(stale, WHOLE_PERIOD)


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
