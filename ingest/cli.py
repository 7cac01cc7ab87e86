"""Command line: ``python -m ingest [load]`` loads an inbox; ``status`` and ``rejects``
report; ``repair`` lands damaged batches again."""

from __future__ import annotations

import argparse
import fnmatch
import json
import logging
import shutil
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

import duckdb

from ingest.dry_run import render
from ingest.loader import FileResult, inbox_files, load_inbox
from ingest.mapping import MappingError
from ingest.messages import Text
from ingest.migrate import migrate_lake
from ingest.repair import Repaired, repair
from ingest.report import SEE_ALL, load_summary, reject_counts
from ingest.status import status_report, verify_report
from ingest.terminal import column_width as _column_width
from ingest.terminal import fit as _fit
from ingest.terminal import pad as _pad
from ingest.terminal import width as _width
from ingest.withdraw import withdraw
from kernel.cli import CommandParser, add_warehouse_option
from kernel.errors import UsageError, reports_user_errors
from kernel.manifest import read_manifest
from kernel.paths import WarehousePaths, warehouse_paths
from kernel.reasons import DEFAULT_LANGUAGE, LANGUAGES, codes, message
from kernel.runlog import new_log
from kernel.settings import settings

EPILOG = """examples:
  python -m ingest --inbox data/inbox            load every new or changed file
  python -m ingest --inbox data/inbox --append   keep earlier batches of the same names
  python -m ingest --inbox data/inbox --dry-run  read and validate every file and show the
                                                 table a load would give (outcome `checked`),
                                                 then for each file the mapping applied, the
                                                 columns understood, its first 5 rows as they
                                                 would land and its rejects by reason; lands
                                                 nothing, so the exit code says whether every
                                                 file would load
  python -m ingest --inbox data/inbox --dry-run --json > check.json
                                                 the same, for a script
  python -m ingest --inbox in --mapping platform.mapping.yaml
                                                 read headers and values the mapping renames
  python -m ingest status                        every batch: rows read, loaded, rejected
  python -m ingest status --verify               every batch file checked against the
                                                 SHA-256 the manifest recorded; exit 1
                                                 naming any that is missing or corrupted
  python -m ingest repair --inbox data/inbox     land every damaged batch again from its
                                                 original (same name, same SHA-256);
                                                 exit 1 naming any it could not
  python -m ingest rejects                       rejected rows: counts by file and reason,
                                                 each with its first row (line, message)
  python -m ingest rejects --all                 the same, then every row (file:line,
                                                 reason, message)
  python -m ingest rejects --reason bad_date --file 'logs/2025Q1/*'
                                                 only these reasons and files (a name or a
                                                 glob; both options may be repeated), and
                                                 each of their rows

A load prints a summary: files, rows, rejects by reason, time. The table of every
file with its rejects by reason goes to WAREHOUSE_DIR/logs/ingest-<time>.log, which
the summary names; --verbose (VERBOSE=1) prints it too. A file that failed is named
on stderr with what to do, whatever the options. On a terminal a load shows its
progress on stderr (file, rows read, rows/s); with --json, or when stderr is not a
terminal, it shows none. Personal numbers never appear in any output: rejects show
them masked.

exit codes:
  0  every file loaded, was unchanged, or (--dry-run) would load
  1  a file failed (named on stderr); the other files still loaded
  2  bad arguments: an unknown command, option or reason code, a missing inbox, a
     warehouse that is a file, a mapping file that cannot be used (nothing is
     loaded), a --file that names no batch
  3  an unexpected error (one line on stderr; DEBUG=1 shows the traceback)
  130 interrupted (Ctrl-C); a load interrupted at any point leaves the lake as it
     was before that file, and the next run completes it"""

# How often the progress line may be redrawn, in seconds.
PROGRESS_INTERVAL = 0.2


