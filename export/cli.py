"""Command line: ``python -m export [statistics] --from 2025-01 --to 2025-06 --out
exports``, plus ``python -m export certificate ...`` and ``python -m export verify FILE``
(``export.certificate_cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from export import certificate_cli, templates_cli
from export.district_monthly import BadArgument, check_snapshot_columns, latest_activity
from kernel.cli import CommandParser, add_warehouse_option
from kernel.errors import UserError, reports_user_errors
from kernel.paths import warehouse_paths
from kernel.settings import settings
from kernel.snapshot import connect_current, pin
from publish import migrate_unless_building

EPILOG = """examples:
  python -m export                               every month with approved sessions
                                                 (the same as python -m export statistics)
  python -m export --from 2025-01 --to 2025-06 --out exports/2025H1
  python -m export --suppress 10                 hide counts of 1-9 people everywhere
  python -m export certificate --person T001 --from 2025-01 --to 2025-03
  python -m export verify certificates/VH-....pdf
  python -m export templates --month 2025-04 --out outbox

writes under --out: district_monthly.csv, bureau_monthly.csv, organization_monthly.csv,
district_stats.xlsx, submissions.csv, reports/<district_code>.pdf,
briefings/<district_code>.docx and briefings/bureau.docx (工作简报),
templates/<org_code>_<YYYY-MM>.xlsx (the month after the period) and manifest.json
(period, months_without_activity, as_of,
digest, files), built in a new folder under .<out>.d/ beside --out; --out is a link
switched to it in one step (the previous export's folder is kept until the next one).
A period that reaches past the snapshot's latest approved activity is written, with a
warning on stderr naming the months that are zeros for that reason.
exit codes: 0 written (verify: valid); 1 nothing to export, no snapshot or a refused
folder (verify: invalid); 2 bad arguments; 3 unexpected error (DEBUG=1 shows the
traceback)."""


def _suppress(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    if not text.isdigit():
        raise BadArgument(f"SUPPRESS={text!r} is not a whole number; give 0 (off) or e.g. 5")
    return int(text)


def _parser() -> CommandParser:
    parser = CommandParser(
        prog="python -m export",
        description="Per-district statistics, workbooks and reports from the published "
        "snapshot (statistics, the default), volunteer-hours certificates (certificate), "
        "and their verification (verify).",
        epilog=EPILOG,
        default="statistics",
    )
    statistics = parser.add_command(
        "statistics",
        help="write per-district statistics, workbooks and reports",
        description="Write per-district statistics, workbooks and reports from the "
        "published snapshot.",
    )
    statistics.add_argument(
        "--from",
        dest="first",
        default=settings().period_from,
        help="first month, YYYY-MM (default: first month with an approved session)",
    )
    statistics.add_argument(
        "--to",
        dest="last",
        default=settings().period_to,
        help="last month, YYYY-MM (default: last month with an approved session)",
    )
    statistics.add_argument(
        "--out",
        type=Path,
        default=settings().out or Path("exports"),
        help="output folder, replaced whole by each export (default: exports/)",
    )
    statistics.add_argument(
        "--suppress",
        default=settings().suppress,
        metavar="K",
        help="hide counts of 1 to K-1 people in every table, with complementary "
        "suppression (default: K=5 for the unit tables only; 0: nothing hidden)",
    )
    statistics.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip reports/<district_code>.pdf and briefings/<district_code>.docx",
    )
    statistics.add_argument(
        "--briefing-templates",
        type=Path,
        default=None,
        metavar="DIR",
        help="the briefings' wording, one Jinja2 file per paragraph (default: "
        "BRIEFING_TEMPLATES, else export/briefing_templates)",
    )
    add_warehouse_option(statistics)
    certificate_cli.add_commands(parser)
    templates_cli.add_command(parser)
    return parser


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "certificate":
        return certificate_cli.run_certificate(args)
    if args.command == "verify":
        return certificate_cli.run_verify(args)
    if args.command == "templates":
        return templates_cli.run(args)
    return _statistics(args)


def _statistics(args: argparse.Namespace) -> int:
    paths = warehouse_paths(args.warehouse)
    migrate_unless_building(paths)  # a warehouse an earlier release wrote
    suppress = _suppress(args.suppress)
    con, snapshot = connect_current(paths)
    from export.folder import published_path
    from export.notes import quiet_months_warning
    from export.package import export

    try:
        check_snapshot_columns(con)
        manifest = export(
            con,
            snapshot,
            args.out,
            args.first,
            args.last,
            suppress,
            pdf=not args.no_pdf,
            briefing_templates=args.briefing_templates,
        )
        quiet = manifest["months_without_activity"]
        latest = latest_activity(con) if quiet else None
    except OSError as error:
        raise UserError(
            f"could not write the export to {args.out}: {error.strerror or error} "
            "(check the folder's permissions and free space); the previous export is intact"
        ) from None
    finally:
        con.close()
    if quiet and latest is not None:  # the figures are right (zero is true): exit 0
        print(quiet_months_warning(quiet, latest), file=sys.stderr)
    # the export names its snapshot's digest: keep that snapshot while the folder does
    pin(paths, snapshot.path, f"export {published_path(args.out)}")
    period = manifest["period"]
    files = manifest["files"]
    if "returns/index.csv" not in files:  # a snapshot published before the returns
        print(
            "note: this snapshot has no returns to schools (returns/): "
            "run `make build` to add them; every other file was written",
            file=sys.stderr,
        )
    rows = files["district_monthly.csv"]["rows"]
    print(
        f"wrote {rows} rows for {period['from']} to {period['to']} to {args.out}/"
        f"district_monthly.csv and {len(files) - 1} more files "
        f"(snapshot digest {snapshot.digest[:12]})"
    )
    return 0
