"""``python -m bench.ingest_bench --rows 1000000``: ingest against its floor.

Writes the demo inbox (``python -m demo``), takes its activity logs and writes each
twice, as plain UTF-8 and as GB18030, with the same names and text. Then, in the
same run and one after the other (3 rounds; 1 at 10 million rows or more), each in a
fresh process and a fresh output folder:

- ``floor``: DuckDB's bare ``read_csv(all_varchar = true)`` of the UTF-8 files, each
  written to Parquet (zstd), in one process (``bench/floor.py``);
- ``ingest, UTF-8`` and ``ingest, GB18030``: ``python -m ingest --inbox ... --json``
  into an empty warehouse;
- ``detect only, UTF-8`` and ``detect + transcode only, GB18030``: the encoding
  steps ingest takes before DuckDB reads a file, alone (``bench/transcode.py``).

Wall time is measured around each process, peak memory is its ``ru_maxrss`` from
``os.wait4``. Every run is checked: the floor wrote, and ingest read, exactly the
demo's rows, and ingest loaded every file. The figures go to
``bench/results/ingest-<date>-<rows>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
GOAL_RATIO = 1.5  # the target: ingest within 1.5x of the floor for UTF-8 input
GOAL_MEMORY_MB = 2048  # and peak memory under 2 GB at 10 million rows
SEED = 20250305


@dataclass
class Case:
    """One thing measured: its label, and how to run it once into a fresh folder."""

    key: str
    label: str
    rows: int  # rows it handles (for rows/s); 0 when rows/s means nothing
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def summary(self) -> dict:
        return {
            "label": self.label,
            "median_s": round(self.median, 2),
            "min_s": round(min(self.seconds), 2),
            "max_s": round(max(self.seconds), 2),
            "rows_per_s": round(self.rows / self.median) if self.rows else None,
            "peak_mb": round(max(self.peak_mb), 1),
            "seconds": [round(s, 3) for s in self.seconds],
            "peak_mb_each": [round(m, 1) for m in self.peak_mb],
        }


def run_measured(command: list[str], log: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``command`` from the repository; (wall seconds, peak RSS in MB, stdout)."""
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    stdout = log.with_suffix(".out").read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        stderr = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout  # ru_maxrss is in KiB on Linux


def write_inputs(demo: Path, utf8: Path, gb18030: Path) -> dict:
    """Every activity log of the demo inbox as plain UTF-8 and as GB18030."""
    manifest = json.loads((demo / ".demo_manifest.json").read_text(encoding="utf-8"))
    logs = [f for f in manifest["files"] if f["kind"] == "activity"]
    for entry in logs:
        for root, encoding in ((utf8, "utf-8"), (gb18030, "gb18030")):
            target = root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            source = demo / entry["path"]
            with (
                source.open(encoding=entry["encoding"], newline="") as text,
                target.open("w", encoding=encoding, newline="") as out,
            ):
                shutil.copyfileobj(text, out, 1 << 20)
    encodings: dict[str, int] = {}
    for entry in logs:
        encodings[entry["encoding"]] = encodings.get(entry["encoding"], 0) + 1
    return {
        "files": len(logs),
        "rows": sum(f["rows"] for f in logs),
        "demo_encodings": encodings,
        "utf8_bytes": sum(p.stat().st_size for p in utf8.rglob("*") if p.is_file()),
        "gb18030_bytes": sum(p.stat().st_size for p in gb18030.rglob("*") if p.is_file()),
    }


def _check_ingest(stdout: str, rows: int, files: int) -> None:
    results = json.loads(stdout)
    outcomes = {r["outcome"] for r in results}
    read = sum(r["rows_read"] for r in results)
    if len(results) != files or outcomes != {"loaded"} or read != rows:
        raise SystemExit(f"ingest did not load every row: {outcomes}, {read} of {rows} rows read")


def _machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{total_kb / 1024 / 1024:.0f} GB"
    import duckdb
    import pyarrow

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    status = git("status", "--porcelain", "--", "ingest").splitlines()
    changed = [line.split(maxsplit=1)[1] for line in status if line.strip()]
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "commit": git("rev-parse", "--short", "HEAD"),
        "ingest_changes": changed,  # files of ingest/ that differ from the commit
    }


