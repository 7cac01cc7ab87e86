"""A load killed at any moment (`kill -9`) leaves the lake as it was before the file it
was loading, and the next run completes it (DESIGN.md, "Loading semantics").

A demo inbox (activity logs in every encoding, a roster workbook, the reference
files) is loaded once without interruption, as the reference. Then the same inbox is
loaded into another warehouse by ``python -m ingest`` processes that are SIGKILLed at
random moments (fixed seed), each run taking up where the killed one stopped. After
every kill the lake must be consistent; after a last run to completion it must equal
the reference, with no file left over that the manifest does not name.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kernel.paths import LAKE_KINDS

REPO = Path(__file__).resolve().parents[2]
SECRET = "crash-test-secret"
SEED = 20250305
KILLS = 6  # at least 5 must land before the load would have finished
# Logs taken from the demo inbox: the largest of each encoding, about 150,000 rows in
# all, so that a load takes a few seconds and most kills land inside a file.
LOGS_PER_ENCODING = {"gb18030": 4, "utf-8": 3, "utf-8-sig": 3, "utf-16": 2}


@dataclass
class Lake:
    """A warehouse folder, and how long its uninterrupted load took."""

    root: Path
    seconds: float = 0.0  # the whole load
    startup: float = 0.0  # a run with nothing to load: start-up, hashing, the manifest

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    def manifest(self) -> list[dict]:
        """The manifest's lines; [] when it does not exist (yet) or is empty."""
        path = self.lake / "manifest.jsonl"
        if not path.exists():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]


