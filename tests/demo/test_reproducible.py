"""Same seed and rows, same bytes; another seed, other files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.demo.commands import SEED, SMALL, write_inbox


def digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (the hidden manifest included)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_the_same_seed_gives_byte_identical_files(small_dir: Path, tmp_path: Path) -> None:
    again = write_inbox(tmp_path / "again", SMALL, SEED)
    first, second = digests(small_dir), digests(again)
    assert len(first) > 150
    assert first == second


def test_writing_again_into_a_demo_inbox_gives_the_same_files(tmp_path: Path) -> None:
    inbox = write_inbox(tmp_path / "inbox", 5_000, 1)
    before = digests(inbox)
    write_inbox(inbox, 5_000, 1)
    assert digests(inbox) == before


@pytest.mark.parametrize("seed", [7])
def test_another_seed_gives_other_files(small_dir: Path, tmp_path: Path, seed: int) -> None:
    other = digests(write_inbox(tmp_path / "other", SMALL, seed))
    first = digests(small_dir)
    logs = [name for name in first if name.startswith("logs/") and name in other]
    changed = [name for name in logs if first[name] != other[name]]
    assert logs, "the two inboxes share no log file names"
    assert len(changed) == len(logs)
    rosters = [name for name in first if name.startswith("roster/")]
    assert all(first[name] != other.get(name) for name in rosters)
