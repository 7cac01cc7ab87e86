"""What reading any inbox file gives: a ``RawTable`` (its header and its data rows as
Arrow batches of normalized text), the ``FileFault`` that fails a whole file, and the
batch steps every reader shares (NFKC and masking, blank and total rows dropped).

``ingest.reading`` (CSV) and ``ingest.excel`` (workbooks) both build on this module, and
neither on the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.headers import STANDARD, HeaderRules
from ingest.messages import Text
from kernel.pseudonymize import LONG_NUMBER

LINE = "__line"

# A total row's label, matched on NFKC-normalized, trimmed cells, ignoring case and
# spaces inside the word (`合 计`), with an optional colon (`合计：`).
_TOTAL_WORD = (
    r"^(?:总?\s*合\s*计|总\s*计|小\s*计|共\s*计|累\s*计"
    r"|總?\s*合\s*計|總\s*計|小\s*計|共\s*計|累\s*計"
    r"|total|sub\s*-?\s*total|grand\s*total|sum)\s*:?$"
)
# A total row carries its label in one of its first cells (`10 | 合计 | …` after a
# running number) or of its first non-empty cells (`| | 2024年 | 总合计 | …`).
TOTAL_LEADING_COLUMNS = 3


class FileFault(Exception):
    """A whole-file fault: the file loads nothing and the message says why (``text``: a
    code and its parameters, written in the reader's language when shown;
    ``ingest.messages``). ``str()`` gives it in English."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


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
    # Columns of the header (a CSV's; None for a sheet): a value right of them is
    # rejected as ``extra_cells``.
    header_width: int | None = None
    source: Path | None = None  # the inbox file (a CSV's)

    @property
    def rows_read(self) -> int:
        return self.counter[0]


# The columns whose values are person numbers: validation keys them (HMAC) and never
# stores them, so they are read as they are.
KEYED_COLUMNS = ("person_id", "id_number", "phone")


def keyed_columns(headers: list[str], rules: HeaderRules = STANDARD) -> frozenset[int]:
    """The positions of the columns ``normalize_batch`` leaves unmasked: those that map
    to a person number under ``rules``."""
    positions = rules.map(headers).positions
    return frozenset(positions[c] for c in KEYED_COLUMNS if c in positions)


def normalize_batch(
    batch: pa.RecordBatch, lines: pa.Array, keyed: frozenset[int] = frozenset()
) -> pa.RecordBatch:
    """NFKC, trimmed, empty as null, every column; ``__line`` (the given numbers) first.

    In every column but the ``keyed`` ones (person numbers, which validation keys and
    never stores), a number of 11 digits or more is masked (``139****4504``): an ID or
    phone number typed where it does not belong (a name, a title, a date) is never
    stored or shown in clear.

    Each column is normalized once per distinct value (its dictionary) and the result
    taken back to the rows: a column's values repeat (dates, organizations, people),
    and this halves the work of normalizing every cell."""
    arrays = [lines]
    for index, column in enumerate(batch.columns):
        encoded = pc.dictionary_encode(column.cast(pa.string()))
        text = pc.utf8_trim_whitespace(pc.utf8_normalize(encoded.dictionary, "NFKC"))
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        if index not in keyed:
            text = pc.replace_substring_regex(text, LONG_NUMBER, r"\1****\2")
        arrays.append(pc.take(text, encoded.indices))
    names = [LINE, *[f"c{i}" for i in range(batch.num_columns)]]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _matches(column: pa.Array, pattern: str) -> pa.Array:
    """Whether each value matches ``pattern`` (ignoring case; null: False), the regular
    expression run once per distinct value (labels repeat down a column)."""
    encoded = pc.dictionary_encode(column)
    hits = pc.match_substring_regex(encoded.dictionary, pattern, ignore_case=True)
    return pc.fill_null(pc.take(hits, encoded.indices), False)


def total_rows_mask(batch: pa.RecordBatch) -> pa.Array:
    """True for a total row: one of its first ``TOTAL_LEADING_COLUMNS`` cells, or of
    its first ``TOTAL_LEADING_COLUMNS`` non-empty cells, is a total word (合计, 总合计,
    总计, 小计, 累计, Total, Sum, Grand total …; a normalized batch).

    Columns are read left to right, counting each row's non-empty cells so far, and
    only until every row has passed that many: a handful of columns in practice.
    Past the first ``TOTAL_LEADING_COLUMNS`` columns only the rows still short of
    that many non-empty cells (a few, where a cell was left empty) are matched."""
    mask = np.zeros(batch.num_rows, dtype=bool)
    seen = np.zeros(batch.num_rows, dtype=np.int32)
    for index, column in enumerate(batch.columns[1:]):
        if index < TOTAL_LEADING_COLUMNS:
            mask |= _matches(column, _TOTAL_WORD).to_numpy(zero_copy_only=False)
        else:
            leading = np.flatnonzero(seen < TOTAL_LEADING_COLUMNS)
            if not leading.size:
                break
            hits = _matches(column.take(leading), _TOTAL_WORD)
            mask[leading] |= hits.to_numpy(zero_copy_only=False)
        seen += column.is_valid().to_numpy(zero_copy_only=False)
    return pa.array(mask)


def data_rows(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, int]:
    """A normalized batch without its blank rows (every cell empty: a blank line, `,,,`,
    an empty sheet row) and its total rows (``total_rows_mask``), and how many total
    rows there were."""
    if batch.num_columns <= 1 or batch.num_rows == 0:
        return batch, 0
    first = pc.coalesce(*batch.columns[1:])
    blank = pc.is_null(first)
    total = pc.and_(pc.invert(blank), total_rows_mask(batch))
    totals = pc.sum(total).as_py() or 0
    if not totals and not pc.any(blank).as_py():
        return batch, 0
    return batch.filter(pc.invert(pc.or_(blank, total))), totals


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (a library's may run on), else its type."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
