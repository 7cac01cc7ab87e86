"""``python -m export``: statistics (the default), certificate and verify; exit codes and
one-line errors, before any snapshot is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from export.cli import main


@pytest.fixture(autouse=True)
def _no_export_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("FROM", "TO", "OUT", "SUPPRESS", "PERSON", "OUT_CERT", "ISSUER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "empty"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [(), ("statistics",)])
def test_without_a_snapshot_the_statistics_exit_1_saying_to_build(
    tmp_path: Path, capsys, command: tuple[str, ...]
) -> None:
    code, out, err = _run(capsys, *command, "--out", str(tmp_path / "out"))
    assert (code, out) == (1, "")
    assert err == f"error: no published snapshot in {tmp_path / 'empty'}: run `make build` first\n"
    assert not (tmp_path / "out").exists()


def test_a_suppress_that_is_not_a_number_exits_2(tmp_path: Path, capsys) -> None:
    code, out, err = _run(capsys, "--out", str(tmp_path / "out"), "--suppress", "five")
    assert (code, out) == (2, "")
    assert err == "error: SUPPRESS='five' is not a whole number; give 0 (off) or e.g. 5\n"


def test_a_certificate_needs_the_person(capsys) -> None:
    code, out, err = _run(capsys, "certificate")
    assert (code, out) == (2, "")
    assert err == "error: give the person: PERSON=… (person number, ID or phone number)\n"


def test_a_certificate_date_must_be_a_date(capsys) -> None:
    code, _, err = _run(capsys, "certificate", "--person", "T001", "--date", "31.3.2025")
    assert code == 2
    assert err == "error: --date '31.3.2025' is not a date; write it as 2025-03-31\n"


def test_templates_need_a_month_written_as_one_and_a_snapshot(tmp_path: Path, capsys) -> None:
    code, out, err = _run(capsys, "templates", "--month", "2025-13", "--out", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == "error: MONTH='2025-13' is not a month; write it as 2025-04\n"
    code, out, err = _run(capsys, "templates", "--out", str(tmp_path / "outbox"))
    assert (code, out) == (1, "")
    assert err == f"error: no published snapshot in {tmp_path / 'empty'}: run `make build` first\n"
    assert not (tmp_path / "outbox").exists()


def test_a_certificate_without_a_snapshot_exits_1(tmp_path: Path, capsys) -> None:
    code, _, err = _run(capsys, "certificate", "--person", "T001")
    assert code == 1
    assert err == f"error: no published snapshot in {tmp_path / 'empty'}: run `make build` first\n"


def test_an_unknown_command_and_a_misplaced_option_exit_2(capsys) -> None:
    code, out, err = _run(capsys, "certify")
    assert (code, out) == (2, "")
    assert err.startswith(
        "error: argument COMMAND: invalid choice: 'certify' (choose from 'statistics', "
        "'certificate', 'verify', 'templates')"
    )
    code, _, err = _run(capsys, "verify", "x.pdf", "--suppress", "5")
    assert code == 2
    assert err == (
        "error: --suppress goes with `statistics`, not `verify` (see python -m export --help)\n"
    )


def test_help_shows_the_commands_and_the_statistics_options(capsys) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    for command in ("statistics", "certificate", "verify", "templates"):
        assert f"    {command}" in out
    # bench/run.py reads the options it compares with the pandas baseline from here
    assert "--no-pdf" in out and "--suppress K" in out
    assert "exit codes: 0 written" in out


def test_a_snapshot_an_earlier_release_published_says_to_build(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tests/fixtures/valid/release_2a1d234: its monthly mart predates the event summaries
    # (issue 18), so five columns of today's figures are missing; before, the export
    # stopped with DuckDB's binder error as an "unexpected" error
    import tarfile

    release = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "release_2a1d234"
    with tarfile.open(release / "warehouse.tar.xz") as archive:
        archive.extractall(tmp_path / "old", filter="data")
    monkeypatch.setenv("WAREHOUSE_DIR", str(tmp_path / "old"))
    code, out, err = _run(capsys, "--out", str(tmp_path / "out"))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "error: the published snapshot was built by an earlier release and lacks "
        "events_held, events_logged, events_reported, reported_minutes, "
        "reported_person_times in agg_district_monthly: run `make build` to publish a new "
        "one from the lake (nothing is lost), then export again"
    )
    assert not (tmp_path / "out").exists()
