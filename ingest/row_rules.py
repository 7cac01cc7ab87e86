"""The rules of each kind: what a row of it is parsed into, why it is rejected (in
the order of ``seeds/reject_reasons.csv``) and which columns it lands with.

A builder takes the file's canonical columns (-> their headers, which rejects name)
and gives ``validating.build_query`` its lookups, the other parsed columns, its rules
in order, and its output columns.
"""

from __future__ import annotations

from collections.abc import Callable

from ingest.activity_types import activity_types_builder
from ingest.cell_sql import (
    MINUTES,
    NUMBER,
    NUMBER_TYPE,
    TRUE_WORDS,
    Formats,
    G,
    Lookup,
    Rule,
    V,
    date_lookup,
    header,
    id_checks_sql,
    parse_number_sql,
    present,
    shown_sql,
    status_known_sql,
    status_sql,
    time_lookup,
)
from ingest.schema import (
    ACTIVITY,
    ACTIVITY_TYPES,
    DATE_COLUMNS,
    DISTRICTS,
    EARLIEST_DATE,
    EVENTS,
    ORGANIZATIONS,
    PEOPLE,
)
from kernel.pseudonymize import hmac_sql, mask_sql
from kernel.sqltext import quote


def _personal_lookups() -> list[Lookup]:
    """The person numbers, normalized and keyed once per distinct value: each key is
    null exactly when its normalized number is (no person number of that kind), and
    the ID number's checks and mask come along."""
    id_number = f"upper(regexp_replace({V}, '\\s', '', 'g'))"
    damaged, valid = id_checks_sql(G)
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


def _status_lookup() -> Lookup:
    return Lookup(
        "status",
        {
            "status_v": (status_sql(V), "varchar"),
            "is_status_known": (status_known_sql(V), "boolean"),
        },
        # no status: approved (a file without the column lists approved hours)
        defaults={"status_v": "'approved'", "is_status_known": "true"},
    )


