"""Command line: ``python -m export --from 2025-01 --to 2025-06 --out exports``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from export.district_monthly import ExportError, export
from ingest.config import warehouse_paths
from publish.snapshot import NoSnapshot, connect_current

EPILOG = """examples:
  python -m export                               every month with approved sessions
  python -m export --from 2025-01 --to 2025-06 --out exports/2025H1

writes district_monthly.csv and manifest.json (period, as_of, digest) under --out.
exit codes: 0 written; 1 nothing to export or no snapshot; 2 bad arguments."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m export",
        description="Write per-district monthly statistics from the published snapshot.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="first",
        default=os.environ.get("FROM") or None,
        help="first month, YYYY-MM (default: first month with an approved session)",
    )
    parser.add_argument(
        "--to",
        dest="last",
        default=os.environ.get("TO") or None,
        help="last month, YYYY-MM (default: last month with an approved session)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("OUT") or "exports"),
        help="output folder (default: exports/)",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse folder (default: $WAREHOUSE_DIR or warehouse/)",
    )
    args = parser.parse_args(argv)
    paths = warehouse_paths(args.warehouse)
    try:
        con, snapshot = connect_current(paths)
    except NoSnapshot as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        manifest = export(con, snapshot, args.out, args.first, args.last)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2 if "is not a month" in str(error) or "is after" in str(error) else 1
    finally:
        con.close()
    period = manifest["period"]
    rows = manifest["files"]["district_monthly.csv"]["rows"]
    print(
        f"wrote {rows} rows for {period['from']} to {period['to']} to {args.out}/"
        f"district_monthly.csv (snapshot digest {snapshot.digest[:12]})"
    )
    return 0