def _warehouse(parser: argparse.ArgumentParser) -> None:
    add_warehouse_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _inbox(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--inbox", type=Path, default=Path("data/inbox"), help=help)
    parser.add_argument(
        "--mapping",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a YAML mapping to apply (before the inbox's *.mapping.yaml); may be repeated",
    )


def _lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=DEFAULT_LANGUAGE,
        help="the language of the messages (default zh)",
    )


def _parser() -> CommandParser:
    parser = CommandParser(
        prog="python -m ingest",
        description=(
            "Load CSV and Excel exports into the warehouse lake (load, the default), "
            "show the batches in the lake (status), list rejected rows (rejects), "
            "land damaged batches again (repair), or take back a file sent by mistake "
            "(withdraw)."
        ),
        epilog=EPILOG,
        default="load",
    )
    load = parser.add_command("load", help="load every new or changed file of the inbox")
    _inbox(load, "folder to load (default data/inbox)")
    load.add_argument(
        "--append", action="store_true", help="keep earlier batches of a file with the same name"
    )
    load.add_argument(
        "--replace-reference",
        action="store_true",
        help="load a districts, organizations or roster file even when it replaces an "
        "earlier one and drops more than half of the codes the warehouse knows",
    )
    load.add_argument(
        "--verbose",
        action="store_true",
        default=settings().verbose,
        help="print every file with its rejects by reason above the summary (default: "
        "VERBOSE=1; else only in the log file the summary names)",
    )
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="read and validate every file and show, for each, the mapping applied, the "
        "columns understood, its first 5 rows as they would land and its rejects; land nothing",
    )
    _lang(load)
    _warehouse(load)
    status = parser.add_command("status", help="every batch: rows read, loaded, rejected")
    status.add_argument(
        "--verify",
        action="store_true",
        help="check every batch file against the SHA-256 the manifest recorded",
    )
    _warehouse(status)
    rejects = parser.add_command(
        "rejects",
        help="rejected rows: counts by file and reason with the first row of each "
        "(--all: then each row)",
    )
    rejects.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="NAME",
        help="only this inbox file (its name in the inbox, or a glob; a workbook's "
        "name covers its sheets); may be repeated",
    )
    rejects.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="CODE",
        help=f"only this reason code ({', '.join(codes())}); may be repeated",
    )
    rejects.add_argument(
        "--all",
        action="store_true",
        default=settings().verbose,
        help="every rejected row, not only the first of each file and reason (default: "
        "VERBOSE=1; --file and --reason list every row of what they name)",
    )
    _lang(rejects)
    _warehouse(rejects)
    repair = parser.add_command(
        "repair", help="land every damaged batch again from its original in the inbox"
    )
    _inbox(repair, "folder holding the originals (default data/inbox)")
    _lang(repair)
    _warehouse(repair)
    withdrawn = parser.add_command(
        "withdraw",
        help="take back a file sent by mistake: the next build drops its rows (the lake "
        "keeps it, and AS_OF before now still reads it)",
    )
    withdrawn.add_argument("file", metavar="FILE", help="the file as status names it")
    _lang(withdrawn)
    _warehouse(withdrawn)
    return parser


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    unknown = [code for code in getattr(args, "reason", []) if code not in codes()]
    if unknown:
        text = Text("unknown_reason", reason=unknown[0], codes=", ".join(codes()))
        raise UsageError(text.render(getattr(args, "lang", DEFAULT_LANGUAGE)))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    paths = warehouse_paths(args.warehouse)
    if paths.root.exists() and not paths.root.is_dir():
        raise UsageError(
            f"the warehouse {paths.root} is a file, not a folder (see python -m ingest --help)"
        )
    if args.command in ("status", "rejects", "withdraw"):
        migrate_lake(paths)  # a lake an earlier release wrote is read in today's format
    if args.command == "status":
        return verify_report(paths, args.json) if args.verify else status_report(paths, args.json)
    if args.command == "rejects":
        every = args.all or bool(args.file or args.reason)
        return _rejects(paths, args.json, args.file, args.reason, args.lang, every)
    if args.command == "repair":
        return _repair(args, paths)
    if args.command == "withdraw":
        return _withdraw(paths, args.file, args.json, args.lang)
    return _load(args, paths)


# -- load ------------------------------------------------------------------------------------


