"""Physical line numbers of CSV records, found with numpy over the file's bytes.

DuckDB's reader returns records, not lines: it skips blank lines, and a quoted
cell may span several lines. To name the line a person sees in an editor, the
file (UTF-8) is scanned in chunks: a newline ends a record when an even number
of quote characters precede it; a record that is empty (or only ``\\r``) is a blank
line. The result is the starting line of every non-blank record, in file order,
which is also DuckDB's record order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHUNK = 1 << 24
NEWLINE = ord("\n")
QUOTE = ord('"')
RETURN = ord("\r")


def record_start_lines(path: Path) -> np.ndarray:
    """1-based starting line of each non-blank record of a UTF-8 CSV file."""
    starts: list[np.ndarray] = []
    offset = 0  # byte offset of the current chunk
    lines_before = 0  # newlines before the current chunk
    quotes_before = 0  # quote characters before the current chunk
    record_start = 0  # byte offset where the open record began
    record_line = 1  # line on which the open record began
    first_byte = -1  # first byte of the open record (-1: none yet)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            data = np.frombuffer(chunk, dtype=np.uint8)
            newline_at = np.flatnonzero(data == NEWLINE)
            quote_count = np.cumsum(data == QUOTE, dtype=np.int64)
            before = quotes_before + np.where(newline_at > 0, quote_count[newline_at - 1], 0)
            ends = newline_at[(before % 2) == 0]  # newlines that end a record
            line_of_end = lines_before + 1 + np.searchsorted(newline_at, ends)
            # each record runs from the previous end + 1 to this end
            record_starts = np.concatenate(([record_start], offset + ends[:-1] + 1))
            record_lines = np.concatenate(([record_line], line_of_end[:-1] + 1))
            lengths = offset + ends - record_starts
            if len(ends):
                blank = lengths == 0
                one = lengths == 1
                # the first byte of each record: look it up inside this chunk, or
                # use the byte remembered from the previous chunk for the open one
                local = record_starts - offset
                first = np.where(local >= 0, data[np.clip(local, 0, len(data) - 1)], first_byte)
                blank |= one & (first == RETURN)
                starts.append(record_lines[~blank])
                record_start = offset + ends[-1] + 1
                record_line = line_of_end[-1] + 1
                first_byte = -1
            if first_byte < 0 and record_start < offset + len(data):
                first_byte = int(data[record_start - offset])
            lines_before += len(newline_at)
            quotes_before += int(quote_count[-1])
            offset += len(data)
    # a last record without a final newline
    trailing = offset - record_start
    if trailing > 0 and not (trailing == 1 and first_byte == RETURN):
        starts.append(np.array([record_line]))
    return np.concatenate(starts) if starts else np.array([], dtype=np.int64)
