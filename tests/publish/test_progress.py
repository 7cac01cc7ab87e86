"""What a build shows of dbt (``publish.progress``): every line in the log, a bar on a
terminal or a line per quarter elsewhere, every line with VERBOSE, and in full the lines
that say why a failed build failed. The dbt lines below are written as dbt 1.11 writes
them; the integration test of the build's summary is in tests/test_pipeline.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

from kernel.paths import warehouse_paths
from publish.progress import DbtOutput, build_summary
from publish.report import report_warnings

PREAMBLE = [
    "\x1b[0m10:00:00  Running with dbt=1.11.16",
    "\x1b[0m10:00:01  Found 3 models, 2 data tests, 7 seeds, 577 macros",
    "\x1b[0m10:00:01  ",
    "\x1b[0m10:00:01  1 of 1 START hook: volunteer_warehouse.on-run-start.0 ...... [RUN]",
    "\x1b[0m10:00:01  1 of 1 OK hook: volunteer_warehouse.on-run-start.0 ......... "
    "[\x1b[32mOK\x1b[0m in 0.01s]",
]


def _node(number: int, status: str, name: str, total: int = 4) -> str:
    return f"10:00:02  {number} of {total} {status} {name} ........ [{status} in 0.1s]"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _output(tmp_path: Path, verbose: bool = False, terminal: bool = False) -> DbtOutput:
    log = tmp_path / "build.log"
    log.touch()
    screen, progress = (Terminal(), Terminal()) if terminal else (io.StringIO(), io.StringIO())
    ticks = iter(float(n) for n in range(100))
    return DbtOutput(log, verbose, screen, progress, clock=lambda: next(ticks))


def _screen(output: DbtOutput) -> str:
    assert isinstance(output.screen, io.StringIO)
    return output.screen.getvalue()


def _progress(output: DbtOutput) -> str:
    assert isinstance(output.progress, io.StringIO)
    return output.progress.getvalue()


def test_every_line_goes_to_the_log_without_colours_and_a_pipe_gets_a_line_a_quarter(
    tmp_path: Path,
) -> None:
    output = _output(tmp_path)
    lines = [
        *PREAMBLE,
        _node(1, "START", "sql table model marts.a"),
        _node(1, "OK", "created sql table model marts.a"),
        _node(2, "OK", "created sql table model marts.b"),
        _node(3, "PASS", "not_null_a"),
        _node(4, "WARN", "unique_b"),
    ]
    for line in lines:
        output.feed(line + "\n")
    output.close()

    logged = output.log.read_text(encoding="utf-8")
    assert "\x1b" not in logged
    assert logged.splitlines()[4] == (
        "10:00:01  1 of 1 OK hook: volunteer_warehouse.on-run-start.0 ......... [OK in 0.01s]"
    )
    assert len(logged.splitlines()) == len(lines)
    assert _screen(output) == ""  # dbt's lines only in the log
    # the clock ticks once at the start, then once per node shown: 1 s, 2 s, 3 s; the
    # hook (1 of 1) is not a quarter of the run
    assert _progress(output) == (
        "dbt build: 1 of 4 nodes done (1.0 s)\n"
        "dbt build: 2 of 4 nodes done (2.0 s)\n"
        "dbt build: 3 of 4 nodes done (3.0 s)\n"
    )
    assert not output.colours


def test_a_terminal_gets_a_bar_redrawn_in_place_and_erased(tmp_path: Path) -> None:
    output = _output(tmp_path, terminal=True)
    output.feed(_node(1, "START", "sql table model marts.a") + "\n")
    output.feed(_node(1, "OK", "created sql table model marts.a") + "\n")
    output.feed(_node(2, "OK", "created sql table model marts.b") + "\n")
    output.close()

    bar = _progress(output)
    quarter, half = "#" * 8 + "." * 22, "#" * 15 + "." * 15
    assert bar.startswith(f"\rdbt build [{quarter}] 1/4 1.0 s\rdbt build [{half}] 2/4 2.0 s")
    assert bar.endswith("\r")  # erased, so the summary starts on a clean line
    assert "\n" not in bar
    assert not output.colours  # the lines go to the log, not to the terminal


def test_verbose_prints_every_line_as_dbt_wrote_it(tmp_path: Path) -> None:
    output = _output(tmp_path, verbose=True, terminal=True)
    for line in PREAMBLE:
        output.feed(line + "\n")
    output.close()

    assert _screen(output) == "\n".join(PREAMBLE) + "\n"
    assert _progress(output) == ""
    assert output.colours  # on a terminal, dbt may colour them
    assert _output(tmp_path, verbose=True).colours is False  # not when piped
    assert output.failure() == []  # the screen has had them all


def test_a_failure_shows_the_failed_nodes_and_dbts_account_of_the_errors(tmp_path: Path) -> None:
    output = _output(tmp_path)
    failed = _node(3, "FAIL", "1 column_rules_fct_volunteer_sessions")
    account = [
        "10:00:09  Finished running 3 table models, 1 data test in 0 hours 0 minutes (8.00s).",
        "10:00:09  Completed with 1 error, 0 partial successes, and 0 warnings:",
        "10:00:09  Failure in test column_rules_fct_volunteer_sessions (models/marts/_marts.yml)",
        "10:00:09    Got 1 result, configured to fail if != 0",
        "10:00:09  Done. PASS=3 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=4",
    ]
    rule = "10:00:05  fct_volunteer_sessions: not_null (org_code), 1 row"
    lines = [
        *PREAMBLE,
        _node(1, "OK", "created sql table model marts.a"),
        _node(2, "PASS", "not_null_a"),
        rule,
        failed,
        "10:00:09  ",
        *account,
    ]
    for line in lines:
        output.feed(line + "\n")
    output.close()

    assert output.failure() == [rule, failed, *account]


def test_a_failure_before_any_node_shows_every_line_but_a_traceback(tmp_path: Path) -> None:
    output = _output(tmp_path)
    lines = [
        "10:00:00  Running with dbt=1.11.16",
        "10:00:01  Encountered an error:",
        'IO Error: Could not read from file "/wh/build/dbt.duckdb": Is a directory',
        "10:00:01  ",
    ]
    traceback = [
        "10:00:01  Traceback (most recent call last):",
        '  File "dbt/adapters/duckdb/connections.py", line 110, in exception_handler',
        "_duckdb.IOException: IO Error: Could not read from file",
    ]
    for line in lines + traceback:
        output.feed(line + "\n")
    output.close()

    assert output.failure() == [*lines[:3], f"(dbt's traceback: {output.log})"]
    assert output.log.read_text(encoding="utf-8").splitlines()[-3:] == traceback


def test_the_summary_counts_models_seeds_and_tests_by_outcome(tmp_path: Path) -> None:
    results = tmp_path / "run_results.json"
    statuses = [
        ("model.p.a", "success"),
        ("model.p.b", "success"),
        ("seed.p.s", "success"),
        ("test.p.t1", "pass"),
        ("test.p.t2", "warn"),
        ("test.p.t3", "fail"),
        ("test.p.t4", "pass"),
        ("operation.p.hook", "success"),
    ]
    results.write_text(
        json.dumps(
            {
                "elapsed_time": 75.2,
                "results": [{"unique_id": u, "status": s} for u, s in statuses],
            }
        ),
        encoding="utf-8",
    )

    assert build_summary(results) == (
        "dbt build: 2 models, 1 seed, 4 data tests (2 passed, 1 warned, 1 failed) in 1 min 15 s"
    )


def test_the_rules_that_found_rows_are_kept_for_the_warning_report(tmp_path: Path, capsys) -> None:
    output = _output(tmp_path)
    for line in [
        *PREAMBLE,
        _node(1, "START", "test rules_of_data_quality"),
        "\x1b[0m10:00:03  dq_file_loads: unique (batch_id), 1 row, e.g. B1",
        "\x1b[0m10:00:03  dq_rejects: not_null (reason_code), 2 rows",
        "10:00:03  dq_file_loads: expression_is_true (rows_read = rows_loaded + rows_rejected), "
        "3 rows",
        _node(1, "WARN", "3 rules_of_data_quality"),
        "10:00:04  Warning in test rules_of_data_quality (tests/rules/rules_of_data_quality.sql)",
    ]:
        output.feed(line + "\n")
    output.close()
    assert output.rule_lines() == [
        "dq_file_loads: unique (batch_id), 1 row, e.g. B1",
        "dq_rejects: not_null (reason_code), 2 rows",
        "dq_file_loads: expression_is_true (rows_read = rows_loaded + rows_rejected), 3 rows",
    ]

    # what `make build` prints after publishing: the test, then its models' rules
    target = tmp_path / "warehouse" / "dbt" / "target"
    target.mkdir(parents=True)
    warned = {
        "unique_id": "test.volunteer_warehouse.rules_of_data_quality",
        "status": "warn",
        "failures": 6,
    }
    (target / "run_results.json").write_text(json.dumps({"results": [warned]}))
    report_warnings(warehouse_paths(tmp_path / "warehouse"), output)
    assert capsys.readouterr().err == (
        "warning: 1 data-quality test found rows to look at (the figures were published; "
        "see docs/data-tests.md):\n"
        "  rules_of_data_quality: 6 rows\n"
        "    dq_file_loads: unique (batch_id), 1 row, e.g. B1\n"
        "    dq_rejects: not_null (reason_code), 2 rows\n"
        "    dq_file_loads: expression_is_true (rows_read = rows_loaded + rows_rejected), 3 rows\n"
    )
