"""How an export is published at OUT: a link switched in one step to a new folder per
export, so a reader polling OUT never finds it missing or mixed; what a killed export
leaves is cleaned by the next one; an OUT that an earlier release wrote as a real folder
is taken over.

Two exports of the first-slice warehouse that differ: January to March (10 district
rows) and February alone (3 rows).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from kernel.paths import warehouse_paths
from kernel.snapshot import SnapshotInfo, connect_current
from tests.conftest import FIXTURES, REPO, Warehouse

pytestmark = pytest.mark.integration

EARLIER_EXPORT = FIXTURES / "valid" / "export_c0ed69d" / "exports"
PERIODS = [("2025-01", "2025-03"), ("2025-02", "2025-02")]


@pytest.fixture(scope="module")
def snapshot(first_slice: Warehouse) -> Iterator[tuple[duckdb.DuckDBPyConnection, SnapshotInfo]]:
    con, info = connect_current(warehouse_paths(first_slice.root))
    yield con, info
    con.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _beside(out: Path) -> list[str]:
    """What an export keeps beside OUT: its hidden names."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


def test_a_reader_polling_out_never_sees_it_missing_or_mixed(
    snapshot: tuple[duckdb.DuckDBPyConnection, SnapshotInfo],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from export.package import export

    con, info = snapshot
    out = tmp_path / "polled"
    shutil.copytree(EARLIER_EXPORT, out)  # an earlier release's export to take over first
    # a process can be stopped between any two system calls: here after every rename,
    # long enough for the reader to look (with two renames, OUT was missing meanwhile)
    for name in ("replace", "rename"):
        original = getattr(os, name)

        def slow(*args: object, _original=original, **kwargs: object) -> None:
            _original(*args, **kwargs)
            time.sleep(0.05)

        monkeypatch.setattr(os, name, slow)
    stop = threading.Event()
    problems: list[str] = []
    seen: set[str] = set()

    def read() -> None:
        while not stop.is_set():
            try:
                json.loads((out / "manifest.json").read_text(encoding="utf-8"))
                (out / "district_monthly.csv").read_bytes()
                # both files through one resolved path: one export's, whichever it is
                folder = Path(os.path.realpath(out))
                manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                data = (folder / "district_monthly.csv").read_bytes()
            except (FileNotFoundError, NotADirectoryError, json.JSONDecodeError) as error:
                problems.append(repr(error))
                continue
            if folder == out and out.is_symlink():
                # the earlier release's folder (a real directory, so realpath cannot
                # pin it) was taken over between the two reads: a one-time switch no
                # reader can resolve once; every later switch is a link, pinned above
                continue
            digest = hashlib.sha256(data).hexdigest()
            if manifest["files"]["district_monthly.csv"]["sha256"] != digest:
                problems.append(f"{folder}: the manifest is not the CSV's")
            seen.add(f"{manifest['period']['from']} {manifest['period']['to']}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(6):
            export(con, info, out, *PERIODS[number % 2], pdf=False)
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert seen == {"2025-01 2025-03", "2025-02 2025-02"}  # it read both while they ran


def test_a_killed_export_is_cleaned_up_by_the_next(first_slice: Warehouse, tmp_path: Path) -> None:
    out = tmp_path / "cron"
    first_slice.run("export", "--out", str(out), "--no-pdf")
    before = _files(out)
    marker = tmp_path / "paused"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from export.package import export\n"
        "from kernel.paths import warehouse_paths\n"
        "from kernel.snapshot import connect_current\n"
        "def pause(folder):\n"
        "    Path(sys.argv[2]).write_text(str(folder))\n"
        "    time.sleep(600)\n"
        "con, info = connect_current(warehouse_paths(Path(sys.argv[1])))\n"
        "export(con, info, Path(sys.argv[3]), '2025-02', '2025-02', pdf=False, write_hook=pause)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(first_slice.root), str(marker), str(out)],
        cwd=REPO,
        env=first_slice.env,
    )
    try:
        for _ in range(1200):  # the export writes its files first: up to a minute
            if marker.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the export never reached its hook"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    unfinished = Path(marker.read_text())
    assert (unfinished / "district_monthly.csv").is_file()  # it was mid-way
    assert _files(out) == before  # readers still get the previous export
    # and what a kill at other moments (or an earlier release) leaves beside OUT: a new
    # link not yet renamed over OUT, a temporary folder
    os.symlink("nowhere", out.with_name(".cron.tmp-20260101T000000000000-x"))
    (out.with_name(".cron.tmp-k3j2h1") / "reports").mkdir(parents=True)
    first_slice.run("export", "--out", str(out), "--from", "2025-02", "--to", "2025-02")
    assert not os.path.lexists(unfinished)
    assert _beside(out) == [".cron.d"]
    store = out.with_name(".cron.d")
    current = os.readlink(out)
    assert current.startswith(".cron.d/")
    # the current export, the one before it (a reader may still be in it), the lock
    kept = sorted(p.name for p in store.iterdir())
    assert len(kept) == 3 and kept[0] == ".lock" and current.split("/")[1] in kept
    (previous,) = set(kept) - {".lock", current.split("/")[1]}
    assert _files(store / previous) == before
    lines = (out / "district_monthly.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[2] for line in lines[1:]] == ["2025-02"] * 3


def test_an_earlier_releases_folder_is_taken_over(first_slice: Warehouse, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    shutil.copytree(EARLIER_EXPORT, out)
    earlier = _files(EARLIER_EXPORT)
    first_slice.run("export", "--out", str(out), "--from", "2025-02", "--to", "2025-02")
    assert out.is_symlink()
    assert _beside(out) == [".exports.d"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == {"from": "2025-02", "to": "2025-02"}
    # the earlier folder is kept as the previous export, unchanged, until the next one
    store = out.with_name(".exports.d")
    folders = [p for p in store.iterdir() if p.name != ".lock"]
    assert len(folders) == 2
    (moved,) = [p for p in folders if p.name != os.readlink(out).split("/")[1]]
    assert _files(moved) == earlier
    first_slice.run("export", "--out", str(out), "--no-pdf")
    assert not moved.exists()
    assert len([p for p in store.iterdir() if p.name != ".lock"]) == 2


def test_an_export_keeps_one_pin_per_out(first_slice: Warehouse, tmp_path: Path) -> None:
    out = tmp_path / "daily"
    for _ in range(2):
        first_slice.run("export", "--out", str(out), "--no-pdf")
    pins = first_slice.root / "snapshots" / "pins"
    referrers = [p.read_text(encoding="utf-8").split("\n")[1] for p in pins.iterdir()]
    # OUT's own path, not the folder it points to (one pin per export would keep
    # every snapshot an export ever used)
    assert [r for r in referrers if "daily" in r] == [f"export {out}"]


def test_a_link_of_the_users_own_is_followed(first_slice: Warehouse, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    out = tmp_path / "mine"
    out.symlink_to(share / "exports")
    first_slice.run("export", "--out", str(out), "--no-pdf")
    first_slice.run("export", "--out", str(out), "--no-pdf")
    assert os.readlink(out) == str(share / "exports")
    assert (share / "exports").is_symlink()
    assert sorted(p.name for p in share.iterdir()) == [".exports.d", "exports"]
    assert (out / "manifest.json").is_file()
