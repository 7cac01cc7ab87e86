"""A file larger than ``loader.IN_MEMORY_BYTES`` is validated from a DuckDB table (it
spills to disk) rather than from an Arrow table held in memory, and its rows that did
not load are set apart by a join rather than taken from memory. A table in memory of
up to ``landing.JUDGED_ROWS`` rows is validated once, into a temporary table, and its loaded rows
and rejects written from those verdicts; a larger one is validated as it is written,
and its rows that did not load validated again. What lands must be the same every
way: the same rows, the same rejects with the same reasons, in the same order."""

from __future__ import annotations

from collections import Counter

import pytest

from ingest import landing, loader

# Each block: one row that loads and one row per reason, in that order.
FAULTS = [
    ({}, None),
    ({"日期": "2025-02-30"}, "bad_date"),
    ({"时长": "两小时"}, "bad_hours"),
    ({"人员编号": ""}, "missing_person"),
    ({"人员编号": "", "身份证号": "1.10101E+17"}, "bad_id_number"),
    ({"开始时间": "10:00", "结束时间": "09:00", "时长": ""}, "end_before_start"),
]
BLOCKS = 40


def _without_batch(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "batch_id"} for row in rows]


# (loader.IN_MEMORY_BYTES, landing.JUDGED_ROWS): judged into a table, validated twice
# from Arrow, validated twice from a DuckDB table
WAYS = [
    (loader.IN_MEMORY_BYTES, landing.JUDGED_ROWS),
    (loader.IN_MEMORY_BYTES, 0),
    (0, landing.JUDGED_ROWS),
]


@pytest.mark.parametrize(("in_memory_bytes", "judged_rows"), WAYS)
def test_a_file_too_large_for_memory_lands_what_a_small_one_does(
    warehouse, monkeypatch, in_memory_bytes, judged_rows
) -> None:
    rows = [
        warehouse.activity_row({"人员编号": f"T{b:03d}", **c})
        for b in range(BLOCKS)
        for c, _ in FAULTS
    ]
    warehouse.write_activity(rows)
    monkeypatch.setattr(loader, "IN_MEMORY_BYTES", in_memory_bytes)
    monkeypatch.setattr(landing, "JUDGED_ROWS", judged_rows)

    result = warehouse.load_one()

    expected = Counter(reason for _ in range(BLOCKS) for _, reason in FAULTS if reason)
    assert (result.rows_read, result.rows_loaded) == (len(rows), BLOCKS)
    assert result.rejects_by_reason == dict(expected)
    rejects = warehouse.rejects(result.batch_id)
    # data rows start on line 2; row i of block b is on line 2 + 6 b + i
    assert [r["source_line"] for r in rejects] == [
        2 + len(FAULTS) * b + i for b in range(BLOCKS) for i in range(1, len(FAULTS))
    ]
    assert [r["reason"] for r in rejects] == [
        reason for _ in range(BLOCKS) for _, reason in FAULTS[1:]
    ]
    loaded = warehouse.rows("activity", result.batch_id)
    assert [r["source_line"] for r in loaded] == [2 + len(FAULTS) * b for b in range(BLOCKS)]
    assert {r["hours"] for r in loaded} == {2}
    # the damaged ID number in its reject, masked: 11 characters, the first 3 and
    # the last 4 shown
    damaged = [r for r in rejects if r["reason"] == "bad_id_number"]
    assert {r["raw_values"]["身份证号"] for r in damaged} == {"1.1" + "*" * 4 + "E+17"}


def test_every_way_lands_identical_batches(tmp_path, monkeypatch, warehouse) -> None:
    rows = [
        warehouse.activity_row({"人员编号": f"T{b:03d}", **c})
        for b in range(BLOCKS)
        for c, _ in FAULTS
    ]
    lakes = []
    for way, (in_memory_bytes, judged_rows) in enumerate(WAYS):
        other = type(warehouse)(tmp_path / f"way{way}")
        other.write_activity(rows)
        monkeypatch.setattr(loader, "IN_MEMORY_BYTES", in_memory_bytes)
        monkeypatch.setattr(landing, "JUDGED_ROWS", judged_rows)
        result = other.load_one()
        lakes.append(
            (
                _without_batch(other.rows("activity", result.batch_id)),
                _without_batch(other.rejects(result.batch_id)),
            )
        )
    assert lakes[0] == lakes[1] == lakes[2]
    assert len(lakes[0][0]) == BLOCKS
