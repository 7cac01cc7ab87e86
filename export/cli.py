"""Command line: ``python -m export --from 2025-01 --to 2025-06 --out exports``, plus
``python -m export certificate ...`` and ``python -m export verify FILE``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from export.district_monthly import ExportError, latest_activity
from kernel.paths import warehouse_paths
from kernel.settings import settings
from kernel.snapshot import NoSnapshot, connect_current, pin
from publish import migrate_unless_building

EPILOG = """examples:
  python -m export                               every month with approved sessions
  python -m export --from 2025-01 --to 2025-06 --out exports/2025H1
  python -m export --suppress 10                 hide counts of 1-9 people everywhere
  python -m export certificate --person T001 --from 2025-01 --to 2025-03
  python -m export verify certificates/VH-....pdf

writes under --out: district_monthly.csv, organization_monthly.csv, district_stats.xlsx,
reports/<district_code>.pdf and manifest.json (period, months_without_activity, as_of,
digest, files), built in a new folder under .<out>.d/ beside --out; --out is a link
switched to it in one step (the previous export's folder is kept until the next one).
A period that reaches past the snapshot's latest approved activity is written, with a
warning on stderr naming the months that are zeros for that reason.
exit codes: 0 written; 1 nothing to export, no snapshot or a refused folder;
2 bad arguments."""


def _suppress(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    if not text.isdigit():
        raise ExportError(f"SUPPRESS={text!r} is not a whole number; give 0 (off) or e.g. 5")
    return int(text)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse folder (default: $WAREHOUSE_DIR or warehouse/)",
    )


def _period_args(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--from",
        dest="first",
        default=settings().period_from,
        help=f"first month, YYYY-MM (default: first month with {what})",
    )
    parser.add_argument(
        "--to",
        dest="last",
        default=settings().period_to,
        help=f"last month, YYYY-MM (default: last month with {what})",
    )


def _exit_code(error: ExportError) -> int:
    text = str(error)
    bad_argument = ("is not a month", "is after", "is not a whole number", "is negative")
    return 2 if any(part in text for part in bad_argument) else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("certificate", "verify"):
        from export.certificate_cli import main as certificate_main

        return certificate_main(argv)
    parser = argparse.ArgumentParser(
        prog="python -m export",
        description="Write per-district statistics, workbooks and reports from the "
        "published snapshot.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _period_args(parser, "an approved session")
    parser.add_argument(
        "--out",
        type=Path,
        default=settings().out or Path("exports"),
        help="output folder, replaced whole by each export (default: exports/)",
    )
    parser.add_argument(
        "--suppress",
        default=settings().suppress,
        metavar="K",
        help="hide counts of 1 to K-1 people in every table, with complementary "
        "suppression (default: K=5 for the unit tables only; 0: nothing hidden)",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip reports/<district_code>.pdf")
    _common(parser)
    args = parser.parse_args(argv)
    paths = warehouse_paths(args.warehouse)
    migrate_unless_building(paths)  # a warehouse an earlier release wrote
    try:
        suppress = _suppress(args.suppress)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        con, snapshot = connect_current(paths)
    except NoSnapshot as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    from export.folder import published_path
    from export.notes import quiet_months_warning
    from export.package import export

    try:
        manifest = export(
            con, snapshot, args.out, args.first, args.last, suppress, pdf=not args.no_pdf
        )
        quiet = manifest["months_without_activity"]
        latest = latest_activity(con) if quiet else None
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return _exit_code(error)
    except OSError as error:
        print(
            f"error: could not write the export to {args.out}: {error.strerror or error} "
            "(check the folder's permissions and free space); the previous export is intact",
            file=sys.stderr,
        )
        return 1
    finally:
        con.close()
    if quiet and latest is not None:  # the figures are right (zero is true): exit 0
        print(quiet_months_warning(quiet, latest), file=sys.stderr)
    # the export names its snapshot's digest: keep that snapshot while the folder does
    pin(paths, snapshot.path, f"export {published_path(args.out)}")
    period = manifest["period"]
    files = manifest["files"]
    rows = files["district_monthly.csv"]["rows"]
    print(
        f"wrote {rows} rows for {period['from']} to {period['to']} to {args.out}/"
        f"district_monthly.csv and {len(files) - 1} more files "
        f"(snapshot digest {snapshot.digest[:12]})"
    )
    return 0
