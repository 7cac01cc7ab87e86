"""Subcommands with a default, and argument errors as one line with exit code 2."""

from __future__ import annotations

import pytest

from kernel.cli import CommandParser, Parser, with_default
from kernel.errors import UsageError


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["load"]),
        (["--inbox", "in"], ["load", "--inbox", "in"]),
        (["status", "--verify"], ["status", "--verify"]),
        (["--help"], ["--help"]),
        (["-h"], ["-h"]),
        (["lod"], ["lod"]),  # a word names a command, even an unknown one
    ],
)
def test_the_default_command_goes_first_when_none_is_named(argv, expected) -> None:
    assert with_default(argv, ["load", "status"], "load") == expected


def _parser() -> CommandParser:
    parser = CommandParser(prog="python -m tool", description="A tool.", default="load")
    load = parser.add_command("load", help="load the inbox")
    load.add_argument("--inbox", default="data/inbox")
    load.add_argument("--json", action="store_true")
    status = parser.add_command("status", help="show the batches")
    status.add_argument("--verify", action="store_true")
    status.add_argument("--json", action="store_true")
    return parser


def test_no_command_runs_the_default_and_a_named_one_runs_itself() -> None:
    parser = _parser()
    assert vars(parser.parse_args([])) == {"command": "load", "inbox": "data/inbox", "json": False}
    assert vars(parser.parse_args(["--inbox", "x", "--json"])) == {
        "command": "load",
        "inbox": "x",
        "json": True,
    }
    assert vars(parser.parse_args(["load", "--inbox", "x"]))["inbox"] == "x"
    assert vars(parser.parse_args(["status", "--verify"])) == {
        "command": "status",
        "verify": True,
        "json": False,
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["lod"],
            "argument COMMAND: invalid choice: 'lod' (choose from 'load', 'status') "
            "(see python -m tool --help)",
        ),
        (["--verify"], "--verify goes with `status`, not `load` (see python -m tool --help)"),
        (
            ["status", "--inbox", "x"],
            "--inbox goes with `load`, not `status` (see python -m tool --help)",
        ),
        (["--colour"], "unrecognized arguments: --colour (see python -m tool --help)"),
        (
            ["status", "--verify=yes"],
            "argument --verify: ignored explicit argument 'yes' (see python -m tool status --help)",
        ),
    ],
)
def test_bad_arguments_are_a_usage_error_with_exit_code_2(argv, message) -> None:
    with pytest.raises(UsageError) as raised:
        _parser().parse_args(argv)
    assert str(raised.value) == message
    assert raised.value.exit_code == 2


def test_help_lists_the_commands_then_the_default_commands_options(capsys) -> None:
    parser = _parser()
    parser.epilog = "examples:\n  python -m tool --inbox in"
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    commands = out.index("commands:")
    default = out.index("without a command, python -m tool runs `load`:")
    assert commands < default < out.index("--inbox INBOX") < out.index("examples:")
    assert "status    show the batches" in out
    assert out.endswith("examples:\n  python -m tool --inbox in\n")


def test_a_command_has_its_own_help(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        _parser().parse_args(["status", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m tool status [-h] [--verify] [--json]")
    assert "--inbox" not in out


def test_a_plain_parser_raises_usage_errors_too() -> None:
    parser = Parser(prog="python -m tool.rotate")
    parser.add_argument("--inbox", required=True)
    with pytest.raises(UsageError, match=r"^the following arguments are required: --inbox"):
        parser.parse_args([])


def test_a_one_paragraph_description_is_wrapped_and_an_epilog_kept_as_written() -> None:
    parser = Parser(prog="p", description="word " * 40, epilog="a\n  b")
    text = parser.format_help()
    assert max(len(line) for line in text.splitlines()) <= 88
    assert text.endswith("a\n  b\n")