def bench(rows: int, runs: int, seed: int, work: Path) -> dict:
    demo, utf8, gb18030 = work / "demo", work / "utf8", work / "gb18030"
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(REPO), "WAREHOUSE_SECRET": "bench-secret"}
    env.pop("WAREHOUSE_DIR", None)
    print(f"writing the demo inbox ({rows:,} rows) and its UTF-8 and GB18030 copies", flush=True)
    subprocess.run(
        [python, "-m", "demo", "--out", str(demo), "--rows", str(rows), "--seed", str(seed)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    inputs = write_inputs(demo, utf8, gb18030)
    shutil.rmtree(demo)
    n, files = inputs["rows"], inputs["files"]
    cases = {
        "floor": Case("floor", "floor: DuckDB read_csv(all_varchar) → Parquet, UTF-8", n),
        "ingest_utf8": Case("ingest_utf8", "ingest, UTF-8", n),
        "ingest_gb18030": Case("ingest_gb18030", "ingest, GB18030", n),
        "detect_utf8": Case("detect_utf8", "encoding detection only, UTF-8", 0),
        "transcode_gb18030": Case(
            "transcode_gb18030", "encoding detection + transcoding only, GB18030", 0
        ),
    }
    out = work / "out"
    logs = work / "logs"
    logs.mkdir()
    for round_ in range(1, runs + 1):
        for case in cases.values():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            log = logs / f"{case.key}-{round_}"
            if case.key == "floor":
                command = [python, "-m", "bench.floor", str(utf8), str(out)]
            elif case.key.startswith("ingest"):
                inbox = utf8 if case.key == "ingest_utf8" else gb18030
                command = [python, "-m", "ingest", "--inbox", str(inbox), "--warehouse", str(out)]
                command.append("--json")
            else:
                inbox = utf8 if case.key == "detect_utf8" else gb18030
                command = [python, "-m", "bench.transcode", str(inbox), str(out)]
            seconds, peak, stdout = run_measured(command, log, env)
            if case.key == "floor" and int(stdout) != n:
                raise SystemExit(f"the floor wrote {stdout.strip()} rows, not {n}")
            if case.key.startswith("ingest"):
                _check_ingest(stdout, n, files)
            case.seconds.append(seconds)
            case.peak_mb.append(peak)
            print(f"  round {round_}: {case.label}: {seconds:.2f} s, {peak:.0f} MB", flush=True)
    shutil.rmtree(out, ignore_errors=True)
    floor = cases["floor"].median
    utf8_median = cases["ingest_utf8"].median
    gb_median = cases["ingest_gb18030"].median
    return {
        "date": dt.date.today().isoformat(),
        "rows": rows,
        "seed": seed,
        "runs": runs,
        "machine": _machine(),
        "inputs": inputs,
        "cases": {key: case.summary() for key, case in cases.items()},
        "ratio_utf8_to_floor": round(utf8_median / floor, 2),
        "gb18030_extra_s": round(gb_median - utf8_median, 2),
        "gb18030_extra_pct": round(100 * (gb_median - utf8_median) / utf8_median, 1),
        "goal": {
            "ratio": GOAL_RATIO,
            "memory_mb": GOAL_MEMORY_MB,
            "ratio_met": utf8_median / floor <= GOAL_RATIO,
            "memory_met": max(cases["ingest_utf8"].peak_mb + cases["ingest_gb18030"].peak_mb)
            < GOAL_MEMORY_MB,
        },
    }


def markdown(result: dict) -> str:
    machine, inputs, cases = result["machine"], result["inputs"], result["cases"]
    floor = cases["floor"]["median_s"]
    changes = (
        f" with local changes in {', '.join(machine['ingest_changes'])}"
        if machine["ingest_changes"]
        else ""
    )
    lines = [
        f"# Ingest benchmark: {result['rows']:,} rows ({result['date']})",
        "",
        f"Machine: {machine['cpu'] or 'unknown CPU'}, {machine['cpus']} CPUs, "
        f"{machine['memory']}; Python {machine['python']}, DuckDB {machine['duckdb']}, "
        f"pyarrow {machine['pyarrow']}; commit {machine['commit']}{changes}.",
        "",
        f"Input: `python -m demo --rows {result['rows']} --seed {result['seed']}`, its "
        f"{inputs['files']} activity logs ({inputs['rows']:,} data rows; as generated "
        f"{inputs['demo_encodings']}), written once as plain UTF-8 "
        f"({inputs['utf8_bytes'] / 1e6:,.0f} MB) and once as GB18030 "
        f"({inputs['gb18030_bytes'] / 1e6:,.0f} MB). "
        f"{result['runs']} run{'s' if result['runs'] > 1 else ''} of each, one after the "
        "other in the same session, each a fresh process writing into an empty folder; "
        "time is wall-clock around the process (start-up included), memory its peak "
        "resident set (`ru_maxrss`).",
        "",
        "| case | median s | min – max s | rows/s | peak MB | × floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case in cases.values():
        rate = f"{case['rows_per_s']:,}" if case["rows_per_s"] else ""
        lines.append(
            f"| {case['label']} | {case['median_s']:.2f} | {case['min_s']:.2f} – "
            f"{case['max_s']:.2f} | {rate} | {case['peak_mb']:,.0f} | "
            f"{case['median_s'] / floor:.2f} |"
        )
    goal = result["goal"]
    lines += [
        "",
        f"- Goal, ingest of UTF-8 within {goal['ratio']}× of the floor: "
        f"**{'met' if goal['ratio_met'] else 'missed'}** "
        f"({cases['ingest_utf8']['median_s'] / floor:.2f}×).",
        f"- Goal, peak memory under {goal['memory_mb']:,} MB: "
        f"**{'met' if goal['memory_met'] else 'missed'}** "
        f"({max(cases['ingest_utf8']['peak_mb'], cases['ingest_gb18030']['peak_mb']):,.0f} MB"
        f"{'' if result['rows'] >= 10_000_000 else '; the goal is set at 10 million rows'}).",
        f"- GB18030 input costs {result['gb18030_extra_s']:+.2f} s over UTF-8 "
        f"({result['gb18030_extra_pct']:+.1f}%); detection and transcoding alone take "
        f"{cases['transcode_gb18030']['median_s']:.2f} s, detection alone on UTF-8 "
        f"{cases['detect_utf8']['median_s']:.2f} s (both with the process start-up).",
        "",
        f"Raw timings: `ingest-{result['date']}-{result['rows']}.json` beside this file.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest_bench",
        description="Measure ingest against DuckDB's bare read_csv → Parquet on the demo logs.",
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="demo rows (1,000,000)")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs of each case (3; 1 at 10M rows or more)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"demo seed ({SEED})")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write results")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.rows >= 10_000_000 else 3)
    work = args.work or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = bench(args.rows, runs, args.seed, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"ingest-{result['date']}-{args.rows}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = markdown(result)
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
