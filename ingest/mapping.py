"""Mapping files: how to read a source whose headers or values are not the contract's.

A mapping is YAML. It describes files of one kind (its ``kind``, or the kind its
columns belong to) and applies to the inbox files whose path (relative to the inbox)
matches one of its ``match`` globs and that are of that kind: a file the contract's own
headers show to be of another kind (an organizations file beside the platform's
exports) is read without it. A mapping without ``match`` is accepted only in an inbox
of one file, where it cannot be wrong. Every ``rename`` key must be a header of each
file the mapping applies to, or an Excel column letter within its columns (``AD``: the
30th; A is the first column of a sheet or of a CSV alike; a header spelled like the
letter wins). A workbook's header of several rows is named by its levels joined with
``/`` (``志愿者服务人数及时长统计/合计/人数``: see ``ingest.header_rows``), and a
repeated header by its ``#2``, ``#3`` (``项目领域#2``); a key names such a column as
the load shows it. Mapping files in the inbox are named ``*.mapping.yaml``
(or ``.yml``) and are never loaded as data. Example, for a third-party platform's
hours export::

    match: ["platform/*.csv"]
    kind: activity
    rename:                      # a header (or a column letter) -> a canonical column
      User.ID: person_id
      K: location
      Date.Vol: activity_date
      Duration: minutes          # the platform counts minutes
      Activity: activity_type
    aliases:                     # more headers for a canonical column
      person_name: [Full Name]
    constants:                   # one value for the whole file
      org_code: S01
    values:                      # labels -> what the contract understands
      activity_type: {Tree planting: 环境保护, Tutoring: 支教}
      status: {OK: approved, Waiting: pending}
      person_name: {Anonymous Neighbor: ~}   # ~ (or "") empties the cell
    prefix:                      # numbers unique only within one school
      person_id: "S01-"
    units:                       # the column mapped to hours holds minutes
      hours: minutes
    formats:                     # how a date or time column is written (strptime)
      activity_date: "%m/%d/%Y"  # 01/31/2023
      start_time: "%I:%M %p"     # 9:05 PM

A format replaces the built-in forms for its column (a workbook's own date and time
cells still read); a value that does not match it is ``bad_date`` or ``bad_time``.
An event summary (one row per activity, with a headcount) is declared with
``kind: events``; a mapping whose columns fit an activity log and an event summary
alike describes activity logs unless it says so.

Keys and values are compared after the same normalization as headers and cells
(NFKC, trimmed, case-insensitive). The first mapping that matches a file applies.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from ingest.headers import LETTERS, HeaderRules, column_index, normalize_header
from ingest.inbox import outside_message, points_outside
from ingest.messages import Text
from ingest.schema import (
    ACTIVITY,
    ACTIVITY_TYPES,
    ALIASES,
    DATE_COLUMNS,
    EVENTS,
    KIND_SPECS,
    KINDS,
    TIME_COLUMNS,
)
from kernel.errors import mask_secrets
from kernel.sqltext import quote

MAPPING_SUFFIXES = (".mapping.yaml", ".mapping.yml")
KEYS = (
    "match",
    "kind",
    "rename",
    "aliases",
    "constants",
    "values",
    "prefix",
    "units",
    "formats",
)


class MappingError(Exception):
    """A mapping file that cannot be used; the message names the file and the key
    (``text``: written in the reader's language when shown, ``ingest.messages``)."""

    def __init__(self, source: str, code: str, **params: Any) -> None:
        self.text = Text("mapping_in", source=source, fault=Text(code, **params))
        super().__init__(str(self.text))


@dataclass(frozen=True)
class Mapping:
    """One mapping: which files, and how to read their headers and values."""

    source: str
    match: tuple[str, ...] = ()
    kind: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # normalized header -> column
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> {from: to}
    prefix: dict[str, str] = field(default_factory=dict)
    hours_are_minutes: bool = False  # units: {hours: minutes}
    formats: dict[str, str] = field(default_factory=dict)  # date/time column -> strptime
    renamed: tuple[str, ...] = ()  # the ``rename`` keys, as written

    @property
    def letters(self) -> dict[str, str]:
        """The ``rename`` keys that may be column letters (normalized) -> columns."""
        keys = (normalize_header(key) for key in self.renamed)
        return {key: self.headers[key] for key in keys if LETTERS.match(key)}

    @property
    def rules(self) -> HeaderRules:
        """The header rules this mapping gives a file."""
        return HeaderRules(dict(self.headers), self.hours_are_minutes, self.kind, self.letters)

    def applies_to(self, name: str) -> bool:
        return not self.match or any(fnmatch.fnmatch(name, pattern) for pattern in self.match)


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def _column(source: str, key: str, column: Any) -> str:
    if column not in ALIASES:
        raise MappingError(
            source, "mapping_not_column", key=key, column=column, columns=", ".join(ALIASES)
        )
    return str(column)


def _section(source: str, data: dict, key: str) -> dict:
    section = data.get(key) or {}
    if not isinstance(section, dict):
        raise MappingError(source, "mapping_not_table", key=key)
    return section


def parse_mapping(data: Any, source: str) -> Mapping:
    """A Mapping from parsed YAML; MappingError naming the file and key when it is wrong."""
    if not isinstance(data, dict):
        raise MappingError(source, "mapping_not_yaml_table")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise MappingError(source, "mapping_unknown_key", key=unknown[0], keys=", ".join(KEYS))
    match = data.get("match") or []
    match = [match] if isinstance(match, str) else list(match)
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise MappingError(source, "mapping_unknown_kind", kind=kind, kinds=", ".join(KINDS))
    renamed = tuple(str(key) for key in _section(source, data, "rename"))
    headers: dict[str, str] = {}
    for column, names in _section(source, data, "aliases").items():
        column = _column(source, "aliases", column)
        for name in [names] if isinstance(names, str) else list(names):
            headers[normalize_header(str(name))] = column
    units = {
        _column(source, "units", column): str(unit)
        for column, unit in _section(source, data, "units").items()
    }
    for column, unit in units.items():
        if column != "hours" or unit != "minutes":
            raise MappingError(source, "mapping_units", column=column, unit=unit)
    for header, column in _section(source, data, "rename").items():
        column = _column(source, "rename", column)
        headers[normalize_header(str(header))] = column
    constants = {
        _column(source, "constants", column): _text(value)
        for column, value in _section(source, data, "constants").items()
    }
    values = {
        # a label mapped to `~` or "" empties the cell ("" here)
        _column(source, "values", column): {
            _text(old).lower(): "" if new is None else _text(new)
            for old, new in (table or {}).items()
        }
        for column, table in _section(source, data, "values").items()
    }
    formats = {
        _format_column(source, column): _format(source, column, form)
        for column, form in _section(source, data, "formats").items()
    }
    prefix = {
        _column(source, "prefix", column): _text(value)
        for column, value in _section(source, data, "prefix").items()
    }
    named = {*headers.values(), *constants, *values, *prefix, *units, *formats}
    return Mapping(
        source,
        tuple(match),
        kind or _kind_of(source, named),
        headers,
        constants,
        values,
        prefix,
        hours_are_minutes=units.get("hours") == "minutes",
        formats=formats,
        renamed=renamed,
    )


def _format_column(source: str, column: Any) -> str:
    if column not in (*DATE_COLUMNS, *TIME_COLUMNS):
        columns = ", ".join((*DATE_COLUMNS, *TIME_COLUMNS))
        raise MappingError(source, "mapping_format_column", column=column, columns=columns)
    return str(column)


def _format(source: str, column: str, form: Any) -> str:
    """A strptime format DuckDB can use (``%m/%d/%Y``); MappingError naming the key."""
    example = "%I:%M %p" if column in TIME_COLUMNS else "%m/%d/%Y"
    text = form if isinstance(form, str) else ""
    problem = "" if "%" in text else "it has no % directive"
    if not problem:
        try:
            duckdb.sql(f"select try_strptime('', {quote(text)})").fetchall()
        except duckdb.Error as error:
            problem = str(error).strip().splitlines()[0] if str(error).strip() else "invalid"
    if problem:
        raise MappingError(
            source, "mapping_bad_format", column=column, form=form, problem=problem, example=example
        )
    return text


def _kind_of(source: str, columns: set[str]) -> str:
    """The one kind whose columns hold every column a mapping names; MappingError when
    they fit several kinds (it must say which) or none."""
    fitting = [kind for kind in KINDS if columns <= set(KIND_SPECS[kind].columns)]
    if ACTIVITY in fitting:  # activity_type is a column of both: a log's mapping is a log's
        fitting = [kind for kind in fitting if kind != ACTIVITY_TYPES]
    if fitting == [ACTIVITY, EVENTS]:
        # the columns of a log that an event summary has too: a log, as before event
        # summaries were read; a mapping for those says `kind: events`
        fitting = [ACTIVITY]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting:
        raise MappingError(source, "mapping_mixed_kinds", columns=", ".join(sorted(columns)))
    named = (
        Text("mapping_its_columns", columns=", ".join(sorted(columns)))
        if columns
        else Text("mapping_no_columns")
    )
    raise MappingError(
        source,
        "mapping_ambiguous_kind",
        named=named,
        fitting=", ".join(fitting),
        first=fitting[0],
        others=", ".join(fitting[1:]),
    )


def load_mapping_file(path: Path) -> list[Mapping]:
    """The mappings of one YAML file: one mapping, or a list under ``mappings``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise MappingError(path.name, "mapping_not_yaml", detail=mask_secrets(first)) from None
    if isinstance(data, dict) and "mappings" in data:
        entries = data["mappings"]
        if not isinstance(entries, list):
            raise MappingError(path.name, "mapping_list")
        return [
            parse_mapping(entry, f"{path.name} (mapping {i + 1})")
            for i, entry in enumerate(entries)
        ]
    return [parse_mapping(data, path.name)]


def inbox_mapping_files(inbox: Path) -> list[Path]:
    """The inbox's mapping files; MappingError for one that is a link pointing outside
    the inbox, which is never read (``ingest.inbox``)."""
    found = sorted(
        path
        for path in inbox.rglob("*")
        if path.name.lower().endswith(MAPPING_SUFFIXES) and (path.is_file() or path.is_symlink())
    )
    for path in found:
        if points_outside(path, inbox):
            name = path.relative_to(inbox).as_posix()
            raise MappingError(name, outside_message(path).code)
    return [path for path in found if path.is_file()]


def mappings_for(mappings: list[Mapping], name: str) -> list[Mapping]:
    """The mappings whose ``match`` covers the inbox file ``name``, in order: the first
    of them that describes the file's kind applies (``loader``)."""
    return [m for m in mappings if m.applies_to(name)]


def check_unscoped(mappings: list[Mapping], files: list[str]) -> None:
    """MappingError for a mapping without ``match`` in an inbox of more than one file:
    it would apply to every file of its kind, another source's too."""
    for mapping in mappings:
        if not mapping.match and len(files) > 1:
            shown = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
            raise MappingError(
                mapping.source,
                "mapping_no_match",
                count=len(files),
                shown=shown,
                example=_example(files),
            )


def _example(files: list[str]) -> str:
    folder = files[0].rpartition("/")[0]
    return f"{folder}/*" if folder else files[0]


def rename_keys_missing(mapping: Mapping, headers: list[str]) -> list[str]:
    """The ``rename`` keys of ``mapping`` that are neither headers of a file it applies
    to nor the letter of one of its columns."""
    present = {normalize_header(header) for header in headers}
    return [
        key
        for key in mapping.renamed
        if normalize_header(key) not in present
        and not (LETTERS.match(normalize_header(key)) and column_index(key) < len(headers))
    ]
