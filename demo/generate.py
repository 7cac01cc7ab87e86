"""The whole demo inbox, from a seed and a row count: the pipeline, no argument parsing.

Each stage draws from its own random generator, derived from the seed and the
stage's number, so the same seed and rows give byte-identical files. The activity
logs hold exactly ``rows`` data rows in total (header and title lines not counted):
unique sessions, plus the rows repeated within a file, plus those repeated in a
supplement file.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import SupportsInt, cast

import numpy as np

from demo.catalog import ORGANIZATIONAL, STUDY, VOLUNTEER, Catalog, read_catalog
from demo.engagement import who_takes_part
from demo.events import plan_events
from demo.faults import (
    REASONS,
    choose_duplicates,
    choose_faults,
    code,
    duplicate_counts,
    fault_counts,
)
from demo.layout import Layout, assign_files, build_layout
from demo.logs import write_logs
from demo.names import communities
from demo.organizations import Tree, build_tree
from demo.people import People, build_people
from demo.pools import build_pools
from demo.reference_files import (
    DISTRICTS_FILE,
    ORGANIZATIONS_FILE,
    roster_paths,
    write_districts,
    write_organizations,
    write_rosters,
)
from demo.render import build_tables
from demo.rhythm import REFERENCE_DATE, build_calendar
from demo.sessions import PENDING, REJECTED, Sessions, expand
from demo.stages import (
    COMMUNITY,
    DUPLICATE,
    ENGAGEMENT,
    EVENTS,
    FAULT,
    FILES,
    PEOPLE,
    SESSIONS,
    TREE,
    stage_rng,
)
from demo.summaries import summary_paths, write_summaries
from demo.vocabulary import build_vocabulary
from kernel.errors import UsageError

log = logging.getLogger(__name__)

MANIFEST = ".demo_manifest.json"
MIN_ROWS = 5_000
MAX_ROWS = 100_000_000  # the benchmark goes past 10M
COMMUNITIES_PER_DISTRICT = 5


class DemoError(UsageError):
    """A problem the user can fix (a bad folder, too few rows); the message says how."""


@dataclass
class Summary:
    """What was written, for the command's report and the manifest."""

    seed: int
    rows: int
    reference_date: str
    files: list[dict[str, object]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    complete: bool = False  # False while writing: the file list is then the plan


def prepare_output(out: Path) -> None:
    """Make ``out`` ready: new, empty, or a previous demo inbox (whose files are removed)."""
    if out.exists() and not out.is_dir():
        raise DemoError(f"--out {out} is a file, not a folder")
    if not out.exists() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        return
    manifest = out / MANIFEST
    if not manifest.is_file():
        raise DemoError(
            f"--out {out} is not empty and was not written by the demo; "
            "choose a new or empty folder"
        )
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        paths = [out / entry["path"] for entry in listed]
    except (ValueError, KeyError, TypeError):
        raise DemoError(f"{manifest} is damaged; remove {out} and run again") from None
    for path in paths:
        path.unlink(missing_ok=True)
    manifest.unlink()
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _write_manifest(out: Path, summary: Summary) -> None:
    (out / MANIFEST).write_text(
        json.dumps(asdict(summary), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def generate(out: Path, rows: int, seed: int, catalog_path: Path | None = None) -> Summary:
    """Write the demo inbox into ``out`` and say what was written."""
    if not MIN_ROWS <= rows <= MAX_ROWS:
        raise DemoError(f"--rows must be between {MIN_ROWS:,} and {MAX_ROWS:,}, not {rows:,}")
    catalog = read_catalog(catalog_path)
    prepare_output(out)
    cal = build_calendar()
    tree = build_tree(stage_rng(seed, TREE))
    layout = build_layout(tree, cal)
    # The manifest comes first, so a failed run can be cleaned up by the next one.
    summary = Summary(seed=seed, rows=rows, reference_date=REFERENCE_DATE.isoformat())
    planned = [DISTRICTS_FILE, ORGANIZATIONS_FILE, *(f.path for f in layout.files)]
    planned += [*roster_paths(tree), *summary_paths(seed, tree, cal)]
    summary.files = [{"path": p} for p in planned]
    _write_manifest(out, summary)

    names = communities(
        stage_rng(seed, COMMUNITY), COMMUNITIES_PER_DISTRICT, len(tree.district_codes)
    )
    vocab = build_vocabulary(catalog, names, COMMUNITIES_PER_DISTRICT)
    people = build_people(stage_rng(seed, PEOPLE), tree, cal, COMMUNITIES_PER_DISTRICT)
    takes_part = who_takes_part(stage_rng(seed, ENGAGEMENT), people, tree, cal)
    pools = build_pools(tree, people, takes_part)
    del takes_part
    log.info("%s people in %s organizations", f"{people.size:,}", tree.size)
    within, cross = duplicate_counts(rows)
    plan = plan_events(
        stage_rng(seed, EVENTS), cal, tree, pools, catalog, vocab, rows - within - cross
    )
    log.info("%s events planned", f"{plan.events.size:,}")
    sessions = expand(stage_rng(seed, SESSIONS), plan.events, pools, people, cal, vocab)
    del plan
    log.info("%s sessions", f"{sessions.size:,}")
    file = assign_files(
        stage_rng(seed, FILES), layout, cal, sessions.org, sessions.day, sessions.event
    )
    fault = choose_faults(stage_rng(seed, FAULT), layout, file)
    repeated, resent = choose_duplicates(
        stage_rng(seed, DUPLICATE), layout, file, fault, sessions.status, within, cross
    )
    tables = build_tables(people, tree, cal, catalog, vocab)
    summary.files = [
        {"path": write_districts(out, tree), "kind": "reference", "rows": len(tree.district_codes)},
        {"path": write_organizations(out, tree), "kind": "reference", "rows": tree.size},
    ]
    logs = write_logs(out, seed, layout, cal, sessions, file, fault, repeated, resent, tables)
    written_rows = sum(int(cast(SupportsInt, f["rows"])) for f in logs)
    if written_rows != rows:
        raise AssertionError(f"wrote {written_rows} activity rows instead of {rows}")
    summary.files += logs
    summary.files += [
        {"path": path, "kind": "roster", "rows": count}
        for path, count in write_rosters(out, tree, people)
    ]
    events = write_summaries(out, seed, tree, cal, catalog)
    summary.files += events
    summary.counts = _counts(catalog, layout, sessions, people, tree, file, fault)
    summary.counts.update(
        activity_rows=written_rows,
        duplicates_within_files=within,
        duplicates_across_files=cross,
        event_summary_rows=sum(int(cast(SupportsInt, f["rows"])) for f in events),
    )
    summary.complete = True
    _write_manifest(out, summary)
    return summary


def _counts(
    catalog: Catalog,
    layout: Layout,
    sessions: Sessions,
    people: People,
    tree: Tree,
    file: np.ndarray,
    fault: np.ndarray,
) -> dict[str, int]:
    """What the inbox holds, for the manifest; statuses over rows that pass validation."""
    by_category = {
        f"sessions_{category}": int(np.isin(sessions.type, catalog.indices(category)).sum())
        for category in (ORGANIZATIONAL, STUDY, VOLUNTEER)
    }
    passes = ~np.isin(fault, [code(reason) for reason in REASONS])
    # a status shows only in files whose template has the column
    shown = np.array(["status" in f.style.fields for f in layout.files])[file] & passes
    return {
        "unique_sessions": sessions.size,
        **by_category,
        "pending": int(np.count_nonzero(shown & (sessions.status == PENDING))),
        "rejected_by_reviewer": int(np.count_nonzero(shown & (sessions.status == REJECTED))),
        "rows_not_on_roster": int(np.count_nonzero(people.is_ghost[sessions.person] & passes)),
        **{f"fault_{name}": count for name, count in fault_counts(sessions.size).items()},
        "people_on_roster": int(np.count_nonzero(~people.is_ghost)),
        "organizations": tree.size,
        "districts": len(tree.district_codes),
    }
