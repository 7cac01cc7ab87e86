"""The bench checks its disk before it writes anything (``bench.inputs.check_disk``): a
100M run takes about 64 GB, and a disk that fills half-way fails the run after an hour
with no results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from bench import inputs
from bench.inputs import check_disk, demo_digest, disk_needed
from bench.measure import BenchFailure

SEED = 20250305


class Usage(NamedTuple):
    total: int
    used: int
    free: int


def _free(monkeypatch, free: int) -> None:
    monkeypatch.setattr(inputs.shutil, "disk_usage", lambda path: Usage(0, 0, free))


def _inbox(cache: Path, rows: int) -> Path:
    return cache / f"inbox-{rows}-{SEED}-{demo_digest()[:12]}"


def test_a_run_with_nothing_cached_needs_the_inbox_its_copies_and_the_warehouse(
    tmp_path: Path,
) -> None:
    # 135, 265 and 240 bytes a row (the 100M run's 13.3 GB, 26.5 GB and 24 GB)
    assert disk_needed(100_000_000, tmp_path, SEED) == {
        "inbox": 13_500_000_000,
        "copies": 26_500_000_000,
        "warehouse": 24_000_000_000,
    }


def test_what_is_cached_is_not_needed_again(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, 1_000_000)
    inbox.mkdir(parents=True)
    manifest = {"rows": 1_000_000, "seed": SEED, "complete": True}
    (inbox / ".demo_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert disk_needed(1_000_000, tmp_path, SEED) == {
        "inbox": 0,
        "copies": 265_000_000,
        "warehouse": 240_000_000,
    }
    (tmp_path / f"{inbox.name}-encoded").mkdir()
    (tmp_path / f"{inbox.name}-encoded" / "inputs.json").write_text("{}", encoding="utf-8")
    assert disk_needed(1_000_000, tmp_path, SEED)["copies"] == 0
    # an inbox cut short is written again
    manifest["complete"] = False
    (inbox / ".demo_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert disk_needed(1_000_000, tmp_path, SEED)["inbox"] == 135_000_000


def test_too_little_disk_fails_before_anything_is_written(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    _free(monkeypatch, 43_000_000_000)
    with pytest.raises(BenchFailure) as failed:
        check_disk(100_000_000, cache, SEED)
    assert str(failed.value) == (
        f"100,000,000 rows need about 64.0 GB free on the disk of {cache} (the demo inbox "
        "13.5 GB, its UTF-8 and GB18030 copies 26.5 GB, the warehouse 24.0 GB), and 43.0 GB "
        "are free: free some space, or run python -m bench.run with --cache on a larger disk"
    )
    assert [path.name for path in cache.iterdir()] == []  # nothing written into it


def test_enough_disk_passes_counting_an_older_demos_inbox_it_will_remove(
    tmp_path: Path, monkeypatch
) -> None:
    # 1M rows need 640 MB; 600 MB are free, and an older demo's inbox of the same rows
    # holds 50 MB that the run removes before writing the new one
    _free(monkeypatch, 600_000_000)
    with pytest.raises(BenchFailure):
        check_disk(1_000_000, tmp_path, SEED)
    stale = tmp_path / f"inbox-1000000-{SEED}-000000000000" / "logs"
    stale.mkdir(parents=True)
    with (stale / "old.csv").open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: its size without the disk
    check_disk(1_000_000, tmp_path, SEED)
    # another size's inbox is not removed, so it does not count
    shutil.rmtree(stale.parent)
    other = tmp_path / f"inbox-10000000-{SEED}-000000000000"
    other.mkdir()
    with (other / "old.csv").open("wb") as handle:
        handle.truncate(50_000_000)
    with pytest.raises(BenchFailure):
        check_disk(1_000_000, tmp_path, SEED)
