"""Command line: ``python -m demo [write]`` writes the deterministic demo inbox."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from demo.generate import MAX_ROWS, MIN_ROWS, generate
from kernel.cli import CommandParser
from kernel.errors import UserError, reports_user_errors

DEFAULT_ROWS = 300_000
DEFAULT_SEED = 20250305

EPILOG = f"""examples:
  python -m demo --out data/inbox                         {DEFAULT_ROWS:,} rows, seed {DEFAULT_SEED}
  python -m demo --out /tmp/bench_inbox --rows 10000000   the benchmark's size
  python -m demo --out /tmp/other_inbox --seed 7          another bureau, same shape

The activity logs hold exactly --rows data rows in total (header and title lines
not counted), duplicates and faulty rows included. The same --seed and --rows give
byte-identical files. A folder that is not empty is refused unless the demo wrote it
(then its files are replaced).

exit codes: 0 written; 1 the files could not be written; 2 bad arguments or --out
folder; 3 unexpected error (DEBUG=1 shows the traceback)."""


def _count(text: str) -> int:
    """A whole number; `300000`, `300_000` and `300,000` are the same."""
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    return value


def _seed(text: str) -> int:
    value = _count(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"the seed must be 0 or more, not {value}")
    return value


def parser() -> CommandParser:
    result = CommandParser(
        prog="python -m demo",
        description=(
            "Write the deterministic demo inbox of a city education bureau: 9 cooperation "
            "zones, 75 schools and their branches, about 6,000 people, and 24 months of "
            "activity logs with a few percent of faults, and the monthly event summaries "
            "(活动汇总) of three schools (write, the default)."
        ),
        epilog=EPILOG,
        default="write",
    )
    write = result.add_command("write", help="write the demo inbox")
    write.add_argument(
        "--out", type=Path, default=Path("data/inbox"), help="inbox folder (default data/inbox)"
    )
    write.add_argument(
        "--rows",
        type=_count,
        default=DEFAULT_ROWS,
        help=f"activity-log rows in total, {MIN_ROWS:,} to {MAX_ROWS:,} (default {DEFAULT_ROWS:,})",
    )
    write.add_argument(
        "--seed", type=_seed, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    write.add_argument(
        "--activity-types",
        type=Path,
        default=None,
        help="activity-type seed to draw from (default seeds/activity_types.csv)",
    )
    write.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return result


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(message)s",
    )
    began = time.perf_counter()
    try:
        summary = generate(args.out, args.rows, args.seed, args.activity_types)
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise UserError(f"cannot write{where}: {error.strerror or error}") from None
    seconds = time.perf_counter() - began
    files = summary.files
    logs = [f for f in files if f["kind"] == "activity"]
    rosters = [f for f in files if f["kind"] == "roster"]
    counts = summary.counts
    print(
        f"wrote {len(files)} files to {args.out} in {seconds:.1f} s: "
        f"{counts['activity_rows']:,} activity rows in {len(logs)} logs, "
        f"{len(rosters)} rosters ({counts['people_on_roster']:,} people), "
        f"{counts['organizations']} organizations in {counts['districts']} districts "
        f"(seed {summary.seed}, data up to {summary.reference_date})"
    )
    return 0
