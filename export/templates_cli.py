"""``python -m export templates --month 2025-04 --out outbox``: the collection templates
(``export.templates``) for every school and office, published under ``OUT/templates``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kernel.cli import CommandParser, add_warehouse_option
from kernel.errors import UserError
from kernel.paths import warehouse_paths
from kernel.snapshot import connect_current
from publish import migrate_unless_building

DEFAULT_OUT = Path("outbox")


def add_command(parser: CommandParser) -> None:
    templates = parser.add_command(
        "templates",
        help="write each school's and office's collection template (报送模板) for a month",
        description="Write templates/<org_code>_<YYYY-MM>.xlsx under --out for every school "
        "and office of the published snapshot, published in one atomic switch (the "
        "folder is replaced whole; nothing else under --out is touched).",
    )
    templates.add_argument(
        "--month",
        default=None,
        help="the month the templates collect, YYYY-MM (default: the month after the "
        "snapshot's data cut-off month)",
    )
    templates.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="folder to write templates/ in (default: outbox/); not an export's folder, "
        "which holds its own templates/",
    )
    add_warehouse_option(templates)


def run(args: argparse.Namespace) -> int:
    from export.templates import check_month, publish_templates

    if args.month is not None:
        check_month(args.month)  # before any snapshot is needed
    paths = warehouse_paths(args.warehouse)
    migrate_unless_building(paths)
    con, snapshot = connect_current(paths)
    started = time.monotonic()
    try:
        folder, manifest = publish_templates(con, snapshot, args.out, args.month)
    except OSError as error:
        raise UserError(
            f"could not write the templates to {args.out}: {error.strerror or error} "
            "(check the folder's permissions and free space); the previous ones are intact"
        ) from None
    finally:
        con.close()
    print(
        f"wrote {len(manifest['files'])} templates for {manifest['month']} to {folder}/ "
        f"in {time.monotonic() - started:.1f} s (snapshot digest {snapshot.digest[:12]})"
    )
    return 0
