"""Workbooks built side by side (``export.parallel``): the same bytes in the same
order as one after the other, built in worker processes when there are enough."""

from __future__ import annotations

import os

import pytest

from export import parallel


def _numbered(item: int) -> bytes:
    return f"{item}:{os.getpid()}".encode()


def test_side_by_side_gives_each_items_bytes_in_order_from_workers() -> None:
    if parallel.workers() < 2:
        pytest.skip("one core: the pool is never used")
    items = list(range(40))
    made = parallel.built(_numbered, items, side_by_side=True)
    numbers = [int(entry.decode().split(":")[0]) for entry in made]
    makers = {int(entry.decode().split(":")[1]) for entry in made}
    assert numbers == items
    assert os.getpid() not in makers
    assert 1 <= len(makers) <= parallel.workers()


def test_few_items_or_no_side_by_side_stay_in_this_process() -> None:
    few = list(range(parallel.MINIMUM - 1))
    assert parallel.built(_numbered, few, side_by_side=True) == [
        f"{item}:{os.getpid()}".encode() for item in few
    ]
    many = list(range(40))
    assert parallel.built(_numbered, many, side_by_side=False) == [
        f"{item}:{os.getpid()}".encode() for item in many
    ]


def test_workers_are_the_cores_this_process_may_use_at_most_four() -> None:
    assert parallel.workers() == min(len(os.sched_getaffinity(0)), 4)
