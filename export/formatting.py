"""Figures as exports write them: exact values rounded half up once, and safe text cells.

A metric's value is an ``int`` (a count), a ``Decimal`` already rounded (hours, ratios),
``None`` (a ratio whose denominator is 0: an empty cell) or ``SUPPRESSED`` (hidden by
small-cell suppression, written ``*``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final


class _Suppressed:
    """The marker of a cell hidden by small-cell suppression."""

    _instance: _Suppressed | None = None

    def __new__(cls) -> _Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED: Final = _Suppressed()
SUPPRESSED_TEXT = "*"
Value = int | Decimal | None | _Suppressed

# A text cell that a spreadsheet would read as a formula starts with one of these
# (tab and carriage return too, as OWASP lists them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Value) -> str:
    """How a metric value is written in a CSV cell."""
    if value is None:
        return ""
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    return str(value)


def escape_text(text: str | None) -> str:
    """A text cell a spreadsheet will not run: a leading = + - @ gets a ' in front.

    OWASP's advice for CSV injection; the same escaped text goes into the workbook,
    where it is also stored as a string, never a formula.
    """
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
