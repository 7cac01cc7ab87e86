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

from ingest.cell_sql import PERSONAL, Rule, column_name
from ingest.headers import STANDARD
from ingest.mapping import Mapping
from ingest.row_rules import KIND_BUILDERS
from kernel.pseudonymize import mask_sql, masked_numbers_sql
from kernel.sqltext import quote


def _source_sql(name: str, positions: dict[str, int], mapping: Mapping | None) -> str:
    """A canonical column's text: from its file column, or the mapping's constant,
    with the mapping's value map and prefix applied."""
    if mapping and name in mapping.constants:
        return f"{quote(mapping.constants[name])}::varchar"
    expr = f"c{positions[name]}" if name in positions else "null::varchar"
    if mapping and name in mapping.values:
        # a label mapped to nothing (`~` or "") empties the cell
        whens = " ".join(
            f"when {quote(old)} then {quote(new) if new else 'null'}"
            for old, new in mapping.values[name].items()
        )
        expr = f"(case lower({expr}) {whens} else {expr} end)"
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
    formats = mapping.formats if mapping else None
    lookups, parsed, rules, output = KIND_BUILDERS[kind](columns, formats)
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
        *(f"{sql} as {column_name(name)}" for name, sql in sources.items()),
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
