"""Running a dashboard page under AppTest on a warehouse, and reading what it shows."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

PAGES = REPO / "dashboard" / "pages"
TIMEOUT = 60  # seconds for one script run (the first imports plotly and duckdb)


def run_page(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    lang: str | None = None,
    query: dict[str, str | list[str]] | None = None,
) -> AppTest:
    """``dashboard/pages/<page>.py`` run once on the warehouse at ``root``, no exception,
    in open demo mode (``DASHBOARD_OPEN=1``: these warehouses have no users file)."""
    monkeypatch.setenv("WAREHOUSE_DIR", str(root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    if query is not None:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    """Each plotly chart's figure, by its title."""
    found = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        found[spec["layout"]["title"]["text"]] = spec
    return found


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [frame.value for frame in at.dataframe]


def widget(at: AppTest, kind: str, key: str):
    """The widget of ``kind`` (``selectbox``, ``multiselect`` …) with ``key``."""
    matches = [w for w in getattr(at, kind) if w.key == key]
    assert len(matches) == 1, f"no single {kind} with key {key}"
    return matches[0]


def all_text(at: AppTest) -> str:
    """Every caption, title, header, metric, table cell and chart spec, joined: what a
    reader could see, for checks that a value never appears."""
    parts = [e.value for e in (*at.title, *at.header, *at.subheader, *at.caption)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.to_csv() for frame in frames(at)]
    parts += [chart.proto.spec for chart in at.get("plotly_chart")]
    parts += [e.value for e in (*at.info, *at.success, *at.warning)]
    return "\n".join(str(part) for part in parts)