def _ingest(inbox: Path, root: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WAREHOUSE_DIR": str(root),
        "WAREHOUSE_SECRET": SECRET,
        "PYTHONPATH": str(REPO),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "--inbox", str(inbox)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _complete(inbox: Path, root: Path) -> float:
    """Run a load to its end; its duration in seconds."""
    started = time.monotonic()
    process = _ingest(inbox, root)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode("utf-8", "replace")
    return time.monotonic() - started


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few demo logs of every encoding, one roster workbook, the reference files."""
    demo = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "demo", "--out", str(demo), "--rows", "1000000", "--seed", "7"],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    listed = json.loads((demo / ".demo_manifest.json").read_text(encoding="utf-8"))["files"]
    logs = sorted(
        (f for f in listed if f["kind"] == "activity"), key=lambda f: (-f["rows"], f["path"])
    )
    chosen = ["districts.csv", "organizations.csv"]
    chosen += sorted(p.relative_to(demo).as_posix() for p in (demo / "roster").glob("*.xlsx"))[:1]
    for encoding, count in LOGS_PER_ENCODING.items():
        chosen += [f["path"] for f in logs if f["encoding"] == encoding][:count]
    inbox = tmp_path_factory.mktemp("inbox")
    for name in chosen:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(demo / name, inbox / name)
    shutil.rmtree(demo)
    return inbox


@pytest.fixture(scope="module")
def reference(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The same inbox loaded once, never interrupted."""
    lake = Lake(tmp_path_factory.mktemp("reference") / "warehouse")
    lake.seconds = _complete(inbox, lake.root)
    loaded = lake.manifest()
    lake.startup = _complete(inbox, lake.root)
    assert lake.manifest() == loaded  # every file unchanged
    return lake


def _count(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    return con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]


def assert_consistent(lake: Lake, reference: Lake, before: list[dict]) -> list[dict]:
    """The lake after a kill: whatever the manifest names is whole and right, and nothing
    recorded before the killed run was lost or changed. Returns the manifest."""
    batches = lake.manifest()  # raises if a line is not JSON
    expected = {b["file"]: b for b in reference.manifest()}
    con = duckdb.connect()
    try:
        for batch in batches:
            assert batch["rows_read"] == batch["rows_loaded"] + batch["rows_rejected"], batch
            loaded = lake.lake / batch["kind"] / f"{batch['batch_id']}.parquet"
            rejected = lake.lake / "rejects" / f"{batch['batch_id']}.parquet"
            assert loaded.exists() and rejected.exists(), batch
            assert (_count(con, loaded), _count(con, rejected)) == (
                batch["rows_loaded"],
                batch["rows_rejected"],
            ), batch
            same = expected[batch["file"]]
            keys = ("sha256", "kind", "rows_read", "rows_loaded", "rows_rejected")
            assert {k: batch[k] for k in keys} == {k: same[k] for k in keys}, batch["file"]
    finally:
        con.close()
    assert batches[: len(before)] == before, "a kill changed what an earlier run recorded"
    active = Counter(b["file"] for b in batches if b["superseded_at"] is None)
    assert max(active.values(), default=1) == 1, active
    return batches


def _rows_by_file(con: duckdb.DuckDBPyConnection, lake: Lake, kind: str, name: str) -> None:
    """Table ``name``: every row of the active batches of ``kind`` (the rejects of every
    kind for ``rejects``), with its file in place of batch_id."""
    batches = [b for b in lake.manifest() if b["superseded_at"] is None]
    if kind != "rejects":
        batches = [b for b in batches if b["kind"] == kind]
    files = [str(lake.lake / kind / f"{b['batch_id']}.parquet") for b in batches]
    pairs = [(b["batch_id"], b["file"]) for b in batches]
    con.execute(f"create or replace table {name}_files (batch_id varchar, file varchar)")
    con.executemany(f"insert into {name}_files values (?, ?)", pairs)
    con.execute(
        f"create or replace table {name} as select f.file, r.* exclude (batch_id) "
        f"from read_parquet($files) r join {name}_files f using (batch_id)",
        {"files": files},
    )


def assert_same_rows(lake: Lake, reference: Lake) -> None:
    """The same multiset of rows per file and kind (batch ids aside): no row lost, none
    doubled, none changed."""
    con = duckdb.connect()
    try:
        for kind in LAKE_KINDS:
            if not any(b["kind"] == kind for b in reference.manifest()) and kind != "rejects":
                continue
            _rows_by_file(con, lake, kind, "got")
            _rows_by_file(con, reference, kind, "want")
            counts = con.execute(
                "select (select count(*) from got), (select count(*) from want), "
                "(select count(*) from (from got except all from want)), "
                "(select count(*) from (from want except all from got))"
            ).fetchone()
            assert counts[0] == counts[1] and counts[2:] == (0, 0), (kind, counts)
    finally:
        con.close()


def assert_no_leftovers(lake: Lake) -> None:
    """Under lake/ only the manifest, the format, the schema files (and their digest), the batches
    it names; and no scratch copy (a transcoded file holds personal numbers in clear)."""
    named = {
        f"{kind}/{b['batch_id']}.parquet"
        for b in lake.manifest()
        for kind in (b["kind"], "rejects")
    }
    allowed = named | {"manifest.jsonl", "_schema.sha256", "FORMAT"}
    allowed |= {"failures.jsonl", "failure_rejects.jsonl"}  # files that failed whole
    allowed |= {f"{kind}/_schema.parquet" for kind in LAKE_KINDS}
    present = {p.relative_to(lake.lake).as_posix() for p in lake.lake.rglob("*") if p.is_file()}
    assert present - allowed == set()
    assert named <= present
    scratch = lake.root / "tmp"
    assert not scratch.exists() or not any(p.is_file() for p in scratch.rglob("*"))


def test_the_reference_load_is_whole(inbox: Path, reference: Lake) -> None:
    batches = reference.manifest()
    # a batch per file (a workbook's data sheets are a batch each: book.xlsx#sheet)
    files = {p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()}
    assert {b["file"].rpartition("#")[0] or b["file"] for b in batches} == files
    assert {b["kind"] for b in batches} == {"activity", "people", "organizations", "districts"}
    assert sum(b["rows_read"] for b in batches if b["kind"] == "activity") > 100_000
    assert_no_leftovers(reference)


def _kill_series(
    inbox: Path, reference: Lake, lake: Lake, rng: random.Random
) -> tuple[int, list[float], list[int], list[dict]]:
    """Kill ``python -m ingest`` ``KILLS`` times into ``lake``, each run taking up where
    the last was killed, checking the lake after every kill; the kills that landed,
    their moments, the batches each left recorded, and the last kill's batches.

    Each kill is due when the lake holds about a random share of the batches, at a
    random moment within the next file or so: kills spread over the whole load, landing
    in start-up, reading, validating, landing and writing the manifest alike."""
    files = len(reference.manifest())
    per_file = (reference.seconds - reference.startup) / files
    targets = sorted(rng.randint(0, int(0.85 * files)) for _ in range(KILLS))
    kills, moments, progress, before = 0, [], [], []
    for target in targets:
        process = _ingest(inbox, lake.root)
        started = time.monotonic()
        while len(lake.manifest()) < target and process.poll() is None:
            time.sleep(0.01)
        try:
            process.wait(timeout=rng.uniform(0.0, 1.5 * per_file))
            break  # the load finished before this kill was due
        except subprocess.TimeoutExpired:
            process.kill()  # SIGKILL: no handler, no cleanup, like a power cut
            process.wait()
            process.stderr.close()
        kills += 1
        moments.append(round(time.monotonic() - started, 2))
        before = assert_consistent(lake, reference, before)
        progress.append(len(before))
    return kills, moments, progress, before


# series of kills tried, each into a new lake, until one is spread over the load
ATTEMPTS = 3


def test_a_load_killed_at_random_moments_keeps_the_state_before_and_then_completes(
    inbox: Path, reference: Lake, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    files = len(reference.manifest())
    # Every kill must leave a consistent lake (checked after each, in _kill_series). The
    # kills must also be spread over the load: batches recorded between them, so that at
    # least two kills left a lake with files still to load, which the next run
    # completed (a last kill may land after the manifest named every file, in the
    # load's final steps: that is a moment to survive too). Two levels, not three: the
    # manifest is written in groups whose size grows with the machine's load
    # (landing.ManifestWriter.add), and on a loaded machine one group took the lake from
    # 1 of 12 batches to 10 (the full suite, 2 cores: progress 1, 10, 10, 10, 10, 10).
    # Under two test workers a slow manifest write once let one group take it from 1
    # to every batch (progress 1, 15, 15, 15, 15, 15): such a series, consistent but
    # not spread, is tried again in a new lake, at most ATTEMPTS times in all.
    series = []
    for attempt in range(ATTEMPTS):
        lake = Lake(tmp_path / f"warehouse-{attempt}")
        kills, moments, progress, before = _kill_series(inbox, reference, lake, rng)
        series.append((kills, moments, progress))
        spread = len({p for p in progress if p < files}) >= 2
        if kills >= 5 and len(set(progress)) >= 2 and spread:
            break
    else:
        pytest.fail(f"no series of kills was spread over the load: {series}")

    _complete(inbox, lake.root)

    batches = assert_consistent(lake, reference, before)
    assert sorted(b["file"] for b in batches) == sorted(b["file"] for b in reference.manifest())
    assert_same_rows(lake, reference)
    assert_no_leftovers(lake)
