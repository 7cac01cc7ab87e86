"""What every command line shares: argparse whose errors are ``UsageError`` (one line,
exit 2), and subcommands of which one is the default.

``python -m ingest --inbox X`` is ``python -m ingest load --inbox X``: a command line
that starts with an option (or is empty) runs the default command, one that starts
with a word names its command (an unknown word: exit 2, listing the commands). The
top-level ``--help`` lists the commands, then the default command's options.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from kernel.errors import UsageError

HELP = ("-h", "--help")
# The width a description is wrapped to (the epilogs' examples are as wide).
WIDTH = 88


def add_warehouse_option(parser: argparse.ArgumentParser) -> None:
    """``--warehouse DIR``, the option every command that reads or writes a warehouse takes."""
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse folder (default: $WAREHOUSE_DIR or warehouse/)",
    )


class Parser(argparse.ArgumentParser):
    """argparse whose errors raise ``UsageError`` naming where to look, instead of
    printing the usage block and exiting (``reports_user_errors`` prints the line)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # the examples and exit codes of an epilog are laid out by hand; a description
        # of one paragraph is wrapped here
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        description = kwargs.get("description")
        if description and "\n" not in description:
            kwargs["description"] = textwrap.fill(description, WIDTH)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def with_default(argv: Sequence[str], commands: Sequence[str], default: str) -> list[str]:
    """``argv`` with ``default`` put first when it names no command: when it is empty or
    starts with an option other than ``--help``."""
    argv = list(argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in HELP):
        return [default, *argv]
    return argv


class CommandParser(Parser):
    """A command line of subcommands (``add_command``), one of them the default.

    An option that belongs to another command is refused naming that command
    (``--verify goes with `status```) rather than as merely unrecognized.
    """

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        self.commands: dict[str, argparse.ArgumentParser] = {}
        self._command_action = self.add_subparsers(
            dest="command", metavar="COMMAND", title="commands", parser_class=Parser
        )

    def add_command(self, name: str, help: str, **kwargs: Any) -> argparse.ArgumentParser:
        """A new subcommand's parser (``description`` defaults to ``help``)."""
        kwargs.setdefault("description", help)
        parser: argparse.ArgumentParser = self._command_action.add_parser(name, help=help, **kwargs)
        self.commands[name] = parser
        return parser

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        given = sys.argv[1:] if args is None else args
        argv = with_default(given, list(self.commands), self.default)
        parsed, extras = self.parse_known_args(argv, namespace)
        if extras:
            self.error(self._misplaced(parsed.command, extras))
        return parsed

    def _misplaced(self, command: str, extras: list[str]) -> str:
        """What to say of arguments ``command`` does not take."""
        for extra in extras:
            option = extra.split("=", 1)[0]
            if not option.startswith("-"):
                continue
            owners = [
                name
                for name, parser in self.commands.items()
                if name != command and option in parser._option_string_actions
            ]
            if owners:
                return f"{option} goes with `{'` or `'.join(owners)}`, not `{command}`"
        return f"unrecognized arguments: {' '.join(extras)}"

    def format_help(self) -> str:
        """The commands, then the default command's own help, then the examples."""
        epilog, self.epilog = self.epilog, None
        try:
            text = super().format_help()
        finally:
            self.epilog = epilog
        default = self.commands[self.default].format_help()
        text += f"\nwithout a command, {self.prog} runs `{self.default}`:\n\n{default}"
        return text + (f"\n{epilog}\n" if epilog else "")
