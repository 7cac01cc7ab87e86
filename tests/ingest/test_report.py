"""The load's summary (``ingest.report.load_summary``) built from file results alone."""

from __future__ import annotations

from pathlib import Path

from ingest.loader import FileResult
from ingest.report import load_summary


def test_rejects_of_a_failed_file_are_counted_but_not_sent_to_the_rejects_list() -> None:
    # logs/awk.csv: 2 rows, both rejected, so the file failed whole and its rejects
    # never reached the lake; the summary counts them and its error names the first
    results = [
        FileResult("districts.csv", "loaded", "districts", 3, 3, 0),
        FileResult(
            "logs/awk.csv", "failed", "activity", 2, 0, 2,
            rejects_by_reason={"bad_date": 1, "bad_hours": 1},
        ),
    ]  # fmt: skip
    assert load_summary(results, 0.6, Path("/w/logs/ingest.log")).splitlines() == [
        "files: 2 (1 failed, 1 loaded)",
        "rows: 5 read, 3 loaded, 2 rejected",
        "rejected by reason rows",
        "  bad_date            1",
        "  bad_hours           1",
        "  total               2",
        "time: 0.6 s",
        "every file, its rows and rejects by reason: /w/logs/ingest.log",
    ]


def test_rejects_of_a_loaded_file_are_sent_to_the_rejects_list() -> None:
    results = [
        FileResult("logs/a.csv", "loaded", "activity", 4, 3, 1, rejects_by_reason={"bad_date": 1})
    ]
    assert load_summary(results, 1.25, None).splitlines()[-1] == (
        "the rejected rows (masked), with what to fix: python -m ingest rejects (make rejects)"
    )
