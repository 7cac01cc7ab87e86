"""``python -m bench.plot``: time and peak memory against rows, pipeline and pandas.

Reads every ``bench/results/<date>-<rows>.json`` that ``bench/run.py`` wrote (the
newest per size) and draws ``bench/results/scaling.png``: wall time (left) and peak
memory (right) of the whole pipeline and of the pandas baseline, on log-log axes, one
point per size measured (100 thousand, 1 million, 10 million rows).
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


def plot(results: Path = RESULTS) -> Path | None:
    """Draw the PNG from the results found; None when there are none."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    runs = newest_per_size(results)
    if not runs:
        return None
    rows = [r["rows"] for r in runs]
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(10, 4.2), dpi=110)
    series = (
        ("pipeline (ingest + dbt build + export)", "pipeline_s", "pipeline_peak_rss_mb", "C0"),
        ("pandas baseline", "pandas_s", "pandas_peak_rss_mb", "C1"),
    )
    for label, seconds, memory, colour in series:
        for axis, key, unit in ((time_axis, seconds, "s"), (memory_axis, memory, "MB")):
            values = [r[key] for r in runs]
            axis.plot(rows, values, "o-", color=colour, label=label)
            for x, y in zip(rows, values, strict=True):
                axis.annotate(
                    f"{y:,.0f} {unit}",
                    (x, y),
                    textcoords="offset points",
                    xytext=(6, -12),
                    fontsize=8,
                    color=colour,
                )
    for axis, title, unit in (
        (time_axis, "Wall time (median)", "seconds"),
        (memory_axis, "Peak memory (largest process)", "MB"),
    ):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(rows, [f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" for n in rows])
        axis.minorticks_off()
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axis.margins(x=0.15, y=0.2)
        axis.set_xlabel("activity rows in the inbox")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="major", alpha=0.3)
        axis.legend(fontsize=8)
    machine = runs[-1]["machine"]
    figure.suptitle(
        f"make bench on {machine['cpus']} cores, {machine['memory']} "
        f"(load {machine['load_average_at_start'][0]} at the start); "
        f"{', '.join(r['date'] for r in runs[-1:])}",
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
