"""What a load and ``rejects`` print by default: a summary a reader takes in at a glance.

A load prints its files, rows and rejects by reason in one table (``load_summary``);
the table of every file with its rejects by reason (``ingest.cli.summary``) goes to
the log file the summary names, and with ``--verbose`` (``VERBOSE=1``) to the screen
too. ``rejects`` prints one line per file and reason with its first rejected row
(``reject_counts`` with ``first``); every row with ``--all`` or when ``--file``/``--reason`` narrow
the list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ingest.loader import FileResult
from ingest.terminal import column_width, fit, pad
from kernel.reasons import codes
from kernel.runlog import seconds


def _precedence() -> Callable[[str], tuple[int, str]]:
    """A reason's place: the order of precedence of the codes, unknown ones last (the
    codes read once per table, not once per row)."""
    order = {code: i for i, code in enumerate(codes())}
    return lambda reason: (order.get(reason, len(order)), reason)


def load_summary(results: list[FileResult], elapsed: float, log: Path | None) -> str:
    """The files by outcome, the rows, the rejects by reason summed over every file,
    the time, and where the per-file detail is."""
    outcomes = Counter(r.outcome for r in results)
    tally = ", ".join(f"{count:,} {outcome}" for outcome, count in sorted(outcomes.items()))
    read = sum(r.rows_read for r in results)
    loaded = sum(r.rows_loaded for r in results)
    rejected = sum(r.rows_rejected for r in results)
    lines = [
        f"files: {len(results):,} ({tally})",
        f"rows: {read:,} read, {loaded:,} loaded, {rejected:,} rejected",
    ]
    by_reason: Counter[str] = Counter()
    for r in results:
        by_reason.update(r.rejects_by_reason)
    if by_reason:
        reasons = sorted(by_reason, key=_precedence())
        width = max(len("rejected by reason"), *(len(reason) + 2 for reason in reasons))
        figures = max(len("rows"), len(f"{sum(by_reason.values()):,}"))
        lines.append(f"{'rejected by reason':{width}} {'rows':>{figures}}")
        lines += [f"  {reason:{width - 2}} {by_reason[reason]:>{figures},}" for reason in reasons]
        lines.append(f"  {'total':{width - 2}} {sum(by_reason.values()):>{figures},}")
    lines.append(f"time: {seconds(elapsed)}")
    if log is not None:
        lines.append(f"every file, its rows and rejects by reason: {log}")
    # a failed file keeps no rejects in the lake: its first one is in its error above
    if any(r.rows_rejected for r in results if r.outcome != "failed"):
        lines.append(
            "the rejected rows (masked), with what to fix: python -m ingest rejects (make rejects)"
        )
    return "\n".join(lines)


def reject_counts(
    pairs: list[tuple[str, str]], first: dict[tuple[str, str], tuple[int, str]] | None = None
) -> str:
    """The count table of rejects: one line per file and reason, in file order and the
    reasons' order of precedence, then the total; with ``first``, each line also gives
    its first rejected row (line and message)."""
    counts = Counter(pairs)
    order = _precedence()
    keys = sorted(counts, key=lambda k: (k[0], order(k[1])))
    file_width = column_width([file for file, _ in keys])
    reason_width = max(len("reason"), *(len(reason) for _, reason in keys))
    header = f"{pad('file', file_width)} {'reason':{reason_width}} {'rows':>8}"
    lines = [header + ("  first" if first is not None else "")]
    for key in keys:
        file, reason = key
        line = f"{pad(fit(file, file_width, keep='end'), file_width)} {reason:{reason_width}} "
        line += f"{counts[key]:>8}"
        if first is not None:
            line += "  line {}: {}".format(*first[key])
        lines.append(line)
    files = len({file for file, _ in keys})
    label = f"total ({files} file{'s' if files != 1 else ''})"
    lines.append(f"{pad(label, file_width)} {'':{reason_width}} {len(pairs):>8}")
    return "\n".join(lines)


# how to see every rejected row, after the summary of ``rejects``
SEE_ALL = {
    "en": "every rejected row: python -m ingest rejects --all (make rejects VERBOSE=1), "
    "or only some: --file NAME --reason CODE (make rejects FILE=... REASON=...)",
    "zh": "查看每一条被拒收的行：python -m ingest rejects --all（make rejects VERBOSE=1），"
    "或只看一部分：--file 文件名 --reason 原因代码（make rejects FILE=... REASON=...）",
}
