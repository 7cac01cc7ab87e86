"""What a user sees when something unexpected goes wrong: one line, no traceback,
no personal number."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

# Runs of 7 or more digits (phones, ID numbers, also with a trailing X) are masked
# in any message built from an exception we did not write ourselves.
_NUMBER = re.compile(r"\d{7,}[\dXx]?")


def redact(text: str) -> str:
    """Mask every long digit run: all but the first 3 and last 2 characters."""
    return _NUMBER.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 5) + m.group()[-2:], text)


def run_cli(main: Callable[[], int]) -> None:
    """Run a command's ``main`` and exit with its code; an unexpected exception
    becomes one redacted line on stderr and exit code 3 (``DEBUG=1`` re-raises)."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except Exception as error:  # the last line of defence: no traceback for users
        if os.environ.get("DEBUG"):
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(
            f"error: unexpected {type(error).__name__}: {redact(first)} "
            "(run again with DEBUG=1 for details, and report it)",
            file=sys.stderr,
        )
        code = 3
    sys.exit(code)
