"""``python -m bench.pages [--runs N]``: every dashboard page's render time, and its queries.

A child process of ``bench/run.py``, reading the published snapshot of
``WAREHOUSE_DIR``. Every page under ``dashboard/pages/`` (discovered, so new pages
are measured without a change here) is rendered with Streamlit's ``AppTest``, first
once to import what it needs (not counted), then ``--runs`` times each with
``st.cache_data`` cleared first: every timed render runs its queries against the
snapshot, as the first reader after a rebuild does. Every public function of
``dashboard.queries`` is wrapped with a timer for the timed renders, so the slowest
query (a cold call, cache cleared) is known. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "dashboard" / "pages"
TIMEOUT = 120  # seconds for one render: a slow page is measured, not failed


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n * share), at least 1
    return ordered[int(rank) - 1]


def instrument_queries(calls: list[tuple[str, float]]) -> None:
    """Wrap every public function of ``dashboard.queries`` to record its wall time."""
    from dashboard import queries

    for name, function in list(vars(queries).items()):
        if (
            name.startswith("_")
            or not inspect.isfunction(function)
            or not function.__module__.startswith(queries.__name__)
        ):
            continue

        setattr(queries, name, _timed(function, name, calls))


def _timed(
    function: Callable[..., Any], name: str, calls: list[tuple[str, float]]
) -> Callable[..., Any]:
    """``function``, recording (name, seconds) in ``calls`` on every call."""

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            calls.append((name, time.perf_counter() - started))

    return timed


def measure(runs: int) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    # the pages as the demo serves them: open demo mode, asked for (make run does too)
    os.environ.setdefault("DASHBOARD_OPEN", "1")

    calls: list[tuple[str, float]] = []
    instrument_queries(calls)
    pages: dict[str, dict] = {}
    for page in sorted(PAGES.glob("*.py")):
        if page.name.startswith("_"):
            continue
        warm = AppTest.from_file(str(page), default_timeout=TIMEOUT)
        warm.run()
        seconds: list[float] = []
        errors: list[str] = []
        slowest: dict[str, float] = {}
        for _ in range(runs):
            st.cache_data.clear()
            calls.clear()
            at = AppTest.from_file(str(page), default_timeout=TIMEOUT)
            started = time.perf_counter()
            at.run()
            seconds.append(time.perf_counter() - started)
            errors.extend(str(e.value) for e in at.exception)
            for name, took in calls:
                slowest[name] = max(slowest.get(name, 0.0), took)
        pages[page.stem] = {
            "median_s": round(statistics.median(seconds), 3),
            "max_s": round(max(seconds), 3),
            "seconds": [round(s, 3) for s in seconds],
            "queries": {k: round(v, 3) for k, v in sorted(slowest.items(), key=lambda i: -i[1])},
            "errors": sorted(set(errors)),
        }
    every = [s for page in pages.values() for s in page["seconds"]]
    queries = [
        (took, f"{page}: {name}")
        for page, p in pages.items()
        for name, took in p["queries"].items()
    ]
    slowest_query = max(queries, default=(0.0, ""))
    return {
        "runs": runs,
        "pages": pages,
        "page_p95_s": round(percentile(every, 0.95), 3) if every else None,
        "page_max_s": round(max(every), 3) if every else None,
        "query_max_s": round(slowest_query[0], 3),
        "query_max": slowest_query[1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed renders per page (5)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.runs), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
