"""Reading inbox files into text columns, whatever their encoding or format.

CSV: ``ingest.encoding`` detects the encoding (UTF-8 with or without BOM, UTF-16 with
or without BOM, GB18030; Big5 and Shift-JIS named and refused) and transcodes anything
other than plain UTF-8 to a scratch file, the delimiter is guessed from the first
bytes, the file is scanned once by ``ingest.lines``, and it is read into Arrow
batches of text: by Arrow's CSV reader
when the scan finds it plain (``_read_plain``), else by DuckDB's, every option set
and nothing sniffed. Excel workbooks (.xlsx, .xls) are read by ``ingest.excel``, one
table per sheet that holds data. Either way the caller gets a ``RawTable``
(``ingest.raw_table``): the header row, the data rows as Arrow batches of strings with
a ``__line`` column (the line or sheet row the record starts on), and what was
detected, for the manifest. The header is found by ``ingest.header_rows`` (title
rows skipped, a header of several rows flattened); blank rows and total rows (合计, Total)
are not data.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from ingest.encoding import (
    detect_and_transcode,
    detect_encoding,
    discard,
    regular_line_ends,
    transcode_to_utf8,
)
from ingest.excel import read_workbook
from ingest.header_rows import HEADER_SEARCH_ROWS, HeaderRows, locate_header
from ingest.headers import STANDARD, HeaderRules
from ingest.lines import RecordScan, scan_records
from ingest.messages import Text
from ingest.raw_table import (
    LINE,
    FileFault,
    RawTable,
    data_rows,
    first_line,
    keyed_columns,
    normalize_batch,
)
from kernel.errors import excerpt, mask_secrets
from kernel.sqltext import quote

BATCH_ROWS = 200_000
GUESS_BYTES = 1 << 16
# A row longer than this is refused, rather than read into memory.
MAX_ROW_BYTES = 1 << 20

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xls")
# Every file type the inbox picks up.
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES


def _find_header(rows: list[list[str | None]], rules: HeaderRules = STANDARD) -> HeaderRows:
    """The header of a file's first rows (see ``ingest.header_rows``); FileFault without one."""
    found = locate_header(rows, rules)
    if found is not None:
        return found
    first = ", ".join(cell or "" for cell in rows[0]) if rows else ""
    raise FileFault(Text("no_header", rows=HEADER_SEARCH_ROWS, first=excerpt(first)))


DELIMITERS = (",", ";", "\t", "|")
# Cells read per row while looking for the header (a row with more is cut there:
# only the first rows are read this way, and only to find the header).
HEAD_COLUMNS = 256
# DuckDB's message when a file it reads as UTF-8 is not.
NOT_UTF8 = "Invalid unicode"
# ``detected["numbering"]`` once the stream found the line scan out of step.
MISMATCH = "mismatch"


class _NotUtf8(Exception):
    """DuckDB found bytes that are not UTF-8 in a file taken to be UTF-8."""


class _IrregularLineEnds(Exception):
    """Line ends DuckDB's reader refuses: CRLF and LF mixed, or a carriage return on
    its own (``regular_line_ends`` mends them)."""

    def __init__(self, scan: RecordScan) -> None:
        super().__init__("irregular line ends")
        self.scan = scan


def _line_ends(scan: RecordScan) -> str:
    """What ``regular_line_ends`` mends in a file, as the manifest's ``detected`` says."""
    if not scan.newlines:
        return "cr"  # every line ends in a lone CR
    return "mixed" if not scan.same_line_ends else "cr_in_line"


class ReadAgain(Exception):
    """The stream found the file's line scan and DuckDB's records out of step (a stray
    quote): the loader reads the file again, numbering records instead of lines."""


def _read_sql(delimiter: str, width: int, strict: bool = True) -> str:
    """``read_csv`` of ``$path`` as ``width`` text columns, nothing sniffed: the
    quote is always ``"`` (a sniffed one fails on a late quoted line break), a short
    row is padded with nulls, and a longer one is an error unless ``strict`` is off.

    parallel = false: DuckDB's parallel scanner refuses quoted newlines (a cell with
    Alt+Enter) when null_padding pads short rows.
    """
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    return (
        f"select * from read_csv($path, header = false, auto_detect = false, "
        f"delim = {quote(delimiter)}, quote = '\"', escape = '\"', null_padding = true, "
        f"max_line_size = {2 * MAX_ROW_BYTES}, "
        f"parallel = false, strict_mode = {str(strict).lower()}, columns = {{{columns}}})"
    )


