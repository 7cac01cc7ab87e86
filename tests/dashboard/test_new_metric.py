"""A metric the dashboard's marts can serve needs only its yml entry to rank the
districts: with the catalog of tests/fixtures/valid/catalog_project (the project's
metrics, plus ``service_hours_per_volunteer``, made of volunteer-service minutes the
dashboard's marts do not hold, and ``hours_per_person_time``, total minutes over
person-times, which they do), the districts page offers the second, named as its entry
says, and ranks on it; nothing of the dashboard names it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, queries
from kernel import catalog
from tests.conftest import Warehouse
from tests.dashboard.pages import charts as shown_charts
from tests.dashboard.pages import rerun, run_page, widget

YML = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "valid"
    / "catalog_project"
    / "models"
    / "marts"
    / "_marts__models.yml"
)
NEW = "hours_per_person_time"
FIXTURE = catalog.load(YML)
# the fixture's metrics the dashboard's marts serve, in the catalog's order: all but
# volunteer_service_hours, service_hours_per_volunteer (volunteer-service minutes) and
# activity_day_coverage (branch units)
SERVED = [
    "roster_size",
    "active_members",
    "participation_rate",
    "volunteers",
    "person_times",
    "total_hours",
    "avg_hours_per_volunteer",
    NEW,
]


def test_the_marts_serve_the_new_metric_in_its_place() -> None:
    assert [m.key for m in queries.served(FIXTURE)] == SERVED
    # the project's own catalog: the same, without the new metric
    assert [m.key for m in queries.served()] == SERVED[:-1]


def test_the_ranking_of_a_hand_made_frame() -> None:
    # D01: 255 min over 2 person-times = 255 / 120 h = 2.125 exactly -> 2.13 half up (a
    # float rounded half to even would give 2.12); D02: 90 min over 3 = 90 / 180 = 0.5 h
    # -> 0.50; D03: no person-time, empty (—), ranked last
    frame = pd.DataFrame(
        {
            "district_code": ["D01", "D02", "D03"],
            "district_name": ["城东协作区", "城西协作区", "高新协作区"],
            "total_minutes": [255, 90, 0],
            "person_times": [2, 3, 0],
        }
    )
    new = catalog.metric(NEW, FIXTURE)
    figure = charts.district_ranking(frame, new, "en")
    (bars,) = figure.data
    assert figure.layout.title.text == "Districts ranked by Hours per person-time"
    assert figure.layout.xaxis.title.text == "Hours per person-time"
    assert list(bars.y) == ["城东协作区", "城西协作区", "高新协作区"]
    assert list(bars.x) == [2.125, 0.5, None]
    assert list(bars.text) == ["2.13", "0.50", "—"]


@pytest.mark.integration
def test_the_districts_page_offers_it_and_ranks_on_it(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the dashboard reads the catalog through kernel.catalog.metrics: the fixture's here
    monkeypatch.setattr(catalog, "metrics", lambda: FIXTURE)
    at = run_page(first_slice.root, monkeypatch, "districts")
    picker = widget(at, "selectbox", "districts.metric")
    assert picker.options == [catalog.label(key, "zh", FIXTURE) for key in SERVED]
    assert picker.options[-1] == "人次均时长(小时)"
    assert picker.value == "total_hours"  # preselected, as before

    picker.set_value(NEW)
    rerun(at)
    shown = shown_charts(at)
    ranking = shown["各区域人次均时长(小时)排名"]
    # the first slice, 2025-01..2025-03 (tests/dashboard/test_districts_page.py):
    # D01 603 min over 5 person-times = 603 / 300 h = 2.01; D02 735 over 7 = 105 / 60 =
    # 1.75; unknown 120 over 1 = 2.00; D03 none, empty and last
    bars = ranking["data"][0]
    assert bars["y"] == ["城东协作区", "未归属区域", "城西协作区", "高新协作区"]
    assert bars["text"] == ["2.01", "2.00", "1.75", "—"]
    assert bars["x"] == [2.01, 2.0, 1.75, None]
    assert ranking["layout"]["xaxis"]["title"]["text"] == "人次均时长(小时)"
