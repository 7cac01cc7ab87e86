"""Command line: ``python -m ingest`` loads an inbox; ``status`` and ``rejects`` report."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

import duckdb

from ingest.config import warehouse_paths
from ingest.landing import read_manifest
from ingest.loader import FileResult, load_inbox

EPILOG = """examples:
  python -m ingest --inbox data/inbox          load every new or changed file
  python -m ingest --inbox data/inbox --append keep earlier batches of the same names
  python -m ingest --inbox data/inbox --dry-run what a load would do; lands nothing
  python -m ingest status                      the manifest: one line per batch
  python -m ingest rejects                     rejected rows by file and reason

exit codes: 0 every file loaded or unchanged; 1 a file failed (the others loaded);
2 bad arguments."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Load CSV and Excel exports into the warehouse lake.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", nargs="?", default="load", choices=("load", "status", "rejects"))
    parser.add_argument("--inbox", type=Path, default=Path("data/inbox"), help="folder to load")
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help="warehouse folder (default: $WAREHOUSE_DIR or warehouse/)",
    )
    parser.add_argument(
        "--append", action="store_true", help="keep earlier batches of a file with the same name"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="read and validate every file and report; land nothing",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _summary(results: list[FileResult]) -> str:
    lines = [f"{'file':40} {'kind':13} {'outcome':9} {'read':>8} {'loaded':>8} {'rejected':>8}"]
    for r in results:
        lines.append(
            f"{r.file[:40]:40} {r.kind:13} {r.outcome:9} "
            f"{r.rows_read:>8} {r.rows_loaded:>8} {r.rows_rejected:>8}"
        )
        lines.extend(f"    {reason}: {count}" for reason, count in r.rejects_by_reason.items())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    paths = warehouse_paths(args.warehouse)
    if args.command == "status":
        return _status(paths, args.json)
    if args.command == "rejects":
        return _rejects(paths, args.json)
    if not args.inbox.is_dir():
        print(
            f"error: inbox {args.inbox} is not a folder; create it or pass --inbox", file=sys.stderr
        )
        return 2
    results = load_inbox(paths, args.inbox, append=args.append, dry_run=args.dry_run)
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print(_summary(results) if results else f"no CSV or Excel files in {args.inbox}")
    for result in results:
        if result.failed:
            print(f"error: {result.message}", file=sys.stderr)
    return 1 if any(r.failed for r in results) else 0


def _status(paths, as_json: bool) -> int:
    batches = read_manifest(paths)
    if as_json:
        print(json.dumps([asdict(b) for b in batches], ensure_ascii=False, indent=2))
        return 0
    print(f"{'batch':34} {'file':36} {'kind':13} {'read':>7} {'loaded':>7} {'rejected':>8} state")
    for b in batches:
        state = "active" if b.is_active else f"superseded by {b.superseded_by}"
        print(
            f"{b.batch_id:34} {b.file[:36]:36} {b.kind:13} {b.rows_read:>7} "
            f"{b.rows_loaded:>7} {b.rows_rejected:>8} {state}"
        )
    return 0


def _rejects(paths, as_json: bool) -> int:
    active = {b.batch_id: b.file for b in read_manifest(paths) if b.is_active}
    files = [paths.kind_dir("rejects") / f"{batch_id}.parquet" for batch_id in active]
    if not files:
        print("no rejected rows")
        return 0
    con = duckdb.connect()
    rows = con.execute(
        "select batch_id, source_line, reason, message from read_parquet(?) "
        "order by batch_id, source_line",
        [[str(f) for f in files]],
    ).fetchall()
    if as_json:
        keys = ("file", "line", "reason", "message")
        print(
            json.dumps(
                [dict(zip(keys, (active[r[0]], *r[1:]), strict=True)) for r in rows],
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for batch_id, line, reason, message in rows:
        print(f"{active[batch_id]}:{line}\t{reason}\t{message}")
    return 0
