"""Physical line numbers and widths of CSV records, found with numpy over the file's bytes.

DuckDB's reader returns records, not lines: it skips blank lines, and a quoted
cell may span several lines. To name the line a person sees in an editor, the
file (UTF-8) is scanned in chunks: a newline ends a record when an even number
of quote characters precede it; a record that is empty (or only ``\\r``) is a blank
line. The result is the starting line of every non-blank record, in file order,
which is also DuckDB's record order.

The same pass counts the cells of every record (delimiters outside quotes, plus
one), so that the reader can be told the widest row before it reads: a row with
more cells than the header is then a row to reject, not a parse error that fails
the file. It also notes whether any line break sits inside quotes and whether the
file holds a NUL byte (binary data, not text).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK = 1 << 24
NEWLINE = ord("\n")
QUOTE = ord('"')
RETURN = ord("\r")
# Records whose cells are counted one by one: enough to hold any header row.
HEAD_RECORDS = 32


@dataclass(frozen=True)
class RecordScan:
    """What one pass over a CSV's bytes found."""

    lines: np.ndarray  # 1-based starting line of each non-blank record
    max_cells: int  # cells of the widest record (0 for an empty file)
    quoted_newlines: bool  # a line break inside a quoted cell
    has_nul: bool  # a NUL byte: binary data
    head_cells: tuple[int, ...] = ()  # cells of the first HEAD_RECORDS non-blank records
    longest: int = 0  # bytes of the longest record (its line break excluded)
    longest_line: int = 0  # the line it starts on


def record_start_lines(path: Path) -> np.ndarray:
    """1-based starting line of each non-blank record of a UTF-8 CSV file."""
    return scan_records(path).lines


def scan_records(path: Path, delimiter: str | None = None) -> RecordScan:
    """Scan a UTF-8 CSV once: record start lines, the widest record (cells split by
    ``delimiter``, a single ASCII character; 0 when not given) and quoting facts.

    The quote parity at a newline or delimiter is the number of quote characters
    before it, looked up with ``searchsorted`` over the quotes' positions (no running
    count over every byte); a doubled quote inside a quoted cell adds two, so the
    parity is right for RFC 4180 quoting.
    """
    separator = ord(delimiter) if delimiter and len(delimiter.encode()) == 1 else None
    starts: list[np.ndarray] = []
    offset = 0  # byte offset of the current chunk
    lines_before = 0  # newlines before the current chunk
    quotes_before = 0  # quote characters before the current chunk
    record_start = 0  # byte offset where the open record began
    record_line = 1  # line on which the open record began
    first_byte = -1  # first byte of the open record (-1: none yet)
    open_delimiters = 0  # unquoted delimiters seen in the open record
    head_cells: list[int] = []
    longest, longest_line = 0, 0
    max_cells = 0
    quoted_newlines = False
    has_nul = False
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            has_nul = has_nul or b"\x00" in chunk
            data = np.frombuffer(chunk, dtype=np.uint8)
            newline_at = np.flatnonzero(data == NEWLINE)
            quote_at = np.flatnonzero(data == QUOTE)
            before = quotes_before + np.searchsorted(quote_at, newline_at)
            is_end = (before % 2) == 0
            quoted_newlines = quoted_newlines or not bool(is_end.all())
            ends = newline_at[is_end]  # newlines that end a record
            counts = None  # unquoted delimiters of each record ending in this chunk
            if separator is not None:
                delimiter_at = np.flatnonzero(data == separator)
                outside = (quotes_before + np.searchsorted(quote_at, delimiter_at)) % 2 == 0
                delimiter_at = delimiter_at[outside]
                if len(ends):
                    upto = np.searchsorted(delimiter_at, ends)
                    counts = np.diff(upto, prepend=0)
                    counts[0] += open_delimiters
                    max_cells = max(max_cells, int(counts.max()) + 1)
                    open_delimiters = len(delimiter_at) - int(upto[-1])
                else:
                    open_delimiters += len(delimiter_at)
            line_of_end = lines_before + 1 + np.searchsorted(newline_at, ends)
            # each record runs from the previous end + 1 to this end
            record_starts = np.concatenate(([record_start], offset + ends[:-1] + 1))
            record_lines = np.concatenate(([record_line], line_of_end[:-1] + 1))
            lengths = offset + ends - record_starts
            if len(ends):
                at = int(np.argmax(lengths))
                if lengths[at] > longest:
                    longest, longest_line = int(lengths[at]), int(record_lines[at])
                blank = lengths == 0
                one = lengths == 1
                # the first byte of each record: look it up inside this chunk, or
                # use the byte remembered from the previous chunk for the open one
                local = record_starts - offset
                first = np.where(local >= 0, data[np.clip(local, 0, len(data) - 1)], first_byte)
                blank |= one & (first == RETURN)
                starts.append(record_lines[~blank])
                if counts is not None and len(head_cells) < HEAD_RECORDS:
                    wanted = HEAD_RECORDS - len(head_cells)
                    head_cells.extend(int(n) + 1 for n in counts[~blank][:wanted])
                record_start = offset + ends[-1] + 1
                record_line = line_of_end[-1] + 1
                first_byte = -1
            if first_byte < 0 and record_start < offset + len(data):
                first_byte = int(data[record_start - offset])
            lines_before += len(newline_at)
            quotes_before += len(quote_at)
            offset += len(data)
    # a last record without a final newline
    trailing = offset - record_start
    if trailing > 0 and not (trailing == 1 and first_byte == RETURN):
        starts.append(np.array([record_line]))
        if trailing > longest:
            longest, longest_line = trailing, record_line
        if separator is not None:
            max_cells = max(max_cells, open_delimiters + 1)
            if len(head_cells) < HEAD_RECORDS:
                head_cells.append(open_delimiters + 1)
    lines = np.concatenate(starts) if starts else np.array([], dtype=np.int64)
    return RecordScan(
        lines.astype(np.int64),
        max_cells,
        quoted_newlines,
        has_nul,
        tuple(head_cells),
        longest,
        longest_line,
    )
