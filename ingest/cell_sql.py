"""SQL that reads a cell's text: dates, times, numbers, status words and person
numbers, and the two pieces a kind's validation is made of, ``Rule`` and ``Lookup``.

``ingest.row_rules`` builds each kind's rules from them; ``ingest.validating`` puts
those into one query per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.schema import STATUS_WORDS
from kernel.pseudonymize import mask_sql
from kernel.sqltext import quote

PERSONAL = ("id_number", "phone")

# Numbers: decimals, optionally with a unit; full-width digits are ASCII after NFKC.
NUMBER = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:小时|个小时|钟头|h|hr|hrs|hour|hours)?$"
MINUTES = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:分钟|分|min|mins|minute|minutes)?$"
_EXCEL_SERIAL = r"^(\d{5})(?:\.0+)?$"
_ID_SCIENTIFIC = r"^[0-9](\.[0-9]+)?E\+?[0-9]+$"
_ID_ZEROED = r"^[0-9]{15}000$"
TRUE_WORDS = ("是", "y", "yes", "true", "1", "√", "✓", "示范点")


@dataclass(frozen=True)
class Rule:
    """A reason code, when it applies (SQL over the parsed row), the column it names
    (SQL: the file's header, or ``a/b`` for alternatives) and the value shown for it
    (SQL, masked; ``null`` for an empty cell)."""

    reason: str
    when: str
    column: str
    value: str = "null"


def shown_sql(column: str) -> str:
    """SQL of a canonical text column as a reject may show it: a personal number
    masked (``4101**********1065``); any other column as read, which masked its long
    numbers already (``reading.normalize_batch``)."""
    return mask_sql(column) if column in PERSONAL else column


# The value, and the result of its ``pre`` step, in a ``Lookup``'s SQL.
V = "{v}"
G = "{g}"


@dataclass(frozen=True)
class Lookup:
    """Values computed from one canonical text column once per distinct value of it,
    then joined back to the rows.

    ``outputs`` maps each output column to its SQL over ``{v}`` (the value) and
    ``{g}`` (the value's ``pre`` step: a regular expression's groups, extracted once
    and read by several outputs, which keeps the query short to plan), and its type;
    ``defaults`` gives an output's value for a null cell (which matches no value)."""

    column: str
    outputs: dict[str, tuple[str, str]]
    pre: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)

    def cte(self, source: str) -> str:
        """``l_<column>``: the distinct values of ``source`` (SQL over ``raw``) and their
        outputs."""
        values = f"select distinct {source} as v from raw where {source} is not null"
        if self.pre:
            values = f"select v, {self.pre.replace(V, 'v')} as g from ({values})"
        outputs = ", ".join(
            f"{sql.replace(V, 'v').replace(G, 'g')} as {column_name(name)}"
            for name, (sql, _) in self.outputs.items()
        )
        return f"l_{self.column} as (select v, {outputs} from ({values}))"

    def joined(self, source: str) -> tuple[str, list[str]]:
        """The join of ``l_<column>`` to ``raw`` on ``source``, and the outputs it gives
        each row."""
        alias = f"l_{self.column}"
        join = f"left join {alias} on {source} = {alias}.v"
        return join, [
            f"{self._default(name, f'{alias}.{column_name(name)}')} as {column_name(name)}"
            for name in self.outputs
        ]

    def inline(self, source: str | None) -> list[str]:
        """The outputs computed on every row from ``source``, a constant (computed once:
        its vector is constant), or from no column at all (``None``: null, or the
        default)."""
        selected = []
        for name, (sql, kind) in self.outputs.items():
            if source is None:
                value = f"null::{kind}"
            else:
                pre = self.pre.replace(V, source) if self.pre else ""
                value = sql.replace(G, f"({pre})").replace(V, source)
            selected.append(f"{self._default(name, value)} as {column_name(name)}")
        return selected

    def _default(self, name: str, sql: str) -> str:
        default = self.defaults.get(name)
        return f"coalesce({sql}, {default})" if default else sql


def column_name(name: str) -> str:
    return f'"{name}"'


# The two written date forms and the two time forms as one pattern each, so that a
# value is matched once: a regular expression with alternatives, whose groups are
# empty in the alternative that did not match (so ``y`` is ``a.y || b.y``).
_DATE_WRITTEN = (
    r"^(?:(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?"
    r"|(\d{4})(\d{2})(\d{2}))$"
)
_TIME_ANY = (
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+)?"
    r"(?:(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?"
    r"|(\d{1,2})[点时](?:(\d{1,2})分?)?(?:(\d{1,2})秒)?)$"
)


def date_groups_sql(v: str) -> str:
    """The groups of both written date forms (``2025-03-05`` and its variants,
    ``20250305``) as one struct, from one ``regexp_extract``."""
    return f"regexp_extract({v}, '{_DATE_WRITTEN}', ['y1', 'm1', 'd1', 'y2', 'm2', 'd2'])"


def time_groups_sql(v: str) -> str:
    """The groups of both time forms (``08:30:00``, ``8点30分``) as one struct."""
    return f"regexp_extract({v}, '{_TIME_ANY}', ['h1', 'm1', 's1', 'h2', 'm2', 's2'])"


