"""How the pages word and join activities held and the event summaries' figures
(dashboard/event_figures.py): pure functions, no warehouse."""

from __future__ import annotations

import pandas as pd

from dashboard import event_figures
from dashboard.queries import EventFigures


def _events(rows: list[tuple[str, int, int, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "org_code",
            "events_held",
            "events_logged",
            "events_reported",
            "reported_person_times",
            "reported_minutes",
        ],
    )


def test_the_block_in_both_languages() -> None:
    # 12,345 person-times read 1.2万 in Chinese; 600,030 minutes = 10,000.50 h -> 1.0万,
    # written 1万 (a trailing .0 is dropped)
    figures = EventFigures(20, 8, 12, 12_345, 600_030)
    assert event_figures.summary_sentence(figures, "zh") == (
        "另据活动汇总表：开展活动12场次，参与1.2万人次，服务时长1万小时"
    )
    assert event_figures.summary_sentence(figures, "en") == (
        "Also from event summaries: 12 activities, 12,345 person-times, 10,000.50 hours"
    )
    assert event_figures.summary_sentence(None, "en").startswith("Also from event summaries: — ")


def test_joined_fills_zeros_and_keeps_the_frames_numbers() -> None:
    units = pd.DataFrame(
        {"org_code": ["S01", "S02"], "total_minutes": [90, 30], "hours": [1.5, 0.5]}
    )
    merged = event_figures.joined(units, _events([("S02", 3, 1, 2, 40, 150)]), ["org_code"])
    assert merged["events_held"].tolist() == [0, 3]
    assert merged["reported_minutes"].tolist() == [0, 150]
    assert merged["hours"].tolist() == [1.5, 0.5]  # not cut to whole numbers
    # outer: a unit only the summaries have comes with 0 for the frame's figures
    merged = event_figures.joined(
        units, _events([("O01", 1, 0, 1, 9, 60)]), ["org_code"], how="outer"
    )
    assert merged.set_index("org_code").loc[
        "O01", ["total_minutes", "events_reported"]
    ].tolist() == [0, 1]


def test_table_columns_are_dashes_under_a_person_type() -> None:
    frame = _events([("S01", 3, 1, 2, 40, 150), ("S02", 0, 0, 0, 0, 0)])
    assert event_figures.table_columns(frame, True, "zh") == {
        "活动场次": ["3", "0"],
        "另据活动汇总表：参与人次": ["40", "0"],
        "另据活动汇总表：服务时长（小时）": ["2.50", "0.00"],
    }
    assert list(event_figures.table_columns(frame, False, "en").values()) == [["—", "—"]] * 3
