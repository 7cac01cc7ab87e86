"""Writing files byte for byte the same on every run: CSV in any encoding, and workbooks.

CSV is written by pyarrow's writer as UTF-8; GB18030 and UTF-16 copies are made by a
streamed transcoder (1 MiB at a time). Workbooks come from openpyxl in write-only
mode, then their zip is rewritten with fixed timestamps, since openpyxl stamps the
time of saving into both the zip entries and ``docProps/core.xml``.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

CHUNK = 1 << 20
FIXED_ZIP_TIME = (2026, 10, 31, 0, 0, 0)
FIXED_XML_TIME = "2026-10-31T00:00:00Z"
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def write_csv(
    table: pa.Table,
    path: Path,
    encoding: str,
    eol: str = "\n",
    delimiter: str = ",",
    quoting: str = "none",
    title: str | None = None,
) -> None:
    """Write ``table`` as delimited text in ``encoding``, with an optional title line."""
    options = pacsv.WriteOptions(
        include_header=True,
        delimiter=delimiter,
        eol=eol,
        quoting_style=quoting,
        quoting_header="none" if quoting == "none" else "needed",
        batch_size=65_536,
    )
    buffer = pa.BufferOutputStream()
    if title:
        buffer.write((title + eol).encode("utf-8"))
    pacsv.write_csv(table, buffer, options)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        if encoding in ("utf-8", "utf-8-sig"):
            if encoding == "utf-8-sig":
                out.write(codecs.BOM_UTF8)
            out.write(memoryview(data))
            return
        transcode(memoryview(data), out, encoding)


def transcode(data: memoryview, out: BinaryIO, encoding: str) -> None:
    """Re-encode UTF-8 bytes into ``out`` chunk by chunk (``utf-16`` gets its BOM once)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoder = codecs.getincrementalencoder(encoding)()
    for start in range(0, len(data), CHUNK):
        out.write(encoder.encode(decoder.decode(data[start : start + CHUNK])))
    out.write(encoder.encode(decoder.decode(b"", final=True), final=True))


def write_workbook(
    path: Path,
    sheet: str,
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
) -> None:
    """A one-sheet .xlsx (openpyxl write-only) with reproducible bytes."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for i, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(i)].width = width
    for row in rows:
        worksheet.append(list(row))
    raw = io.BytesIO()
    workbook.save(raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible_zip(raw.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and fixed document timestamps."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_bytes = io.BytesIO()
    with zipfile.ZipFile(target_bytes, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(
                    lambda m: m.group(1) + FIXED_XML_TIME.encode() + m.group(3), content
                )
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, content, compresslevel=6)
    return target_bytes.getvalue()
