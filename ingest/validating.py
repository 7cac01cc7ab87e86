"""Row validation and normalization as one DuckDB query per file.

The query reads the relation ``raw`` (``__line`` and text columns ``c0..cN``,
already NFKC-normalized and trimmed) and returns, for every row, the typed
canonical columns of its kind, the pseudonymized keys, and either a null
``reason`` (the row loads) or the first reason code that applies, with the
column it concerns and that column's value, masked. No message is stored: it is
written when it is shown, in the reader's language (``kernel.reasons``). Row order
and count are the input's: nothing is filtered here, so rows read = rows loaded +
rows rejected by construction.

Dates, times, hours and person numbers are parsed (and keyed) once per distinct
value of their column (``Lookup``) and joined back to the rows: a file holds a few
hundred dates and a few thousand people over its many rows, and the regular
expressions and HMACs were most of the query's work when they ran on every row.
``raw`` is therefore scanned more than once: the loader passes a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.activity_types import activity_types_builder
from ingest.headers import STANDARD
from ingest.mapping import Mapping
from ingest.rules import Rule
from ingest.schema import (
    ACTIVITY,
    ACTIVITY_TYPES,
    DISTRICTS,
    EARLIEST_DATE,
    ORGANIZATIONS,
    PEOPLE,
    STATUS_WORDS,
)
from kernel.pseudonymize import hmac_sql, mask_sql, masked_numbers_sql
from kernel.sqltext import quote

PERSONAL = ("id_number", "phone")

# Numbers: decimals, optionally with a unit; full-width digits are ASCII after NFKC.
_NUMBER = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:小时|个小时|钟头|h|hr|hrs|hour|hours)?$"
_MINUTES = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:分钟|分|min|mins|minute|minutes)?$"
_EXCEL_SERIAL = r"^(\d{5})(?:\.0+)?$"
_ID_SCIENTIFIC = r"^[0-9](\.[0-9]+)?E\+?[0-9]+$"
_ID_ZEROED = r"^[0-9]{15}000$"
_TRUE_WORDS = ("是", "y", "yes", "true", "1", "√", "✓", "示范点")


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
            f"{sql.replace(V, 'v').replace(G, 'g')} as {_col(name)}"
            for name, (sql, _) in self.outputs.items()
        )
        return f"l_{self.column} as (select v, {outputs} from ({values}))"

    def joined(self, source: str) -> tuple[str, list[str]]:
        """The join of ``l_<column>`` to ``raw`` on ``source``, and the outputs it gives
        each row."""
        alias = f"l_{self.column}"
        join = f"left join {alias} on {source} = {alias}.v"
        return join, [
            f"{self._default(name, f'{alias}.{_col(name)}')} as {_col(name)}"
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
            selected.append(f"{self._default(name, value)} as {_col(name)}")
        return selected

    def _default(self, name: str, sql: str) -> str:
        default = self.defaults.get(name)
        return f"coalesce({sql}, {default})" if default else sql


def _col(name: str) -> str:
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


DATE_COLUMNS = ("activity_date", "joined_date", "left_date", "effective_date")


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


def _status_sql(v: str) -> str:
    whens = " ".join(
        f"when lower({v}) in ({', '.join(repr(w.lower()) for w in words)}) then '{status}'"
        for status, words in STATUS_WORDS.items()
    )
    return f"case when {v} is null then 'approved' {whens} else 'pending' end"


def _status_known_sql(v: str) -> str:
    words = [w.lower() for ws in STATUS_WORDS.values() for w in ws]
    return f"({v} is null or lower({v}) in ({', '.join(repr(w) for w in words)}))"


def _id_checks_sql(v: str) -> tuple[str, str]:
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


def _header(columns: dict[str, str], name: str) -> str:
    return columns.get(name, name)


def _present(columns: dict[str, str], names: tuple[str, ...]) -> str:
    """The file's headers of those alternatives it has (``a/b``), for a reject that asks
    to fill one of them in; all of them when it has none."""
    have = [columns[name] for name in names if name in columns]
    return "/".join(have or names)


def _source_sql(name: str, positions: dict[str, int], mapping: Mapping | None) -> str:
    """A canonical column's text: from its file column, or the mapping's constant,
    with the mapping's value map and prefix applied."""
    if mapping and name in mapping.constants:
        return f"{quote(mapping.constants[name])}::varchar"
    expr = f"c{positions[name]}" if name in positions else "null::varchar"
    if mapping and name in mapping.values:
        whens = " ".join(
            f"when {quote(old)} then {quote(new)}" for old, new in mapping.values[name].items()
        )
        expr = f"coalesce(case lower({expr}) {whens} end, {expr})"
    if mapping and name in mapping.prefix:
        expr = f"({quote(mapping.prefix[name])} || {expr})"
    return expr


