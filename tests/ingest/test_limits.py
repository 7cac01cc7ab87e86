"""Hostile or oversized input (issue 8 item 5): files over the size limit and rows over
1 MB are refused with a message, and odd inbox file names write nothing outside
``WAREHOUSE_DIR`` (batch files are named by batch id, never by the inbox name)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROW = ["T001", "第一中学", "2025-03-05", "2", "家访"]
HEADERS = ["人员编号", "单位", "日期", "时长", "活动类型"]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_file_over_the_size_limit_is_refused_and_the_others_load(
    warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = warehouse.write("small.csv", HEADERS, [ROW])
    big = warehouse.write("big.csv", HEADERS, [ROW, ROW, ROW])
    limit = small.stat().st_size  # small is at the limit, big is over it
    assert big.stat().st_size > limit
    monkeypatch.setenv("INGEST_MAX_FILE_BYTES", str(limit))

    big_result, small_result = warehouse.load()

    assert (big_result.file, big_result.outcome, big_result.message) == (
        "big.csv",
        "failed",
        f"big.csv: the file is {big.stat().st_size:,} bytes, more than the {limit:,} a file "
        "may have (INGEST_MAX_FILE_BYTES); split it into smaller files, or raise the limit",
    )
    assert (small_result.file, small_result.outcome, small_result.rows_loaded) == (
        "small.csv",
        "loaded",
        1,
    )


def test_a_row_over_one_megabyte_is_refused_naming_its_line(warehouse) -> None:
    # a quote left open: the rest of the file is one cell, one row of 1.2 MB
    lines = [",".join(HEADERS), ",".join(ROW), ",".join(ROW), 'T002,"第一中学,2025-03-05,2,家访']
    lines += [",".join(ROW)] * 60_000
    text = "\n".join(lines) + "\n"
    (warehouse.inbox / "open_quote.csv").write_text(text, encoding="utf-8")
    # the row runs from its line (4) to the end of the file: the last line break is
    # inside the open quote, so it is part of the row
    row_bytes = len(("\n".join(lines[3:]) + "\n").encode())
    assert row_bytes > 1 << 20

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        f"open_quote.csv: the row on line 4 is {row_bytes:,} bytes long, more than the "
        "1,048,576 a row may have (a quote left open runs on to the end of the file); close "
        "the quote or split the cell, and load the file again",
    )
    assert warehouse.manifest() == []


@pytest.mark.parametrize(
    "name",
    [
        "x..csv",  # a name starting with a dot is hidden, and not loaded
        "a...b..csv",
        "名单 (副本) ;'\"$(rm -rf x).csv",
        "line\nbreak.csv",
        "-rf.csv",
    ],
    ids=["dots", "many-dots", "quotes-and-shell", "newline", "dash"],
)
def test_an_odd_file_name_loads_and_writes_only_inside_the_warehouse(
    warehouse, tmp_path: Path, name: str
) -> None:
    nested = Path("sub..dir") / name
    warehouse.write(nested.as_posix(), HEADERS, [ROW])
    outside = _files(tmp_path) - _files(warehouse.paths.root)

    result = warehouse.load_one()

    assert (result.file, result.outcome, result.rows_loaded) == (nested.as_posix(), "loaded", 1)
    # nothing was written anywhere but under WAREHOUSE_DIR
    assert _files(tmp_path) - _files(warehouse.paths.root) == outside
    # and in the lake only under the batch's id
    lake = {p.relative_to(warehouse.paths.lake).as_posix() for p in _files(warehouse.paths.lake)}
    assert f"activity/{result.batch_id}.parquet" in lake
    assert not any(name in path for path in lake)
