"""One ``column_rules`` test per model (docs/data-tests.md): every rule the
per-column tests held is still declared, with its severity, and each still catches what
it should, with a line naming the model, the rule and the column.

``tests/fixtures/valid/data_tests_before.json`` is the record of the per-column tests
the consolidation replaced, one entry per former dbt test node. The bad data is written
straight into a copy of the first-slice warehouse's dbt database (ingest rejects most of
it before dbt could see it), then the model's test runs as ``dbt build`` runs it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from kernel.paths import WarehousePaths, warehouse_paths
from kernel.runlog import plain
from publish.report import data_warnings
from publish.runner import DBT_PROJECT, dbt_environment
from tests.conftest import FIXTURES, REPO, Warehouse

BEFORE = FIXTURES / "valid" / "data_tests_before.json"
YML_FILES = [*sorted((DBT_PROJECT / "models").rglob("*.yml")), REPO / "seeds" / "_seeds.yml"]
# Models whose rules moved with their job: the batches a build reads are decided by
# python -m publish and read through one staging view (publish/selection.py)
MOVED = {"int_batches_selected": "stg_build__batches_selected"}
# Values an accepted_values rule gained since the record, (model, column): added values.
# dq_file_loads lists event-summary batches (kind `events`, issue 18) with the others,
# and calls a withdrawn file's load `withdrawn` where it said `superseded`.
WIDENED = {
    ("dq_file_loads", "batch_kind"): ["events"],
    ("dq_file_loads", "load_status"): ["withdrawn"],
}
RULE_LINE = re.compile(r"^(?:\x1b\[[0-9;]*m)*\d\d:\d\d:\d\d  (\S+: \S+ \(.*\), \d+ rows?.*)$")


def _entities(doc: dict) -> list[tuple[str, dict]]:
    """(name, entry) of every model, seed and source table of one yml file."""
    named = [(e["name"], e) for e in (doc.get("models") or []) + (doc.get("seeds") or [])]
    for source in doc.get("sources") or []:
        named += [(f"{source['name']}.{t['name']}", t) for t in source["tables"]]
    return named


def _declared() -> dict[str, dict[str, Any]]:
    """Each model's column_rules test as written in the yml: name and arguments."""
    declared = {}
    for path in YML_FILES:
        for name, entity in _entities(yaml.safe_load(path.read_text(encoding="utf-8")) or {}):
            for test in entity.get("data_tests") or []:
                (kind, spec), *_ = test.items()
                assert kind == "column_rules", (name, kind)
                assert name not in declared, f"{name}: more than one column_rules test"
                declared[name] = spec
    return declared


def _words(text: str) -> str:
    return " ".join(text.split())


def _holds(arguments: dict[str, Any], rule: dict[str, Any]) -> bool:
    """Whether column_rules ``arguments`` state the per-column test ``rule``."""
    kind, column = rule["rule"], rule.get("column")
    if kind in ("unique", "not_null", "not_negative", "between_zero_and_one"):
        return column in arguments.get(kind, [])
    if kind == "sequential_dates":
        return column in arguments.get(kind, [])
    if kind == "accepted_values":
        added = WIDENED.get((_home(rule), column), [])
        return sorted(arguments.get(kind, {}).get(column) or []) == sorted(rule["values"] + added)
    if kind == "relationships":
        return arguments.get(kind, {}).get(column) == {"to": rule["to"], "field": rule["field"]}
    if kind == "expression_is_true":
        return _words(rule["expression"]) in [_words(e) for e in arguments.get("expressions", [])]
    if kind == "not_overlapping_ranges":
        wanted = {k: v for k, v in rule.items() if k not in ("model", "rule", "severity")}
        return wanted in arguments.get(kind, [])
    raise AssertionError(f"a rule kind column_rules does not know: {kind}")


def test_no_per_column_test_is_left() -> None:
    for path in YML_FILES:
        for name, entity in _entities(yaml.safe_load(path.read_text(encoding="utf-8")) or {}):
            tested = [c["name"] for c in entity.get("columns") or [] if c.get("data_tests")]
            assert tested == [], f"{path.name}: {name} has per-column tests"


def test_every_rule_of_the_per_column_tests_is_kept() -> None:
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    declared = _declared()
    assert len(before) == 342
    dropped = [
        rule
        for rule in before
        if not _holds(declared.get(_home(rule), {}).get("arguments", {}), rule)
    ]
    assert dropped == []


