"""The tables of the 报送情况 page (``pages/submissions.py``), shaped from the rows
``queries.submissions`` returns: the units x months grid of statuses with a colour per
status, and the counts behind each cell. Kept out of the page file so they can be
read and tested without a Streamlit run.
"""

from __future__ import annotations

import pandas as pd

from dashboard import i18n
from kernel import formatting

STATUSES = ("missing", "returned", "reported", "break")
# a light background per status, dark text on it (the text says the status too)
COLOURS = {
    "missing": "#f8d7da",
    "returned": "#fde8c8",
    "reported": "#d4edda",
    "break": "#e2e3e5",
}


def status_label(code: str, lang: str) -> str:
    return i18n.t(f"submissions.status.{code}", lang)


def _unit_columns(lang: str) -> tuple[str, str, str]:
    return (
        i18n.t("submissions.col.district", lang),
        i18n.t("submissions.col.org_code", lang),
        i18n.t("submissions.col.org_name", lang),
    )


def _district(frame: pd.DataFrame, lang: str) -> list[str]:
    return [
        i18n.district_label(code, None if pd.isna(name) else str(name), lang)
        for code, name in zip(frame["district_code"], frame["district_name"], strict=True)
    ]


def status_grid(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Units (in the frame's order) x months: each cell the status in ``lang``."""
    units = frame.drop_duplicates("org_code")
    months = sorted(frame["month"].unique())
    cells = zip(frame["org_code"], frame["month"], frame["status_code"], strict=True)
    status = {(org, month): code for org, month, code in cells}
    district, code, name = _unit_columns(lang)
    grid = {
        district: _district(units, lang),
        code: list(units["org_code"]),
        name: list(units["org_name"]),
    }
    for month in months:
        grid[formatting.format_month(month, lang)] = [
            status_label(status[(org, month)], lang) for org in units["org_code"]
        ]
    return pd.DataFrame(grid)


def colour_cells(grid: pd.DataFrame, lang: str):
    """The grid with each status cell on its colour (a pandas Styler)."""
    colour_of = {status_label(code, lang): colour for code, colour in COLOURS.items()}
    months = list(grid.columns[3:])

    def paint(value: object) -> str:
        colour = colour_of.get(str(value))
        return f"background-color: {colour}; color: #212529" if colour else ""

    return grid.style.map(paint, subset=months)


def _time(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


def counts_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per unit and month: the counts and load times behind each cell."""
    district, code, name = _unit_columns(lang)

    def count(column: str) -> list[str]:
        return [formatting.table_count(int(v)) for v in frame[column]]

    return pd.DataFrame(
        {
            district: _district(frame, lang),
            code: list(frame["org_code"]),
            name: list(frame["org_name"]),
            i18n.t("submissions.col.month", lang): [
                formatting.format_month(m, lang) for m in frame["month"]
            ],
            i18n.t("submissions.col.status", lang): [
                status_label(s, lang) for s in frame["status_code"]
            ],
            i18n.t("submissions.col.rows_loaded", lang): count("rows_loaded"),
            i18n.t("submissions.col.rows_rejected", lang): count("rows_rejected"),
            i18n.t("submissions.col.rows_pending", lang): count("rows_pending"),
            i18n.t("submissions.col.first_load_at", lang): [
                _time(v) for v in frame["first_load_at"]
            ],
            i18n.t("submissions.col.last_load_at", lang): [_time(v) for v in frame["last_load_at"]],
        }
    )
