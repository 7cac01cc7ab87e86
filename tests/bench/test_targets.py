"""The benchmark's targets judged on given figures (``bench/targets.py``).

The figures are made up to sit on either side of each limit, worked out by hand from
the targets' wording: at 1M the pipeline must be 1.5× faster than pandas with no more
memory and under 15 s, the incremental publish within 25 % of the full rebuild; at
10M 3×, a third of the memory, under 60 s, 10 %.
"""

from __future__ import annotations

import pytest

from bench.targets import (
    MET,
    MISSED,
    NOT_MEASURED,
    ONE_MILLION,
    TEN_MILLION,
    evaluate,
    size_targets,
)

# a 1M run that meets every target, several of them exactly on the limit
ALL_MET_1M = {
    "rows": 1_000_000,
    "pipeline_s": 10.0,
    "pandas_s": 15.0,  # exactly 1.5x
    "pipeline_tree_mb": 600.0,
    "pandas_tree_mb": 600.0,  # exactly the baseline's
    "noop_s": 1.0,
    "build_s": 20.0,  # exactly 5 %
    "incremental_build_s": 5.0,
    "full_rebuild_s": 20.0,  # exactly 25 %
    "first_slice_s": 7.9,
    "floor_s": 4.0,
    "ingest_s": 5.0,  # exactly 1.25x
    "ingest_gb18030_s": 6.0,  # 1.5x
    "ingest_tree_mb": 1023.0,
    "browser_page_p95_s": 1.0,
    "browser_page_p95_page": "overview",
    "browser_first_page_s": 2.0,
}


def statuses(figures: dict) -> dict[str, str]:
    return {v.key: v.status for v in evaluate(figures)}


def test_the_size_picks_the_set() -> None:
    assert size_targets(100_000) is ONE_MILLION
    assert size_targets(9_999_999) is ONE_MILLION
    assert size_targets(10_000_000) is TEN_MILLION
    assert size_targets(50_000_000) is TEN_MILLION


def test_figures_on_the_limits_meet_every_target() -> None:
    assert statuses(ALL_MET_1M) == {
        "pipeline_speed": MET,
        "pipeline_memory": MET,
        "pipeline_time": MET,
        "noop_build": MET,
        "incremental": MET,
        "first_slice": MET,
        "ingest_utf8": MET,
        "ingest_gb18030": MET,
        "ingest_memory": MET,
        "browser_pages": MET,
        "first_page": MET,
    }


def test_just_past_each_limit_misses_it() -> None:
    missed = {
        **ALL_MET_1M,
        "pandas_s": 14.9,  # 1.49x
        "pipeline_tree_mb": 601.0,
        "noop_s": 1.01,  # 5.05 % of 20 s
        "incremental_build_s": 5.01,
        "first_slice_s": 8.0,  # the limit is strict
        "ingest_s": 5.01,
        "ingest_gb18030_s": 6.5,  # 1.625x
        "ingest_tree_mb": 1024.0,  # strict: 1 GB is not under 1 GB
        "browser_page_p95_s": 1.01,
        "browser_first_page_s": 2.01,
    }
    assert {k for k, s in statuses(missed).items() if s == MISSED} == {
        "pipeline_speed",
        "pipeline_memory",
        "noop_build",
        "incremental",
        "first_slice",
        "ingest_utf8",
        "ingest_gb18030",
        "ingest_memory",
        "browser_pages",
        "first_page",
    }
    assert statuses({**ALL_MET_1M, "pipeline_s": 15.0, "pandas_s": 30.0})["pipeline_time"] == (
        MISSED  # strictly under 15 s
    )


def test_a_noop_build_over_3_s_misses_even_within_5_percent() -> None:
    figures = {**ALL_MET_1M, "noop_s": 3.5, "build_s": 100.0}  # 3.5 %, but 3.5 s
    assert statuses(figures)["noop_build"] == MISSED


def test_the_10m_set_asks_more_of_the_same_figures() -> None:
    figures = {**ALL_MET_1M, "rows": 10_000_000}
    got = statuses(figures)
    assert got["pipeline_speed"] == MISSED  # 1.5x, not 3x
    assert got["pipeline_memory"] == MISSED  # 600 MB is not a third of 600 MB
    assert got["incremental"] == MISSED  # 25 %, not 10 %
    assert got["pipeline_time"] == MET  # 10 s < 60 s
    exactly = {
        **figures,
        "pipeline_s": 20.0,
        "pandas_s": 60.0,  # exactly 3x
        "pipeline_tree_mb": 300.0,
        "pandas_tree_mb": 900.0,  # exactly a third
        "incremental_build_s": 2.0,  # exactly 10 % of 20 s
    }
    assert all(s == MET for s in statuses(exactly).values())


def test_a_skipped_baseline_is_not_measured_not_met() -> None:
    figures = {**ALL_MET_1M, "rows": 30_000_000, "pandas_s": None, "pandas_tree_mb": None}
    got = statuses(figures)
    assert got["pipeline_speed"] == NOT_MEASURED
    assert got["pipeline_memory"] == NOT_MEASURED
    assert got["pipeline_time"] == MET
    without_browser = {k: v for k, v in ALL_MET_1M.items() if not k.startswith("browser_")}
    assert statuses(without_browser)["first_page"] == NOT_MEASURED


def test_the_figures_say_what_was_compared() -> None:
    verdicts = {v.key: v for v in evaluate(ALL_MET_1M)}
    assert verdicts["pipeline_speed"].figures == "1.50×: 10.00 s against 15.00 s"
    assert verdicts["noop_build"].figures == "1.00 s against 20.00 s, 5.0 %"
    assert verdicts["pipeline_memory"].target == "pipeline's tree memory ≤ the baseline's"
    ten = {v.key: v for v in evaluate({**ALL_MET_1M, "rows": 10_000_000})}
    assert ten["pipeline_memory"].target == "pipeline's tree memory ≤ 1/3 of the baseline's"


@pytest.mark.parametrize("rows", [1_000_000, 10_000_000])
def test_every_target_is_judged(rows: int) -> None:
    assert len(evaluate({**ALL_MET_1M, "rows": rows})) == 11
