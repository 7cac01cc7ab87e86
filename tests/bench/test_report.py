"""What a benchmark report says of the machine's load as the run began."""

from __future__ import annotations

from bench.report import _load_note


def test_a_quiet_start_is_told_by_the_one_minute_load_alone() -> None:
    assert _load_note([0.49, 1.0, 1.6]) == (
        ". A quiet machine at the start: load average 0.49, 1.0, 1.6 (the 5- and "
        "15-minute figures count work that had ended)."
    )
    assert _load_note([0.2, 0.5, 0.9]) == (
        ". A quiet machine at the start: load average 0.2, 0.5, 0.9."
    )


def test_a_one_minute_load_of_one_or_more_is_a_busy_machine() -> None:
    assert _load_note([1.41, 1.74, 1.62]) == (
        ". **A busy machine**: load average 1.41, 1.74, 1.62 at the start, 1 or more "
        "over the last minute, so times may carry other work's noise; the spread "
        "column shows how much."
    )