def _home(rule: dict[str, Any]) -> str:
    """The model that holds a recorded rule today."""
    return MOVED.get(rule["model"], rule["model"])


def _first_values(con: duckdb.DuckDBPyConnection, table: str, column: str, n: int) -> list:
    """The first ``n`` values of a column, in order: rows a test spoils by key."""
    query = f"select {column} from {table} order by {column} limit {n}"
    return [row[0] for row in con.execute(query).fetchall()]


@pytest.mark.integration
def test_each_test_keeps_the_severity_of_the_rules_it_holds(first_slice: Warehouse) -> None:
    manifest = json.loads((first_slice.root / "dbt" / "target" / "manifest.json").read_text())
    severity = {
        node["name"]: node["config"]["severity"].lower()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node["name"].startswith("column_rules_")
    }
    levels: dict[str, set[str]] = {}
    for rule in json.loads(BEFORE.read_text(encoding="utf-8")):
        test = f"column_rules_{_home(rule).replace('.', '_')}"
        levels.setdefault(test, set()).add(rule["severity"])
    # no model held rules of both severities, so one test per model keeps them all
    assert {name: len(found) for name, found in levels.items() if len(found) > 1} == {}
    assert {name: severity.get(name) for name in levels} == {
        name: found.pop() for name, found in levels.items()
    }
    assert sorted(name for name, level in severity.items() if level == "warn") == [
        "column_rules_dq_duplicates_by_file",
        "column_rules_dq_duplicates_dropped",
        "column_rules_dq_failed_file_rejects",
        "column_rules_dq_failed_files",
        "column_rules_dq_file_loads",
        "column_rules_dq_findings_by_file",
        "column_rules_dq_pending_sessions",
        "column_rules_dq_people_missing_from_roster",
        "column_rules_dq_persons_over_24_hours",
        "column_rules_dq_rejects",
        "column_rules_dq_rejects_by_reason",
        "column_rules_dq_submissions",
        "column_rules_dq_unknown_organizations",
        "column_rules_dq_unmapped_activity_labels",
        "column_rules_stg_lake__rejects",
    ]


@pytest.fixture
def spoiled(first_slice: Warehouse, tmp_path: Path) -> WarehousePaths:
    """A copy of the first-slice warehouse, whose dbt database the test may spoil."""
    shutil.copytree(first_slice.root, tmp_path / "warehouse")
    return warehouse_paths(tmp_path / "warehouse")


def _test(paths: WarehousePaths, *tests: str) -> tuple[subprocess.CompletedProcess, dict]:
    """``dbt test`` of the named tests; what it printed, and each test's result."""
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "test", "--select", *tests, "--vars", json.dumps({"as_of": ""})],
        cwd=paths.root,
        env=dbt_environment(paths),
        capture_output=True,
        text=True,
    )
    results = json.loads((paths.root / "dbt" / "target" / "run_results.json").read_text())
    outcome = {
        r["unique_id"].split(".")[2]: (r["status"], r["failures"])
        for r in results["results"]
        if r["unique_id"].startswith("test.")
    }
    return result, outcome


def _rule_lines(output: str) -> list[str]:
    return sorted(m.group(1) for line in output.splitlines() if (m := RULE_LINE.match(line)))


def test_rule_lines_are_recognised() -> None:
    printed = "\x1b[0m16:29:23  dim_people: unique (person_key), 1 row, e.g. K1\n16:29:23  x"
    assert _rule_lines(printed) == ["dim_people: unique (person_key), 1 row, e.g. K1"]