def _load(args: argparse.Namespace, paths: WarehousePaths) -> int:
    lang = args.lang
    if not args.inbox.is_dir():
        raise UsageError(Text("inbox_not_folder", inbox=args.inbox).render(lang))
    started = time.monotonic()
    progress = None
    if not args.json and sys.stderr.isatty():
        names = [path.relative_to(args.inbox).as_posix() for path in inbox_files(args.inbox)]
        progress = ProgressLine(sys.stderr, names)
    try:
        results = load_inbox(
            paths,
            args.inbox,
            append=args.append,
            dry_run=args.dry_run,
            progress=progress,
            mapping_files=args.mapping,
            replace_reference=args.replace_reference,
        )
    except MappingError as error:
        raise UsageError(Text("mapping_unusable", error=error.text).render(lang)) from None
    finally:
        if progress is not None:
            progress.close()
    if args.json:
        # a dry run's view of each table too (``dry_run``), under the counts
        print(json.dumps([as_json(r, lang) for r in results], ensure_ascii=False, indent=2))
    elif not results:
        print(Text("no_files", inbox=args.inbox).render(lang))
    elif args.dry_run:
        print(summary(results))
        print(dry_run_report(results, lang))
    problems = []  # each file's warnings, then its error
    for r in results:
        for warning in r.warnings:
            problems.append(f"warning: {Text('in_file', file=r.file, fault=warning).render(lang)}")
        if r.failed:
            problems.append(f"error: {r.message_in(lang)}")
    if results and not args.json and not args.dry_run:
        _summarize(paths, results, problems, time.monotonic() - started, args.verbose)
    for problem in problems:  # never only in the log: each names its file and what to do
        print(problem, file=sys.stderr)
    return 1 if any(r.failed for r in results) else 0


def _summarize(
    paths: WarehousePaths,
    results: list[FileResult],
    problems: list[str],
    elapsed: float,
    verbose: bool,
) -> None:
    """Print the load's summary (with ``verbose``, the table of every file above it),
    and write both, with the warnings and errors, to a new log file."""
    table = summary(results)
    log = new_log(paths.root, "ingest")
    text = load_summary(results, elapsed, log)
    log.write_text(
        "\n\n".join(part for part in (table, "\n".join(problems), text) if part) + "\n",
        encoding="utf-8",
    )
    if verbose:
        print(table, end="\n\n")
    print(text)


def as_json(result: FileResult, lang: str = DEFAULT_LANGUAGE) -> dict:
    """A file's result as ``--json`` prints it: its message and warnings in ``lang``."""
    listed = {
        k: v
        for k, v in asdict(result).items()
        if v is not None and k not in ("fault", "rejected_rows")  # rows: the lake keeps them
    }
    listed["message"] = result.message_in(lang)
    listed["warnings"] = [warning.render(lang) for warning in result.warnings]
    return listed


class ProgressLine:
    """One line on a terminal, redrawn in place (``\\r``) at most every ``interval``
    seconds: which file of how many, its rows read so far, and the run's rows per second.

    It is the loader's ``progress(file, rows_read_so_far)`` callback, called once per
    batch of rows read; files that are unchanged or fail never call it.
    """

    def __init__(
        self,
        stream: TextIO,
        names: list[str],
        clock: Callable[[], float] = time.monotonic,
        interval: float = PROGRESS_INTERVAL,
        width: int | None = None,
    ) -> None:
        self.stream = stream
        self.position = {name: i + 1 for i, name in enumerate(names)}
        self.total_files = len(names)
        self.clock = clock
        self.interval = interval
        self.width = width or shutil.get_terminal_size((80, 24)).columns
        self.started = clock()
        self.drawn_at: float | None = None
        self.drawn_width = 0
        self.file = ""
        self.file_rows = 0
        # rows read so far per file: files are read two or more at a time, their
        # calls interleaved, so the total is the sum, not a running count
        self.rows_by_file: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, file: str, rows: int) -> None:
        with self.lock:
            self._update(file, rows)

    def _update(self, file: str, rows: int) -> None:
        self.file, self.file_rows = file, rows
        self.rows_by_file[file] = rows
        now = self.clock()
        if self.drawn_at is not None and now - self.drawn_at < self.interval:
            return
        self.drawn_at = now
        self._draw(self.line(now))

    def line(self, now: float) -> str:
        """The text of the progress line at ``now`` (not yet fitted to the terminal)."""
        total = sum(self.rows_by_file.values())
        elapsed = max(now - self.started, 1e-9)
        # a workbook's sheets are loaded as ``book.xlsx#sheet``: the position is the book's
        position = self.position.get(self.file) or self.position.get(self.file.rpartition("#")[0])
        count = f"[{position or 0}/{self.total_files}]"
        figures = f"{self.file_rows:,} rows  ({total:,} in all, {total / elapsed:,.0f} rows/s)"
        # the name gets what the figures leave, losing its start first (the file
        # name itself is at the end of the path)
        room = self.width - 1 - _width(count) - _width(figures) - 4
        return f"{count} {_fit(self.file, max(room, 8), keep='end')}  {figures}"

    def _draw(self, text: str) -> None:
        text = _fit(text, self.width - 1)
        pad = " " * max(self.drawn_width - _width(text), 0)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()
        self.drawn_width = _width(text)

    def close(self) -> None:
        """Erase the line, so that the table and messages start on a clean line."""
        if self.drawn_width:
            self.stream.write("\r" + " " * self.drawn_width + "\r")
            self.stream.flush()
            self.drawn_width = 0


