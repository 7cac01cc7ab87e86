"""What a user sees when something goes wrong: one line, no traceback, no personal number.

A command signals what the user can put right by raising a ``UserError`` (exit 1) or one
of its subclasses, each carrying its exit code (``UsageError``: bad arguments, exit 2);
``reports_user_errors`` turns it into one line on stderr and that code. Anything else is
unexpected: ``run_cli`` prints one redacted line and exits 3 (``DEBUG=1`` re-raises).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import ParamSpec

from kernel.settings import settings

P = ParamSpec("P")

# The exit code of an error nobody foresaw (a bug, a damaged file we did not expect).
UNEXPECTED = 3
# The exit code of a command stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


class UserError(Exception):
    """Something the user can put right: the message says what is wrong, where (the file,
    the line, the option) and what to do. The command exits with ``exit_code`` (1) and
    the message on stderr, never a traceback."""

    exit_code = 1


class UsageError(UserError):
    """The command was asked for something it cannot do as asked (an unknown option, a
    value that is not a month, an inbox that is not a folder); nothing was changed."""

    exit_code = 2


def report(error: UserError) -> int:
    """Print ``error`` as the one line a user sees; its exit code."""
    print(f"error: {error}", file=sys.stderr)
    return error.exit_code


def reports_user_errors(main: Callable[P, int]) -> Callable[P, int]:
    """A command's ``main`` that returns the exit code of a ``UserError`` it raises, after
    printing its message (``report``), instead of raising it."""

    @functools.wraps(main)
    def reporting(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            return main(*args, **kwargs)
        except UserError as error:
            return report(error)

    return reporting


# Runs of 7 or more digits (phones, ID numbers, also with a trailing X) are masked
# in any message built from an exception we did not write ourselves.
_NUMBER = re.compile(r"\d{7,}[\dXx]?")


def redact(text: str) -> str:
    """Mask every long digit run: all but the first 3 and last 2 characters."""
    return _NUMBER.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 5) + m.group()[-2:], text)


# A file's content quoted in a message (its first row, a parser's complaint) must not
# leak what the file holds, whatever it is: a secret key is letters and digits (64 hex
# digits), an ID number digits and an X, a phone number may be written in groups.
# Masked: every run of 6 or more ASCII letters, digits, `+`, `/` or `=` that holds a
# digit, every such run of 16 or more whatever it holds, and every number of 11 or more
# digits written in groups (`138 1234 5678`, `010-12345678`); after NFKC, so full-width
# digits count. What is left is Chinese text, words and short numbers (`2025年3月`).
_SECRETISH = re.compile(
    r"(?=[A-Za-z0-9+/=]*[0-9])[A-Za-z0-9+/=]{6,}|[A-Za-z0-9+/=]{16,}|[0-9](?:[ -]?[0-9]){10,}"
)
# The longest excerpt of a file a message quotes, in characters.
EXCERPT_CHARS = 40


def mask_secrets(text: str) -> str:
    """The text with everything that could be a secret or a personal number masked."""
    normalized = unicodedata.normalize("NFKC", text)
    return _SECRETISH.sub(lambda m: "*" * len(m.group()), normalized)


def excerpt(text: str) -> str:
    """A file's content as a message may quote it: masked (``mask_secrets``), one line,
    and cut at ``EXCERPT_CHARS`` characters (an ellipsis says it was cut)."""
    line = " ".join(mask_secrets(text).split())
    return line if len(line) <= EXCERPT_CHARS else line[:EXCERPT_CHARS] + "…"


def run_cli(main: Callable[[], int]) -> None:
    """Run a command's ``main`` and exit with its code. A ``UserError`` that reaches here
    is reported as ``reports_user_errors`` does; an unexpected exception becomes one
    redacted line on stderr and exit code 3 (``DEBUG=1`` re-raises it, traceback and all)."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = INTERRUPTED
    except UserError as error:
        code = report(error)
    except Exception as error:  # the last line of defence: no traceback for users
        if settings().debug:
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(
            f"error: unexpected {type(error).__name__}: {mask_secrets(first)} "
            "(run again with DEBUG=1 for details, and report it)",
            file=sys.stderr,
        )
        code = UNEXPECTED
    sys.exit(code)
