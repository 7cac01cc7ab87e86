"""What ``python -m ingest --dry-run`` shows of each table it checks: the mapping
applied, how its headers were understood, its first rows as they would land, and
its rejects by reason. Nothing here writes to the lake.

The rows are the validated rows themselves (``landing.land`` hands over the first
``PREVIEW_ROWS`` of the batch it would have landed), so a person is shown by the
first characters of their HMAC key, never by a number: the lake holds no other.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ingest.terminal import pad as _pad
from ingest.terminal import width as _width
from kernel.reasons import DEFAULT_LANGUAGE, codes, message, reason_name

PREVIEW_ROWS = 5
# A key is shown by its first characters: enough to tell two people apart on screen.
KEY_SHOWN = 8
# Columns of a landed row that are not shown: the batch is not landed, and its line
# is the first column of the table.
NOT_SHOWN = ("batch_id", "source_line")


@dataclass
class DryRunView:
    """One table as a dry run saw it."""

    kind: str = ""
    mapping: str = ""  # the mapping file applied ("" for none)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, column)
    constants: list[tuple[str, str]] = field(default_factory=list)  # (column, value)
    not_understood: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)  # a second header for a column
    rows: list[dict[str, Any]] = field(default_factory=list)  # landed columns, as text
    # the first reject of each reason: (reason, line, column, masked value)
    first_rejects: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)


@dataclass
class Preview:
    """What ``landing.land`` hands a dry run of the batch it would land."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    first_rejects: list[tuple[str, int, str | None, str | None]] = field(default_factory=list)

    def take(self, loaded: pa.Table, rejected: pa.Table) -> None:
        """The first ``PREVIEW_ROWS`` loaded rows and the first reject of each reason,
        in line order."""
        self.rows = loaded.sort_by("source_line").slice(0, PREVIEW_ROWS).to_pylist()
        seen: set[str] = set()
        for row in rejected.sort_by("source_line").to_pylist():
            if row["reason"] not in seen:
                seen.add(row["reason"])
                self.first_rejects.append(
                    (row["reason"], row["source_line"], row["reason_column"], row["reason_value"])
                )


def shown_value(column: str, value: Any) -> str:
    """A landed value as the dry run prints it: keys cut to ``KEY_SHOWN`` characters,
    dates and times in ISO form, numbers without trailing zeros, empty for null."""
    if value is None:
        return ""
    if column.endswith("_key"):
        return str(value)[:KEY_SHOWN] + "…"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def preview_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows to keep for the view, every value as text (``shown_value``), with the
    line first."""
    return [
        {
            "line": str(row.get("source_line", "")),
            **{c: shown_value(c, v) for c, v in row.items() if c not in NOT_SHOWN},
        }
        for row in rows[:PREVIEW_ROWS]
    ]


def render(
    file: str,
    view: DryRunView,
    rejects_by_reason: dict[str, int],
    lang: str = DEFAULT_LANGUAGE,
    fault: str = "",
) -> str:
    """The block a dry run prints for one table; ``fault``: why the table would fail
    before its rows were validated (its rows and rejects are then not shown)."""
    lines = [f"{file} ({view.kind})"]
    lines.append(f"  mapping: {view.mapping or 'none'}")
    lines.append("  columns understood:")
    width = max((_width(h) for h, _ in view.columns), default=0)
    for header, column in view.columns:
        # an activity types file reads the seed's header `category` (an alias of the
        # activity type everywhere else) as the type's category
        if view.kind == "activity_types" and column == "activity_type":
            column = "activity_type (read as type_category)"
        lines.append(f"    {header}{' ' * (width - _width(header))} -> {column}")
    lines.extend(f"    (constant) {v!r} -> {c}" for c, v in view.constants)
    if not view.columns and not view.constants:
        lines.append("    none")
    lines.append(f"  headers not understood: {_listed(view.not_understood)}")
    if view.repeated:
        lines.append(f"  headers ignored (their column is given already): {_listed(view.repeated)}")
    if fault:
        lines.append(f"  not validated: {fault}")
        return "\n".join(lines)
    lines.append(f"  first {PREVIEW_ROWS} rows as they will land:")
    lines.extend(f"    {line}" for line in _table(view.rows) or ["none"])
    lines.append("  rejects by reason:")
    order = {code: i for i, code in enumerate(codes())}
    first = {reason: (line, column, value) for reason, line, column, value in view.first_rejects}
    for code in sorted(rejects_by_reason, key=lambda c: (order.get(c, len(order)), c)):
        said = f"    {code}: {rejects_by_reason[code]} ({reason_name(code, lang)})"
        if code in first:
            at, named, shown = first[code]
            where = f"；首条在第 {at} 行：" if lang == "zh" else f"; the first on line {at}: "
            said += where + message(code, named, shown, lang)
        lines.append(said)
    if not rejects_by_reason:
        lines.append("    none")
    return "\n".join(lines)


def _listed(headers: list[str]) -> str:
    return ", ".join(h or "(empty)" for h in headers) if headers else "none"


def _table(rows: list[dict[str, Any]]) -> list[str]:
    """The rows as an aligned table of the columns that hold a value (other than
    ``false``) in at least one of them."""
    if not rows:
        return []
    columns = [c for c in rows[0] if any(row.get(c) not in ("", "false") for row in rows)]
    widths = {c: max(_width(c), *(_width(row.get(c, "")) for row in rows)) for c in columns}
    lines = ["  ".join(_pad(c, widths[c]) for c in columns).rstrip()]
    lines.extend(
        "  ".join(_pad(row.get(c, ""), widths[c]) for c in columns).rstrip() for row in rows
    )
    return lines