def _delimiter_order(path: Path, rules: HeaderRules) -> list[str]:
    """The delimiters to try, best first, judged in Python on the file's first bytes:
    those that make a header row appear (more columns understood first), then by how
    often they occur in the first line. DuckDB then reads with the first that shows
    it a header; no sniffing pass over the file."""
    with path.open("rb") as handle:
        text = handle.read(GUESS_BYTES).decode("utf-8", errors="replace")
    first_line = text.split("\n", 1)[0]
    scores: dict[str, tuple[int, int]] = {}
    for delimiter in DELIMITERS:
        try:
            records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            rows = list(itertools.islice((r for r in records if r), HEADER_SEARCH_ROWS))
        except csv.Error:
            rows = []
        found = locate_header(rows, rules) if rows else None
        understood = len(rules.map(found.headers).columns) if found else 0
        scores[delimiter] = (understood, first_line.count(delimiter))
    return sorted(DELIMITERS, key=lambda d: (-scores[d][0], -scores[d][1]))


def _head(con: duckdb.DuckDBPyConnection, path: Path, delimiter: str) -> list[list[str | None]]:
    """The first records read with ``delimiter``, trailing all-empty columns dropped."""
    rows = con.execute(
        f"{_read_sql(delimiter, HEAD_COLUMNS, strict=False)} limit {HEADER_SEARCH_ROWS}",
        {"path": str(path)},
    ).fetchall()
    return _trimmed([list(row) for row in rows])


def _trimmed(rows: list[list[str | None]]) -> list[list[str | None]]:
    width = max(
        (i + 1 for row in rows for i, cell in enumerate(row) if cell is not None), default=0
    )
    return [row[:width] for row in rows]


@dataclass
class _Opened:
    """A CSV being streamed by DuckDB with one delimiter: its scan, the first batch,
    the rest of the stream, and the header found in the first rows."""

    delimiter: str
    scan: RecordScan
    width: int
    first: pa.RecordBatch | None
    rest: pa.RecordBatchReader
    found: HeaderRows | None


def _open(
    con: duckdb.DuckDBPyConnection, path: Path, delimiter: str, rules: HeaderRules
) -> _Opened:
    """Scan the file for ``delimiter``, start DuckDB's read as wide as the widest row,
    and look for the header in the first rows of its first batch."""
    scan = scan_records(path, delimiter)
    if scan.has_nul:
        raise FileFault(Text("binary_file"))
    if scan.longest > MAX_ROW_BYTES:
        raise FileFault(
            Text("row_too_long", line=scan.longest_line, size=scan.longest, limit=MAX_ROW_BYTES)
        )
    if not scan.regular_line_ends:
        raise _IrregularLineEnds(scan)
    width = max(scan.max_cells, 1)
    plain = _read_plain(path, delimiter, width, scan)
    if plain is not None:
        batches = plain.to_batches(max_chunksize=BATCH_ROWS)
        reader = pa.RecordBatchReader.from_batches(plain.schema, batches[1:])
        first = batches[0] if batches else None
    else:
        reader = con.sql(_read_sql(delimiter, width), params={"path": str(path)}).to_arrow_reader(
            BATCH_ROWS
        )
        try:
            first = reader.read_next_batch()
        except StopIteration:
            first = None
    if first is None or not first.num_rows:
        return _Opened(delimiter, scan, width, None, reader, None)
    head = first.slice(0, HEADER_SEARCH_ROWS).to_pydict()
    rows = _trimmed([list(row) for row in zip(*head.values(), strict=True)])
    return _Opened(delimiter, scan, width, first, reader, locate_header(rows, rules))


# A plain CSV up to this size is parsed by Arrow's reader, in memory (``_read_plain``).
PLAIN_READ_BYTES = 64 << 20


def _read_plain(path: Path, delimiter: str, width: int, scan: RecordScan) -> pa.Table | None:
    """A plain CSV's records as ``width`` text columns, parsed by Arrow's CSV reader
    (in one pass, into Arrow: faster than DuckDB's reader and its conversion to
    Arrow), or None for any other file, which DuckDB reads.

    Plain: at least two columns, every quote where RFC 4180 puts it, no line break
    inside quotes and every line ending alike (the scan tells), every record exactly
    ``width`` cells, UTF-8 throughout, and as many records as the scan found. On such
    a file the two readers agree cell for cell (``tests/ingest/test_plain_read.py``
    holds them to it); other files, DuckDB reads as it always has.
    """
    if (
        width < 2  # DuckDB reads a blank line of a one-column file as a row
        or not scan.plain_quotes
        or scan.quoted_newlines
        or not scan.same_line_ends
        or path.stat().st_size > PLAIN_READ_BYTES
    ):
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            path,
            pa_csv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 22),
            pa_csv.ParseOptions(
                delimiter=delimiter, quote_char='"', double_quote=True, newlines_in_values=False
            ),
            pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, OSError):
        return None
    return table if table.num_rows == len(scan.lines) else None


