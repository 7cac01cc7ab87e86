"""Row validation and normalization as one DuckDB query per file.

The query reads the relation ``raw`` (``__line`` and text columns ``c0..cN``,
already NFKC-normalized and trimmed) and returns, for every row, the typed
canonical columns of its kind, the pseudonymized keys, and either a null
``reason`` (the row loads) or the first reason code that applies, with the
column it concerns and a message. Row order and count are the input's: nothing is
filtered here, so rows read = rows loaded + rows rejected by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.headers import STANDARD
from ingest.mapping import Mapping
from ingest.pseudonymize import hmac_sql, mask_sql
from ingest.schema import ACTIVITY, DISTRICTS, EARLIEST_DATE, ORGANIZATIONS, PEOPLE, STATUS_WORDS
from ingest.sqltext import quote

PERSONAL = ("id_number", "phone")

# Numbers: decimals, optionally with a unit; full-width digits are ASCII after NFKC.
_NUMBER = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:小时|个小时|钟头|h|hr|hrs|hour|hours)?$"
_MINUTES = r"^(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)\s*(?:分钟|分|min|mins|minute|minutes)?$"
_DATE_SEPARATED = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$"
_DATE_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_EXCEL_SERIAL = r"^(\d{5})(?:\.0+)?$"
_DATE_PREFIX = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+"
_TIME_COLON = r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?$"
_TIME_CHINESE = r"^(\d{1,2})[点时](?:(\d{1,2})分?)?(?:(\d{1,2})秒)?$"
_ID_SCIENTIFIC = r"^[0-9](\.[0-9]+)?E\+?[0-9]+$"
_ID_ZEROED = r"^[0-9]{15}000$"
_LONG_DIGITS = r"([0-9]{3})[0-9]{4,}([0-9]{4})"
_TRUE_WORDS = ("是", "y", "yes", "true", "1", "√", "✓", "示范点")


@dataclass(frozen=True)
class Rule:
    """A reason code, when it applies (SQL over the parsed row), and the column it names."""

    reason: str
    when: str
    column: str
    message: str


def _col(name: str) -> str:
    return f'"{name}"'


def parse_date_sql(v: str) -> str:
    """SQL turning every accepted date text into a DATE; null when it is not one."""

    def ymd(pattern: str) -> str:
        parts = " || '-' || ".join(f"regexp_extract({v}, '{pattern}', {i})" for i in (1, 2, 3))
        return f"try_strptime({parts}, '%Y-%m-%d')::date"

    return (
        f"case when regexp_full_match({v}, '{_DATE_SEPARATED}') then {ymd(_DATE_SEPARATED)} "
        f"when regexp_full_match({v}, '{_DATE_COMPACT}') then {ymd(_DATE_COMPACT)} "
        f"when regexp_full_match({v}, '{_EXCEL_SERIAL}') then date '1899-12-30' "
        f"+ cast(regexp_extract({v}, '{_EXCEL_SERIAL}', 1) as integer) end"
    )


def parse_time_sql(v: str) -> str:
    """SQL turning `8:30`, `08:30:00`, `8点30分` (optionally after a date) into a TIME."""
    t = f"regexp_replace({v}, '{_DATE_PREFIX}', '')"

    def part(pattern: str, i: int) -> str:
        return f"coalesce(nullif(regexp_extract({t}, '{pattern}', {i}), ''), '0')::integer"

    def made(pattern: str) -> str:
        h, m, s = (part(pattern, i) for i in (1, 2, 3))
        return (
            f"case when {h} < 24 and {m} < 60 and {s} < 60 "
            f"then make_time({h}, {m}, {s}::double) end"
        )

    return (
        f"case when regexp_full_match({t}, '{_TIME_COLON}') then {made(_TIME_COLON)} "
        f"when regexp_full_match({t}, '{_TIME_CHINESE}') then {made(_TIME_CHINESE)} end"
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
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = " + ".join(f"{w} * substr({v}, {i + 1}, 1)::integer" for i, w in enumerate(weights))
    check = (
        f"(regexp_full_match({v}, '^[0-9]{{17}}[0-9X]$') and "
        f"['1','0','X','9','8','7','6','5','4','3','2'][(({total}) % 11) + 1] = right({v}, 1))"
    )
    valid = (
        f"coalesce(case when regexp_full_match({v}, '^[0-9]{{17}}[0-9X]$') then {check} end, false)"
    )
    damaged = (
        f"(regexp_full_match({v}, '{_ID_SCIENTIFIC}') or "
        f"(regexp_full_match({v}, '{_ID_ZEROED}') and not {valid}))"
    )
    return f"coalesce({damaged}, false)", valid


def _header(columns: dict[str, str], name: str) -> str:
    return columns.get(name, name)


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
    source_file: str,
    mapping: Mapping | None = None,
) -> str:
    """The validation query for one file: ``raw`` in, one output row per input row.

    A ``mapping`` sets constants, maps values and prefixes identifiers before any
    check, so a constant organization satisfies ``missing_org``.
    """
    from ingest.schema import KIND_SPECS

    wanted = KIND_SPECS[kind].columns
    select_src = ["__line as source_line"]
    for name in wanted:
        select_src.append(f"{_source_sql(name, positions, mapping)} as {_col(name)}")
    rules = mapping.rules if mapping else STANDARD
    raw_pairs = []
    for i, header in enumerate(headers):
        # every column that names a personal number is masked, a second one too;
        # in any other column, long digit runs (a number in the wrong column)
        value = f"c{i}"
        if rules.column(header) in PERSONAL:
            value = mask_sql(value)
        else:
            value = f"regexp_replace({value}, '{_LONG_DIGITS}', '\\1****\\2', 'g')"
        raw_pairs.append(f"{quote(header or f'column {i + 1}')}, {value}")
    # the original cells travel along, and the JSON of them is built only for the
    # rejected rows (loaded rows do not keep it): CASE evaluates it for those alone
    select_src.extend(f"c{i}" for i in range(len(headers)))
    raw_values = (
        f"case when reason is not null then json_object({', '.join(raw_pairs)}) end"
        if raw_pairs
        else "'{}'"
    )

    parsed, rules, output = _KIND_BUILDERS[kind](columns)
    cases = " ".join(f"when {r.when} then '{r.reason}'" for r in rules)
    reason_column = " ".join(f"when {r.when} then {quote(r.column)}" for r in rules)
    message = " ".join(f"when {r.when} then {r.message}" for r in rules)
    prefix = f"{quote(source_file)} || ' line ' || source_line || ', '"
    return f"""
