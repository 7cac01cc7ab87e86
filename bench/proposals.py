"""``python -m bench.proposals FILE.csv``: the evidence behind the speed-ups proposed in
``bench/README.md``, measured on one UTF-8 activity log (nothing in ``ingest/`` changes).

For each step of a load it times what ``ingest`` does now next to a proposed way of
doing the same work, and checks that the proposed way gives the same result:

1. reading: ``read_csv`` runs four DuckDB scans (``sniff_csv``, a head, a
   ``count(*)`` over the whole file, the read itself), each with ``auto_detect`` and
   so each sniffing again; proposed: sniff once and read with its options, no count;
2. line numbers: ``record_start_lines`` builds an int64 running count of quotes over
   every byte; proposed: look quotes up only where the newlines are (same output);
3. validation: the query's parts, each replaced by a constant to see what it costs
   (raw_values for every row, the message and reason_column chains, the HMAC keys);
4. landing: the judged rows written to a scratch Parquet file, read back twice and
   counted twice; proposed: a temporary table in DuckDB, and ``COPY``'s own count.

These proposals were measured at 9dd97a0 and are now in ``ingest/`` (see
``bench/README.md``, "What was done"): the "now" figures time the new code, and the
parts that left the validation query (``raw_values``, the HMAC keys) change nothing
when removed from it.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ingest.headers import map_headers
from ingest.landing import landed_sql, query_params, rejected_sql, used_params
from ingest.lines import CHUNK, NEWLINE, QUOTE, RETURN, record_start_lines
from ingest.reading import read_csv
from ingest.validating import build_query

# the SQL of one HMAC key (ingest.pseudonymize.hmac_sql)
HMAC = r"sha256\(\$opad::blob \|\| unhex\(sha256\(\$ipad::blob \|\| encode\([^)]*\)\)\)\)"
OPTIONS = (
    "header = false, all_varchar = true, null_padding = true, parallel = false, auto_detect = true"
)


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``runs`` timings (noise only ever adds time), and the result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def record_start_lines_proposed(path: Path) -> np.ndarray:
    """``ingest.lines.record_start_lines`` with the quote parity looked up only at the
    newlines (``searchsorted`` over the quote positions) instead of a running int64
    count over every byte: the same output, a fraction of the memory traffic."""
    starts: list[np.ndarray] = []
    offset = lines_before = quotes_before = record_start = 0
    record_line, first_byte = 1, -1
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            data = np.frombuffer(chunk, dtype=np.uint8)
            newline_at = np.flatnonzero(data == NEWLINE)
            quote_at = np.flatnonzero(data == QUOTE)
            before = quotes_before + np.searchsorted(quote_at, newline_at)
            ends = newline_at[(before % 2) == 0]
            line_of_end = lines_before + 1 + np.searchsorted(newline_at, ends)
            record_starts = np.concatenate(([record_start], offset + ends[:-1] + 1))
            record_lines = np.concatenate(([record_line], line_of_end[:-1] + 1))
            lengths = offset + ends - record_starts
            if len(ends):
                local = record_starts - offset
                first = np.where(local >= 0, data[np.clip(local, 0, len(data) - 1)], first_byte)
                blank = (lengths == 0) | ((lengths == 1) & (first == RETURN))
                starts.append(record_lines[~blank])
                record_start = offset + ends[-1] + 1
                record_line = line_of_end[-1] + 1
                first_byte = -1
            if first_byte < 0 and record_start < offset + len(data):
                first_byte = int(data[record_start - offset])
            lines_before += len(newline_at)
            quotes_before += len(quote_at)
            offset += len(data)
    trailing = offset - record_start
    if trailing > 0 and not (trailing == 1 and first_byte == RETURN):
        starts.append(np.array([record_line]))
    return np.concatenate(starts) if starts else np.array([], dtype=np.int64)


def reading(path: Path, runs: int) -> list[tuple[str, float]]:
    con = duckdb.connect()
    query = f"select * from read_csv($path, {OPTIONS})"
    params = {"path": str(path)}

    def stream(sql: str, p: dict) -> int:
        reader = con.sql(sql, params=p).to_arrow_reader(200_000)
        return sum(batch.num_rows for batch in reader)

    now = {
        "sniff_csv": lambda: con.execute(
            "select Delimiter from sniff_csv($path)", params
        ).fetchall(),
        "head (20 rows)": lambda: con.execute(f"{query} limit 20", params).fetchall(),
        "count(*) pass": lambda: con.execute(f"select count(*) from ({query})", params).fetchall(),
        "the read itself": lambda: stream(query, params),
    }
    rows: list[tuple[str, float]] = []
    for label, work in now.items():
        rows.append((f"now: {label}", best_of(runs, work)[0]))

    def proposed() -> int:
        # one sniff; its read_csv call (the Prompt column) has every option fixed
        prompt = con.execute(
            "select Prompt from sniff_csv($path, header = false, all_varchar = true, "
            "null_padding = true)",
            params,
        ).fetchone()[0]
        call = prompt.removeprefix("FROM ").rstrip(";").replace("null_padding=true)", "")
        fixed = f"select * from {call}null_padding = true, parallel = false)"
        con.execute(f"{fixed} limit 20").fetchall()
        return stream(fixed, {})

    seconds, count = best_of(runs, proposed)
    assert count == stream(query, params), "the proposed read gives other records"
    rows.append(("proposed: sniff once, head and read with its options, no count", seconds))
    con.close()
    return rows


def line_numbers(path: Path, runs: int) -> list[tuple[str, float]]:
    now, expected = best_of(runs, lambda: record_start_lines(path))
    proposed, got = best_of(runs, lambda: record_start_lines_proposed(path))
    assert np.array_equal(expected, got), "the proposed scan numbers lines differently"
    return [("now: record_start_lines", now), ("proposed: quotes looked up at newlines", proposed)]


def _without(query: str, part: str) -> str:
    """The validation query with one of its parts replaced by a null constant."""
    if part == "raw_values":
        pattern = (
            r"(?:case when reason is not null then )?json_object\(.*\)(?: end)?\s+as raw_values"
        )
        return re.sub(pattern, "null as raw_values", query, flags=re.DOTALL)
    if part == "message":
        start = query.rindex("\n", 0, query.index("as reason_column")) + 1
        end = query.index("as message") + len("as message")
        return query[:start] + "null as reason_column, null as message" + query[end:]
    if part == "hmac":
        return re.sub(HMAC, "null", query)
    raise ValueError(part)


def parse_date_proposed(v: str, groups: str | None = None) -> str:
    """``validating.parse_date_sql`` with one regular-expression evaluation per pattern."""
    from ingest import validating as v_

    def made(struct: str) -> str:
        return (
            f"try_strptime({struct}.y || '-' || {struct}.m || '-' || {struct}.d, '%Y-%m-%d')::date"
        )

    separated = f"regexp_extract({v}, '{v_._DATE_SEPARATED}', ['y', 'm', 'd'])"
    compact = f"regexp_extract({v}, '{v_._DATE_COMPACT}', ['y', 'm', 'd'])"
    serial = f"regexp_extract({v}, '{v_._EXCEL_SERIAL}', 1)"
    return (
        f"case when {separated}.y <> '' then {made(separated)} "
        f"when {compact}.y <> '' then {made(compact)} "
        f"when {serial} <> '' then date '1899-12-30' + cast({serial} as integer) end"
    )


def _with_date_parsing(raw: Any, header_map: Any, positions: dict, path: Path) -> str:
    from ingest import validating

    original = validating.parse_date_sql
    validating.parse_date_sql = parse_date_proposed
    try:
        return build_query(raw.kind, header_map.columns, positions, raw.headers, path.name)
    finally:
        validating.parse_date_sql = original


def validation(path: Path, runs: int, scratch: Path) -> list[tuple[str, float]]:
    raw = read_csv(path, scratch)
    header_map = map_headers(raw.headers)
    positions = {c: raw.headers.index(h) for c, h in header_map.columns.items()}
    query = build_query(raw.kind, header_map.columns, positions, raw.headers, path.name)
    table = raw.batches.read_all()
    con = duckdb.connect()
    con.register("raw", table)
    params = query_params(b"secret")
    target = str(scratch / "judged.parquet")

    def copy(sql: str) -> None:
        con.execute(f"copy ({sql}) to '{target}' (format parquet)", used_params(sql, params))

    rows = [
        ("bare copy of the normalized rows", best_of(runs, lambda: copy("select * from raw"))[0]),
        ("now: the whole validation query", best_of(runs, lambda: copy(query))[0]),
    ]
    for part, label in (
        ("raw_values", "without raw_values (json_object + masks) on every row"),
        ("message", "without reason_column and message (two more CASE chains)"),
        ("hmac", "without the three HMAC keys"),
    ):
        variant = _without(query, part)
        rows.append((label, best_of(runs, lambda q=variant: copy(q))[0]))
    all_out = _without(_without(_without(query, "raw_values"), "message"), "hmac")
    rows.append(("without all three", best_of(runs, lambda: copy(all_out))[0]))

    # dates: one regexp_extract per pattern (a struct of the groups) instead of a
    # regexp_full_match and three regexp_extract calls; the same rows must come out
    judged = "create or replace temp table {} as {}"
    con.execute(judged.format("now_judged", query), used_params(query, params))
    proposed_query = _with_date_parsing(raw, header_map, positions, path)
    rows.append(
        ("dates: one regexp_extract per pattern", best_of(runs, lambda: copy(proposed_query))[0])
    )
    con.execute(judged.format("new_judged", proposed_query), used_params(proposed_query, params))
    differ = con.execute(
        "select count(*) from ((from now_judged except all from new_judged) "
        "union all (from new_judged except all from now_judged))"
    ).fetchone()[0]
    assert differ == 0, f"{differ} rows differ with the proposed date parsing"

    # landing: scratch Parquet + two reads + two counts, against a temporary table
    def now_landing() -> tuple[int, int]:
        copy(query)
        source = f"(select * from read_parquet('{target}'))"
        counts = []
        for sql in (landed_sql(source, "b"), rejected_sql(source, "b", raw.kind)):
            out = str(scratch / "out.parquet")
            con.execute(f"copy ({sql}) to '{out}' (format parquet, compression zstd)")
            counts.append(con.execute("select count(*) from read_parquet(?)", [out]).fetchone()[0])
        return counts[0], counts[1]

    def proposed_landing() -> tuple[int, int]:
        con.execute(f"create or replace temp table judged as {query}", used_params(query, params))
        table_sql = "select * from judged"
        counts = []
        for sql in (landed_sql(table_sql, "b"), rejected_sql(table_sql, "b", raw.kind)):
            out = str(scratch / "out.parquet")
            done = con.execute(f"copy ({sql}) to '{out}' (format parquet, compression zstd)")
            counts.append(done.fetchone()[0])
        con.execute("drop table judged")
        return counts[0], counts[1]

    now_s, now_counts = best_of(runs, now_landing)
    proposed_s, proposed_counts = best_of(runs, proposed_landing)
    assert now_counts == proposed_counts, (now_counts, proposed_counts)
    rows += [
        ("now: query → judged.parquet → 2 copies + 2 counts", now_s),
        ("proposed: query → temp table → 2 copies, COPY's count", proposed_s),
    ]
    con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    path = Path(args[0])
    runs = int(args[1]) if len(args) > 1 else 3
    with tempfile.TemporaryDirectory(prefix="proposals-") as scratch:
        with duckdb.connect() as con:
            rows = con.execute(
                "select count(*) from read_csv(?, all_varchar = true)", [str(path)]
            ).fetchone()[0]
        print(
            f"{path.name}: {rows:,} data rows, {path.stat().st_size / 1e6:.1f} MB; best of {runs}"
        )
        for title, measured in (
            ("1. reading", reading(path, runs)),
            ("2. line numbers", line_numbers(path, runs)),
            ("3-4. validation and landing", validation(path, runs, Path(scratch))),
        ):
            print(f"\n{title}")
            for label, seconds in measured:
                print(f"  {label:68} {seconds:7.3f} s  {1e6 * seconds / rows:6.2f} µs/row")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