def build_query(
    kind: str,
    columns: dict[str, str],
    positions: dict[str, int],
    headers: list[str],
    mapping: Mapping | None = None,
    header_width: int | None = None,
) -> str:
    """The validation query for one file: ``raw`` in, one output row per input row.

    A ``mapping`` sets constants, maps values and prefixes identifiers before any
    check, so a constant organization satisfies ``missing_org``. ``header_width``
    (a CSV's): a row with a value in a column right of it is ``extra_cells``.
    """
    from ingest.schema import KIND_SPECS

    wanted = KIND_SPECS[kind].columns
    sources = {name: _source_sql(name, positions, mapping) for name in wanted}
    lookups, parsed, rules, output = _KIND_BUILDERS[kind](columns)
    # a column of the file is parsed per distinct value and joined; a constant or
    # absent one is computed inline (once: its vector is constant)
    constants = mapping.constants if mapping else {}
    in_file = set(positions) - set(constants)
    ctes = [lookup.cte(sources[lookup.column]) for lookup in lookups if lookup.column in in_file]
    joins, looked_up = [], []
    for lookup in lookups:
        if lookup.column in in_file:
            join, outputs = lookup.joined(sources[lookup.column])
            joins.append(join)
            looked_up.extend(outputs)
        else:
            constant = lookup.column in constants
            looked_up.extend(lookup.inline(sources[lookup.column] if constant else None))
    selected = [
        "__line as source_line",
        *(f"{sql} as {_col(name)}" for name, sql in sources.items()),
        *looked_up,
    ]
    if header_width is not None and header_width < len(headers):
        rules = [_extra_cells_rule(header_width, len(headers)), *rules]
        # the cells right of the header, which that rule reads
        selected.extend(f"c{i}" for i in range(header_width, len(headers)))
    # each rule's condition is evaluated once, for the reason; its column and
    # value are then looked up by reason, for rejected rows only. Two rules may
    # share a reason (a roster's bad dates): they are told apart by rank.
    cases = " ".join(f"when {r.when} then {i}" for i, r in enumerate(rules))
    reason = " ".join(f"when {i} then '{r.reason}'" for i, r in enumerate(rules))
    reason_column = " ".join(f"when {i} then {r.column}" for i, r in enumerate(rules))
    reason_value = " ".join(f"when {i} then {r.value}" for i, r in enumerate(rules))
    return f"""
with {"".join(cte + "," + chr(10) for cte in ctes)}
looked_up as (
    select {", ".join(selected)} from raw {" ".join(joins)}
),
parsed as (
    select *{"".join(", " + p for p in parsed)} from looked_up
),
ranked as (
    select *, case {cases} end as rule from parsed
),
judged as (
    select *,
        case rule {reason} end as reason,
        case rule {reason_column} end as reason_column,
        case rule {reason_value} end::varchar as reason_value
    from ranked
)
select source_line, {", ".join(output)}, reason, reason_column, reason_value
from judged
"""


def raw_values_sql(headers: list[str], mapping: Mapping | None = None) -> str:
    """SQL of a rejected row's original values as a JSON object, keyed by the file's
    headers (``column 7`` for a cell without one), over ``raw``'s ``c0..cN`` (the
    rejected rows are joined back to ``raw`` by their line: ``landing.rejected_sql``).
    Every column that names a personal number is masked (a second one too), and the
    long numbers of the person number column (a phone used as one); the reader masked
    those of every other column already (``reading.normalize_batch``)."""
    rules = mapping.rules if mapping else STANDARD
    pairs = []
    for i, header in enumerate(headers):
        column, value = rules.column(header), f"c{i}"
        if column in PERSONAL:
            value = mask_sql(value)
        elif column == "person_id":
            value = masked_numbers_sql(value)
        pairs.append(f"{quote(header or f'column {i + 1}')}, {value}")
    return f"json_object({', '.join(pairs)})" if pairs else "'{}'::json"


def _extra_cells_rule(header_width: int, width: int) -> Rule:
    """A value in one of the columns ``header_width .. width - 1`` (0-based), which have
    no header: the row has more cells than the header, so its cells do not line up.
    It names the last cell with a value (``column 8``) and shows that value."""
    extra = list(reversed(range(header_width, width)))
    column = " ".join(f"when c{i} is not null then 'column {i + 1}'" for i in extra)
    value = " ".join(f"when c{i} is not null then c{i}" for i in extra)  # masked when read
    return Rule(
        "extra_cells",
        " or ".join(f"c{i} is not null" for i in extra),
        f"case {column} end",
        f"case {value} end",
    )


