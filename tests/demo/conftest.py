"""Demo inboxes written once per session by the real command, in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.demo.commands import LARGER, SEED, SHOWN, SMALL, write_inbox
from tests.demo.readback import Inbox, read_inbox


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 rows with the default seed."""
    return write_inbox(tmp_path_factory.mktemp("demo_small") / "inbox", SMALL, SEED)


@pytest.fixture(scope="session")
def small(small_dir: Path) -> Inbox:
    return read_inbox(small_dir)


@pytest.fixture(scope="session")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Inbox:
    """40,000 rows with the default seed."""
    return read_inbox(write_inbox(tmp_path_factory.mktemp("demo_larger") / "inbox", LARGER, SEED))


@pytest.fixture(scope="session")
def shown(tmp_path_factory: pytest.TempPathFactory) -> Inbox:
    """300,000 rows with the default seed: the inbox `make run` shows a leader."""
    return read_inbox(write_inbox(tmp_path_factory.mktemp("demo_shown") / "inbox", SHOWN, SEED))