def read_csv(
    path: Path,
    scratch: Path,
    rules: HeaderRules = STANDARD,
    con: duckdb.DuckDBPyConnection | None = None,
    encoding: str | None = None,
    by_records: bool = False,
) -> RawTable:
    """Read a CSV (any supported encoding and delimiter) as normalized text batches.

    The delimiter is guessed from the first bytes (``_delimiter_order``), the file is
    scanned once by ``lines.scan_records`` (line numbers, the widest row, the shape of
    its quotes), and read as wide as the widest row, so that a row with extra cells
    is read (and rejected by validation) rather than failing the file: by Arrow's
    reader when the file is plain (``_read_plain``), else streamed by DuckDB with
    every option set.
    The header is looked for in the stream's first rows; when the guess shows none,
    the other delimiters are tried on a 20-row head first. ``encoding`` skips
    detection (the loader's second attempt after DuckDB found a file not to be UTF-8
    after all); ``by_records`` numbers records instead of lines (its attempt after
    ``ReadAgain``).
    """
    guessed = encoding is None
    line_ends = ""  # what was mended (``_line_ends``), for the manifest
    if encoding is None:
        encoding, readable = detect_and_transcode(path, scratch)
    else:
        readable = transcode_to_utf8(path, encoding, scratch)
    reader_con = (con or duckdb.connect()).cursor()
    params = {"path": str(readable)}
    try:
        try:
            order = _delimiter_order(readable, rules)
            try:
                opened = _open(reader_con, readable, order[0], rules)
            except _IrregularLineEnds as irregular:
                mended = regular_line_ends(readable, scratch, cr_only=not irregular.scan.newlines)
                discard(readable, path)
                readable, params = mended, {"path": str(mended)}
                line_ends = _line_ends(irregular.scan)
                opened = _open(reader_con, readable, order[0], rules)
            if opened.first is None:
                raise FileFault(Text("no_rows"))
            if opened.found is None:
                opened = _open_other(reader_con, readable, order, rules, opened)
            found = opened.found
            assert found is not None and opened.first is not None
            lines = opened.scan.lines
            numbering = "lines"
            if by_records:
                query = _read_sql(opened.delimiter, opened.width)
                records = reader_con.cursor().execute(f"select count(*) from ({query})", params)
                lines = np.arange(1, records.fetchall()[0][0] + 1)
                numbering = "records"
        except (duckdb.Error, OSError) as error:  # OSError: DuckDB's, through Arrow
            if guessed and encoding == "utf-8" and NOT_UTF8 in str(error):
                raise _NotUtf8 from None
            detail = mask_secrets(first_line(error))
            raise FileFault(Text("csv_unparsable", detail=detail)) from None
    except _NotUtf8:
        reader_con.close()
        # not UTF-8 after its first megabyte: decode the whole file to tell
        return read_csv(path, scratch, rules, con, detect_encoding(path), by_records)
    except BaseException:
        discard(readable, path)
        reader_con.close()
        raise
    counter = [0]
    detected: dict[str, Any] = {
        "encoding": encoding,
        "delimiter": opened.delimiter,
        "header_row": int(lines[found.row]),
        "numbering": numbering,
    }
    if found.top != found.row:
        detected["merged_header_row"] = int(lines[found.top])
    if line_ends:
        detected["line_ends"] = line_ends
    width = opened.width
    headers = [*found.headers, *[""] * (width - len(found.headers))][:width]
    batches = itertools.chain([opened.first], opened.rest)
    return RawTable(
        headers=headers,
        header_line=int(lines[found.row]),
        batches=_data_batches(
            batches,
            width,
            found.row + 1,
            lines,
            counter,
            detected,
            keyed_columns(headers, rules),
            reader_con,
        ),
        detected=detected,
        kind=found.kind,
        counter=counter,
        scratch_files=[readable] if readable != path else [],
        header_width=_header_width(found, opened.scan.head_cells),
        source=path,
    )


