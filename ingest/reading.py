"""Reading inbox files into text columns, whatever their encoding or format.

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM,
GB18030), anything other than plain UTF-8 is transcoded to a scratch file by a
streamed decoder, and DuckDB's reader (``all_varchar``, no header, its own
delimiter sniffer) produces Arrow batches. Excel workbooks (.xlsx, .xls) are
read by ``ingest.excel``, one table per sheet that holds data. Either way the
caller gets the header row, the data rows as Arrow batches of strings with a
``__line`` column (the line or sheet row the record starts on), and what was
detected, for the manifest. The header is found by ``ingest.header_rows`` (title
rows skipped, a two-row header flattened); blank rows and total rows (合计, Total)
are not data.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.errors import redact
from ingest.header_rows import HEADER_SEARCH_ROWS, HeaderRows, locate_header
from ingest.headers import STANDARD, HeaderRules
from ingest.lines import record_start_lines

BATCH_ROWS = 200_000
CHUNK_BYTES = 1 << 20
LINE = "__line"

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xls")
# Every file type the inbox picks up.
SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES

# A total row's label, matched on NFKC-normalized, trimmed cells, ignoring case and
# spaces inside the word (`合 计`), with an optional colon (`合计：`).
_TOTAL_WORD = (
    r"^(?:合\s*计|总\s*计|小\s*计|共\s*计|合\s*計|總\s*計|小\s*計|共\s*計"
    r"|total|sub\s*-?\s*total|grand\s*total|sum)\s*:?$"
)
# Besides its first non-empty cell, a total row may carry its label in any of its
# first cells (`10 | 合计 | …` after a running number).
TOTAL_LEADING_COLUMNS = 3


class FileFault(Exception):
    """A whole-file fault: the file loads nothing and the message says why."""


@dataclass
class RawTable:
    """A file's header and its data rows as batches of normalized strings."""

    headers: list[str]
    header_line: int
    batches: pa.RecordBatchReader
    # What was detected, for the manifest. A CSV's ``total_rows`` is added once
    # ``batches`` is exhausted (total rows are found as the rows stream by).
    detected: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    # Scratch files holding the data in clear (a transcoded copy): the loader
    # deletes them as soon as the file is loaded or has failed.
    scratch_files: list[Path] = field(default_factory=list)
    # Data rows handed out by ``batches`` so far, counted as they are read; the
    # loader compares it with loaded + rejected (the conservation law).
    counter: list[int] = field(default_factory=lambda: [0])

    @property
    def rows_read(self) -> int:
        return self.counter[0]


def detect_encoding(path: Path) -> str:
    """The file's encoding: utf-8, utf-8-sig, utf-16 (BOM) or gb18030; FileFault otherwise."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if not head:
            raise FileFault("the file is empty")
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            encoding = "utf-8"
        handle.seek(0)
        if _decodes(handle, encoding):
            return encoding
        handle.seek(0)
        if _decodes(handle, "gb18030"):
            return "gb18030"
    raise FileFault(
        "the file is neither UTF-8 nor GB18030 text; save it again as CSV (UTF-8) from Excel"
    )


def _decodes(handle: Any, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        while chunk := handle.read(CHUNK_BYTES):
            text = decoder.decode(chunk)
            if "\x00" in text:
                raise FileFault("the file holds binary data (NUL bytes), not text")
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def transcode_to_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """A plain UTF-8 copy of the file in ``scratch`` (streamed), or the file itself."""
    if encoding == "utf-8":
        return path
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / (path.name + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK_BYTES):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def normalize_batch(batch: pa.RecordBatch, lines: pa.Array) -> pa.RecordBatch:
    """NFKC, trimmed, empty as null, every column; ``__line`` (the given numbers) first."""
    arrays = [lines]
    for column in batch.columns:
        text = pc.utf8_trim_whitespace(pc.utf8_normalize(column.cast(pa.string()), "NFKC"))
        arrays.append(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text))
    names = [LINE, *[f"c{i}" for i in range(batch.num_columns)]]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def drop_blank_rows(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Rows whose every cell is empty are not data (a blank line, `,,,`, an empty sheet row)."""
    if batch.num_columns <= 1 or batch.num_rows == 0:
        return batch
    any_value = pc.invert(pc.is_null(batch.column(1)))
    for i in range(2, batch.num_columns):
        any_value = pc.or_(any_value, pc.invert(pc.is_null(batch.column(i))))
    return batch.filter(any_value)


def total_rows_mask(batch: pa.RecordBatch) -> pa.Array:
    """True for a total row: its first non-empty cell, or one of its first
    ``TOTAL_LEADING_COLUMNS`` cells, is 合计, 总计, 小计, Total, Sum … (a normalized batch)."""
    cells = batch.columns[1:]
    if not cells:
        return pa.array([False] * batch.num_rows, pa.bool_())
    mask = None
    # the first non-empty cell is the first cell when that is not empty, so the
    # first cell needs no check of its own
    for column in [pc.coalesce(*cells), *cells[1:TOTAL_LEADING_COLUMNS]]:
        match = pc.match_substring_regex(column, _TOTAL_WORD, ignore_case=True)
        match = pc.fill_null(match, False)
        mask = match if mask is None else pc.or_(mask, match)
    return mask


def drop_total_rows(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, int]:
    """The batch without its total rows, and how many there were."""
    if batch.num_rows == 0:
        return batch, 0
    total = total_rows_mask(batch)
    dropped = pc.sum(total).as_py() or 0
    return (batch.filter(pc.invert(total)), dropped) if dropped else (batch, 0)