NUMBER_TYPE = "decimal(18, 6)"


def _date_lookup(column: str) -> Lookup:
    return Lookup(column, {f"{column}_v": (parse_date_sql(V, G), "date")}, date_groups_sql(V))


def _time_lookup(column: str) -> Lookup:
    return Lookup(column, {f"{column}_v": (parse_time_sql(G), "time")}, time_groups_sql(V))


def _personal_lookups() -> list[Lookup]:
    """The person numbers, normalized and keyed once per distinct value: each key is
    null exactly when its normalized number is (no person number of that kind), and
    the ID number's checks and mask come along."""
    id_number = f"upper(regexp_replace({V}, '\\s', '', 'g'))"
    damaged, valid = _id_checks_sql(G)
    phone = (
        f"nullif(regexp_replace(regexp_replace({V}, '[^0-9]', '', 'g'), "
        "'^(00)?86([0-9]{11})$', '\\2'), '')"
    )
    return [
        Lookup("person_id", {"person_id_key": (hmac_sql(f"upper({V})", "person_id"), "varchar")}),
        Lookup(
            "id_number",
            {
                "id_number_key": (hmac_sql(G, "id_number"), "varchar"),
                "is_id_number_damaged": (damaged, "boolean"),
                "is_id_number_valid": (valid, "boolean"),
                "id_number_masked": (mask_sql(G), "varchar"),
            },
            pre=id_number,
            defaults={"is_id_number_damaged": "false", "is_id_number_valid": "false"},
        ),
        Lookup("phone", {"phone_key": (hmac_sql(phone, "phone"), "varchar")}),
    ]


# The key columns of the kinds that name people: HMAC keys, never the numbers.
KEYS_OUTPUT = [
    "person_id_key",
    "id_number_key",
    "phone_key",
    "is_id_number_damaged",
    "is_id_number_valid",
]


# What a kind's builder gives ``build_query``: its lookups, the other parsed columns,
# its rules in order, and its output columns.
Built = tuple[list[Lookup], list[str], list[Rule], list[str]]


def _activity(columns: dict[str, str]) -> Built:
    h = lambda name: _header(columns, name)  # noqa: E731
    lookups = [
        *_personal_lookups(),
        _date_lookup("activity_date"),
        _time_lookup("start_time"),
        _time_lookup("end_time"),
        Lookup("hours", {"hours_v": (parse_number_sql(V, _NUMBER), NUMBER_TYPE)}),
        Lookup("minutes", {"minutes_v": (parse_number_sql(V, _MINUTES), NUMBER_TYPE)}),
        Lookup(
            "status",
            {
                "status_v": (_status_sql(V), "varchar"),
                "is_status_known": (_status_known_sql(V), "boolean"),
            },
            # no status: approved (a file without the column lists approved hours)
            defaults={"status_v": "'approved'", "is_status_known": "true"},
        ),
    ]
    # the session's minutes, from its hours, minutes or times: computed once a row,
    # read by a rule, its shown value and the output
    parsed = [
        "coalesce(hours_v * 60, minutes_v, (epoch(end_time_v) - epoch(start_time_v)) / 60.0) "
        "as duration"
    ]
    duration = "duration"
    bad_start = "(start_time is not null and start_time_v is null)"
    bad_hours = "(hours is not null and hours_v is null)"
    person_cols = _present(columns, ("person_id", "id_number", "phone"))
    org_cols = _present(columns, ("org_code", "org_name"))
    hours_col = h("hours") if "hours" in columns or "minutes" not in columns else h("minutes")
    rules = [
        Rule(
            "missing_person",
            "person_id_key is null and id_number_key is null and phone_key is null",
            quote(person_cols),
        ),
        Rule("missing_org", "org_code is null and org_name is null", quote(org_cols)),
        Rule("missing_date", "activity_date is null", quote(h("activity_date"))),
        Rule(
            "bad_date",
            "activity_date_v is null",
            quote(h("activity_date")),
            shown_sql("activity_date"),
        ),
        Rule(
            "date_out_of_range",
            f"activity_date_v < date '{EARLIEST_DATE}' or activity_date_v > $today::date",
            quote(h("activity_date")),
            shown_sql("activity_date"),
        ),
        Rule(
            "bad_time",
            f"{bad_start} or (end_time is not null and end_time_v is null)",
            f"case when {bad_start} then {quote(h('start_time'))} else {quote(h('end_time'))} end",
            f"case when {bad_start} then {shown_sql('start_time')} "
            f"else {shown_sql('end_time')} end",
        ),
        Rule(
            "end_before_start",
            "end_time_v <= start_time_v",
            quote(h("end_time")),
            shown_sql("end_time"),
        ),
        Rule(
            "missing_hours",
            "hours is null and minutes is null and (start_time_v is null or end_time_v is null)",
            quote(hours_col),
        ),
        Rule(
            "bad_hours",
            f"{bad_hours} or (minutes is not null and minutes_v is null)",
            f"case when {bad_hours} then {quote(h('hours'))} else {quote(h('minutes'))} end",
            f"case when {bad_hours} then {shown_sql('hours')} else {shown_sql('minutes')} end",
        ),
        Rule(
            "hours_out_of_range",
            f"{duration} <= 0 or {duration} > 1440",
            f"case when hours_v is not null then {quote(h('hours'))} "
            f"else {quote(h('minutes'))} end",
            f"case when hours_v is not null then {shown_sql('hours')} "
            f"else {shown_sql('minutes')} end",
        ),
        Rule("missing_activity_type", "activity_type is null", quote(h("activity_type"))),
        Rule(
            "bad_id_number",
            "is_id_number_damaged and person_id_key is null and phone_key is null",
            quote(h("id_number")),
            "id_number_masked",
        ),
    ]
    output = [
        *KEYS_OUTPUT,
        "person_name",
        "org_code",
        "org_name",
        "activity_date_v as activity_date",
        "start_time_v as start_time",
        "end_time_v as end_time",
        "hours_v as hours",
        "minutes_v as minutes",
        # try_cast: a phone number typed as hours must reject its row, not fail the file
        f"try_cast(round({duration}) as integer) as session_minutes",
        "activity_type",
        "activity_title",
        "location",
        "community",
        "status_v as status",
        "status as status_label",
        "is_status_known",
    ]
    return lookups, parsed, rules, output