def summary(results: list[FileResult]) -> str:
    """The table a load prints: one line per file, its rejects by reason under it, and
    (for more than one file) a totals line with the outcomes counted."""
    file_width = _column_width([r.file for r in results])
    head = f"{_pad('file', file_width)} {'kind':14} {'outcome':9} "
    lines = [head + f"{'read':>8} {'loaded':>8} {'rejected':>8}"]
    for r in results:
        lines.append(
            f"{_pad(_fit(r.file, file_width, keep='end'), file_width)} {r.kind:14} {r.outcome:9} "
            f"{r.rows_read:>8} {r.rows_loaded:>8} {r.rows_rejected:>8}"
        )
        lines.extend(f"    {reason}: {count}" for reason, count in r.rejects_by_reason.items())
    if len(results) > 1:
        # like wc: a total only when there is more than one line to add up
        outcomes = Counter(r.outcome for r in results)
        tally = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        lines.append(
            f"{_pad(f'total ({len(results)} files)', file_width)} {'':14} {'':9} "
            f"{sum(r.rows_read for r in results):>8} "
            f"{sum(r.rows_loaded for r in results):>8} "
            f"{sum(r.rows_rejected for r in results):>8}  {tally}"
        )
    return "\n".join(lines)


def dry_run_report(results: list[FileResult], lang: str = DEFAULT_LANGUAGE) -> str:
    """What a dry run adds under the table: a block for each table it read
    (``ingest.dry_run.render``), and that nothing was written."""
    blocks = [
        render(r.file, r.dry_run, r.rejects_by_reason, lang, _fault(r, lang))
        for r in results
        if r.dry_run is not None
    ]
    return "\n" + "\n\n".join([*blocks, Text("dry_run_done").render(lang)])


def _fault(result: FileResult, lang: str = DEFAULT_LANGUAGE) -> str:
    """Why a table failed before its rows were validated ("" when they were: it loads,
    or every row was rejected)."""
    if not result.failed or result.rows_read:
        return ""
    if result.fault is not None:
        return result.fault.render(lang)
    return result.message.removeprefix(f"{result.file}: ")


# -- status ----------------------------------------------------------------------------------


def _withdraw(paths: WarehousePaths, file: str, as_json: bool, lang: str = DEFAULT_LANGUAGE) -> int:
    batches = withdraw(paths, file, lang=lang)
    if as_json:
        print(json.dumps([asdict(b) for b in batches], ensure_ascii=False, indent=2))
        return 0
    for batch in batches:
        text = Text("withdrew", file=batch.file, batch=batch.batch_id, rows=batch.rows_loaded)
        print(text.render(lang))
    print(Text("withdraw_next").render(lang))
    return 0


# -- repair ----------------------------------------------------------------------------------


