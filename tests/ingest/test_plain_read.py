"""Arrow's CSV reader, used for plain files (``reading._read_plain``), against DuckDB's,
used for every other file: on any file the scan calls plain, the two must give the
same cells, record by record; and on a file with quotes out of place, the plain
reader must decline (DuckDB reads it as it always has)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.lines import scan_records
from ingest.reading import _read_plain, _read_sql

TEXT = st.text(alphabet='ab 中１,;"\t\\', max_size=6)


def duckdb_cells(path: Path, delimiter: str, width: int) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute(_read_sql(delimiter, width), {"path": str(path)}).fetchall()
    finally:
        con.close()


def both(path: Path, delimiter: str) -> tuple[list[tuple] | None, list[tuple] | str]:
    scan = scan_records(path, delimiter)
    width = max(scan.max_cells, 1)
    table = _read_plain(path, delimiter, width, scan)
    plain = None if table is None else [tuple(row.values()) for row in table.to_pylist()]
    try:
        duck: list[tuple] | str = duckdb_cells(path, delimiter, width)
    except duckdb.Error as error:
        duck = f"error: {error}"
    return plain, duck


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(TEXT, min_size=1, max_size=5),
    rows=st.integers(min_value=1, max_value=30),
    data=st.data(),
    quote_all=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_written_rows_read_the_same_both_ways(
    tmp_path: Path, cells, rows, data, quote_all, delimiter, line_end
) -> None:
    # rows as an exporter writes them, every row as wide as the first: a cell with a
    # quote or the delimiter is quoted (every cell, when quote_all), quotes doubled
    width = len(cells)
    table = [cells] + [
        data.draw(st.lists(TEXT, min_size=width, max_size=width)) for _ in range(rows)
    ]

    def cell(text: str) -> str:
        if quote_all or any(c in text for c in (delimiter, '"')):
            return '"' + text.replace('"', '""') + '"'
        return text

    body = line_end.join(delimiter.join(cell(c) for c in row) for row in table) + line_end
    path = tmp_path / "file.csv"
    path.write_text(body, encoding="utf-8")
    plain, duck = both(path, delimiter)
    if plain is not None:
        assert plain == duck
    # a row of empty cells only is not a line Arrow reads; any other such file is plain
    if all(any(c.strip() for c in row) for row in table) and width > 1:
        assert plain is not None


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pieces=st.lists(
        st.sampled_from(["a", "中", ",", '"', '""', " ", "\n", "\r\n", "x,y"]), max_size=60
    )
)
def test_any_file_the_scan_calls_plain_reads_the_same_both_ways(tmp_path: Path, pieces) -> None:
    path = tmp_path / "file.csv"
    path.write_text("".join(pieces), encoding="utf-8")
    plain, duck = both(path, ",")
    if plain is not None:
        assert plain == duck


@pytest.mark.parametrize(
    "text",
    [
        b'a,b,c\n1,"x"y,3\n',  # something after a closing quote: DuckDB refuses the row
        b'a,b,c\n1, "x",3\n',  # a space before a quote: DuckDB reads x
        b'a,b,c\n1,"x\\"y",3\n',  # a backslash escape
        b"a,b,c\n  \n1,2,3\n",  # a line of spaces: one cell to DuckDB, an error to Arrow
        b"a,b,c\n1,2\n",  # a short row: DuckDB pads it
        b'a,b,c\n1,"x\ny",3\n',  # a line break in a quoted cell
    ],
)
def test_files_that_are_not_plain_are_left_to_duckdb(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(text)
    plain, _ = both(path, ",")
    assert plain is None
