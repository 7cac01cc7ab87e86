"""A CSV's bytes made plain UTF-8 with LF line ends before it is parsed: its encoding
detected (UTF-8 with or without BOM, UTF-16 with BOM or without, GB18030) and anything
else transcoded, and irregular line ends mended, each into a scratch copy, streamed.

A file in an encoding that is not read (Big5, Shift-JIS) fails, named as such: GB18030
decodes almost any bytes, so a file that decodes as GB18030 is still told apart by the
characters each reading gives (``_likely_other``).

A GB18030 file is decoded once (``detect_and_transcode``): detection must decode it
whole to tell it from Big5 and Shift-JIS, and writes its UTF-8 copy as it goes.

A scratch copy holds the file's personal numbers in clear: ``discard`` deletes it.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
from pathlib import Path
from typing import Any

from ingest.messages import Text
from ingest.raw_table import FileFault

CHUNK_BYTES = 1 << 20
HEAD_BYTES = 1 << 20


def detect_encoding(path: Path, head_only: bool = False) -> str:
    """The file's encoding: utf-8, utf-8-sig, utf-16 (BOM), utf-16-le or utf-16-be (no
    BOM, told by its NUL bytes) or gb18030; FileFault otherwise, naming Big5 or
    Shift-JIS when the file looks like either.

    ``head_only``: a file without a BOM whose first ``HEAD_BYTES`` decode as UTF-8 is
    taken as UTF-8 without decoding the rest in Python; DuckDB checks every byte as
    it reads, and the loader asks again with the whole file when it finds one that
    is not (``NOT_UTF8``).
    """
    return _detect(path, head_only, None)


def detect_and_transcode(path: Path, scratch: Path) -> tuple[str, Path]:
    """``detect_encoding(head_only=True)`` and ``transcode_to_utf8`` in one: a GB18030
    file is decoded once, its UTF-8 copy written while detection checks it, instead of
    decoded whole to detect and again to transcode (Python's decoder holds the
    interpreter, so the second pass also kept the other file's worker waiting). The
    copy is kept only when the answer is gb18030, and removed whatever else happens."""
    copy = scratch_copy(path, scratch, "utf8")
    try:
        encoding = _detect(path, True, copy)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    if encoding == "gb18030":
        return encoding, copy
    copy.unlink(missing_ok=True)
    return encoding, transcode_to_utf8(path, encoding, scratch)


def _detect(path: Path, head_only: bool, copy_to: Path | None) -> str:
    """``detect_encoding``; ``copy_to``: where the GB18030 reading, which detection
    decodes whole anyway, is written as UTF-8 as it is decoded."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if not head:
            raise FileFault(Text("empty_file"))
        if head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            encoding = "utf-8"
        handle.seek(0)
        wide = _utf16_without_bom(handle.read(UTF16_SAMPLE_BYTES))
        if wide is not None:
            handle.seek(0)
            if _decodes(handle, wide):
                return wide
            raise FileFault(Text("utf16_undecodable", encoding=Text(f"encoding_{wide}")))
        handle.seek(0)
        if encoding == "utf-8" and head_only and _head_decodes(handle.read(HEAD_BYTES)):
            return encoding
        handle.seek(0)
        if _decodes(handle, encoding):
            return encoding
        handle.seek(0)
        sample = handle.read(SCORE_BYTES)
        handle.seek(0)
        gb18030 = _decodes(handle, "gb18030", copy_to)
        other = _likely_other(sample, gb18030)
        if other is None and gb18030:
            return "gb18030"
        if other is not None:
            handle.seek(0)
            if _decodes(handle, other):
                raise FileFault(Text("other_encoding", encoding=Text(f"encoding_{other}")))
    raise FileFault(Text("unknown_encoding"))


# Bytes looked at to tell UTF-16 without a BOM, and to score the candidate encodings;
# at most SCORE_CHARS non-ASCII characters of the sample are scored, each by a Python
# call per encoding: scoring 64 KB cost every GB18030 file 7 ms (a second in all on
# the bench's 147 GB18030 logs), and a thousand characters tell the readings apart.
UTF16_SAMPLE_BYTES = 4096
SCORE_BYTES = 1 << 13
SCORE_CHARS = 1000


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the NUL bytes of ``sample`` fall on one side
    of the byte pairs, as the high byte of every ASCII character (digits, delimiters,
    line ends) does in UTF-16: at least one pair in ten, and four times as many as on
    the other side (a Chinese character such as 一, U+4E00, has a NUL byte of its own).
    UTF-8 and GB18030 text holds no NUL byte at all."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    odd = sample[1 : 2 * pairs : 2].count(0)  # high bytes of little-endian pairs
    even = sample[0 : 2 * pairs : 2].count(0)
    for nuls, others, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if 10 * nuls >= pairs and nuls >= 4 * others:
            return name
    return None


def _common_gb(char: str) -> bool:
    """In GB2312 (the simplified characters of everyday text)."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _common_big5(char: str) -> bool:
    """In Big5's symbols or its 5,401 frequent characters (lead bytes A1 to C6)."""
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xC6


def _common_sjis(char: str) -> bool:
    """In Shift-JIS's symbols, kana and level-1 kanji (lead bytes 81 to 98); not a
    half-width katakana, which is how other encodings' bytes A1 to DF read."""
    try:
        encoded = char.encode("shift_jis")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0x81 <= encoded[0] <= 0x98


_SCORERS = {"gb18030": _common_gb, "big5": _common_big5, "shift_jis": _common_sjis}


def _share_common(sample: bytes, encoding: str) -> float | None:
    """The share of the non-ASCII characters of ``sample`` (the file's first bytes, a
    character cut at the end allowed) that are common in ``encoding``'s language when
    read in it; None when the sample does not decode, 0 when it holds none."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return None
    wide = [char for char in text if ord(char) > 0x7F][:SCORE_CHARS]
    if not wide:
        return 0.0
    common = _SCORERS[encoding]
    return sum(map(common, wide)) / len(wide)


def _likely_other(sample: bytes, gb18030: bool) -> str | None:
    """``big5`` or ``shift_jis`` when the file reads as ordinary text in it and more of
    its characters are common there than in GB18030 (``gb18030``: whether the whole file
    decodes as GB18030; when it does not, any reading that decodes wins). Simplified
    Chinese in GBK reads almost wholly as GB2312 characters; Big5 or Shift-JIS bytes
    read as GB18030 give rare characters, or none that decode."""
    gb = (_share_common(sample, "gb18030") or 0.0) if gb18030 else -1.0
    best, best_share = None, max(gb, 0.5)  # a reading must be mostly common characters
    for encoding in ("big5", "shift_jis"):
        share = _share_common(sample, encoding)
        if share is not None and share > best_share:
            best, best_share = encoding, share
    return best


def _head_decodes(head: bytes) -> bool:
    """Whether the start of a file is UTF-8 (a character cut at the end is allowed)."""
    if b"\x00" in head:
        raise FileFault(Text("binary_file"))
    try:
        codecs.getincrementaldecoder("utf-8")(errors="strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(handle: Any, encoding: str, copy_to: Path | None = None) -> bool:
    """Whether the rest of ``handle`` decodes strictly in ``encoding`` (FileFault for
    a NUL character: a binary file); ``copy_to``: the text written there as UTF-8 as
    it is decoded, which is the file's UTF-8 copy when it all decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with contextlib.ExitStack() as stack:
        out = (
            stack.enter_context(copy_to.open("w", encoding="utf-8", newline=""))
            if copy_to is not None
            else None
        )
        try:
            while chunk := handle.read(CHUNK_BYTES):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    raise FileFault(Text("binary_file"))
                if out is not None:
                    out.write(text)
            text = decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        if out is not None:
            out.write(text)
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
