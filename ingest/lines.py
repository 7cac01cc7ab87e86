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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

CHUNK = 1 << 21  # 2 MB: the buffers stay in cache and their pages are reused
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
    # every quote opens a cell (after a delimiter or line break), closes one (before
    # them), or is doubled inside one: no quote in the middle of a cell, nothing
    # after a closing quote, none left open (False when no delimiter was given)
    plain_quotes: bool = False
    # every line ends alike: all in CRLF, or none
    same_line_ends: bool = True
    newlines: int = 0  # line feeds in the file
    lone_returns: int = 0  # carriage returns not followed by a line feed

    @property
    def regular_line_ends(self) -> bool:
        """Whether DuckDB's reader can take the file's line ends: all CRLF or all LF,
        and no carriage return on its own (``reading.regular_line_ends`` mends others)."""
        return self.same_line_ends and self.lone_returns == 0


def scan_records(path: Path, delimiter: str | None = None, chunk: int = CHUNK) -> RecordScan:
    """Scan a UTF-8 CSV once: record start lines, the widest record (cells split by
    ``delimiter``, a single ASCII character; 0 when not given) and quoting facts.

    The quote parity at a newline is the number of quote characters before it,
    looked up with ``searchsorted`` over the quotes' positions (no running count
    over every byte); a doubled quote inside a quoted cell adds two, so the parity is
    right for RFC 4180 quoting. Cells are counted from every delimiter first, which
    is exact for a record without a delimiter inside quotes: only the records that
    could be wider than the widest found so far (and the first ``HEAD_RECORDS``) have
    their delimiters' parity looked up. The file is read into one reused buffer.
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
    quotes = _QuoteShape(separator)
    crlf = 0  # line breaks after a carriage return
    returns = 0  # carriage returns
    last_byte = -1  # the byte before the current chunk
    buffer = np.empty(chunk, dtype=np.uint8)
    mask = np.empty(chunk, dtype=np.bool_)
    with path.open("rb") as handle:
        while size := handle.readinto(memoryview(buffer)):
            data = buffer[:size]
            found = mask[:size]
            np.equal(data, 0, out=found)
            has_nul = has_nul or bool(found.any())
            np.equal(data, NEWLINE, out=found)
            newline_at = np.flatnonzero(found)
            before_newline = np.where(
                newline_at > 0, data[np.maximum(newline_at - 1, 0)], last_byte
            )
            crlf += int(np.count_nonzero(before_newline == RETURN))
            np.equal(data, RETURN, out=found)
            returns += int(np.count_nonzero(found))
            last_byte = int(data[-1])
            np.equal(data, QUOTE, out=found)
            quote_at = np.flatnonzero(found)
            quotes.check(data, quote_at, quotes_before)
            before = quotes_before + np.searchsorted(quote_at, newline_at)
            is_end = (before % 2) == 0
            quoted_newlines = quoted_newlines or not bool(is_end.all())
            ends = newline_at[is_end]  # newlines that end a record
            line_of_end = lines_before + 1 + np.searchsorted(newline_at, ends)
            # each record runs from the previous end + 1 to this end
            record_starts = np.concatenate(([record_start], offset + ends[:-1] + 1))
            record_lines = np.concatenate(([record_line], line_of_end[:-1] + 1))
            lengths = offset + ends - record_starts
            blank = lengths == 0
            if len(ends):
                # the first byte of each record: look it up inside this chunk, or
                # use the byte remembered from the previous chunk for the open one
                local = record_starts - offset
                first_bytes = np.where(
                    local >= 0, data[np.clip(local, 0, len(data) - 1)], first_byte
                )
                blank |= (lengths == 1) & (first_bytes == RETURN)
            counts = None  # unquoted delimiters of each record ending in this chunk
            if separator is not None:
                np.equal(data, separator, out=found)
                delimiter_at = np.flatnonzero(found)
                outside = _outside_quotes(quotes_before, quote_at)
                if len(ends):
                    upto = np.searchsorted(delimiter_at, ends)
                    counts = np.diff(upto, prepend=0)  # every delimiter: at least the unquoted
                    counts[0] += open_delimiters
                    if len(quote_at) or quotes_before % 2:
                        # exact counts where they matter: the records that could be
                        # wider than the widest found so far, and the first ones
                        check = counts + 1 > max_cells
                        check[np.flatnonzero(~blank)[: HEAD_RECORDS - len(head_cells)]] = True
                        ids = np.flatnonzero(check)
                        first = np.concatenate(([0], upto[:-1]))[ids]
                        counts[ids] -= _quoted_per_range(delimiter_at, first, upto[ids], outside)
                    max_cells = max(max_cells, int(counts.max()) + 1)
                    open_delimiters = int(np.count_nonzero(outside(delimiter_at[upto[-1] :])))
                else:
                    open_delimiters += int(np.count_nonzero(outside(delimiter_at)))
            if len(ends):
                at = int(np.argmax(lengths))
                if lengths[at] > longest:
                    longest, longest_line = int(lengths[at]), int(record_lines[at])
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
        quotes.plain and quotes_before % 2 == 0,  # and every quoted cell closed
        crlf in (0, lines_before),
        lines_before,
        returns - crlf,
    )


class _QuoteShape:
    """Whether every quote of a file stands where RFC 4180 puts it, chunk by chunk:
    a quote with an even number of quotes before it opens a cell, so the byte before
    it is a delimiter, a line break, a quote (the second of a doubled one) or the
    start of the file; one with an odd number closes a cell or is doubled, so the
    byte after it is a delimiter, a line break, a quote or the end of the file."""

    def __init__(self, separator: int | None) -> None:
        self.plain = separator is not None
        # the bytes a quote may follow (opening) or precede (closing), as a table
        self.edge = np.zeros(256, dtype=np.bool_)
        self.edge[[QUOTE, NEWLINE, RETURN] + ([separator] if separator is not None else [])] = True
        self.last_byte = NEWLINE  # the byte before the chunk (the file's start: a line break)
        self.closing_at_end = False  # the chunk before ended in a closing quote

    def check(self, data: np.ndarray, quote_at: np.ndarray, quotes_before: int) -> None:
        if not self.plain or not len(data):
            return
        if self.closing_at_end and not self.edge[data[0]]:
            self.plain = False
        self.closing_at_end = False
        if len(quote_at):
            # every other quote opens a cell, from the first or the second by the count before
            first = quotes_before % 2
            opening_at, closing_at = quote_at[first::2], quote_at[1 - first :: 2]
            if len(opening_at) and opening_at[0] == 0:
                if not self.edge[self.last_byte]:
                    self.plain = False
                opening_at = opening_at[1:]
            if len(closing_at) and closing_at[-1] == len(data) - 1:
                self.closing_at_end = True
                closing_at = closing_at[:-1]
            if not (
                self.edge[data[opening_at - 1]].all() and self.edge[data[closing_at + 1]].all()
            ):
                self.plain = False
        self.last_byte = int(data[-1])


def _outside_quotes(quotes_before: int, quote_at: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A function telling, for positions in the chunk, which are outside quotes: an
    even number of quote characters before them (in the file)."""

    def outside(positions: np.ndarray) -> np.ndarray:
        if not len(quote_at) and quotes_before % 2 == 0:
            return np.ones(len(positions), dtype=np.bool_)
        return (quotes_before + np.searchsorted(quote_at, positions)) % 2 == 0

    return outside


def _quoted_per_range(
    positions: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    outside: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """For each range ``positions[first[i]:last[i]]``, how many lie inside quotes."""
    lengths = last - first
    total = int(lengths.sum())
    if not total:
        return np.zeros(len(first), dtype=np.int64)
    # the indexes of every range, end to end, and the range each belongs to
    owner = np.repeat(np.arange(len(first)), lengths)
    index = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths) + first[owner]
    inside = ~outside(positions[index])
    return np.bincount(owner, weights=inside, minlength=len(first)).astype(np.int64)
