"""Errors a user can cause carry their exit code; one line on stderr, never a traceback."""

from __future__ import annotations

import pytest

from kernel.errors import UsageError, UserError, report, reports_user_errors, run_cli


class _Busy(UserError):
    exit_code = 75


@reports_user_errors
def _command(error: Exception | None, code: int = 0) -> int:
    if error is not None:
        raise error
    return code


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (UserError("a.csv: line 3: not a date; write it as 2025-03-31"), 1),
        (UsageError("--rows must be between 5,000 and 100,000,000, not 100"), 2),
        (_Busy("another build is running; run `make build` again"), 75),
    ],
)
def test_a_user_error_is_one_line_and_its_own_exit_code(
    capsys: pytest.CaptureFixture[str], error: UserError, code: int
) -> None:
    assert _command(error) == code
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"error: {error}\n")
    assert "Traceback" not in err


def test_the_exit_codes_are_those_of_the_classes() -> None:
    assert (UserError.exit_code, UsageError.exit_code) == (1, 2)
    assert issubclass(UsageError, UserError)


def test_a_command_that_raises_nothing_keeps_its_code(capsys) -> None:
    assert _command(None, 1) == 1
    assert capsys.readouterr() == ("", "")


def test_report_prints_and_returns_the_code(capsys) -> None:
    assert report(UsageError("inbox nowhere is not a folder; pass --inbox")) == 2
    assert capsys.readouterr().err == "error: inbox nowhere is not a folder; pass --inbox\n"


def test_an_unexpected_error_is_left_to_run_cli(capsys) -> None:
    with pytest.raises(KeyError):
        _command(KeyError("x"))


def _exit(main, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        run_cli(main)
    return stop.value.code, capsys.readouterr().err


def test_run_cli_exits_with_the_code_main_returns(capsys) -> None:
    assert _exit(lambda: 0, capsys) == (0, "")
    assert _exit(lambda: 75, capsys) == (75, "")


def test_run_cli_reports_a_user_error_that_reaches_it(capsys) -> None:
    def main() -> int:
        raise _Busy("another build of /w is running (pid 7)")

    assert _exit(main, capsys) == (75, "error: another build of /w is running (pid 7)\n")


def test_run_cli_turns_an_unexpected_error_into_one_masked_line_and_3(capsys, monkeypatch) -> None:
    monkeypatch.delenv("DEBUG", raising=False)

    def main() -> int:
        raise ValueError("bad row 13800138000\nsecond line")

    code, err = _exit(main, capsys)
    assert code == 3
    assert err == (
        "error: unexpected ValueError: bad row *********** "
        "(run again with DEBUG=1 for details, and report it)\n"
    )


def test_debug_shows_the_traceback_of_an_unexpected_error(monkeypatch) -> None:
    monkeypatch.setenv("DEBUG", "1")

    def main() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_cli(main)


def test_ctrl_c_exits_130(capsys) -> None:
    def main() -> int:
        raise KeyboardInterrupt

    assert _exit(main, capsys) == (130, "interrupted\n")
