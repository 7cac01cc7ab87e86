"""The detail of a load or a build, kept in a log file: ``make ingest`` and ``make
build`` print a summary, and write every file's line and every dbt node's line to
``WAREHOUSE_DIR/logs/<command>-<UTC time>.log``, whose path the summary names.
``VERBOSE=1`` prints the detail too."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TextIO

# colour and cursor codes (dbt's colours, a terminal's progress bar): never in a log
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def new_log(root: Path, command: str, now: dt.datetime | None = None) -> Path:
    """A new log file's path under ``root/logs`` (the folder made), named after the
    command and the UTC time; ``-2``, ``-3``… when two runs start in the same second."""
    folder = root / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{command}-{stamp}.log"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{command}-{stamp}-{number}.log"
    path.touch()
    return path


def plain(text: str) -> str:
    """The text without ANSI codes."""
    return ANSI.sub("", text)


def is_terminal(stream: TextIO) -> bool:
    """Whether the stream is a terminal (a closed or odd stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def seconds(elapsed: float) -> str:
    """A duration as a summary shows it: ``4.2 s``, ``3 min 05 s``."""
    if elapsed < 60:
        return f"{elapsed:.1f} s"
    minutes, rest = divmod(round(elapsed), 60)
    return f"{minutes} min {rest:02d} s"
