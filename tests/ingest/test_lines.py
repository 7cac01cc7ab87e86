"""``lines.scan_records`` against a byte-by-byte reading of the same file.

The scan is vectorized over chunks and looks up quote parity only where it must;
the reference here walks the bytes one by one, following the rules the module
docstring states, so that the two are written independently. Tiny chunk sizes put
records, quoted cells and doubled quotes across chunk boundaries.
"""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.lines import CHUNK, HEAD_RECORDS, scan_records


def reference(data: bytes, delimiter: str) -> tuple:
    """Records end at a newline outside quotes; a record that is empty or only a
    carriage return is blank (no line of its own in ``lines``); cells are the
    delimiters outside quotes plus one. The same fields as ``RecordScan``."""
    separator = delimiter.encode()[0]
    records: list[tuple[int, bytes, int]] = []  # (start line, bytes, cells)
    quoted_newlines = inside = False
    line, start, start_line, cells = 1, 0, 1, 1
    for at, byte in enumerate(data):
        if byte == ord('"'):
            inside = not inside
        elif byte == separator and not inside:
            cells += 1
        elif byte == ord("\n"):
            if inside:
                quoted_newlines = True
            else:
                records.append((start_line, data[start:at], cells))
                start, start_line, cells = at + 1, line + 1, 1
            line += 1
    if data[start:] not in (b"", b"\r"):
        records.append((start_line, data[start:], cells))
    kept = [r for r in records if r[1] not in (b"", b"\r")]
    # quotes where RFC 4180 puts them: the k-th quote of the file opens a cell when k
    # is even (after a delimiter, line break, quote or the start) and closes one or
    # is doubled when k is odd (before one of them or the end)
    edges = (ord('"'), ord("\n"), ord("\r"), separator)
    quote_positions = [at for at, byte in enumerate(data) if byte == ord('"')]
    plain = len(quote_positions) % 2 == 0 and all(
        (at == 0 or data[at - 1] in edges)
        if k % 2 == 0
        else (at == len(data) - 1 or data[at + 1] in edges)
        for k, at in enumerate(quote_positions)
    )
    longest = max((len(r[1]) for r in records), default=0)
    # the first record of that length, when there is a non-empty one
    longest_line = next((r[0] for r in records if len(r[1]) == longest), 0) if longest else 0
    return (
        [r[0] for r in kept],
        max((r[2] for r in records), default=0),
        quoted_newlines,
        b"\x00" in data,
        tuple(r[2] for r in kept[:HEAD_RECORDS]),
        longest,
        longest_line,
        plain,
        # every line break after a carriage return, or none
        len({data[at - 1 : at] == b"\r" for at, byte in enumerate(data) if byte == ord("\n")}) < 2,
        data.count(b"\n"),
        # carriage returns not followed by a line break
        sum(
            1
            for at, byte in enumerate(data)
            if byte == ord("\r") and data[at + 1 : at + 2] != b"\n"
        ),
    )


def scanned(path: Path, delimiter: str, chunk: int) -> tuple:
    fields = astuple(scan_records(path, delimiter, chunk=chunk))
    return (fields[0].tolist(), *fields[1:])


PIECES = ["a", "中", ",", ";", '"', '""', "\n", "\r\n", "\r", " ", "\x00", "12"]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=120),
    chunk=st.sampled_from([1, 2, 3, 5, 8, 64]),
    delimiter=st.sampled_from([",", ";"]),
)
def test_the_scan_is_the_byte_by_byte_reading(tmp_path: Path, pieces, chunk, delimiter) -> None:
    data = "".join(pieces).encode()
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    assert scanned(path, delimiter, chunk) == reference(data, delimiter)


CELL = st.text(alphabet='ab中,;"\n', max_size=6).map(
    lambda text: text if '"' not in text else '"' + text.replace('"', '""') + '"'
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=5), max_size=60),
    quote_all=st.booleans(),
    chunk=st.sampled_from([7, 64, 512, CHUNK]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_the_scan_of_written_rows_is_the_byte_by_byte_reading(
    tmp_path: Path, rows, quote_all, chunk, line_end
) -> None:
    # rows as an exporter writes them: a cell with a quote, the delimiter or a line
    # break is quoted (every cell, when quote_all), quotes doubled
    def cell(text: str) -> str:
        if quote_all or any(c in text for c in ',"\n'):
            return '"' + text.strip('"').replace('"', '""') + '"'
        return text

    data = "".join(",".join(cell(c) for c in row) + line_end for row in rows).encode()
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    assert scanned(path, ",", chunk) == reference(data, ",")


@pytest.mark.parametrize("chunk", [7, 64, CHUNK])
def test_a_quoted_delimiter_in_a_later_record_makes_it_no_wider(tmp_path: Path, chunk) -> None:
    # 40 records of 3 cells; record 36 has a quoted comma: 3 cells still, though it
    # holds 3 commas, one more than the widest record before it
    rows = ["a,b,c"] * 40
    rows[35] = 'a,"b,b",c'
    data = ("\n".join(rows) + "\n").encode()
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    scan = scan_records(path, ",", chunk=chunk)
    assert (scan.max_cells, scan.head_cells) == (3, (3,) * HEAD_RECORDS)
    assert scan.lines.tolist() == list(range(1, 41))
    # and a row with an unquoted extra cell does widen it
    rows[37] = "a,b,c,d"
    path.write_bytes(("\n".join(rows) + "\n").encode())
    assert scan_records(path, ",", chunk=chunk).max_cells == 4


@pytest.mark.parametrize("chunk", [3, 16, CHUNK])
def test_a_quoted_cell_across_chunks_keeps_its_delimiters_inside(tmp_path: Path, chunk) -> None:
    data = b'x,y\n"1,2,3,4,5,6,7,8\n9",z\n'
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    scan = scan_records(path, ",", chunk=chunk)
    assert (scan.max_cells, scan.head_cells, scan.lines.tolist()) == (2, (2, 2), [1, 2])
    assert scan.quoted_newlines
    assert np.array_equal(scan.lines, np.array([1, 2]))


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (b'a,b,c\n1,"",3\n', True),
        (b'a,b,c\n1,"x""y",3\n', True),
        (b'"a","b"\r\n"1","2"', True),
        (b'a,b,c\n1,"x"y,3\n', False),  # something after a closing quote
        (b'a,b,c\n1, "x",3\n', False),  # a space before an opening quote
        (b'a,b,c\n1,x"y,3\n', False),  # a quote in the middle of a cell
        (b'a,b,c\n1,"x\\"y",3\n', False),  # a backslash escape
        (b'a,b,c\n1,"x,3\n', False),  # a quoted cell never closed
    ],
)
@pytest.mark.parametrize("chunk", [1, 2, 5, CHUNK])
def test_quotes_out_of_place_are_found(tmp_path: Path, text: bytes, plain: bool, chunk) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(text)
    assert scan_records(path, ",", chunk=chunk).plain_quotes is plain