def _find_header(rows: list[list[str | None]], rules: HeaderRules = STANDARD) -> HeaderRows:
    """The header of a file's first rows (see ``ingest.header_rows``); FileFault without one."""
    found = locate_header(rows, rules)
    if found is not None:
        return found
    first = ", ".join(cell or "" for cell in rows[0]) if rows else ""
    raise FileFault(
        "no recognisable header row: none of the first "
        f"{HEADER_SEARCH_ROWS} rows names the columns of an activity log, roster, "
        f"organization or district file (first row: {redact(first[:120])!r}); "
        "rename the headers as in the README or add a mapping"
    )


def read_csv(path: Path, scratch: Path, rules: HeaderRules = STANDARD) -> RawTable:
    """Read a CSV (any supported encoding and delimiter) as normalized text batches."""
    encoding = detect_encoding(path)
    readable = transcode_to_utf8(path, encoding, scratch)
    con = duckdb.connect()
    # parallel = false: DuckDB's parallel scanner refuses quoted newlines (a cell
    # with Alt+Enter) when null_padding pads short rows.
    # quote and escape are set, not sniffed: a sample without quotes would make the
    # sniffer choose no quoting, and a quoted line break further down would split.
    options = (
        "header = false, all_varchar = true, null_padding = true, parallel = false, "
        "auto_detect = true, quote = '\"', escape = '\"'"
    )
    query = f"select * from read_csv($path, {options})"
    params = {"path": str(readable)}
    try:
        # the delimiter the read uses, sniffed with the read's own quoting; it is
        # only recorded, so a sniff that fails does not fail the file
        delimiter_char = con.execute(
            "select Delimiter from sniff_csv($path, quote = '\"', escape = '\"', "
            "null_padding = true)",
            params,
        ).fetchall()
    except duckdb.Error:
        delimiter_char = [[None]]
    try:
        head_rows = [
            list(r) for r in con.execute(f"{query} limit {HEADER_SEARCH_ROWS}", params).fetchall()
        ]
        records = con.execute(f"select count(*) from ({query})", params).fetchall()[0][0]
    except duckdb.Error as error:
        _discard(readable, path)
        raise FileFault(f"the CSV cannot be parsed: {redact(_first_line(error))}") from None
    if not head_rows:
        _discard(readable, path)
        raise FileFault("the file has no rows")
    try:
        found = _find_header(head_rows, rules)
    except FileFault:
        _discard(readable, path)
        raise
    lines = record_start_lines(readable)
    numbering = "lines"
    if len(lines) != records:
        # the scan and DuckDB disagree on where records end (a stray quote): fall
        # back to numbering records, and say so in the manifest
        lines = np.arange(1, records + 1)
        numbering = "records"
    reader = con.sql(query, params=params).to_arrow_reader(BATCH_ROWS)
    counter = [0]
    detected: dict[str, Any] = {
        "encoding": encoding,
        "delimiter": delimiter_char[0][0],
        "header_row": int(lines[found.row]),
        "numbering": numbering,
    }
    if found.top != found.row:
        detected["merged_header_row"] = int(lines[found.top])
    return RawTable(
        headers=found.headers,
        header_line=int(lines[found.row]),
        batches=_data_batches(reader, found.row + 1, lines, counter, detected, con),
        detected=detected,
        kind=found.kind,
        counter=counter,
        scratch_files=[readable] if readable != path else [],
    )


def _data_batches(
    reader: pa.RecordBatchReader,
    first_data_record: int,
    lines: np.ndarray,
    counter: list[int],
    detected: dict[str, Any],
    keep_alive: Any = None,
) -> pa.RecordBatchReader:
    """Normalized batches of the records after the header, with their lines; blank
    and total rows dropped, and ``detected["total_rows"]`` set once all are read."""
    width = len(reader.schema)
    schema = pa.schema(
        [pa.field(LINE, pa.int64()), *[pa.field(f"c{i}", pa.string()) for i in range(width)]]
    )

    def generate() -> Iterator[pa.RecordBatch]:
        _ = keep_alive  # the connection must outlive the reader it produced
        record = 0
        totals = 0
        for batch in reader:
            numbers = pa.array(lines[record : record + batch.num_rows], pa.int64())
            skip = max(0, first_data_record - record)
            record += batch.num_rows
            if skip >= batch.num_rows:
                continue
            data, dropped = drop_total_rows(
                drop_blank_rows(normalize_batch(batch, numbers).slice(skip))
            )
            totals += dropped
            counter[0] += data.num_rows
            yield data
        detected["total_rows"] = totals

    return pa.RecordBatchReader.from_batches(schema, generate())


def read_tables(path: Path, scratch: Path, rules: HeaderRules = STANDARD) -> list[RawTable]:
    """Every table of an inbox file: one for a CSV, one per data sheet of a workbook
    (``detected["sheet"]`` names it); FileFault for what cannot be read."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        from ingest.excel import read_workbook  # ingest.excel imports this module

        return read_workbook(path, rules)
    if suffix in CSV_SUFFIXES:
        return [read_csv(path, scratch, rules)]
    raise FileFault(
        f"files of type {suffix or '(none)'} are not read; save it as .csv, .xlsx or .xls"
    )


def read_file(path: Path, scratch: Path, rules: HeaderRules = STANDARD) -> RawTable:
    """The one table of an inbox file; FileFault for a workbook with several data
    sheets (they load through ``read_tables``), rather than reading one and
    silently leaving the others out."""
    tables = read_tables(path, scratch, rules)
    if len(tables) > 1:
        sheets = ", ".join(repr(table.detected["sheet"]) for table in tables)
        raise FileFault(
            f"the workbook has {len(tables)} sheets with data ({sheets}) and only one can "
            "be read here; save each sheet as its own file"
        )
    return tables[0]


def _discard(copy: Path, original: Path) -> None:
    """Delete a transcoded copy (it holds personal numbers in clear)."""
    if copy != original:
        copy.unlink(missing_ok=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
