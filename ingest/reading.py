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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.errors import redact
from ingest.headers import detect_kind, map_headers
from ingest.lines import record_start_lines

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
        f"organization or district file (first row: {redact(first[:120])!r}); "
        "rename the headers as in the README or add a mapping"
    )


def read_csv(path: Path, scratch: Path) -> RawTable:
    """Read a CSV (any supported encoding and delimiter) as normalized text batches."""
    encoding = detect_encoding(path)
    readable = transcode_to_utf8(path, encoding, scratch)
    con = duckdb.connect()
    # parallel = false: DuckDB's parallel scanner refuses quoted newlines (a cell
    # with Alt+Enter) when null_padding pads short rows.
    options = (
        "header = false, all_varchar = true, null_padding = true, parallel = false, "
        "auto_detect = true"
    )
    query = f"select * from read_csv($path, {options})"
    params = {"path": str(readable)}
    try:
        delimiter_char = con.execute("select Delimiter from sniff_csv($path)", params).fetchall()
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
        index, kind, headers = _find_header(head_rows)
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
    return RawTable(
        headers=headers,
        header_line=int(lines[index]),
        batches=_data_batches(reader, index + 1, lines, counter, con),
        detected={
            "encoding": encoding,
            "delimiter": delimiter_char[0][0],
            "header_row": int(lines[index]),
            "numbering": numbering,
        },
        kind=kind,
        counter=counter,
        scratch_files=[readable] if readable != path else [],
    )


def _data_batches(
    reader: pa.RecordBatchReader,
    first_data_record: int,
    lines: np.ndarray,
    counter: list[int],
    keep_alive: Any = None,
) -> pa.RecordBatchReader:
    """Normalized batches of the non-blank records after the header, with their lines."""
    width = len(reader.schema)
    schema = pa.schema(
        [pa.field(LINE, pa.int64()), *[pa.field(f"c{i}", pa.string()) for i in range(width)]]
    )

    def generate() -> Iterator[pa.RecordBatch]:
        _ = keep_alive  # the connection must outlive the reader it produced
        record = 0
        for batch in reader:
            numbers = pa.array(lines[record : record + batch.num_rows], pa.int64())
            skip = max(0, first_data_record - record)
            record += batch.num_rows
            if skip >= batch.num_rows:
                continue
            data = drop_blank_rows(normalize_batch(batch, numbers).slice(skip))
            counter[0] += data.num_rows
            yield data

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
            numbers = pa.array(range(index + 2, index + 2 + len(data)), pa.int64())
            normalized = drop_blank_rows(normalize_batch(batch, numbers))
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


def _discard(copy: Path, original: Path) -> None:
    """Delete a transcoded copy (it holds personal numbers in clear)."""
    if copy != original:
        copy.unlink(missing_ok=True)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
