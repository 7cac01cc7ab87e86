"""Timing and memory of one benchmark step: a process run to its end while its tree's
memory is sampled (``bench/memory.py``), and the measures the run collects."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.memory import TreeSampler

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Measure:
    """One thing timed, as often as the run repeats: seconds, the process tree's peak
    memory and the largest single process's (``ru_maxrss``) of each."""

    label: str
    seconds: list[float] = field(default_factory=list)
    tree_mb: list[float] = field(default_factory=list)
    maxrss_mb: list[float] = field(default_factory=list)

    def add(self, seconds: float, tree_mb: float, maxrss_mb: float) -> None:
        self.seconds.append(seconds)
        self.tree_mb.append(tree_mb)
        self.maxrss_mb.append(maxrss_mb)

    def add_steps(self, *runs: Run) -> float:
        """Runs one after the other as one measure: their seconds added, their peaks
        the largest step's (they never run at once); returns the seconds."""
        seconds = sum(run.seconds for run in runs)
        self.add(seconds, max(run.tree_mb for run in runs), max(run.maxrss_mb for run in runs))
        return seconds

    def summary(self) -> dict:
        return {
            "label": self.label,
            "median_s": round(statistics.median(self.seconds), 2),
            "min_s": round(min(self.seconds), 2),
            "max_s": round(max(self.seconds), 2),
            "tree_mb": round(max(self.tree_mb), 1),
            "maxrss_mb": round(max(self.maxrss_mb), 1),
            "seconds": [round(s, 3) for s in self.seconds],
        }


@dataclass(frozen=True)
class Run:
    """One process measured: wall seconds, its tree's peak, its ``ru_maxrss``, stdout."""

    seconds: float
    tree_mb: float
    maxrss_mb: float
    stdout: str


class BenchFailure(Exception):
    """A step failed or the outputs differ; the message says which and where."""


def run_measured(command: list[str], log: Path, env: dict[str, str], cwd: Path = REPO) -> Run:
    """Run ``command``, its process tree's memory sampled until it has ended."""
    log.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        with TreeSampler(process.pid) as sampler:
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        raise BenchFailure(
            f"{' '.join(command)} exited {code} (log {err_path}):\n{(stdout + stderr)[-3000:]}"
        )
    largest = usage.ru_maxrss / 1024  # KiB on Linux
    # the tree held at least its largest process's exact peak, which sampling can miss
    return Run(seconds, max(sampler.peak_mb, largest), largest, stdout)


def say(text: str) -> None:
    print(text, flush=True)
