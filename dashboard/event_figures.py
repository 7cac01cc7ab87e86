"""How the pages show activities held (活动场次) and the event summaries' figures:
always apart from the person-level figures, under their own label (另据活动汇总表), and
"—" when a person type is chosen (neither activities nor summaries have one).
"""

from __future__ import annotations

import pandas as pd

from dashboard import i18n, queries
from kernel import formatting

EMPTY = "—"


def summary_sentence(figures: queries.EventFigures | None, lang: str) -> str:
    """另据活动汇总表：开展活动X场次，参与X人次，服务时长X小时 (or its "—" form)."""
    if figures is None:
        return i18n.t("events.summaries_by_person_type", lang)
    return i18n.t(
        "events.summaries",
        lang,
        events=formatting.format_count(figures.events_reported, lang),
        person_times=formatting.format_count(figures.reported_person_times, lang),
        hours=formatting.format_hours(figures.reported_minutes, lang),
    )


def joined(
    frame: pd.DataFrame, events: pd.DataFrame, keys: list[str], how: str = "left"
) -> pd.DataFrame:
    """``frame`` with ``queries.EVENT_COLUMNS`` from ``events`` joined on ``keys`` (0 where
    nothing was held; ``how="outer"`` also keeps the rows only ``events`` has, with 0
    for ``frame``'s other numbers)."""
    merged = frame.merge(events, on=keys, how=how)
    whole = [c for c in frame.columns if c not in keys and frame[c].dtype.kind in "iu"]
    for column in merged.columns:
        if column in keys or merged[column].dtype.kind not in "fiu":
            continue
        merged[column] = merged[column].fillna(0)
        if column in whole or column in queries.EVENT_COLUMNS:
            merged[column] = merged[column].astype("int64")
    return merged


def table_columns(frame: pd.DataFrame, shown: bool, lang: str) -> dict[str, list[str]]:
    """The three columns a table gains: activities held, and the summaries' person-times
    and hours, labelled as from event summaries; "—" in every row when not ``shown``."""
    rows = len(frame)
    if not shown:
        values: list[list[str]] = [[EMPTY] * rows] * 3
    else:
        values = [
            [formatting.table_count(int(v)) for v in frame["events_held"]],
            [formatting.table_count(int(v)) for v in frame["reported_person_times"]],
            [formatting.table_hours(int(m)) for m in frame["reported_minutes"]],
        ]
    keys = ("table.events_held", "table.reported_person_times", "table.reported_hours")
    return {i18n.t(key, lang): column for key, column in zip(keys, values, strict=True)}
