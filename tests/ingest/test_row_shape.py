"""Rows with more or fewer cells than the header reject the row, never the file.

Fixtures: ``tests/fixtures/invalid/row_shape/`` (its README gives each file's
expected outcome, worked out by hand from the text). Also: a file that shows its
faults only after DuckDB's 20,480-row sniffing sample, a file that is GB18030 or not
text at all only after its first megabyte, and a file whose records the line scan
and DuckDB count differently (a stray quote).
"""

from __future__ import annotations

import pytest

SNIFF_SAMPLE = 20_480


def _outcome(result) -> tuple:
    return (result.outcome, result.rows_read, result.rows_loaded, result.rows_rejected)


def _rejects(warehouse, result) -> list[tuple]:
    return [
        (r["source_line"], r["reason"], r["reason_column"], r["reason_value"])
        for r in warehouse.rejects(result.batch_id)
    ]


def _loaded_lines(warehouse, result) -> list[int]:
    return [r["source_line"] for r in warehouse.rows("activity", result.batch_id)]


def test_extra_cells_reject_their_rows_and_the_others_load(warehouse) -> None:
    warehouse.copy_fixture("invalid/row_shape/extra_cells.csv")

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 5, 3, 2)
    assert result.rejects_by_reason == {"extra_cells": 2}
    # an extra_cells reject names the last cell with a value, and shows that value
    assert _rejects(warehouse, result) == [
        (3, "extra_cells", "column 6", "多出的一格"),
        (5, "extra_cells", "column 6", "家访"),
    ]
    assert _loaded_lines(warehouse, result) == [2, 4, 6]
    first, second = warehouse.rejects(result.batch_id)
    # the cell right of the header is kept under its position, the rest is padding
    assert first["raw_values"] == {
        "人员编号": "T002",
        "单位": "第一中学",
        "日期": "2025-03-05",
        "时长": "2",
        "活动类型": "家访",
        "column 6": "多出的一格",
        "column 7": None,
    }
    assert (second["raw_values"]["活动类型"], second["raw_values"]["column 6"]) == ("5", "家访")


def test_short_rows_are_padded_and_judged_like_any_other(warehouse) -> None:
    warehouse.copy_fixture("invalid/row_shape/short_rows.csv")

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 4, 2, 2)
    assert _rejects(warehouse, result) == [
        (4, "missing_hours", "时长", None),
        (5, "missing_org", "单位", None),  # the file has no org_code column
    ]
    rows = warehouse.rows("activity", result.batch_id)
    assert [(r["source_line"], r["status"]) for r in rows] == [(2, "approved"), (3, "approved")]


def test_a_header_with_an_empty_last_cell_takes_values_under_it(warehouse) -> None:
    warehouse.copy_fixture("invalid/row_shape/unnamed_column.csv")

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 2, 1, 1)
    assert _rejects(warehouse, result) == [
        (3, "extra_cells", "column 7", "138****8000")  # a phone number, masked
    ]
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["raw_values"]["column 6"], reject["raw_values"]["column 7"]) == (
        "备注",
        "138****8000",
    )
    # the empty header cell is not listed as a header that maps to nothing
    assert warehouse.manifest()[0]["unmapped_headers"] == []


def test_extra_cells_after_a_quoted_line_break_name_the_physical_line(warehouse) -> None:
    warehouse.copy_fixture("invalid/row_shape/extra_cells_semicolon.csv")

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 3, 2, 1)
    assert _rejects(warehouse, result) == [(4, "extra_cells", "column 8", "余")]
    rows = warehouse.rows("activity", result.batch_id)
    assert [(r["source_line"], r["activity_title"]) for r in rows] == [
        (2, "第一行\n第二行; 还有分号"),
        (6, "带;分号"),
    ]
    assert warehouse.manifest()[0]["detected"]["delimiter"] == ";"


def test_rows_of_the_wrong_width_after_the_sniffers_sample(warehouse) -> None:
    # DuckDB's sniffer reads the first 20,480 rows; rows further down with an extra
    # cell failed the whole file ("CSV Error on Line: …")
    headers = ["人员编号", "单位", "日期", "时长", "活动类型"]
    rows = [[f"T{i:05d}", "第一中学", "2025-03-05", "2", "家访"] for i in range(SNIFF_SAMPLE + 120)]
    rows[SNIFF_SAMPLE + 50] = [*rows[SNIFF_SAMPLE + 50], "多", "余"]  # line SNIFF_SAMPLE + 52
    rows[SNIFF_SAMPLE + 60] = rows[SNIFF_SAMPLE + 60][:3]  # short: no hours, no type
    warehouse.write("late.csv", headers, rows)

    result = warehouse.load_one()

    total = SNIFF_SAMPLE + 120
    assert _outcome(result) == ("loaded", total, total - 2, 2)
    assert _rejects(warehouse, result) == [
        (SNIFF_SAMPLE + 52, "extra_cells", "column 7", "余"),
        (SNIFF_SAMPLE + 62, "missing_hours", "时长", None),
    ]


MEGABYTE_OF_ROWS = "".join(f"T{i:06d},S01,2025-03-05,2,activity_day\n" for i in range(40_000))


