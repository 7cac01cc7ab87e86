"""The benchmark's targets, and whether a run's figures meet them: pure, no I/O.

Two sets differ by size: at 10 million rows or more the 10M set, below it the 1M
set (a run at 100 thousand rows is judged by the 1M set, and the report says so).
The rest hold at every size. A figure a run did not measure (the pandas baseline is
skipped above 20 million rows) makes its target "not measured", never met.

Shares are whole percents and the memory share a divisor, so a figure exactly on
its limit compares exactly (``2.0 * 100 <= 5 * 40.0``), with no float rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MET, MISSED, NOT_MEASURED = "met", "missed", "not measured"
TEN_MILLION_ROWS = 10_000_000


@dataclass(frozen=True)
class SizeTargets:
    """The targets that depend on the size of the run."""

    name: str
    speedup: float  # pipeline at least this many times faster than the baseline
    memory_divisor: int  # pipeline's tree peak <= the baseline's / this
    pipeline_s: float  # pipeline strictly under this many seconds
    incremental_pct: int  # incremental publish <= this % of the full rebuild


TEN_MILLION = SizeTargets("10M set (10 million rows or more)", 3.0, 3, 60.0, 10)
ONE_MILLION = SizeTargets("1M set (below 10 million rows)", 1.5, 1, 15.0, 25)

NOOP_PCT = 5  # a build with nothing new: <= 5 % of the full build
NOOP_S = 3.0  # and <= 3 s
FIRST_SLICE_S = 8.0  # the first-slice fixture, ingest + publish, strictly under 8 s
INGEST_UTF8_VS_FLOOR = 1.25
INGEST_GB18030_VS_FLOOR = 1.6
INGEST_MEMORY_MB = 1024.0  # strictly under 1 GB
PAGE_P95_S = 1.0  # every page's p95 over its loads in a browser
FIRST_PAGE_S = 2.0  # the first page of a new browser session


@dataclass(frozen=True)
class Verdict:
    """One target: what it asks, met / missed / not measured, and the figures."""

    key: str
    target: str
    status: str
    figures: str


def size_targets(rows: int) -> SizeTargets:
    return TEN_MILLION if rows >= TEN_MILLION_ROWS else ONE_MILLION


def _judge(
    key: str,
    target: str,
    values: tuple[float | None, ...],
    holds: Callable[..., bool],
    says: Callable[..., str],
    missing: str = "not run",
) -> Verdict:
    """One target judged on ``values``: met when ``holds(*values)``, its figures
    ``says(*values)``; not measured, saying ``missing``, when any value is missing."""
    if any(value is None for value in values):
        return Verdict(key, target, NOT_MEASURED, missing)
    return Verdict(key, target, MET if holds(*values) else MISSED, says(*values))


def evaluate(figures: dict) -> list[Verdict]:
    """Every target judged on ``figures`` (keys as ``bench.report.figures`` writes them;
    a key that is missing or None is a figure not measured)."""
    f = {key: figures.get(key) for key in FIGURE_KEYS}
    size = size_targets(int(figures["rows"]))
    share = "" if size.memory_divisor == 1 else f"1/{size.memory_divisor} of "
    ingest = (
        ("ingest_s", INGEST_UTF8_VS_FLOOR, "UTF-8"),
        ("ingest_gb18030_s", INGEST_GB18030_VS_FLOOR, "GB18030"),
    )
    return [
        _judge(
            "pipeline_speed",
            f"pipeline ≥ {size.speedup:g}× faster than the pandas baseline",
            (f["pipeline_s"], f["pandas_s"]),
            lambda ours, theirs: theirs / ours >= size.speedup,
            lambda ours, theirs: f"{theirs / ours:.2f}×: {ours:.2f} s against {theirs:.2f} s",
            missing="baseline not run",
        ),
        _judge(
            "pipeline_memory",
            f"pipeline's tree memory ≤ {share}the baseline's",
            (f["pipeline_tree_mb"], f["pandas_tree_mb"]),
            lambda ours, theirs: ours * size.memory_divisor <= theirs,
            lambda ours, theirs: f"{ours:,.0f} MB against {theirs:,.0f} MB",
        ),
        _judge(
            "pipeline_time",
            f"pipeline < {size.pipeline_s:g} s",
            (f["pipeline_s"],),
            lambda seconds: seconds < size.pipeline_s,
            lambda seconds: f"{seconds:.2f} s",
        ),
        _judge(
            "noop_build",
            f"a build with nothing new ≤ {NOOP_PCT} % of the full build and ≤ {NOOP_S:g} s",
            (f["noop_s"], f["build_s"]),
            lambda noop, build: noop * 100 <= NOOP_PCT * build and noop <= NOOP_S,
            lambda noop, build: f"{noop:.2f} s against {build:.2f} s, {100 * noop / build:.1f} %",
        ),
        _judge(
            "incremental",
            f"one more day's file: incremental publish ≤ {size.incremental_pct} % of "
            "the full rebuild",
            (f["incremental_build_s"], f["full_rebuild_s"]),
            lambda part, full: part * 100 <= size.incremental_pct * full,
            lambda part, full: f"{part:.2f} s against {full:.2f} s, {100 * part / full:.1f} %",
        ),
        _judge(
            "first_slice",
            f"first-slice build (ingest + publish, empty warehouse) < {FIRST_SLICE_S:g} s",
            (f["first_slice_s"],),
            lambda seconds: seconds < FIRST_SLICE_S,
            lambda seconds: f"{seconds:.2f} s",
        ),
        *(
            _judge(
                f"ingest_{name.lower().replace('-', '')}",
                f"ingest of {name} ≤ {ratio:g}× the floor",
                (f[key], f["floor_s"]),
                lambda seconds, floor, ratio=ratio: seconds <= ratio * floor,
                lambda seconds, floor: (
                    f"{seconds / floor:.2f}×: {seconds:.2f} s against {floor:.2f} s"
                ),
            )
            for key, ratio, name in ingest
        ),
        _judge(
            "ingest_memory",
            "ingest's tree memory < 1 GB",
            (f["ingest_tree_mb"],),
            lambda memory: memory < INGEST_MEMORY_MB,
            lambda memory: f"{memory:,.0f} MB",
        ),
        _judge(
            "browser_pages",
            f"every page's p95 ≤ {PAGE_P95_S:g} s in a real browser",
            (f["browser_page_p95_s"],),
            lambda p95: p95 <= PAGE_P95_S,
            lambda p95: f"worst p95 {p95:.2f} s ({f['browser_page_p95_page']})",
        ),
        _judge(
            "first_page",
            f"the first page of a new browser session ≤ {FIRST_PAGE_S:g} s",
            (f["browser_first_page_s"],),
            lambda seconds: seconds <= FIRST_PAGE_S,
            lambda seconds: f"slowest {seconds:.2f} s",
        ),
    ]


FIGURE_KEYS = (
    "pipeline_s",
    "pandas_s",
    "pipeline_tree_mb",
    "pandas_tree_mb",
    "noop_s",
    "build_s",
    "incremental_build_s",
    "full_rebuild_s",
    "first_slice_s",
    "floor_s",
    "ingest_s",
    "ingest_gb18030_s",
    "ingest_tree_mb",
    "browser_page_p95_s",
    "browser_page_p95_page",
    "browser_first_page_s",
)