def _people(columns: dict[str, str]) -> Built:
    h = lambda name: _header(columns, name)  # noqa: E731
    lookups = [
        *_personal_lookups(),
        *(_date_lookup(c) for c in DATE_COLUMNS if c != "activity_date"),
    ]
    bad_joined = "(joined_date is not null and joined_date_v is null)"
    rules = [
        Rule("missing_person", "person_id_key is null", quote(h("person_id"))),
        Rule(
            "bad_date",
            f"{bad_joined} or (left_date is not null and left_date_v is null)",
            f"case when {bad_joined} then {quote(h('joined_date'))} "
            f"else {quote(h('left_date'))} end",
            f"case when {bad_joined} then {shown_sql('joined_date')} "
            f"else {shown_sql('left_date')} end",
        ),
        # the roster's own date (optional): the same reason, after the person's dates
        Rule(
            "bad_date",
            "effective_date is not null and effective_date_v is null",
            quote(h("effective_date")),
            shown_sql("effective_date"),
        ),
    ]
    output = [
        *KEYS_OUTPUT,
        "person_name",
        "gender",
        "person_type",
        "role",
        "org_code",
        "org_name",
        "joined_date_v as joined_date",
        "left_date_v as left_date",
        "effective_date_v as effective_date",
    ]
    return lookups, [], rules, output


def _organizations(columns: dict[str, str]) -> Built:
    h = lambda name: _header(columns, name)  # noqa: E731
    words = ", ".join(repr(w.lower()) for w in _TRUE_WORDS)
    parsed = [f"coalesce(lower(is_demonstration_site) in ({words}), false) as is_demo_v"]
    rules = [Rule("missing_org", "org_code is null", quote(h("org_code")))]
    output = [
        "org_code",
        "org_name",
        "org_type",
        "parent_org_code",
        "district_code",
        "is_demo_v as is_demonstration_site",
    ]
    return [], parsed, rules, output


def _districts(columns: dict[str, str]) -> Built:
    h = lambda name: _header(columns, name)  # noqa: E731
    rules = [Rule("missing_district", "district_code is null", quote(h("district_code")))]
    return [], [], rules, ["district_code", "district_name", "district_type"]


_KIND_BUILDERS = {
    ACTIVITY: _activity,
    PEOPLE: _people,
    ORGANIZATIONS: _organizations,
    DISTRICTS: _districts,
    ACTIVITY_TYPES: activity_types_builder,
}
