"""A CSV's bytes made plain UTF-8 with LF line ends before it is parsed: its encoding
detected (UTF-8 with or without BOM, UTF-16 with BOM, GB18030) and anything else
transcoded, and irregular line ends mended, each into a scratch copy, streamed.

A scratch copy holds the file's personal numbers in clear: ``discard`` deletes it.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from typing import Any

from ingest.raw_table import FileFault

CHUNK_BYTES = 1 << 20
HEAD_BYTES = 1 << 20


def detect_encoding(path: Path, head_only: bool = False) -> str:
    """The file's encoding: utf-8, utf-8-sig, utf-16 (BOM) or gb18030; FileFault otherwise.

    ``head_only``: a file without a BOM whose first ``HEAD_BYTES`` decode as UTF-8 is
    taken as UTF-8 without decoding the rest in Python; DuckDB checks every byte as
    it reads, and the loader asks again with the whole file when it finds one that
    is not (``NOT_UTF8``).
    """
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
        if encoding == "utf-8" and head_only and _head_decodes(handle.read(HEAD_BYTES)):
            return encoding
        handle.seek(0)
        if _decodes(handle, encoding):
            return encoding
        handle.seek(0)
        if _decodes(handle, "gb18030"):
            return "gb18030"
    raise FileFault(
        "the file is neither UTF-8 nor GB18030 text; save it again as CSV (UTF-8) from Excel"
    )


def _head_decodes(head: bytes) -> bool:
    """Whether the start of a file is UTF-8 (a character cut at the end is allowed)."""
    if b"\x00" in head:
        raise FileFault("the file holds binary data (NUL bytes), not text")
    try:
        codecs.getincrementaldecoder("utf-8")(errors="strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


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


def scratch_copy(path: Path, scratch: Path, what: str) -> Path:
    """Where a copy of an inbox file goes in ``scratch``: named after the whole path, so
    two inbox files of the same name in different folders (logs/2025Q2/D05.csv,
    logs/2025Q3/D05.csv) are copied at the same time."""
    scratch.mkdir(parents=True, exist_ok=True)
    unique = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    return scratch / f"{unique}-{path.name}.{what}.csv"


def transcode_to_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """A plain UTF-8 copy of the file in ``scratch`` (streamed), or the file itself."""
    if encoding == "utf-8":
        return path
    target = scratch_copy(path, scratch, "utf8")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(CHUNK_BYTES):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
    return target


def regular_line_ends(path: Path, scratch: Path, cr_only: bool = False) -> Path:
    """A copy of a UTF-8 file in ``scratch`` whose line ends are all LF: CRLF becomes LF
    and a carriage return on its own (a line break typed or pasted into a cell) a space,
    so every line keeps its number and a cell its text; in a file whose lines all end in
    a lone CR (``cr_only``, old Mac text) each CR ends its line. Streamed, in chunks; a
    CR or LF byte is never part of a multi-byte UTF-8 character."""
    target = scratch_copy(path, scratch, "lf")
    lone = b"\n" if cr_only else b" "
    held = b""  # a CR at the end of a chunk: its line feed may start the next one
    with path.open("rb") as source, target.open("wb") as out:
        while chunk := source.read(CHUNK_BYTES):
            chunk = held + chunk
            held = b"\r" if chunk.endswith(b"\r") else b""
            if held:
                chunk = chunk[:-1]
            out.write(chunk.replace(b"\r\n", b"\n").replace(b"\r", lone))
        out.write(held.replace(b"\r", lone))
    return target


def discard(copy: Path, original: Path) -> None:
    """Delete a transcoded copy (it holds personal numbers in clear)."""
    if copy != original:
        copy.unlink(missing_ok=True)
