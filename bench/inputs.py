"""The benchmark's inputs: the demo inbox (written once per version of the demo's code
and cached), its activity logs re-encoded, and one more day of logs for the incremental
refresh."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

from bench.measure import REPO, BenchFailure, run_measured, say

DEMO = REPO / "demo"
DAY_SHARE = 730  # the demo spans 24 months: one day is about rows / 730
# disk a run takes, in bytes per demo row, as measured at 100M rows (bench/README.md,
# "Issue 16, item 6"): the inbox 13.3 GB, its UTF-8 and GB18030 copies 26.5 GB, the
# warehouse at most 24 GB (during the full rebuild, DuckDB's spill included)
DISK_PER_ROW = {"inbox": 135, "copies": 265, "warehouse": 240}
GB = 1000**3


def demo_digest(demo: Path = DEMO) -> str:
    """SHA-256 over the generator's code (every ``.py`` of ``demo``, path and bytes, in
    path order): a changed demo writes another inbox, so the cache never serves an old one."""
    digest = hashlib.sha256()
    for path in sorted(demo.rglob("*.py")):
        digest.update(path.relative_to(demo).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def disk_needed(rows: int, cache: Path, seed: int) -> dict[str, int]:
    """The disk a run of ``rows`` rows will still take, in bytes, by what takes it: the
    inbox and its copies only when they are not cached yet (``demo_inbox``,
    ``encoded_copies``)."""
    inbox = _inbox(cache, rows, seed)
    cached = {
        "inbox": _complete(inbox, rows, seed),
        "copies": (cache / f"{inbox.name}-encoded" / "inputs.json").exists(),
        "warehouse": False,
    }
    return {part: 0 if cached[part] else rows * size for part, size in DISK_PER_ROW.items()}


def check_disk(rows: int, cache: Path, seed: int) -> None:
    """BenchFailure before anything is written when the disk that holds ``cache`` has
    less room than the run will take: a 100M run needs about 64 GB, and a disk that
    fills half-way fails the run after an hour, with no results. An older demo's inbox
    that ``demo_inbox`` will remove counts as room."""
    needed = disk_needed(rows, cache, seed)
    cache.mkdir(parents=True, exist_ok=True)
    stale = [
        path.stat().st_size
        for folder in _stale(cache, rows, seed)
        for path in folder.rglob("*")
        if path.is_file()
    ]
    free = shutil.disk_usage(cache).free + sum(stale)
    if sum(needed.values()) <= free:
        return
    parts = ", ".join(
        f"{label} {needed[part] / GB:,.1f} GB"
        for part, label in (
            ("inbox", "the demo inbox"),
            ("copies", "its UTF-8 and GB18030 copies"),
            ("warehouse", "the warehouse"),
        )
        if needed[part]
    )
    raise BenchFailure(
        f"{rows:,} rows need about {sum(needed.values()) / GB:,.1f} GB free on the disk of "
        f"{cache} ({parts}), and {free / GB:,.1f} GB are free: free some space, or "
        "run python -m bench.run with --cache on a larger disk"
    )


def _inbox(cache: Path, rows: int, seed: int) -> Path:
    """Where the demo inbox of ``rows`` and ``seed`` of this demo code is cached."""
    return cache / f"inbox-{rows}-{seed}-{demo_digest()[:12]}"


def _stale(cache: Path, rows: int, seed: int) -> list[Path]:
    """Cached inboxes (and their copies) of the same rows and seed from an older demo."""
    current = _inbox(cache, rows, seed).name
    return [
        folder
        for folder in cache.glob(f"inbox-{rows}-{seed}*")
        if folder.name not in (current, f"{current}-encoded")
    ]


def _complete(inbox: Path, rows: int, seed: int) -> bool:
    """Whether ``inbox`` holds a whole demo of ``rows`` rows and ``seed``."""
    manifest = inbox / ".demo_manifest.json"
    if not manifest.exists():
        return False
    written = json.loads(manifest.read_text(encoding="utf-8"))
    complete = written.get("complete") is not False  # a run cut short says False
    return written.get("rows") == rows and written.get("seed") == seed and complete


def demo_inbox(rows: int, seed: int, cache: Path, env: dict[str, str]) -> Path:
    """The demo inbox of ``rows`` rows, written once per version of the demo's code and
    reused (``bench/.cache/inbox-ROWS-SEED-DIGEST``); older versions' inboxes of the same
    rows and seed are removed (a 10M inbox is 1.3 GB)."""
    inbox = _inbox(cache, rows, seed)
    for stale in _stale(cache, rows, seed):
        shutil.rmtree(stale, ignore_errors=True)
    if _complete(inbox, rows, seed):
        say(f"demo inbox: {inbox} (cached)")
        return inbox
    say(f"demo inbox: writing {rows:,} rows to {inbox}")
    command = [sys.executable, "-m", "demo", "--out", str(inbox), "--rows", str(rows)]
    run_measured([*command, "--seed", str(seed)], cache / "logs" / f"demo-{rows}", env)
    return inbox


def encoded_copies(inbox: Path, cache: Path) -> tuple[Path, Path, dict]:
    """The demo's activity logs as plain UTF-8 and as GB18030 (cached beside the inbox)."""
    from bench.ingest_bench import write_inputs

    root = cache / f"{inbox.name}-encoded"
    utf8, gb18030, done = root / "utf8", root / "gb18030", root / "inputs.json"
    if done.exists():
        return utf8, gb18030, json.loads(done.read_text(encoding="utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    inputs = write_inputs(inbox, utf8, gb18030)
    done.write_text(json.dumps(inputs), encoding="utf-8")
    return utf8, gb18030, inputs


def one_more_day(inbox: Path, target: Path, day: dt.date, rows: int) -> int:
    """A new log of about one day of sessions: rows of the newest UTF-8 English-header
    log (template D: ISO dates) with their date moved to ``day``."""
    manifest = json.loads((inbox / ".demo_manifest.json").read_text(encoding="utf-8"))
    logs = [f for f in manifest["files"] if f["kind"] == "activity" and f["encoding"] == "utf-8"]
    english = [f for f in logs if f.get("template") == "D"] or logs
    source = inbox / max(english, key=lambda f: f["path"])["path"]
    with source.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header, body = table[0], table[1:]
    date_column = header.index("date") if "date" in header else 6
    wanted = max(50, rows // DAY_SHARE)
    picked = [body[i % len(body)] for i in range(0, wanted * 7, 7)][:wanted]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in picked:
        row = list(row)
        row[date_column] = day.isoformat()
        writer.writerow(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    return len(picked)