def _repair(args: argparse.Namespace, paths: WarehousePaths) -> int:
    """Land damaged batches again from their originals in --inbox; exit 1 when one could
    not be."""
    lang = args.lang
    if not args.inbox.is_dir():
        raise UsageError(Text("repair_inbox_not_folder", inbox=args.inbox).render(lang))
    try:
        done = repair(paths, args.inbox, args.mapping)
    except MappingError as error:
        raise UsageError(Text("mapping_unusable_repair", error=error.text).render(lang)) from None
    if args.json:
        listed = [
            {**{k: v for k, v in asdict(r).items() if k != "reason"}, "why": _why(r, lang)}
            for r in done
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    elif not done:
        print(Text("no_damaged_batch").render(lang))
    for result in done:
        if result.outcome == "repaired":
            if not args.json:
                print(Text("repaired", file=result.file, batch=result.batch_id).render(lang))
        else:
            text = Text(
                "repair_refused", file=result.file, batch=result.batch_id, why=_why(result, lang)
            )
            print(f"error: {text.render(lang)}", file=sys.stderr)
    return 1 if any(r.outcome != "repaired" for r in done) else 0


def _why(result: Repaired, lang: str) -> str:
    return result.reason.render(lang) if result.reason is not None else result.why


# -- rejects ---------------------------------------------------------------------------------


def _rejects(
    paths: WarehousePaths,
    as_json: bool,
    file_patterns: list[str],
    reasons: list[str],
    lang: str = DEFAULT_LANGUAGE,
    every: bool = True,
) -> int:
    """Rejected rows of the active batches, filtered by file and reason: a count table by
    file and reason, then one line per row in file and line order (``--json``: the rows);
    unless ``every``, the table alone, with the first row of each file and reason."""
    active = {b.batch_id: b.file for b in read_manifest(paths) if b.is_active}
    if file_patterns:
        chosen = {
            batch_id: file
            for batch_id, file in active.items()
            if any(_names(file, pattern) for pattern in file_patterns)
        }
        if not chosen:
            names = " or ".join(file_patterns)
            raise UsageError(Text("no_such_batch", names=names).render(lang))
        active = chosen
    # batches in the order of their file names, so rows print file by file
    order = sorted(active, key=lambda batch_id: (active[batch_id], batch_id))
    files = [str(paths.kind_dir("rejects") / f"{batch_id}.parquet") for batch_id in order]
    files = [f for f in files if Path(f).exists()]
    rows: list[tuple] = []
    if files:
        where = "where list_contains($reasons, reason)" if reasons else ""
        params: dict = {"files": files, "order": order, **({"reasons": reasons} if reasons else {})}
        con = duckdb.connect()
        try:
            rows = con.execute(
                "select batch_id, source_line, reason, reason_column, reason_value "
                f"from read_parquet($files) {where} "
                "order by list_position($order, batch_id), source_line",
                params,
            ).fetchall()
        finally:
            con.close()
    listed = [
        (
            active[batch_id],
            line,
            reason,
            message(reason, column, value, lang),
        )
        for batch_id, line, reason, column, value in rows
    ]
    if as_json:
        keys = ("file", "line", "reason", "message")
        print(
            json.dumps(
                [dict(zip(keys, row, strict=True)) for row in listed],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if not rows:
        print("没有被拒收的行" if lang == "zh" else "no rejected rows")
        return 0
    pairs = [(file, reason) for file, _, reason, _ in listed]
    if not every:
        first: dict[tuple[str, str], tuple[int, str]] = {}
        for file, line, reason, text in listed:
            first.setdefault((file, reason), (line, text))
        print(reject_counts(pairs, first))
        print()
        print(SEE_ALL[lang])
        return 0
    print(reject_counts(pairs))
    print()
    for file, line, reason, text in listed:
        print(f"{file}:{line}\t{reason}\t{text}")
    return 0


def _names(file: str, pattern: str) -> bool:
    """Whether ``--file pattern`` names a batch's file: the same name, a glob that
    matches it, or the workbook whose sheet it is (``book.xlsx`` for ``book.xlsx#名册``)."""
    return (
        file == pattern or fnmatch.fnmatchcase(file, pattern) or file.rpartition("#")[0] == pattern
    )
