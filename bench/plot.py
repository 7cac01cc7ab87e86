"""``python -m bench.plot``: time and peak memory against rows, pipeline and pandas.

Reads every ``bench/results/<date>-<rows>.json`` that ``bench/run.py`` wrote (the
newest per size) and draws ``bench/results/scaling.png``, on log-log axes, one point
per size measured (100 thousand, 1 million, 10 million rows):

- wall time (left): the whole pipeline and the pandas baseline (every result), and
  since the tree peaks were added the full rebuild, the incremental publish after one more day and
  the build with nothing new;
- peak memory (right): the largest single process (``ru_maxrss``, dashed: every
  result) and, since then, the whole process tree (solid).

A series is drawn through the results that hold its figure: older results keep
their points, newer ones add the new series.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d+)\.json$")
PNG = "scaling.png"


def newest_per_size(results: Path) -> list[dict]:
    """The newest result of each size, smallest size first."""
    found: dict[int, tuple[str, dict]] = {}
    for path in results.glob("*.json"):
        match = NAME.match(path.name)
        if not match:
            continue
        date, rows = match.group(1), int(match.group(2))
        if rows not in found or date >= found[rows][0]:
            found[rows] = (date, json.loads(path.read_text(encoding="utf-8")))
    return [found[rows][1] for rows in sorted(found)]


# (axis, label, figure of the result, colour, line): the axis is 0 for time, 1 for memory
SERIES = (
    (0, "pipeline (ingest + dbt build + export)", "pipeline_s", "C0", "o-"),
    (0, "pandas baseline", "pandas_s", "C1", "o-"),
    (0, "full rebuild (publish --full-refresh)", "full_build_s", "C2", "s--"),
    (0, "incremental publish (one more day)", "incremental_build_s", "C3", "^--"),
    (0, "build with nothing new (publish again)", "noop_s", "C4", "v--"),
    (1, "pipeline, process tree", "pipeline_tree_mb", "C0", "o-"),
    (1, "pandas, process tree", "pandas_tree_mb", "C1", "o-"),
    (1, "pipeline, largest process", "pipeline_peak_rss_mb", "C0", "o:"),
    (1, "pandas, largest process", "pandas_peak_rss_mb", "C1", "o:"),
)


def draw(on: tuple, runs: list[dict], label: str, key: str, colour: str, style: str) -> None:
    """One series on ``on`` (an axis and its unit) through the results that hold ``key``."""
    axis, unit = on
    points = [(r["rows"], r[key]) for r in runs if r.get(key) is not None]
    if not points:
        return
    rows, values = zip(*points, strict=True)
    axis.plot(rows, values, style, color=colour, label=label)
    for x, y in points:
        axis.annotate(
            f"{y:,.0f} {unit}" if y >= 10 else f"{y:.1f} {unit}",
            (x, y),
            textcoords="offset points",
            xytext=(6, -12),
            fontsize=7,
            color=colour,
        )


def plot(results: Path = RESULTS) -> Path | None:
    """Draw the PNG from the results found; None when there are none."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    runs = newest_per_size(results)
    if not runs:
        return None
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.8), dpi=110)
    axes = ((time_axis, "s"), (memory_axis, "MB"))
    for which, label, key, colour, style in SERIES:
        draw(axes[which], runs, label, key, colour, style)
    for axis, title, unit in (
        (time_axis, "Wall time (median)", "seconds"),
        (memory_axis, "Peak memory: process tree, largest process", "MB"),
    ):
        axis.set_xscale("log")
        axis.set_yscale("log")
        rows = [r["rows"] for r in runs]
        axis.set_xticks(rows, [f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" for n in rows])
        axis.minorticks_off()
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axis.margins(x=0.15, y=0.2)
        axis.set_xlabel("activity rows in the inbox")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="major", alpha=0.3)
        axis.legend(fontsize=7)
    newest = max(runs, key=lambda r: r["date"])
    machine = newest["machine"]
    figure.suptitle(
        f"make bench on {machine['cpus']} cores, {machine['memory']}; runs of "
        f"{min(r['date'] for r in runs)} to {newest['date']} (the newest of each size)",
        fontsize=9,
    )
    figure.tight_layout()
    target = results / PNG
    figure.savefig(target)
    plt.close(figure)
    return target


if __name__ == "__main__":
    written = plot()
    print(written or "no results to plot", file=sys.stdout if written else sys.stderr)
    sys.exit(0 if written else 1)
