"""What a build shows of dbt: every line of dbt's output goes to the build's log file
(``kernel.runlog``); the screen gets a progress bar on a terminal (a few plain lines
otherwise), then a summary of the models and tests from ``run_results.json``
(``build_summary``). With ``VERBOSE=1`` every line reaches the screen as dbt wrote it.

When dbt fails, the lines that say why (each failed node, and dbt's closing account
of the errors with their files) are printed in full: a reader never has to open the
log to learn what failed.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from kernel.runlog import is_terminal, plain, seconds

# a node's line: "12:00:01  3 of 147 OK created sql table model marts.x ... [OK in 0.1s]"
# (a hook's too, "1 of 1 OK hook: ...", counted apart and not shown as progress)
NODE = re.compile(r"^\d\d:\d\d:\d\d\s+(\d+) of (\d+) (\S+)")
# a line the test materialization writes for each model, rule and column that found
# rows (dbt_project/macros/materializations/test.sql): "dq_rejects: not_null (x), 2 rows"
RULE = re.compile(r"^\d\d:\d\d:\d\d\s+(\S+: \S+ \(.*\), \d+ rows?(?:, e\.g\. .*)?)$")
# a line with its time alone, which dbt writes between parts of its output
BLANK = re.compile(r"^(\d\d:\d\d:\d\d)?\s*$")
TRACEBACK = "Traceback (most recent call last):"
# the statuses a node line ends with that say nothing went wrong
QUIET = {"START", "OK", "PASS", "NO-OP", "SKIP", "WARN"}
BAR = 30
# the share of nodes after which a non-terminal gets a progress line
STEPS = (0.25, 0.5, 0.75)


class DbtOutput:
    """Takes dbt's output line by line (``feed``, from the thread reading dbt's pipe):
    writes it to the log, and shows the progress (a bar redrawn on a terminal, a line
    at each quarter otherwise) or, ``verbose``, the line itself."""

    def __init__(
        self,
        log: Path,
        verbose: bool,
        screen: TextIO,
        progress: TextIO,
        label: str = "dbt build",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log = log
        self.verbose = verbose
        self.screen = screen
        self.progress = progress
        self.label = label
        self.clock = clock
        self.started = clock()
        self.terminal = is_terminal(progress)
        self.lines: list[str] = []
        self.done: Counter[int] = Counter()  # finished nodes, by the count they belong to
        self.shown = 0  # the quarters already told (not on a terminal)
        self.drawn = 0  # the width of the bar drawn (on a terminal)
        self.lock = threading.Lock()
        self.file = log.open("a", encoding="utf-8")

    @property
    def colours(self) -> bool:
        """Whether dbt may colour its lines: only when they reach a terminal as written."""
        return self.verbose and is_terminal(self.screen)

    def feed(self, line: str) -> None:
        text = line.rstrip("\n")
        with self.lock:
            bare = plain(text)
            self.lines.append(bare)
            self.file.write(bare + "\n")
            if self.verbose:
                self.screen.write(text + "\n")
                self.screen.flush()
                return
            node = NODE.match(bare)
            if node and node.group(3) != "START" and " hook: " not in bare:
                self.done[int(node.group(2))] += 1
                self._show(*self._position())

    def _position(self) -> tuple[int, int]:
        """Nodes finished and in all, of the run's largest count (hooks count apart)."""
        total = max(self.done)
        return min(self.done[total], total), total

    def _show(self, done: int, total: int) -> None:
        elapsed = seconds(self.clock() - self.started)
        if self.terminal:
            filled = round(BAR * done / total)
            text = f"\r{self.label} [{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {elapsed}"
            self.progress.write(text)
            self.progress.flush()
            self.drawn = len(text) - 1
            return
        while self.shown < len(STEPS) and done >= STEPS[self.shown] * total:
            self.shown += 1
            self.progress.write(f"{self.label}: {done} of {total} nodes done ({elapsed})\n")
            self.progress.flush()

    def close(self) -> None:
        """Erase the bar and close the log."""
        with self.lock:
            if self.drawn:
                self.progress.write("\r" + " " * self.drawn + "\r")
                self.progress.flush()
                self.drawn = 0
            self.file.close()

    def failure(self) -> list[str]:
        """What a failed dbt run said about why: every line but the quiet node lines and
        the run's preamble (all of its lines when no node ran: a parse or connection
        error). Empty with ``verbose``: the screen has had every line."""
        if self.verbose:
            return []
        lines = self.lines
        # a Python traceback (dbt's own, after its one-line account of the error) stays
        # in the log: the line above it says what failed
        cut = next((i for i, line in enumerate(lines) if TRACEBACK in line), None)
        if cut is not None:
            lines = [*lines[:cut], f"(dbt's traceback: {self.log})"]
        first = next((i for i, line in enumerate(lines) if NODE.match(line)), None)
        if first is None:
            return [line for line in lines if not BLANK.match(line)]
        return [
            line
            for line in lines[first:]
            if not BLANK.match(line) and not ((m := NODE.match(line)) and m.group(3) in QUIET)
        ]

    def rule_lines(self) -> list[str]:
        """The rules that found rows, one line per model, rule and column as the test
        materialization logged them (without dbt's time)."""
        with self.lock:
            return [m.group(1) for line in self.lines if (m := RULE.match(line))]

    def pump(self, stream: Iterable[str]) -> threading.Thread:
        """A thread that feeds every line of ``stream`` (dbt's stdout) until it ends."""

        def read() -> None:
            for line in stream:
                self.feed(line)

        thread = threading.Thread(target=read, name="dbt-output", daemon=True)
        thread.start()
        return thread


def build_summary(results_file: Path) -> str:
    """One line on what dbt ran: models, seeds and data tests by outcome, and the time
    (``run_results.json`` of the run)."""
    if not results_file.exists():
        return "dbt build: no run_results.json"
    run = json.loads(results_file.read_text(encoding="utf-8"))
    results = run.get("results", [])
    elapsed = float(run.get("elapsed_time") or 0)
    kinds: dict[str, Counter[str]] = {}
    for result in results:
        kind = result["unique_id"].split(".")[0]
        kinds.setdefault(kind, Counter())[result["status"]] += 1
    parts = []
    for kind in ("model", "seed", "snapshot"):
        if kind in kinds:
            counted = kinds[kind]
            failed = sum(counted[s] for s in ("error", "skipped"))
            note = f" ({failed} failed or skipped)" if failed else ""
            number = sum(counted.values())
            parts.append(f"{number} {kind}{'s' if number != 1 else ''}{note}")
    tests = kinds.get("test", Counter())
    if tests:
        failed = tests["fail"] + tests["error"]
        parts.append(
            f"{sum(tests.values())} data tests ({tests['pass']} passed, {tests['warn']} warned, "
            f"{failed} failed" + (f", {tests['skipped']} skipped" if tests["skipped"] else "") + ")"
        )
    return f"dbt build: {', '.join(parts) or 'nothing to run'} in {seconds(elapsed)}"