with src as (
    select {", ".join(select_src)} from raw
),
parsed as (
    select *, {", ".join(parsed)} from src
),
judged as (
    select *,
        case {cases} end as reason,
        case {reason_column} end as reason_column,
        {prefix} || case {message} end as message
    from parsed
)
select source_line, {", ".join(output)}, reason, reason_column, message,
    {raw_values} as raw_values
from judged
"""


def _personal_parsed() -> tuple[list[str], str, str]:
    """Normalized person numbers, and the SQL of the two ID-number checks over them."""
    damaged, valid = _id_checks_sql("id_number_n")
    return (
        [
            "upper(person_id) as person_id_n",
            "upper(regexp_replace(id_number, '\\s', '', 'g')) as id_number_n",
            "nullif(regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), "
            "'^(00)?86([0-9]{11})$', '\\2'), '') as phone_n",
        ],
        damaged,
        valid,
    )


def _keys_output() -> list[str]:
    return [
        f"{hmac_sql('person_id_n', 'person_id')} as person_id_key",
        f"{hmac_sql('id_number_n', 'id_number')} as id_number_key",
        f"{hmac_sql('phone_n', 'phone')} as phone_key",
        "is_id_number_damaged",
        "is_id_number_valid",
    ]


def _quoted(column: str) -> str:
    return f"'''' || {column} || ''''"


def _activity(columns: dict[str, str]) -> tuple[list[str], list[Rule], list[str]]:
    personal, damaged, valid = _personal_parsed()
    h = lambda name: _header(columns, name)  # noqa: E731
    parsed = [
        *personal,
        f"{damaged} as is_id_number_damaged",
        f"{valid} as is_id_number_valid",
        f"{parse_date_sql('activity_date')} as activity_date_v",
        f"{parse_time_sql('start_time')} as start_time_v",
        f"{parse_time_sql('end_time')} as end_time_v",
        f"{parse_number_sql('hours', _NUMBER)} as hours_v",
        f"{parse_number_sql('minutes', _MINUTES)} as minutes_v",
        f"{_status_sql('status')} as status_v",
        f"{_status_known_sql('status')} as is_status_known",
    ]
    duration = "coalesce(hours_v * 60, minutes_v, (epoch(end_time_v) - epoch(start_time_v)) / 60.0)"
    bad_start = "(start_time is not null and start_time_v is null)"
    bad_hours = "(hours is not null and hours_v is null)"
    person_cols = "/".join(h(c) for c in ("person_id", "id_number", "phone"))
    org_cols = "/".join(h(c) for c in ("org_code", "org_name"))
    hours_col = h("hours") if "hours" in columns or "minutes" not in columns else h("minutes")
    rules = [
        Rule(
            "missing_person",
            "person_id_n is null and id_number_n is null and phone_n is null",
            person_cols,
            quote(f"no person: fill {person_cols}"),
        ),
        Rule(
            "missing_org",
            "org_code is null and org_name is null",
            org_cols,
            quote(f"no organization: fill {org_cols}"),
        ),
        Rule(
            "missing_date",
            "activity_date is null",
            h("activity_date"),
            quote(f"column {h('activity_date')} is empty: give the activity date, e.g. 2025-03-05"),
        ),
        Rule(
            "bad_date",
            "activity_date_v is null",
            h("activity_date"),
            f"{quote('column ' + h('activity_date') + ': ')} || {_quoted('activity_date')} || "
            "' is not a real date; write it as 2025-03-05'",
        ),
        Rule(
            "date_out_of_range",
            f"activity_date_v < date '{EARLIEST_DATE}' or activity_date_v > $today::date",
            h("activity_date"),
            f"{quote('column ' + h('activity_date') + ': ')} || activity_date_v || "
            f"' is before {EARLIEST_DATE} or in the future; check the year'",
        ),
        Rule(
            "bad_time",
            f"{bad_start} or (end_time is not null and end_time_v is null)",
            f"{h('start_time')}/{h('end_time')}",
            f"'column ' || case when {bad_start} then {quote(h('start_time'))} "
            f"else {quote(h('end_time'))} end || ': ' || "
            f"case when {bad_start} then {_quoted('start_time')} else {_quoted('end_time')} end"
            " || ' is not a time; write it as 08:30'",
        ),
        Rule(
            "end_before_start",
            "end_time_v <= start_time_v",
            h("end_time"),
            f"{quote('column ' + h('end_time') + ': ')} || end_time_v || "
            "' is not after the start time ' || start_time_v",
        ),
        Rule(
            "missing_hours",
            "hours is null and minutes is null and (start_time_v is null or end_time_v is null)",
            hours_col,
            quote(f"no hours: fill {hours_col}, or both start and end times"),
        ),
        Rule(
            "bad_hours",
            f"{bad_hours} or (minutes is not null and minutes_v is null)",
            hours_col,
            f"{quote('column ' + hours_col + ': ')} || "
            f"{_quoted(f'case when {bad_hours} then hours else minutes end')}"
            " || ' is not a number; write hours as 2.5'",
        ),
        Rule(
            "hours_out_of_range",
            f"{duration} <= 0 or {duration} > 1440",
            hours_col,
            f"{quote('column ' + hours_col + ': ')} || round({duration} / 60.0, 2) "
            "|| ' hours is not more than 0 and at most 24'",
        ),
        Rule(
            "missing_activity_type",
            "activity_type is null",
            h("activity_type"),
            quote(f"column {h('activity_type')} is empty: give the activity type, e.g. 党员活动日"),
        ),
        Rule(
            "bad_id_number",
            "is_id_number_damaged and person_id_n is null and phone_n is null",
            h("id_number"),
            f"{quote('column ' + h('id_number') + ': ')} || "
            f"{_quoted(mask_sql('id_number_n'))} || ' was damaged by Excel (digits lost); "
            "format the column as text and export again'",
        ),
    ]
    output = [
        *_keys_output(),
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
    return parsed, rules, output


def _people(columns: dict[str, str]) -> tuple[list[str], list[Rule], list[str]]:
    personal, damaged, valid = _personal_parsed()
    h = lambda name: _header(columns, name)  # noqa: E731
    parsed = [
        *personal,
        f"{parse_date_sql('joined_date')} as joined_date_v",
        f"{parse_date_sql('left_date')} as left_date_v",
        f"{damaged} as is_id_number_damaged",
        f"{valid} as is_id_number_valid",
    ]
    bad_joined = "(joined_date is not null and joined_date_v is null)"
    rules = [
        Rule(
            "missing_person",
            "person_id_n is null",
            h("person_id"),
            quote(f"column {h('person_id')} is empty: every roster row needs its person number"),
        ),
        Rule(
            "bad_date",
            f"{bad_joined} or (left_date is not null and left_date_v is null)",
            f"{h('joined_date')}/{h('left_date')}",
            f"'column ' || case when {bad_joined} then {quote(h('joined_date'))} "
            f"else {quote(h('left_date'))} end || ': ' || "
            f"case when {bad_joined} then {_quoted('joined_date')} else {_quoted('left_date')} end"
            " || ' is not a real date; write it as 2025-03-05'",
        ),
    ]
    output = [
        *_keys_output(),
        "person_name",
        "gender",
        "person_type",
        "role",
        "org_code",
        "org_name",
        "joined_date_v as joined_date",
        "left_date_v as left_date",
    ]
    return parsed, rules, output


def _organizations(columns: dict[str, str]) -> tuple[list[str], list[Rule], list[str]]:
    h = lambda name: _header(columns, name)  # noqa: E731
    words = ", ".join(repr(w.lower()) for w in _TRUE_WORDS)
    parsed = [f"coalesce(lower(is_demonstration_site) in ({words}), false) as is_demo_v"]
    rules = [
        Rule(
            "missing_org",
            "org_code is null",
            h("org_code"),
            quote(f"column {h('org_code')} is empty: every organization needs its code"),
        ),
    ]
    output = [
        "org_code",
        "org_name",
        "org_type",
        "parent_org_code",
        "district_code",
        "is_demo_v as is_demonstration_site",
    ]
    return parsed, rules, output


def _districts(columns: dict[str, str]) -> tuple[list[str], list[Rule], list[str]]:
    h = lambda name: _header(columns, name)  # noqa: E731
    rules = [
        Rule(
            "missing_district",
            "district_code is null",
            h("district_code"),
            quote(f"column {h('district_code')} is empty: every district needs its code"),
        ),
    ]
    return ["true as _ok"], rules, ["district_code", "district_name", "district_type"]


_KIND_BUILDERS = {
    ACTIVITY: _activity,
    PEOPLE: _people,
    ORGANIZATIONS: _organizations,
    DISTRICTS: _districts,
}