@pytest.mark.integration
def test_a_broken_figure_fails_the_build_naming_model_rule_and_column(
    spoiled: WarehousePaths,
) -> None:
    with duckdb.connect(str(spoiled.marts_database)) as con:
        keys = _first_values(con, "marts.fct_volunteer_sessions", "session_key", 5)
        sessions = "update marts.fct_volunteer_sessions set {} where session_key = ?"
        con.execute(sessions.format("session_minutes = -5"), [keys[0]])
        con.execute(sessions.format("person_type = 'alien'"), [keys[1]])
        con.execute(sessions.format("org_code = null"), [keys[2]])
        con.execute(sessions.format("activity_type_code = 'nope'"), [keys[3]])
        con.execute(
            "insert into marts.fct_volunteer_sessions "
            "select * from marts.fct_volunteer_sessions where session_key = ?",
            [keys[4]],
        )
        # a ratio above 1, and another district-month twice
        (district, month), twice = con.execute(
            "select district_code, month from marts.agg_district_monthly "
            "where roster_size > 0 order by district_code, month limit 2"
        ).fetchall()
        con.execute(
            "update marts.agg_district_monthly set participation_rate = 1.5 "
            "where district_code = ? and month = ?",
            [district, month],
        )
        rate = con.execute(
            "select cast(participation_rate as varchar) from marts.agg_district_monthly "
            "where district_code = ? and month = ?",
            [district, month],
        ).fetchone()[0]
        con.execute(
            "insert into marts.agg_district_monthly select * from marts.agg_district_monthly "
            "where district_code = ? and month = ?",
            list(twice),
        )
        # a day missing from the calendar (after its first day, one without sessions)
        (missing,) = con.execute(
            "select min(calendar_date) from marts.dim_dates "
            "where calendar_date > (select min(calendar_date) from marts.dim_dates) "
            "and calendar_date not in "
            "(select activity_date from marts.fct_volunteer_sessions)"
        ).fetchone()
        con.execute("delete from marts.dim_dates where calendar_date = ?", [missing])
        # a roster version that ends before it starts
        person, valid_from = con.execute(
            "select person_key, valid_from from marts.dim_people where is_on_roster "
            "qualify count(*) over (partition by person_key) = 1 order by person_key limit 1"
        ).fetchone()
        con.execute(
            "update marts.dim_people set valid_to = valid_from - 1 where person_key = ?",
            [person],
        )

    result, outcome = _test(
        spoiled,
        "column_rules_fct_volunteer_sessions",
        "column_rules_agg_district_monthly",
        "column_rules_dim_dates",
        "column_rules_dim_people",
    )

    assert result.returncode == 1
    assert outcome == {
        "column_rules_fct_volunteer_sessions": ("fail", 5),
        "column_rules_agg_district_monthly": ("fail", 2),
        "column_rules_dim_dates": ("fail", 1),
        "column_rules_dim_people": ("fail", 1),
    }
    day = dt.timedelta(days=1)
    assert _rule_lines(result.stdout) == sorted(
        [
            "fct_volunteer_sessions: not_negative (session_minutes), 1 row, e.g. -5",
            "fct_volunteer_sessions: accepted_values (person_type), 1 row, e.g. alien",
            "fct_volunteer_sessions: not_null (org_code), 1 row",
            "fct_volunteer_sessions: relationships "
            "(activity_type_code -> dim_activity_types.activity_type_code), 1 row, e.g. nope",
            f"fct_volunteer_sessions: unique (session_key), 1 row, e.g. {keys[4]}",
            f"agg_district_monthly: between_zero_and_one (participation_rate), 1 row, e.g. {rate}",
            "agg_district_monthly: unique (district_code, month), 1 row, e.g. "
            f"{twice[0]}, {twice[1]}",
            f"dim_dates: sequential_dates (calendar_date), 1 row, "
            f"e.g. {missing - day}, {missing + day}",
            f"dim_people: not_overlapping_ranges (valid_from, valid_to by person_key), "
            f"1 row, e.g. {person}, {valid_from}, {valid_from - day}",
        ]
    )
    assert "Failure in test column_rules_fct_volunteer_sessions" in result.stdout

    # the build runs the marts' rules as one group (publish/runner.py build_command):
    # the same rows, named the same way
    grouped, grouped_outcome = _test(spoiled, "rules_of_marts")
    assert grouped.returncode == 1
    assert grouped_outcome == {"rules_of_marts": ("fail", 9)}
    assert _rule_lines(grouped.stdout) == _rule_lines(result.stdout)