def _open_other(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    order: list[str],
    rules: HeaderRules,
    tried: _Opened,
) -> _Opened:
    """The first other delimiter whose 20-row head shows a header, opened; FileFault
    naming the first row (as the best guess read it) when none does."""
    for delimiter in order[1:]:
        try:
            rows = _head(con, path, delimiter)
        except duckdb.Error:
            continue
        if rows and locate_header(rows, rules) is not None:
            opened = _open(con, path, delimiter, rules)
            if opened.found is not None and opened.first is not None:
                return opened
    head = tried.first.slice(0, HEADER_SEARCH_ROWS).to_pydict() if tried.first else {}
    rows = _trimmed([list(row) for row in zip(*head.values(), strict=True)])
    return _find_header(rows, rules)  # type: ignore[return-value]  # raises FileFault


def _header_width(found: HeaderRows, head_cells: tuple[int, ...]) -> int:
    """The header's cells: its row's own count (empty trailing cells included), and
    at least up to its last named column (a two-row header may be wider than its
    lower row). A row with a value further right has more cells than the header."""
    named = max((i + 1 for i, header in enumerate(found.headers) if header), default=0)
    own = head_cells[found.row] if found.row < len(head_cells) else 0
    return max(named, own)


def _data_batches(
    reader: Iterable[pa.RecordBatch],
    width: int,
    first_data_record: int,
    lines: np.ndarray,
    counter: list[int],
    detected: dict[str, Any],
    keyed: frozenset[int] = frozenset(),
    keep_alive: Any = None,
) -> pa.RecordBatchReader:
    """Normalized batches of the records after the header, with their lines; blank
    and total rows dropped, and ``detected["total_rows"]`` set once all are read."""
    schema = pa.schema(
        [pa.field(LINE, pa.int64()), *[pa.field(f"c{i}", pa.string()) for i in range(width)]]
    )

    def generate() -> Iterator[pa.RecordBatch]:
        _ = keep_alive  # the connection must outlive the reader it produced
        record = 0
        totals = 0
        for batch in reader:
            if record + batch.num_rows > len(lines):
                detected["numbering"] = MISMATCH
                raise ReadAgain(f"{len(lines)} records scanned, more read")
            numbers = pa.array(lines[record : record + batch.num_rows], pa.int64())
            skip = max(0, first_data_record - record)
            record += batch.num_rows
            if skip >= batch.num_rows:
                continue
            data, dropped = data_rows(normalize_batch(batch, numbers, keyed).slice(skip))
            totals += dropped
            counter[0] += data.num_rows
            yield data
        if record != len(lines):
            detected["numbering"] = MISMATCH
            raise ReadAgain(f"{len(lines)} records scanned, {record} read")
        detected["total_rows"] = totals
        if hasattr(keep_alive, "close"):
            keep_alive.close()

    return pa.RecordBatchReader.from_batches(schema, generate())


def read_tables(
    path: Path,
    scratch: Path,
    rules: HeaderRules = STANDARD,
    con: duckdb.DuckDBPyConnection | None = None,
    encoding: str | None = None,
    by_records: bool = False,
) -> list[RawTable]:
    """Every table of an inbox file: one for a CSV, one per data sheet of a workbook
    (``detected["sheet"]`` names it); FileFault for what cannot be read. ``con``,
    ``encoding`` and ``by_records`` are for a CSV (see ``read_csv``)."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_workbook(path, rules)
    if suffix in CSV_SUFFIXES:
        return [read_csv(path, scratch, rules, con, encoding, by_records)]
    raise FileFault(Text("not_read_type", suffix=suffix or "(none)"))


def read_file(path: Path, scratch: Path, rules: HeaderRules = STANDARD) -> RawTable:
    """The one table of an inbox file; FileFault for a workbook with several data
    sheets (they load through ``read_tables``), rather than reading one and
    silently leaving the others out."""
    tables = read_tables(path, scratch, rules)
    if len(tables) > 1:
        sheets = ", ".join(repr(table.detected["sheet"]) for table in tables)
        raise FileFault(Text("several_sheets", count=len(tables), sheets=sheets))
    return tables[0]


def read_again(tables: list[RawTable], error: Exception, again: dict) -> dict | None:
    """How to read a CSV again after its load failed, or None when that would not help."""
    if len(tables) != 1 or "encoding" not in tables[0].detected:
        return None  # a workbook
    detected = tables[0].detected
    if NOT_UTF8 in str(error) and detected["encoding"] == "utf-8" and "encoding" not in again:
        return {"encoding": detect_encoding(tables[0].source)}
    if detected.get("numbering") == MISMATCH and not again.get("by_records"):
        return {"by_records": True}
    return None
