"""The command line: progress on a terminal, the summary table and its
totals, --json, exit codes, --help, and the `status` and `rejects` reports.

Most tests call ``ingest.cli.main`` in this process (fast); the ones about what only
a real process shows (a terminal on stderr, exit code 3 from ``run_cli``) start
``python -m ingest``.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from ingest.cli import ProgressLine, main, reject_counts, summary
from ingest.loader import FileResult

REPO = Path(__file__).resolve().parents[2]
PHONE = "13800138000"
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check digit X)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)`` in this process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's errors and --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "WAREHOUSE_DIR": str(root / "cli-warehouse"),
        "WAREHOUSE_SECRET": "test-secret",
        "PYTHONPATH": str(REPO),
    }


def _mixed_inbox(warehouse) -> None:
    """Two activity files: three rows (one rejected) and one row; and an empty file."""
    warehouse.write_activity(
        [
            warehouse.activity_row(),
            warehouse.activity_row({"人员编号": "", "手机号": PHONE, "日期": "2025-02-30"}),
            warehouse.activity_row({"时长": "3"}),
        ],
        name="a.csv",
    )
    warehouse.write_activity([warehouse.activity_row({"人员编号": "T002"})], name="b.csv")


# -- the summary table ---------------------------------------------------------------------


def test_the_summary_has_a_totals_line_with_the_outcomes_counted() -> None:
    results = [
        FileResult("a.csv", "loaded", "activity", 3, 2, 1, rejects_by_reason={"bad_date": 1}),
        FileResult("b.csv", "unchanged", "activity", 1, 1, 0),
        FileResult("c.csv", "failed", message="c.csv: the file is empty"),
    ]

    lines = summary(results).splitlines()

    assert [line.split() for line in lines] == [
        ["file", "kind", "outcome", "read", "loaded", "rejected"],
        ["a.csv", "activity", "loaded", "3", "2", "1"],
        ["bad_date:", "1"],
        ["b.csv", "activity", "unchanged", "1", "1", "0"],
        ["c.csv", "failed", "0", "0", "0"],
        ["total", "(3", "files)", "4", "3", "1", "1", "failed,", "1", "loaded,", "1", "unchanged"],
    ]
    # the figures end under their headings, the totals' too; the tally follows them
    end = len(lines[0])
    assert [len(line) for line in (lines[1], lines[3], lines[4])] == [end, end, end]
    assert lines[-1][:end].endswith(" 4        3        1")
    assert lines[-1][end:] == "  1 failed, 1 loaded, 1 unchanged"


def test_one_file_gets_no_totals_line() -> None:
    results = [FileResult("a.csv", "loaded", "activity", 3, 3, 0)]

    assert len(summary(results).splitlines()) == 2


def test_chinese_file_names_keep_the_columns_aligned() -> None:
    results = [
        FileResult("logs/2025Q1/D03_第三协作区.csv", "loaded", "activity", 10, 9, 1),
        FileResult("districts.csv", "loaded", "districts", 9, 9, 0),
    ]

    lines = summary(results).splitlines()

    # the kind column starts at the same terminal column on every line: a CJK
    # character takes two columns
    def kind_column(line: str, kind: str) -> int:
        before = line[: line.index(f" {kind} ") + 1]
        return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in before)

    assert kind_column(lines[1], "activity") == kind_column(lines[2], "districts")
    assert kind_column(lines[0], "kind") == kind_column(lines[1], "activity")


def test_a_very_long_name_is_cut_at_its_start_and_keeps_the_file_name() -> None:
    name = "一级目录/" * 20 + "最后的文件.csv"
    line = summary([FileResult(name, "loaded", "activity", 1, 1, 0)]).splitlines()[1]

    assert line.split()[0].startswith("…")
    assert line.split()[0].endswith("最后的文件.csv")


# -- load: the table, --json, exit codes -----------------------------------------------------


TABLE_OF_MIXED_INBOX = [
    ["file", "kind", "outcome", "read", "loaded", "rejected"],
    ["a.csv", "activity", "loaded", "3", "2", "1"],
    ["bad_date:", "1"],
    ["b.csv", "activity", "loaded", "1", "1", "0"],
    ["total", "(2", "files)", "4", "3", "1", "2", "loaded"],
]


def _summary_of_mixed_inbox(log: Path) -> list[str]:
    """What a load of ``_mixed_inbox`` prints, the time aside (``time: ...``)."""
    return [
        "files: 2 (2 loaded)",
        "rows: 4 read, 3 loaded, 1 rejected",
        "rejected by reason rows",
        "  bad_date            1",
        "  total               1",
        "time: …",
        f"every file, its rows and rejects by reason: {log}",
        "the rejected rows (masked), with what to fix: python -m ingest rejects (make rejects)",
    ]


def _timeless(out: str) -> list[str]:
    return [re.sub(r"^time: \d+\.\d s$", "time: …", line) for line in out.splitlines()]


def test_a_load_prints_a_summary_and_writes_the_table_to_a_log(warehouse, capsys) -> None:
    _mixed_inbox(warehouse)

    code, out, err = _run(
        capsys, "--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root)
    )

    assert (code, err) == (0, "")
    (log,) = (warehouse.paths.root / "logs").glob("ingest-*.log")
    assert re.fullmatch(r"ingest-\d{8}T\d{6}Z\.log", log.name)
    assert _timeless(out) == _summary_of_mixed_inbox(log)
    # the log: the table of every file, then the same summary
    table, summary_again = log.read_text(encoding="utf-8").split("\n\n")
    assert [line.split() for line in table.splitlines()] == TABLE_OF_MIXED_INBOX
    assert summary_again == out
    assert PHONE not in out + log.read_text(encoding="utf-8")


def test_verbose_prints_the_table_of_every_file_above_the_summary(
    warehouse, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mixed_inbox(warehouse)
    argv = ["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root)]

    code, out, err = _run(capsys, *argv, "--verbose")

    assert (code, err) == (0, "")
    (log,) = (warehouse.paths.root / "logs").glob("ingest-*.log")
    table, summary_lines = out.split("\n\n")
    assert [line.split() for line in table.splitlines()] == TABLE_OF_MIXED_INBOX
    assert _timeless(summary_lines) == _summary_of_mixed_inbox(log)
    # VERBOSE=1 (what `make ingest VERBOSE=1` exports) does the same
    (warehouse.inbox / "b.csv").unlink()
    warehouse.write_activity([warehouse.activity_row({"人员编号": "T003"})], name="b.csv")
    monkeypatch.setenv("VERBOSE", "1")
    code, out, _ = _run(capsys, *argv)
    assert code == 0
    assert [line.split() for line in out.split("\n\n")[0].splitlines()][1:3] == [
        ["a.csv", "activity", "unchanged", "3", "2", "1"],
        ["b.csv", "activity", "replaced", "1", "1", "0"],
    ]


def test_json_is_a_list_of_results_and_nothing_else(warehouse, capsys) -> None:
    _mixed_inbox(warehouse)

    code, out, err = _run(
        capsys, "--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root), "--json"
    )

    assert (code, err) == (0, "")
    results = json.loads(out)
    assert [
        (r["file"], r["outcome"], r["rows_read"], r["rows_loaded"], r["rows_rejected"])
        for r in results
    ] == [("a.csv", "loaded", 3, 2, 1), ("b.csv", "loaded", 1, 1, 0)]
    assert set(results[0]) == {
        "file",
        "outcome",
        "kind",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "batch_id",
        "message",
        "rejects_by_reason",
        "warnings",  # what was read but not loaded (a stray number below a sheet's data)
    }


def test_a_failed_file_exits_1_and_is_counted_in_the_totals(warehouse, capsys) -> None:
    _mixed_inbox(warehouse)
    (warehouse.inbox / "c.csv").write_bytes(b"")

    code, out, err = _run(
        capsys,
        "--inbox",
        str(warehouse.inbox),
        "--warehouse",
        str(warehouse.paths.root),
        "--lang",
        "en",
    )

    assert code == 1
    # the error is on stderr in full, not only in the log; the summary counts the file
    assert err == "error: c.csv: the file is empty\n"
    assert out.splitlines()[:2] == [
        "files: 3 (1 failed, 2 loaded)",
        "rows: 4 read, 3 loaded, 1 rejected",
    ]
    (log,) = (warehouse.paths.root / "logs").glob("ingest-*.log")
    table, errors, _ = log.read_text(encoding="utf-8").split("\n\n")
    assert table.splitlines()[-1].split() == [
        "total",
        "(3",
        "files)",
        "4",
        "3",
        "1",
        "1",
        "failed,",
        "2",
        "loaded",
    ]
    assert errors == "error: c.csv: the file is empty"


def test_dry_run_reports_checked_lands_nothing_and_keeps_the_exit_codes(warehouse, capsys) -> None:
    _mixed_inbox(warehouse)
    root = str(warehouse.paths.root)

    code, out, err = _run(
        capsys, "--inbox", str(warehouse.inbox), "--warehouse", root, "--dry-run", "--lang", "en"
    )

    assert (code, err) == (0, "")
    assert [line.split()[:6] for line in out.splitlines()[1:4:2]] == [
        ["a.csv", "activity", "checked", "3", "2", "1"],
        ["b.csv", "activity", "checked", "1", "1", "0"],
    ]
    assert warehouse.manifest() == []
    assert sorted(p.name for p in warehouse.paths.kind_dir("activity").iterdir()) == [
        "_schema.parquet"
    ]

    (warehouse.inbox / "c.csv").write_bytes(b"")
    code, _, err = _run(
        capsys, "--inbox", str(warehouse.inbox), "--warehouse", root, "--dry-run", "--lang", "en"
    )
    assert (code, err) == (1, "error: c.csv: the file is empty\n")
    assert warehouse.manifest() == []


def test_bad_arguments_exit_2_with_one_line(warehouse, capsys, tmp_path: Path) -> None:
    root = str(warehouse.paths.root)
    cases = [
        (["--no-such-option"], "error: unrecognized arguments: --no-such-option"),
        (
            ["rejects", "--reason", "late", "--lang", "en"],
            "error: unknown reason code 'late'; the codes are",
        ),
        (["--file", "a.csv"], "error: --file goes with `rejects`, not `load`"),
        (["status", "--reason", "bad_date"], "error: --reason goes with `rejects`, not `status`"),
        (["status", "--inbox", "in"], "error: --inbox goes with `load` or `repair`, not `status`"),
        (["rejects", "--verify"], "error: --verify goes with `status`, not `rejects`"),
        (["lod"], "error: argument COMMAND: invalid choice: 'lod' (choose from 'load', "),
        (
            ["--inbox", str(tmp_path / "nowhere"), "--lang", "en"],
            f"error: inbox {tmp_path / 'nowhere'} is not",
        ),
    ]
    for argv, message in cases:
        code, out, err = _run(capsys, *argv, "--warehouse", root)
        assert (code, out) == (2, ""), argv
        assert err.startswith(message), (argv, err)
        assert err.count("\n") == 1, err

    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "status", "--warehouse", str(a_file))
    assert code == 2
    assert err.startswith(f"error: the warehouse {a_file} is a file, not a folder")


def test_load_is_the_default_command_and_may_be_named(warehouse, capsys) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    root = str(warehouse.paths.root)
    named = _run(capsys, "load", "--inbox", str(warehouse.inbox), "--warehouse", root, "--dry-run")
    default = _run(capsys, "--inbox", str(warehouse.inbox), "--warehouse", root, "--dry-run")
    assert named == default
    assert named[0] == 0 and " checked " in named[1]


def test_repair_needs_an_inbox_folder(warehouse, capsys, tmp_path: Path) -> None:
    nowhere, root = str(tmp_path / "nowhere"), str(warehouse.paths.root)
    code, out, err = _run(capsys, "repair", "--inbox", nowhere, "--warehouse", root, "--lang", "en")
    assert (code, out) == (2, "")
    assert err == f"error: inbox {tmp_path / 'nowhere'} is not a folder; pass --inbox\n"


def test_help_shows_examples_and_every_exit_code(capsys) -> None:
    code, out, _ = _run(capsys, "--help")

    assert code == 0
    assert "--dry-run" in out.split("examples:")[1]
    assert "rejects --reason bad_date --file" in out
    codes = out.split("exit codes:")[1]
    for number, words in [
        ("0", "every file loaded"),
        ("1", "a file failed"),
        ("2", "bad arguments"),
        ("3", "an unexpected error"),
    ]:
        assert re.search(rf"^\s+{number}\s+{words}", codes, re.MULTILINE), number


def test_an_unexpected_error_exits_3_with_one_redacted_line(tmp_path: Path, warehouse) -> None:
    warehouse.write_activity([warehouse.activity_row()])
    lake = tmp_path / "cli-warehouse" / "lake"
    lake.mkdir(parents=True)
    # a manifest damaged by hand: the load cannot know which batches are in effect
    (lake / "manifest.jsonl").write_text(f"not json {PHONE}\n", encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-m", "ingest", "--inbox", str(warehouse.inbox)],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.startswith("error: unexpected JSONDecodeError: ")
    assert done.stderr.endswith("(run again with DEBUG=1 for details, and report it)\n")
    assert done.stderr.count("\n") == 1
    assert PHONE not in done.stderr


# -- progress --------------------------------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_progress_line_is_throttled_and_redrawn_in_place() -> None:
    stream, clock = io.StringIO(), _Clock()
    line = ProgressLine(stream, ["a.csv", "big.csv"], clock=clock, interval=0.2, width=80)

    clock.now += 1.0
    line("big.csv", 200_000)  # drawn: the first call
    clock.now += 0.1
    line("big.csv", 400_000)  # within 0.2 s: not drawn
    clock.now += 0.2
    line("big.csv", 600_000)  # drawn
    line.close()

    frames = stream.getvalue().split("\r")
    assert frames[0] == ""
    assert frames[1] == "[2/2] big.csv  200,000 rows  (200,000 in all, 200,000 rows/s)"
    assert frames[2].startswith("[2/2] big.csv  600,000 rows  (600,000 in all, 461,538 rows/s)")
    # close() blanks the line and returns to its start
    assert frames[3] == " " * len(frames[2].rstrip()) and frames[4] == ""


def test_the_progress_line_counts_files_already_read_and_fits_the_terminal() -> None:
    stream, clock = io.StringIO(), _Clock()
    long_name = "logs/2025Q1/" + "第三协作区" * 10 + ".csv"
    line = ProgressLine(stream, ["a.csv", long_name, "c.csv"], clock=clock, interval=0, width=60)

    clock.now += 1.0
    line("a.csv", 1_000)
    clock.now += 1.0
    line(long_name, 3_000)
    clock.now += 1.0
    line("c.csv", 2)

    def width(text: str) -> int:
        return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in text)

    frames = stream.getvalue().split("\r")
    # the name loses its start, so the file name itself stays in view
    assert frames[2] == "[2/3] …作区.csv  3,000 rows  (4,000 in all, 2,000 rows/s)"
    assert width(frames[2]) <= 59
    # a shorter line than the one before is padded, so nothing of the old one remains
    assert frames[3].rstrip() == "[3/3] c.csv  2 rows  (4,002 in all, 1,334 rows/s)"
    assert width(frames[3]) == width(frames[2])


def test_a_workbooks_sheets_count_as_the_workbook() -> None:
    stream, clock = io.StringIO(), _Clock()
    line = ProgressLine(stream, ["a.csv", "book.xlsx"], clock=clock, interval=0, width=80)

    clock.now += 1.0
    line("book.xlsx#名册", 10)
    clock.now += 1.0
    line("book.xlsx#第二页", 30)

    frames = stream.getvalue().split("\r")
    assert frames[1] == "[2/2] book.xlsx#名册  10 rows  (10 in all, 10 rows/s)"
    assert frames[2] == "[2/2] book.xlsx#第二页  30 rows  (40 in all, 20 rows/s)"


def test_progress_is_shown_on_a_terminal_and_cleared_before_the_table(
    warehouse, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mixed_inbox(warehouse)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code = main(["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root)])

    shown = terminal.getvalue()
    assert code == 0
    # files are read two at a time: the first line drawn is either file's
    assert re.search(r"\r(\[1/2\] a\.csv  3 rows  \(3|\[2/2\] b\.csv  1 rows  \(1) in all, ", shown)
    assert shown.endswith("\r")  # the line was erased
    assert PHONE not in shown
    assert capsys.readouterr().out.splitlines()[0] == "files: 2 (2 loaded)"

    # --json: never any progress, even on a terminal
    terminal.seek(0)
    terminal.truncate()
    (warehouse.inbox / "b.csv").unlink()
    warehouse.write_activity([warehouse.activity_row({"人员编号": "T003"})], name="b.csv")
    code = main(
        ["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root), "--json"]
    )
    assert (code, terminal.getvalue()) == (0, "")
    assert [r["outcome"] for r in json.loads(capsys.readouterr().out)] == ["unchanged", "replaced"]


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_terminal_gets_the_progress_line_and_a_pipe_does_not(
    warehouse, tmp_path: Path
) -> None:
    _mixed_inbox(warehouse)
    command = [sys.executable, "-m", "ingest", "--inbox", str(warehouse.inbox)]

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        shown = _read_all(leader).decode("utf-8")
        out, _ = process.communicate(timeout=120)
    finally:
        os.close(leader)

    assert process.returncode == 0
    # files are read two at a time: the first line drawn is either file's
    assert re.search(r"\r(\[1/2\] a\.csv  3 rows  \(3|\[2/2\] b\.csv  1 rows  \(1) in all, ", shown)
    assert "rows/s)" in shown
    assert PHONE not in shown
    assert out.decode("utf-8").splitlines()[0] == "files: 2 (2 loaded)"

    piped = subprocess.run(
        command, cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert (piped.returncode, piped.stderr) == (0, "")
    assert "\x1b" not in piped.stdout and "\r" not in piped.stdout


FIRST_SLICE = REPO / "tests" / "fixtures" / "valid" / "first_slice_inbox"


def test_the_first_slice_load_prints_its_summary_plain_when_piped(tmp_path: Path) -> None:
    """The first-slice inbox (its README): logs/s01_2025q1.csv lines 7-18 are one row per
    reason code, in DESIGN.md's order; nothing else is rejected. Rows read: districts 3,
    organizations 5, roster T001-T008 8, s01 lines 2-26 25, s02 lines 2-6 5: 46."""
    inbox = tmp_path / "inbox"
    shutil.copytree(FIRST_SLICE, inbox)
    (inbox / "README.md").unlink()

    done = subprocess.run(
        [sys.executable, "-m", "ingest", "--inbox", str(inbox)],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (done.returncode, done.stderr) == (0, "")
    (log,) = (tmp_path / "cli-warehouse" / "logs").glob("ingest-*.log")
    reasons = [
        "missing_person",
        "missing_org",
        "missing_date",
        "bad_date",
        "date_out_of_range",
        "bad_time",
        "end_before_start",
        "missing_hours",
        "bad_hours",
        "hours_out_of_range",
        "missing_activity_type",
        "bad_id_number",
    ]
    assert _timeless(done.stdout) == [
        "files: 5 (5 loaded)",
        "rows: 46 read, 34 loaded, 12 rejected",
        "rejected by reason      rows",
        *(f"  {reason:21}    1" for reason in reasons),
        "  total                   12",
        "time: …",
        f"every file, its rows and rejects by reason: {log}",
        "the rejected rows (masked), with what to fix: python -m ingest rejects (make rejects)",
    ]
    assert "\x1b" not in done.stdout and "\r" not in done.stdout
    # the log holds each file's line, and its rejects by reason under it
    detail = log.read_text(encoding="utf-8").splitlines()
    assert [line.split() for line in detail[:5]] == [
        ["file", "kind", "outcome", "read", "loaded", "rejected"],
        ["districts.csv", "districts", "loaded", "3", "3", "0"],
        ["logs/s01_2025q1.csv", "activity", "loaded", "25", "13", "12"],
        ["bad_date:", "1"],
        ["bad_hours:", "1"],
    ]
    assert sorted(line.strip() for line in detail[3:15]) == sorted(f"{r}: 1" for r in reasons)
    assert [line.split()[:6] for line in detail[15:18]] == [
        ["logs/s02_2025q1_gb18030.csv", "activity", "loaded", "5", "5", "0"],
        ["organizations.csv", "organizations", "loaded", "5", "5", "0"],
        ["roster.xlsx", "people", "loaded", "8", "8", "0"],
    ]


# -- status ----------------------------------------------------------------------------------


def test_status_shows_every_batch_and_totals_over_the_active_ones(warehouse, capsys) -> None:
    _mixed_inbox(warehouse)
    root = str(warehouse.paths.root)
    _run(capsys, "--inbox", str(warehouse.inbox), "--warehouse", root)
    # a corrected re-export of b.csv: two rows now; the old batch is superseded
    warehouse.write_activity(
        [warehouse.activity_row({"人员编号": "T002"}), warehouse.activity_row({"时长": "0"})],
        name="b.csv",
    )
    _run(capsys, "--inbox", str(warehouse.inbox), "--warehouse", root)

    code, out, err = _run(capsys, "status", "--warehouse", root)

    assert (code, err) == (0, "")
    manifest = warehouse.manifest()
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == [
        "batch", "file", "kind", "read", "loaded", "rejected", "duplicates", "state"
    ]  # fmt: skip
    # duplicates are counted by a build, and there has been none: "-"
    assert rows[1:4] == [
        [manifest[0]["batch_id"], "a.csv", "activity", "3", "2", "1", "-", "active"],
        [
            manifest[1]["batch_id"],
            "b.csv",
            "activity",
            "1",
            "1",
            "0",
            "-",
            "superseded",
            "by",
            manifest[2]["batch_id"],
        ],
        [manifest[2]["batch_id"], "b.csv", "activity", "2", "1", "1", "-", "active"],
    ]
    assert rows[4] == ["total", "(2", "active", "of", "3", "batches)", "5", "3", "2"]
    assert out.splitlines()[5] == "duplicates: not built yet"
    assert len(rows) == 6


def test_status_of_an_empty_lake_says_how_to_load(warehouse, capsys) -> None:
    code, out, _ = _run(capsys, "status", "--warehouse", str(warehouse.paths.root))

    assert code == 0
    assert out.startswith("no batches in ")


# -- rejects ---------------------------------------------------------------------------------


@pytest.fixture
def rejects_lake(warehouse, capsys) -> str:
    """A lake with rejects in two files, one of them under a folder."""
    warehouse.write_activity(
        [
            warehouse.activity_row({"日期": "2025-02-30"}),
            warehouse.activity_row(),
            warehouse.activity_row({"人员编号": "", "身份证号": "1.10101E+17"}),
            warehouse.activity_row({"日期": "2025/13/1"}),
        ],
        name="a.csv",
    )
    warehouse.write_activity(
        [
            warehouse.activity_row({"时长": "25", "手机号": PHONE, "身份证号": ID_NUMBER}),
            warehouse.activity_row({"活动类型": ""}),
            warehouse.activity_row(),  # a file that loads no row fails whole
        ],
        name="logs/2025Q1/b.csv",
    )
    root = str(warehouse.paths.root)
    assert _run(capsys, "--inbox", str(warehouse.inbox), "--warehouse", root)[0] == 0
    return root


def test_rejects_prints_each_file_and_reason_with_its_first_row(rejects_lake, capsys) -> None:
    code, out, err = _run(capsys, "rejects", "--warehouse", rejects_lake, "--lang", "en")

    assert (code, err) == (0, "")
    table, see_all = out.split("\n\n")
    assert [line.split(None, 3) for line in table.splitlines()] == [
        ["file", "reason", "rows", "first"],
        [
            "a.csv",
            "bad_date",
            "2",
            "line 2: column 日期: '2025-02-30' is not a real date; write it as 2025-03-05",
        ],
        [
            "a.csv",
            "bad_id_number",
            "1",
            "line 4: column 身份证号: '1.1****E+17' was damaged "
            "by Excel (digits lost); format the column as text and export again",
        ],
        [
            "logs/2025Q1/b.csv",
            "hours_out_of_range",
            "1",
            "line 2: column 时长: '25' is out "
            "of range: a session lasts more than 0 and at most 24 hours (1,440 minutes); in an "
            "event summary, each participant's hours",
        ],
        [
            "logs/2025Q1/b.csv",
            "missing_activity_type",
            "1",
            "line 3: column 活动类型 is empty: give the activity type, e.g. activity day",
        ],
        ["total", "(2", "files)", "5"],
    ]
    assert see_all == (
        "every rejected row: python -m ingest rejects --all (make rejects VERBOSE=1), or "
        "only some: --file NAME --reason CODE (make rejects FILE=... REASON=...)\n"
    )
    for number in (PHONE, ID_NUMBER, "1.10101E+17"):
        assert number not in out


def test_rejects_all_prints_counts_by_file_and_reason_then_the_rows(
    rejects_lake, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run(capsys, "rejects", "--warehouse", rejects_lake, "--all")
    monkeypatch.setenv("VERBOSE", "1")  # `make rejects VERBOSE=1`
    assert _run(capsys, "rejects", "--warehouse", rejects_lake) == (code, out, err)

    assert (code, err) == (0, "")
    table, rows = out.split("\n\n")
    assert [line.split() for line in table.splitlines()] == [
        ["file", "reason", "rows"],
        ["a.csv", "bad_date", "2"],
        ["a.csv", "bad_id_number", "1"],
        ["logs/2025Q1/b.csv", "hours_out_of_range", "1"],
        ["logs/2025Q1/b.csv", "missing_activity_type", "1"],
        ["total", "(2", "files)", "5"],
    ]
    assert [line.split("\t")[:2] for line in rows.splitlines()] == [
        ["a.csv:2", "bad_date"],
        ["a.csv:4", "bad_id_number"],
        ["a.csv:5", "bad_date"],
        ["logs/2025Q1/b.csv:2", "hours_out_of_range"],
        ["logs/2025Q1/b.csv:3", "missing_activity_type"],
    ]
    # in Chinese by default (--lang en for English), from the stored code, column and
    # masked value
    assert rows.splitlines()[1].split("\t")[2] == (
        "“身份证号”列：“1.1****E+17”已被 Excel 损坏（丢失了数位）；请把该列设为文本格式后重新导出"
    )
    for number in (PHONE, ID_NUMBER, "1.10101E+17"):
        assert number not in out


def test_rejects_in_english(rejects_lake, capsys) -> None:
    code, out, _ = _run(capsys, "rejects", "--warehouse", rejects_lake, "--lang", "en", "--all")

    assert code == 0
    assert out.split("\n\n")[1].splitlines()[3].split("\t") == [
        "logs/2025Q1/b.csv:2",
        "hours_out_of_range",
        "column 时长: '25' is out of range: a session lasts more than 0 and at most 24 hours "
        "(1,440 minutes); in an event summary, each participant's hours",
    ]


def test_rejects_filters_by_reason_and_by_file_name_or_glob(rejects_lake, capsys) -> None:
    code, out, _ = _run(capsys, "rejects", "--warehouse", rejects_lake, "--reason", "bad_date")
    assert code == 0
    assert [line.split("\t")[:2] for line in out.split("\n\n")[1].splitlines()] == [
        ["a.csv:2", "bad_date"],
        ["a.csv:5", "bad_date"],
    ]

    for pattern in ("logs/2025Q1/b.csv", "logs/*", "*/b.csv"):
        code, out, _ = _run(capsys, "rejects", "--warehouse", rejects_lake, "--file", pattern)
        assert code == 0, pattern
        assert [line.split()[:2] for line in out.split("\n\n")[0].splitlines()[1:-1]] == [
            ["logs/2025Q1/b.csv", "hours_out_of_range"],
            ["logs/2025Q1/b.csv", "missing_activity_type"],
        ], pattern

    code, out, _ = _run(
        capsys,
        "rejects",
        "--warehouse",
        rejects_lake,
        "--file",
        "a.csv",
        "--file",
        "logs/*",
        "--reason",
        "bad_id_number",
        "--reason",
        "missing_activity_type",
    )
    assert code == 0
    assert out.split("\n\n")[0].splitlines()[-1].split() == ["total", "(2", "files)", "2"]


def test_rejects_of_a_workbook_cover_each_of_its_sheets(warehouse, capsys) -> None:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "一月"
    second = book.create_sheet("二月")
    headers = warehouse.activity_headers
    for sheet, bad in ((first, {"日期": "2025-02-30"}), (second, {"活动类型": ""})):
        sheet.append(headers)
        for changes in ({}, bad):
            row = warehouse.activity_row(changes)
            sheet.append([row[h] or None for h in headers])
    book.save(warehouse.inbox / "book.xlsx")
    root = str(warehouse.paths.root)
    assert _run(capsys, "--inbox", str(warehouse.inbox), "--warehouse", root)[0] == 0

    code, out, _ = _run(capsys, "rejects", "--warehouse", root, "--file", "book.xlsx")

    assert code == 0
    assert [line.split() for line in out.split("\n\n")[0].splitlines()] == [
        ["file", "reason", "rows"],
        ["book.xlsx#一月", "bad_date", "1"],
        ["book.xlsx#二月", "missing_activity_type", "1"],
        ["total", "(2", "files)", "2"],
    ]


def test_rejects_with_no_match_and_unknown_files(rejects_lake, capsys) -> None:
    code, out, _ = _run(capsys, "rejects", "--warehouse", rejects_lake, "--reason", "bad_time")
    assert (code, out) == (0, "没有被拒收的行\n")

    code, out, err = _run(capsys, "rejects", "--warehouse", rejects_lake, "--file", "c.csv")
    assert (code, out) == (2, "")
    assert err == (
        "error: 数据湖中没有名为 c.csv 的有效批次；python -m ingest status 会列出各文件\n"
    )
    english = _run(
        capsys, "rejects", "--warehouse", rejects_lake, "--file", "c.csv", "--lang", "en"
    )
    assert english[2] == (
        "error: no active batch in the lake is named c.csv; "
        "python -m ingest status lists the files\n"
    )


def test_rejects_json_is_the_filtered_list_of_rows(rejects_lake, capsys) -> None:
    code, out, _ = _run(
        capsys, "rejects", "--warehouse", rejects_lake, "--json", "--file", "logs/*"
    )

    assert code == 0
    assert [(r["file"], r["line"], r["reason"]) for r in json.loads(out)] == [
        ("logs/2025Q1/b.csv", 2, "hours_out_of_range"),
        ("logs/2025Q1/b.csv", 3, "missing_activity_type"),
    ]
    assert set(json.loads(out)[0]) == {"file", "line", "reason", "message"}


def test_reject_counts_follow_the_reasons_order_of_precedence() -> None:
    table = reject_counts(
        [("b.csv", "bad_hours"), ("a.csv", "bad_date"), ("a.csv", "missing_person")] * 2
    )

    assert [line.split() for line in table.splitlines()] == [
        ["file", "reason", "rows"],
        ["a.csv", "missing_person", "2"],
        ["a.csv", "bad_date", "2"],
        ["b.csv", "bad_hours", "2"],
        ["total", "(2", "files)", "6"],
    ]


def test_the_command_loads_csv_workbooks_and_gb18030_without_importing_pandas(
    tmp_path: Path,
) -> None:
    # pyarrow would import pandas on its first conversion (ingest.arrow); the command's
    # process answers that import with ImportError, and every kind of file still loads
    inbox = tmp_path / "inbox"
    shutil.copytree(REPO / "tests" / "fixtures" / "valid" / "first_slice_inbox", inbox)
    gb = "人员编号,姓名,组织编码,活动日期,活动类型,服务时长\nT901,王堃,S001,2025-03-05,志愿服务,2\n"
    (inbox / "logs" / "gb18030.csv").write_bytes(gb.encode("gb18030"))

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ingest", "--inbox", str(inbox), "--json"],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    files = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {f["file"]: f["outcome"] for f in files}["logs/gb18030.csv"] == "loaded"
    assert {f["outcome"] for f in files} == {"loaded"}
    assert any(f["file"].endswith(".xlsx") for f in files)
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "pyarrow" in imported
    # -X importtime lists the refused attempts as `pandas` too; pandas itself, once
    # run, imports its submodules (pandas.core …), and none of them is there
    assert [name for name in imported if name.startswith("pandas.")] == []
