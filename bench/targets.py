"""Issue 16's targets, and whether a run's figures meet them: pure, no I/O.

Two sets differ by size: at 10 million rows or more the 10M set, below it the 1M
set (a run at 100 thousand rows is judged by the 1M set, and the report says so).
The rest hold at every size. A figure a run did not measure (the pandas baseline is
skipped above 20 million rows) makes its target "not measured", never met.

Shares are whole percents and the memory share a divisor, so a figure exactly on
its limit compares exactly (``2.0 * 100 <= 5 * 40.0``), with no float rounding.
"""

from __future__ import annotations

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


def _status(*checks: bool | None) -> str:
    """Met when every check holds; not measured when any figure is missing."""
    if any(check is None for check in checks):
        return NOT_MEASURED
    return MET if all(checks) else MISSED


def _known(*values: float | None) -> bool:
    return all(value is not None for value in values)


def evaluate(figures: dict) -> list[Verdict]:
    """Every target of issue 16 judged on ``figures`` (keys as ``bench.run`` writes them;
    a key that is missing or None is a figure not measured)."""
    f = {key: figures.get(key) for key in FIGURE_KEYS}
    size = size_targets(int(figures["rows"]))
    verdicts: list[Verdict] = []

    pipeline, pandas = f["pipeline_s"], f["pandas_s"]
    speed = pandas / pipeline if _known(pipeline, pandas) else None
    verdicts.append(
        Verdict(
            "pipeline_speed",
            f"pipeline ≥ {size.speedup:g}× faster than the pandas baseline",
            _status(speed >= size.speedup if speed is not None else None),
            f"{speed:.2f}×: {pipeline:.2f} s against {pandas:.2f} s"
            if speed is not None
            else "baseline not run",
        )
    )
    ours, theirs = f["pipeline_tree_mb"], f["pandas_tree_mb"]
    share = "" if size.memory_divisor == 1 else f"1/{size.memory_divisor} of "
    verdicts.append(
        Verdict(
            "pipeline_memory",
            f"pipeline's tree memory ≤ {share}the baseline's",
            _status(ours * size.memory_divisor <= theirs if _known(ours, theirs) else None),
            f"{ours:,.0f} MB against {theirs:,.0f} MB" if _known(ours, theirs) else "not run",
        )
    )
    verdicts.append(
        Verdict(
            "pipeline_time",
            f"pipeline < {size.pipeline_s:g} s",
            _status(pipeline < size.pipeline_s if _known(pipeline) else None),
            f"{pipeline:.2f} s" if _known(pipeline) else "not run",
        )
    )
    noop, build = f["noop_s"], f["build_s"]
    verdicts.append(
        Verdict(
            "noop_build",
            f"a build with nothing new ≤ {NOOP_PCT} % of the full build and ≤ {NOOP_S:g} s",
            _status(
                noop * 100 <= NOOP_PCT * build if _known(noop, build) else None,
                noop <= NOOP_S if _known(noop) else None,
            ),
            f"{noop:.2f} s against {build:.2f} s, {100 * noop / build:.1f} %"
            if _known(noop, build)
            else "not run",
        )
    )
    incremental, full = f["incremental_build_s"], f["full_rebuild_s"]
    verdicts.append(
        Verdict(
            "incremental",
            f"one more day's file: incremental publish ≤ {size.incremental_pct} % of "
            "the full rebuild",
            _status(
                incremental * 100 <= size.incremental_pct * full
                if _known(incremental, full)
                else None
            ),
            f"{incremental:.2f} s against {full:.2f} s, {100 * incremental / full:.1f} %"
            if _known(incremental, full)
            else "not run",
        )
    )
    first = f["first_slice_s"]
    verdicts.append(
        Verdict(
            "first_slice",
            f"first-slice build (ingest + publish, empty warehouse) < {FIRST_SLICE_S:g} s",
            _status(first < FIRST_SLICE_S if _known(first) else None),
            f"{first:.2f} s" if _known(first) else "not run",
        )
    )
    floor = f["floor_s"]
    for key, ratio, name in (
        ("ingest_s", INGEST_UTF8_VS_FLOOR, "UTF-8"),
        ("ingest_gb18030_s", INGEST_GB18030_VS_FLOOR, "GB18030"),
    ):
        seconds = f[key]
        verdicts.append(
            Verdict(
                f"ingest_{name.lower().replace('-', '')}",
                f"ingest of {name} ≤ {ratio:g}× the floor",
                _status(seconds <= ratio * floor if _known(seconds, floor) else None),
                f"{seconds / floor:.2f}×: {seconds:.2f} s against {floor:.2f} s"
                if _known(seconds, floor)
                else "not run",
            )
        )
    memory = f["ingest_tree_mb"]
    verdicts.append(
        Verdict(
            "ingest_memory",
            "ingest's tree memory < 1 GB",
            _status(memory < INGEST_MEMORY_MB if _known(memory) else None),
            f"{memory:,.0f} MB" if _known(memory) else "not run",
        )
    )
    p95, slowest = f["browser_page_p95_s"], f["browser_page_p95_page"]
    verdicts.append(
        Verdict(
            "browser_pages",
            f"every page's p95 ≤ {PAGE_P95_S:g} s in a real browser",
            _status(p95 <= PAGE_P95_S if _known(p95) else None),
            f"worst p95 {p95:.2f} s ({slowest})" if _known(p95) else "not run",
        )
    )
    first_page = f["browser_first_page_s"]
    verdicts.append(
        Verdict(
            "first_page",
            f"the first page of a new browser session ≤ {FIRST_PAGE_S:g} s",
            _status(first_page <= FIRST_PAGE_S if _known(first_page) else None),
            f"slowest {first_page:.2f} s" if _known(first_page) else "not run",
        )
    )
    return verdicts


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
