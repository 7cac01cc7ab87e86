"""Reading inbox files into text columns, whatever their encoding or format.

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM,
GB18030), anything other than plain UTF-8 is transcoded to a scratch file by a
streamed decoder, and DuckDB's reader (``all_varchar``, no header, its own
delimiter sniffer) produces Arrow batches. Excel: openpyxl in read-only mode.
Either way the caller gets the header row, the data rows as Arrow batches of
strings with a ``__line`` column (the line or sheet row the record starts on), and
what was detected, for the manifest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingest.headers import detect_kind, map_headers

BATCH_ROWS = 200_000
HEADER_SEARCH_ROWS = 20
CHUNK_BYTES = 1 << 20
LINE = "__line"


class FileFault(Exception):
    """A whole-file fault: the file loads nothing and the message says why."""


@dataclass
class RawTable:
    """A file's header and its data rows as batches of normalized strings."""

    headers: list[str]
    header_line: int
    batches: pa.RecordBatchReader
    detected: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
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


def normalize_batch(batch: pa.RecordBatch, first_line: int) -> pa.RecordBatch:
    """NFKC, trimmed, empty as null, every column; a ``__line`` column prepended."""
    arrays = [pa.array(range(first_line, first_line + batch.num_rows), pa.int64())]
    for column in batch.columns:
        text = pc.utf8_trim_whitespace(pc.utf8_normalize(column.cast(pa.string()), "NFKC"))
        arrays.append(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text))
    names = [LINE, *[f"c{i}" for i in range(batch.num_columns)]]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _find_header(rows: list[list[str | None]]) -> tuple[int, str, list[str]]:
    """Index, kind and cells of the first row whose headers make a known kind."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [unicodedata.normalize("NFKC", cell or "").strip() for cell in row]
        kind = detect_kind(set(map_headers(headers).columns))
        if kind:
            return index, kind, headers
    first = ", ".join(cell or "" for cell in rows[0]) if rows else ""
    raise FileFault(
        "no recognisable header row: none of the first "
        f"{HEADER_SEARCH_ROWS} rows names the columns of an activity log, roster, "
        f"organization or district file (first row: {first[:120]!r}); "
        "rename the headers as in the README or add a mapping"
    )


def read_csv(path: Path, scratch: Path) -> RawTable:
    """Read a CSV (any supported encoding and delimiter) as normalized text batches."""
    encoding = detect_encoding(path)
    readable = transcode_to_utf8(path, encoding, scratch)
    con = duckdb.connect()
    options = "header = false, all_varchar = true, null_padding = true, auto_detect = true"
    query = f"select * from read_csv($path, {options})"
    try:
        delimiter = con.execute("select Delimiter from sniff_csv($path)", {"path": str(readable)})
        delimiter_char = delimiter.fetchall()[0][0]
        head = con.execute(f"{query} limit {HEADER_SEARCH_ROWS}", {"path": str(readable)})
        head_rows = [list(row) for row in head.fetchall()]
    except duckdb.Error as error:
        raise FileFault(f"the CSV cannot be parsed: {_first_line(error)}") from None
    if not head_rows:
        raise FileFault("the file has no rows")
    index, kind, headers = _find_header(head_rows)
    reader = con.sql(query, params={"path": str(readable)}).to_arrow_reader(BATCH_ROWS)
    counter = [0]
    return RawTable(
        headers=headers,
        header_line=index + 1,
        batches=_data_batches(reader, index + 1, counter, con),
        detected={"encoding": encoding, "delimiter": delimiter_char, "header_row": index + 1},
        kind=kind,
        counter=counter,
    )


def _data_batches(
    reader: pa.RecordBatchReader, header_line: int, counter: list[int], keep_alive: Any = None
) -> pa.RecordBatchReader:
    """Normalized batches of the rows after the header, numbered from line 1."""
    width = len(reader.schema)
    schema = pa.schema(
        [pa.field(LINE, pa.int64()), *[pa.field(f"c{i}", pa.string()) for i in range(width)]]
    )

    def generate() -> Iterator[pa.RecordBatch]:
        _ = keep_alive  # the connection must outlive the reader it produced
        line = 1
        for batch in reader:
            normalized = normalize_batch(batch, line)
            line += batch.num_rows
            skip = max(0, header_line - (line - batch.num_rows) + 1)
            if skip >= normalized.num_rows:
                continue
            counter[0] += normalized.num_rows - skip
            yield normalized.slice(skip)

    return pa.RecordBatchReader.from_batches(schema, generate())


def _cell_text(value: Any) -> str | None:
    """An Excel cell as the text a person would have typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        # Integers Excel can hold exactly read as integers; beyond 15 digits Excel
        # has already lost digits, so the scientific form is kept for the checks.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).upper() if "e" in repr(value) else repr(value)
    return str(value)


def read_xlsx(path: Path) -> RawTable:
    """Read the first sheet of a workbook that has a recognisable header row."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise FileFault(f"the workbook cannot be opened: {_first_line(error)}") from None
    try:
        fault: FileFault | None = None
        for sheet in workbook.worksheets:
            # openpyxl yields rows one by one; workbooks here are rosters and lists,
            # small next to the CSV activity logs that take the vectorized path.
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if not any(any(cell is not None for cell in row) for row in rows):
                continue
            try:
                index, kind, headers = _find_header(rows)
            except FileFault as error:
                fault = error
                continue
            width = len(headers)
            data = [(row + [None] * width)[:width] for row in rows[index + 1 :]]
            columns = [pa.array([row[i] for row in data], pa.string()) for i in range(width)]
            batch = pa.RecordBatch.from_arrays(columns, names=[f"c{i}" for i in range(width)])
            normalized = normalize_batch(batch, index + 2)
            return RawTable(
                counter=[normalized.num_rows],
                headers=headers,
                header_line=index + 1,
                batches=pa.RecordBatchReader.from_batches(normalized.schema, [normalized]),
                detected={"sheet": sheet.title, "header_row": index + 1},
                kind=kind,
            )
        raise fault or FileFault("the workbook has no sheet with data")
    finally:
        workbook.close()


def read_file(path: Path, scratch: Path) -> RawTable:
    """Read any supported inbox file; FileFault for what cannot be read."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path, scratch)
    raise FileFault(f"files of type {suffix or '(none)'} are not read; save it as .csv or .xlsx")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