def test_a_file_that_turns_out_gb18030_after_its_first_megabyte_loads(warehouse) -> None:
    # encoding detection decodes the first megabyte only; DuckDB finds the rest not
    # UTF-8 and the file is read again as GB18030
    header = "人员编号,单位,日期,时长,活动类型\n".encode("gb18030")
    last = "T999999,第一中学,2025-03-05,2,家访\n".encode("gb18030")
    assert len(header + MEGABYTE_OF_ROWS.encode()) > 1 << 20
    (warehouse.inbox / "late_gb.csv").write_bytes(header + MEGABYTE_OF_ROWS.encode() + last)

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 40_001, 40_001, 0)
    (line,) = warehouse.manifest()
    assert (line["detected"]["encoding"], line["detected"]["numbering"]) == ("gb18030", "lines")
    last_row = warehouse.rows("activity", result.batch_id)[-1]
    assert (last_row["source_line"], last_row["org_name"], last_row["activity_type"]) == (
        40_002,
        "第一中学",
        "家访",
    )
    assert not list(warehouse.paths.staging.rglob("*.csv"))  # the transcoded copy is gone


def test_a_file_that_is_not_text_after_its_first_megabyte_fails_with_the_message(
    warehouse,
) -> None:
    header = "人员编号,单位,日期,时长,活动类型\n".encode()
    last = b"T999999,\xff\xfe\xff,2025-03-05,2,x\n"
    (warehouse.inbox / "late_bad.csv").write_bytes(header + MEGABYTE_OF_ROWS.encode() + last)

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        "late_bad.csv: the file is neither UTF-8 nor GB18030 text; "
        "save it again as CSV (UTF-8) from Excel",
    )
    assert warehouse.manifest() == []


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_a_stray_quote_falls_back_to_numbering_records(warehouse, line_end: str) -> None:
    # a quote inside an unquoted cell is text to DuckDB, but opens a quoted cell for
    # the line scan, which then sees one record where DuckDB reads two: the file is
    # read again and its rows numbered by record (the manifest says so)
    text = line_end.join(
        [
            "人员编号,单位,日期,时长,活动类型",
            'T001,第一中学,2025-03-05,2,家"访',
            ",,,3",
            "T003,第一中学,2025-03-05,2,家访",
            "",
        ]
    )
    (warehouse.inbox / "stray.csv").write_bytes(text.encode())

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 3, 2, 1)
    assert warehouse.manifest()[0]["detected"]["numbering"] == "records"
    # records 1 to 4: the header is record 1, so the rows are 2, 3 and 4
    assert _loaded_lines(warehouse, result) == [2, 4]
    ((line, reason, _, _),) = _rejects(warehouse, result)
    assert (line, reason) == (3, "missing_person")


LINES = [
    "人员编号,单位,日期,时长,活动类型",
    "T001,第一中学,2025-03-05,2,党员活动日",
    "T002,第一中学,2025-03-06,2,党员活动日",
    "T003,第一中学,2025-03-07,,党员活动日",  # line 4: no hours
    "T004,第一中学,2025-03-08,2,党员活动日",
]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_crlf_file_with_a_line_added_in_lf_loads_every_row(warehouse, encoding: str) -> None:
    # a CRLF export with a row appended by hand (LF): DuckDB's reader stopped with "The
    # CSV Parser state machine reached an invalid state" and the whole file was lost
    text = "\r\n".join(LINES[:4]) + "\n" + LINES[4] + "\r\n"
    (warehouse.inbox / "mixed.csv").write_bytes(text.encode(encoding))

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 4, 3, 1)
    assert _rejects(warehouse, result) == [(4, "missing_hours", "时长", None)]
    assert _loaded_lines(warehouse, result) == [2, 3, 5]
    assert warehouse.manifest()[0]["detected"]["line_ends"] == "mixed"
    assert not list(warehouse.paths.staging.rglob("*.csv"))  # no copy left behind


def test_a_carriage_return_inside_a_cell_is_a_space_and_lines_keep_their_numbers(
    warehouse,
) -> None:
    lines = [*LINES]
    lines[2] = "T002,第一\r中学,2025-03-06,2,党员活动日"
    (warehouse.inbox / "cr.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode())

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 4, 3, 1)
    assert _rejects(warehouse, result) == [(4, "missing_hours", "时长", None)]
    rows = warehouse.rows("activity", result.batch_id)
    assert [(r["source_line"], r["org_name"]) for r in rows] == [
        (2, "第一中学"),
        (3, "第一 中学"),
        (5, "第一中学"),
    ]
    assert warehouse.manifest()[0]["detected"]["line_ends"] == "cr_in_line"


def test_a_file_whose_lines_end_in_cr_alone_loads_line_by_line(warehouse) -> None:
    (warehouse.inbox / "mac.csv").write_bytes(("\r".join(LINES) + "\r").encode())

    result = warehouse.load_one()

    assert _outcome(result) == ("loaded", 4, 3, 1)
    assert _rejects(warehouse, result) == [(4, "missing_hours", "时长", None)]
    assert warehouse.manifest()[0]["detected"]["line_ends"] == "cr"
