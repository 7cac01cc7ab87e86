"""Command line: ``python -m publish [build]`` runs ``dbt build`` over the lake and
publishes the marts as a snapshot (``publish.build``); ``python -m publish migrate``
brings a warehouse an earlier release wrote up to date (``publish.migrate``)."""

from __future__ import annotations

import logging

from kernel.cli import CommandParser, add_warehouse_option
from kernel.errors import reports_user_errors
from kernel.paths import warehouse_paths
from kernel.settings import settings
from publish.build import run
from publish.migrate import migrate_unless_building

EPILOG = """examples:
  python -m publish                              dbt build, then publish (the same as
                                                 python -m publish build)
  python -m publish --as-of 2025-03-31T23:59:59  from the batches in effect at that moment
  python -m publish --full-refresh               rebuild the incremental models too
  python -m publish --target spark               the same models on a local Spark
  python -m publish migrate                      bring the warehouse up to date, no build

exit codes: 0 published (or nothing new: the current snapshot kept); 1 a damaged lake
or a current snapshot that cannot be read; 2 bad arguments (an AS_OF that is not a
moment) or a Spark target without Spark installed; 75 another build of the warehouse
is running (try again later); dbt's own code when dbt build failed; 128+N stopped by
signal N; 3 unexpected error (DEBUG=1 shows the traceback). Whenever it is not 0,
nothing was published and readers keep the previous snapshot."""


def _parser() -> CommandParser:
    parser = CommandParser(
        prog="python -m publish",
        description="Run `dbt build` over the lake and publish the marts as a read-only "
        "snapshot (build, the default), or bring a warehouse an earlier release wrote "
        "up to date (migrate).",
        epilog=EPILOG,
        default="build",
    )
    build = parser.add_command(
        "build",
        help="dbt build, then publish the marts as a snapshot",
        description="Run `dbt build` over the lake and publish the marts as a read-only snapshot.",
    )
    build.add_argument(
        "--as-of",
        default=settings().as_of,
        help="build from the batches in effect at this moment (default: all)",
    )
    build.add_argument(
        "--full-refresh",
        action="store_true",
        default=settings().full_refresh,
        help="rebuild the incremental session facts from every batch (default: only when "
        "rosters, organizations, seeds, models or AS_OF changed since the last green build)",
    )
    build.add_argument(
        "--target",
        default="duckdb",
        help="the dbt target of dbt_project/profiles.yml (default: duckdb); spark, or any other "
        "Spark output, builds on Spark (publish/spark.py)",
    )
    build.add_argument(
        "--verbose",
        action="store_true",
        default=settings().verbose,
        help="print every line dbt writes (default: VERBOSE=1; else a progress bar and a "
        "summary, the lines in WAREHOUSE_DIR/logs/build-<time>.log)",
    )
    add_warehouse_option(build)
    migrate = parser.add_command(
        "migrate",
        help="bring a warehouse an earlier release wrote up to date (no build)",
        description="Bring a warehouse an earlier release wrote up to date; while a build "
        "runs, do nothing (the build migrates first). Also `python -m publish.migrate`.",
    )
    add_warehouse_option(migrate)
    return parser


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "migrate":
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        migrate_unless_building(warehouse_paths(args.warehouse))
        return 0
    return run(args)