def parse_date_sql(v: str, g: str) -> str:
    """SQL turning every accepted date text ``v`` into a DATE; null when it is not one.
    ``g``: SQL holding ``date_groups_sql(v)``, computed once beforehand (a lookup's
    ``pre`` step), since the groups are read seven times."""
    ymd = f"{g}.y1 || {g}.y2 || '-' || {g}.m1 || {g}.m2 || '-' || {g}.d1 || {g}.d2"
    serial = f"regexp_extract({v}, '{_EXCEL_SERIAL}', 1)"
    return (
        f"case when {g}.y1 || {g}.y2 <> '' then try_strptime({ymd}, '%Y-%m-%d')::date "
        f"when {serial} <> '' then date '1899-12-30' + cast({serial} as integer) end"
    )


def parse_time_sql(g: str) -> str:
    """SQL turning `8:30`, `08:30:00`, `8点30分` (optionally after a date) into a TIME;
    ``g``: SQL holding the value's ``time_groups_sql``."""
    h, m, s = (f"coalesce(nullif({g}.{p}1 || {g}.{p}2, ''), '0')::integer" for p in "hms")
    return (
        f"case when coalesce({g}.h1 || {g}.h2, '') = '' then null "
        f"when {h} < 24 and {m} < 60 and {s} < 60 then make_time({h}, {m}, {s}::double) end"
    )


def parse_number_sql(v: str, pattern: str) -> str:
    return (
        f"case when regexp_full_match(lower({v}), '{pattern}') then "
        f"try_cast(regexp_extract(lower({v}), '{pattern}', 1) as decimal(18, 6)) end"
    )


def status_sql(v: str) -> str:
    whens = " ".join(
        f"when lower({v}) in ({', '.join(repr(w.lower()) for w in words)}) then '{status}'"
        for status, words in STATUS_WORDS.items()
    )
    return f"case when {v} is null then 'approved' {whens} else 'pending' end"


def status_known_sql(v: str) -> str:
    words = [w.lower() for ws in STATUS_WORDS.values() for w in ws]
    return f"({v} is null or lower({v}) in ({', '.join(repr(w) for w in words)}))"


def id_checks_sql(v: str) -> tuple[str, str]:
    """SQL for (damaged by Excel, passes the GB 11643 check digit)."""
    weights = "[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]"
    # one list expression, not 17 terms: short SQL keeps the query's planning cheap
    total = (
        f"list_sum(list_transform(range(1, 18), lambda i: {weights}[i] * "
        f"substr({v}, i::integer, 1)::integer))::bigint"
    )
    check = (
        f"(regexp_full_match({v}, '^[0-9]{{17}}[0-9X]$') and "
        f"['1','0','X','9','8','7','6','5','4','3','2'][(({total}) % 11) + 1] = right({v}, 1))"
    )
    valid = (
        f"coalesce(case when regexp_full_match({v}, '^[0-9]{{17}}[0-9X]$') then {check} end, false)"
    )
    # the check digit only decides for 15 digits then zeros (rare): CASE keeps it there
    damaged = (
        f"(regexp_full_match({v}, '{_ID_SCIENTIFIC}') or "
        f"case when regexp_full_match({v}, '{_ID_ZEROED}') then not {valid} else false end)"
    )
    return f"coalesce({damaged}, false)", valid


def header(columns: dict[str, str], name: str) -> str:
    return columns.get(name, name)


def present(columns: dict[str, str], names: tuple[str, ...]) -> str:
    """The file's headers of those alternatives it has (``a/b``), for a reject that asks
    to fill one of them in; all of them when it has none."""
    have = [columns[name] for name in names if name in columns]
    return "/".join(have or names)


NUMBER_TYPE = "decimal(18, 6)"


# What a kind's builder is given of a mapping: its ``formats`` (a date or time column
# -> the strptime format its values are written in).
Formats = dict[str, str]


def date_lookup(column: str, formats: Formats | None = None) -> Lookup:
    """A date column parsed in every accepted form, or only in the mapping's format
    for it (``formats``: ``%m/%d/%Y``) and as a workbook's date cells are read."""
    form = (formats or {}).get(column)
    if form:
        # a workbook's native date cell reads as 2025-03-05 whatever the format
        sql = f"coalesce(try_strptime({V}, {quote(form)}), try_strptime({V}, '%Y-%m-%d'))::date"
        return Lookup(column, {f"{column}_v": (sql, "date")})
    return Lookup(column, {f"{column}_v": (parse_date_sql(V, G), "date")}, date_groups_sql(V))


def time_lookup(column: str, formats: Formats | None = None) -> Lookup:
    """A time column parsed in every accepted form, or only in the mapping's format
    and as a workbook's time cells are read."""
    form = (formats or {}).get(column)
    if form:
        # a workbook's native time cell reads as 08:30:00 whatever the format
        sql = f"coalesce(try_strptime({V}, {quote(form)}), try_strptime({V}, '%H:%M:%S'))::time"
        return Lookup(column, {f"{column}_v": (sql, "time")})
    return Lookup(column, {f"{column}_v": (parse_time_sql(G), "time")}, time_groups_sql(V))