@pytest.mark.integration
def test_a_data_quality_fault_warns_and_is_reported(spoiled: WarehousePaths) -> None:
    with duckdb.connect(str(spoiled.marts_database)) as con:
        batches = _first_values(con, "marts.dq_file_loads", "batch_id", 3)
        con.execute(
            "insert into marts.dq_file_loads select * from marts.dq_file_loads where batch_id = ?",
            [batches[0]],
        )
        con.execute(
            "update marts.dq_file_loads set batch_kind = 'spreadsheet' where batch_id = ?",
            [batches[1]],
        )
        con.execute(
            "update marts.dq_file_loads set rows_read = rows_read + 1 where batch_id = ?",
            [batches[2]],
        )

    result, outcome = _test(spoiled, "column_rules_dq_file_loads")

    assert result.returncode == 0
    assert outcome == {"column_rules_dq_file_loads": ("warn", 3)}
    assert _rule_lines(result.stdout) == [
        "dq_file_loads: accepted_values (batch_kind), 1 row, e.g. spreadsheet",
        "dq_file_loads: expression_is_true (rows_read = rows_loaded + rows_rejected), 1 row",
        f"dq_file_loads: unique (batch_id), 1 row, e.g. {batches[0]}",
    ]
    # what `make build` reports after publishing (publish.report.report_warnings)
    assert data_warnings(spoiled) == [("column_rules_dq_file_loads", 3)]

    # as the build runs it, in the group of the data-quality marts' rules
    grouped, grouped_outcome = _test(spoiled, "rules_of_data_quality")
    assert grouped.returncode == 0
    assert grouped_outcome == {"rules_of_data_quality": ("warn", 3)}
    assert _rule_lines(grouped.stdout) == _rule_lines(result.stdout)
    assert data_warnings(spoiled) == [("rules_of_data_quality", 3)]


def test_the_docs_list_each_test_with_the_rules_it_replaced() -> None:
    page = (REPO / "docs" / "data-tests.md").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for rule in json.loads(BEFORE.read_text(encoding="utf-8")):
        counts[_home(rule)] = counts.get(_home(rule), 0) + 1
    missing = [
        model
        for model, count in counts.items()
        if f"| `{model}` | {count} — " not in page
        or f"`column_rules_{model.replace('.', '_')}` |" not in page
    ]
    assert missing == []


GROUPS = DBT_PROJECT / "tests" / "rules"
GROUP_CALL = re.compile(r"\{\{ column_rules_of\('([^']+)'\) \}\}")


def _groups() -> dict[str, tuple[str, str]]:
    """Each group of rules (dbt_project/tests/rules/): the path it covers and its
    severity, as its file states them."""
    groups = {}
    for path in sorted(GROUPS.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        (covered,) = GROUP_CALL.findall(text)
        groups[path.stem] = (covered, "warn" if "severity='warn'" in text else "error")
    return groups


@pytest.mark.integration
def test_the_build_runs_every_models_rules_once_in_its_layers_group(
    first_slice: Warehouse,
) -> None:
    target = first_slice.root / "dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    groups = _groups()
    assert groups == {
        "rules_of_staging": ("models/staging/", "error"),
        "rules_of_staging_warnings": ("models/staging/", "warn"),
        "rules_of_seeds": ("../seeds/", "error"),
        "rules_of_intermediate": ("models/intermediate/", "error"),
        "rules_of_marts": ("models/marts/", "error"),
        "rules_of_data_quality": ("models/marts/data_quality/", "warn"),
    }
    covering: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") != "column_rules":
            continue
        severity = node["config"]["severity"].lower()
        covering[node["name"]] = [
            group
            for group, (path, level) in groups.items()
            if node["original_file_path"].startswith(path) and level == severity
        ]
    assert len(covering) == len(_declared()) == 71
    assert {name: found for name, found in covering.items() if len(found) != 1} == {}
    # the build ran the six groups, and no model's own column_rules test
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    ran = sorted(
        r["unique_id"].split(".")[2]
        for r in results["results"]
        if r["unique_id"].startswith("test.")
    )
    assert [name for name in ran if name.startswith("column_rules_")] == []
    assert sorted(name for name in ran if name.startswith("rules_of_")) == sorted(groups)


@pytest.mark.integration
def test_a_group_that_reads_a_model_its_file_does_not_name_says_which_line_to_add(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    project = tmp_path / "dbt_project"
    shutil.copytree(
        DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", ".parse-cache")
    )
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")  # the project's ../seeds
    group = project / "tests" / "rules" / "rules_of_seeds.sql"
    line = "-- depends_on: {{ ref('school_calendar') }}\n"
    assert line in group.read_text(encoding="utf-8")
    group.write_text(group.read_text(encoding="utf-8").replace(line, ""), encoding="utf-8")
    paths = warehouse_paths(tmp_path / "warehouse")
    shutil.copytree(first_slice.root, paths.root)
    env = {**dbt_environment(paths), "DBT_PROJECT_DIR": str(project)}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "compile", "--select", "rules_of_seeds"],
        cwd=paths.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stdout  # dbt's code for a compilation error
    assert (
        "rules_of_seeds reads what its file does not name; add to "
        "tests/rules/rules_of_seeds.sql:\n    -- depends_on: {{ ref('school_calendar') }}"
    ) in plain(result.stdout)
