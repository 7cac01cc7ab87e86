"""The peak memory of a whole process tree, sampled: what the memory targets use.

``ru_maxrss`` (from ``os.wait4``) is the peak of the *largest single* process among a
process and the children it waited for: a ``publish`` whose dbt child peaks at 1 GB
while the parent holds 300 MB reports 1 GB, not 1.3 GB. The targets ask for the peak of
the whole tree, so a thread reads, every ``interval`` seconds, the process's
descendants (``/proc/<pid>/task/*/children``, recursively) and sums their resident
sets (``VmRSS`` of ``/proc/<pid>/status``); the largest sum seen is the tree's peak.
A peak shorter than one interval can be missed (``bench/measure.py`` therefore takes at
least the largest process's exact ``ru_maxrss``), and pages shared between processes
(a forked child's untouched copy) count once per process.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")
INTERVAL_S = 0.05


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's list); [] once it has gone."""
    found: list[int] = []
    try:
        tasks = list((PROC / str(pid) / "task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:  # the thread ended between the listing and the read
            continue
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and every descendant it has now."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children(current)
    return found


def rss_kib(pid: int) -> int:
    """The resident set of ``pid`` in KiB (``VmRSS``); 0 for a zombie or a gone process."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0  # a zombie has no VmRSS line


def tree_rss_kib(pid: int) -> int:
    """The resident sets of ``pid`` and its descendants, summed, in KiB."""
    return sum(rss_kib(p) for p in tree(pid))


class TreeSampler:
    """Samples the tree under ``pid`` from a thread until ``stop``; ``peak_mb`` is the
    largest sum seen. Use as a context manager around the wait for the process."""

    def __init__(self, pid: int, interval: float = INTERVAL_S) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rss-{pid}", daemon=True)

    def _run(self) -> None:
        # sample first, wait after: a short process is seen at least once
        while True:
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self.samples += 1
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kib / 1024
