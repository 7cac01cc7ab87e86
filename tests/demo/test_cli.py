"""The command's help, its exit codes and its one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo.commands import run_demo


def test_help_shows_examples() -> None:
    result = run_demo("--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and "--rows 10000000" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--rows", "many"), "'many' is not a whole number"),
        (("--rows", "100"), "--rows must be between 5,000 and 100,000,000"),
        (("--seed", "-1"), "the seed must be 0 or more"),
        (("--colour",), "unrecognized arguments: --colour"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    result = run_demo("--out", str(tmp_path / "inbox"), *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "inbox").exists()


def test_a_folder_the_demo_did_not_write_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_demo("--out", str(tmp_path), "--rows", "5000")
    assert result.returncode == 2
    assert "not empty and was not written by the demo" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_success_says_what_was_written(tmp_path: Path) -> None:
    result = run_demo("--out", str(tmp_path / "inbox"), "--rows", "5000", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "5,000 activity rows" in result.stdout
    assert result.stderr == ""


def test_write_is_the_default_command_and_may_be_named(tmp_path: Path) -> None:
    named = run_demo("write", "--out", str(tmp_path / "inbox"), "--rows", "100")
    assert (named.returncode, named.stderr) == (
        2,
        "error: --rows must be between 5,000 and 100,000,000, not 100\n",
    )
    assert run_demo("write", "--help").stdout.startswith("usage: python -m demo write [-h]")


def test_an_unknown_command_exits_2_naming_the_commands(tmp_path: Path) -> None:
    result = run_demo("wirte", "--out", str(tmp_path / "inbox"))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: argument COMMAND: invalid choice: 'wirte' (choose from 'write') "
        "(see python -m demo --help)\n"
    )
    assert not (tmp_path / "inbox").exists()
