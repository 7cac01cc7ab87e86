"""Workbooks written side by side (``make export``): a month's returns and templates are
a few hundred small workbooks, each built in pure Python (XlsxWriter, openpyxl), so one
core does them one after the other while the others wait. ``make export`` builds them in a pool
of worker processes instead, one per core (at most four); the files, their names and
their bytes are the same (each workbook is built alone, stamped with its snapshot's
time), only the time differs.

Workers are forked from the export's process, which has read everything from the
snapshot before: they build bytes from plain values and never touch DuckDB. The
dashboard's downloads never use the pool (a server's process is not forked).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
# fewer workbooks than this are built in the export's own process: a worker's start
# costs more than they do
MINIMUM = 16
MOST_WORKERS = 4


def workers() -> int:
    """Worker processes for a pool: the cores this process may use, at most four."""
    return max(1, min(len(os.sched_getaffinity(0)), MOST_WORKERS))


def built(build: Callable[[T], bytes], items: Sequence[T], side_by_side: bool) -> list[bytes]:
    """``build(item)`` of every item, in the items' order; in a pool of worker processes
    when ``side_by_side`` and there are enough of them to gain from it."""
    count = workers()
    if not side_by_side or count < 2 or len(items) < MINIMUM:
        return [build(item) for item in items]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        return list(pool.map(build, items, chunksize=max(1, len(items) // (count * 4))))