def _activity(columns: dict[str, str], formats: Formats | None = None) -> Built:
    h = lambda name: header(columns, name)  # noqa: E731
    lookups = [
        *_personal_lookups(),
        date_lookup("activity_date", formats),
        time_lookup("start_time", formats),
        time_lookup("end_time", formats),
        Lookup("hours", {"hours_v": (parse_number_sql(V, NUMBER), NUMBER_TYPE)}),
        Lookup("minutes", {"minutes_v": (parse_number_sql(V, MINUTES), NUMBER_TYPE)}),
        _status_lookup(),
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
    person_cols = present(columns, ("person_id", "id_number", "phone"))
    org_cols = present(columns, ("org_code", "org_name"))
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


# An event summary's headcount (`30`, `30人`, Excel's `30.0`), year (`2025`, `2025年`)
# and month (`3`, `03`, `3月`); anything else is no number (null).
_WHOLE = r"^([0-9]{1,9})(?:\.0+)?\s*人?$"
_YEAR = r"^([0-9]{4})(?:\.0+)?\s*年?$"
_MONTH = r"^([0-9]{1,2})(?:\.0+)?\s*月?$"


def _whole_sql(v: str, pattern: str) -> str:
    return f"try_cast(nullif(regexp_extract({v}, '{pattern}', 1), '') as integer)"


def _events(columns: dict[str, str], formats: Formats | None = None) -> Built:
    """An event summary (DESIGN.md "event summary (活动汇总)"): one row per activity
    held, with its headcount and its hours (the total, or each participant's); the
    activity log's reasons in their order, without ``missing_person``, and with
    ``bad_participants``; the hours' range is each participant's."""
    h = lambda name: header(columns, name)  # noqa: E731
    lookups = [
        date_lookup("activity_date", formats),
        Lookup("year", {"year_v": (_whole_sql(V, _YEAR), "integer")}),
        Lookup(
            "month",
            {"month_v": (f"case when {G} between 1 and 12 then {G} end", "integer")},
            pre=_whole_sql(V, _MONTH),
        ),
        Lookup("participants", {"participants_v": (_whole_sql(V, _WHOLE), "integer")}),
        Lookup("hours", {"hours_v": (parse_number_sql(V, NUMBER), NUMBER_TYPE)}),
        Lookup("hours_each", {"hours_each_v": (parse_number_sql(V, NUMBER), NUMBER_TYPE)}),
        Lookup("minutes", {"minutes_v": (parse_number_sql(V, MINUTES), NUMBER_TYPE)}),
        _status_lookup(),
    ]
    # the date (a row with a year and a month but no date: the month's first day) and
    # the minutes of all participants, computed once a row
    parsed = [
        "case when activity_date is not null then activity_date_v "
        "when year_v is not null and month_v is not null then make_date(year_v, month_v, 1) "
        "end as event_date",
        "coalesce(hours_v * 60, participants_v * hours_each_v * 60, minutes_v) as duration",
    ]
    by_month = "activity_date" not in columns and ("year" in columns or "month" in columns)
    date_col = quote(present(columns, ("year", "month")) if by_month else h("activity_date"))
    year_month = quote(present(columns, ("year", "month")))
    # the date's column and value as a reject shows them: the date, else the year or
    # month that is wrong
    given = "activity_date is not null"
    date_shown = (
        f"case when {given} then {quote(h('activity_date'))} "
        f"when year_v is null then {quote(h('year'))} else {quote(h('month'))} end",
        f"case when {given} then {shown_sql('activity_date')} "
        f"when year_v is null then {shown_sql('year')} else {shown_sql('month')} end",
    )
    bad = {c: f"({c} is not null and {c}_v is null)" for c in ("hours", "hours_each")}
    used = (  # the hours column a row's minutes came from
        "case when hours_v is not null then {hours} "
        "when hours_each_v is not null then {hours_each} else {minutes} end"
    )
    rules = [
        Rule(
            "missing_org",
            "org_code is null and org_name is null",
            quote(present(columns, ("org_code", "org_name"))),
        ),
        Rule(
            "missing_date",
            "activity_date is null and (year is null or month is null)",
            f"case when year is not null and month is null then {quote(h('month'))} "
            f"when month is not null and year is null then {quote(h('year'))} "
            f"else {date_col} end",
        ),
        Rule("bad_date", "event_date is null", *date_shown),
        Rule(
            "date_out_of_range",
            f"event_date < date '{EARLIEST_DATE}' or event_date > $today::date",
            f"case when {given} then {quote(h('activity_date'))} else {year_month} end",
            f"case when {given} then {shown_sql('activity_date')} "
            f"else {shown_sql('year')} || '-' || {shown_sql('month')} end",
        ),
        Rule(
            "missing_hours",
            "hours is null and hours_each is null and minutes is null",
            quote(present(columns, ("hours", "hours_each", "minutes"))),
        ),
        Rule(
            "bad_hours",
            f"{bad['hours']} or {bad['hours_each']} or (minutes is not null and minutes_v is null)",
            f"case when {bad['hours']} then {quote(h('hours'))} "
            f"when {bad['hours_each']} then {quote(h('hours_each'))} "
            f"else {quote(h('minutes'))} end",
            f"case when {bad['hours']} then {shown_sql('hours')} "
            f"when {bad['hours_each']} then {shown_sql('hours_each')} "
            f"else {shown_sql('minutes')} end",
        ),
        Rule(
            "bad_participants",
            "participants_v is null or participants_v < 1",
            quote(h("participants")),
            shown_sql("participants"),
        ),
        Rule(
            "hours_out_of_range",
            # (or more minutes in all than the lake's integer holds)
            "duration / participants_v <= 0 or duration / participants_v > 1440 "
            "or try_cast(round(duration) as integer) is null",
            used.format(**{c: quote(h(c)) for c in ("hours", "hours_each", "minutes")}),
            used.format(**{c: shown_sql(c) for c in ("hours", "hours_each", "minutes")}),
        ),
        Rule("missing_activity_type", "activity_type is null", quote(h("activity_type"))),
    ]
    output = [
        "org_code",
        "org_name",
        "event_date as activity_date",
        "activity_type",
        "activity_title",
        "location",
        "community",
        "participants_v as participants",
        "hours_v as hours",
        "hours_each_v as hours_each",
        # rounded once a row, after the headcount times each one's hours
        "try_cast(round(duration) as integer) as event_minutes",
        "status_v as status",
        "status as status_label",
        "is_status_known",
    ]
    return lookups, parsed, rules, output


def _people(columns: dict[str, str], formats: Formats | None = None) -> Built:
    h = lambda name: header(columns, name)  # noqa: E731
    lookups = [
        *_personal_lookups(),
        *(date_lookup(c, formats) for c in DATE_COLUMNS if c != "activity_date"),
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


def _organizations(columns: dict[str, str], formats: Formats | None = None) -> Built:
    h = lambda name: header(columns, name)  # noqa: E731
    words = ", ".join(repr(w.lower()) for w in TRUE_WORDS)
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


def _districts(columns: dict[str, str], formats: Formats | None = None) -> Built:
    h = lambda name: header(columns, name)  # noqa: E731
    rules = [Rule("missing_district", "district_code is null", quote(h("district_code")))]
    return [], [], rules, ["district_code", "district_name", "district_type"]


KIND_BUILDERS: dict[str, Callable[[dict[str, str], Formats | None], Built]] = {
    ACTIVITY: _activity,
    EVENTS: _events,
    PEOPLE: _people,
    ORGANIZATIONS: _organizations,
    DISTRICTS: _districts,
    ACTIVITY_TYPES: activity_types_builder,
}
