"""Header matching: normalize a file's headers, map them to canonical columns, find the kind."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.schema import ALIASES, DETECTION_ORDER, KIND_SPECS, MINUTE_UNITS

# A trailing unit in brackets: `时长(小时)`, `hours [h]`. Full-width brackets are
# already half-width after NFKC.
_UNIT = re.compile(r"^(?P<base>.*?)\s*[(\[](?P<unit>[^()\[\]]*)[)\]]\s*$")


def normalize_header(header: str) -> str:
    """NFKC, trimmed and lower-cased: the form headers and aliases are compared in."""
    return unicodedata.normalize("NFKC", header or "").strip().lower()


def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, aliases in ALIASES.items():
        for alias in (canonical, *aliases):
            table[normalize_header(alias)] = canonical
    return table


ALIAS_TABLE: dict[str, str] = _alias_table()
_MINUTE_UNITS = {normalize_header(u) for u in MINUTE_UNITS}


def canonical_column(header: str) -> str | None:
    """The canonical column a header stands for, or None when it is not understood."""
    name = normalize_header(header)
    if name in ALIAS_TABLE:
        return ALIAS_TABLE[name]
    match = _UNIT.match(name)
    if not match:
        return None
    base = ALIAS_TABLE.get(match.group("base").strip())
    if base is None:
        return None
    if match.group("unit").strip() in _MINUTE_UNITS:
        if base in ("hours", "minutes"):
            return "minutes"
        if base == "hours_each":
            # each participant's minutes: no column holds them, and read as hours
            # they would be 60 times too many; a mapping says what the file means
            return None
    return base


@dataclass
class HeaderMap:
    """How one file's headers map: canonical column -> original header, and what is left."""

    columns: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def map_headers(headers: list[str]) -> HeaderMap:
    """Map headers to canonical columns; the first header for a column wins."""
    return STANDARD.map(headers)


@dataclass(frozen=True)
class HeaderRules:
    """How one file's headers are read: the contract's aliases, plus a mapping's.

    ``extra`` maps normalized headers to columns (a mapping's renames and aliases,
    which win over the standard aliases); ``hours_are_minutes`` reads the column
    that maps to hours as minutes; ``kind`` declares the file's kind.
    """

    extra: dict[str, str] = field(default_factory=dict)
    hours_are_minutes: bool = False
    kind: str | None = None

    def column(self, header: str) -> str | None:
        """The canonical column a header stands for under these rules."""
        canonical = self.extra.get(normalize_header(header)) or canonical_column(header)
        if canonical == "hours" and self.hours_are_minutes:
            return "minutes"
        return canonical

    def map(self, headers: list[str]) -> HeaderMap:
        """Map headers to canonical columns; the first header for a column wins."""
        result = HeaderMap()
        for header in headers:
            canonical = self.column(header)
            if canonical is None:
                result.unmapped.append(header)
            elif canonical in result.columns:
                result.duplicates.append(header)
            else:
                result.columns[canonical] = header
        return result

    def detect_kind(self, columns: set[str]) -> str | None:
        """The declared kind when two or more columns map, else the one the headers show."""
        if self.kind is not None:
            return self.kind if len(columns) >= 2 else None
        return detect_kind(columns)


STANDARD = HeaderRules()


def detect_kind(columns: set[str]) -> str | None:
    """The first kind (in ``DETECTION_ORDER``) whose signature the columns contain and
    that has none of the columns it excludes (an event summary names no person)."""
    for kind in DETECTION_ORDER:
        spec = KIND_SPECS[kind]
        if not columns & spec.excludes and any(s <= columns for s in spec.signatures):
            return kind
    return None
