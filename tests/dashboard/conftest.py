"""Dashboard tests: the `browser` marker (the warehouse is `first_slice`, tests/conftest.py),
the `hostile_names` and `with_summaries` warehouses, and what every test starts from."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.conftest import FIXTURES, Warehouse, make_warehouse


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: starts the dashboard with streamlit run and drives Debian's chromium"
    )


@pytest.fixture(scope="session")
def hostile_names(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """``hostile_names_inbox`` (names that are Markdown and HTML) ingested and published
    once (a small inbox: about 15 seconds)."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("hostile_names"), "hostile_names_inbox")
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.outputs["build"] = warehouse.run("publish")
    return warehouse


@pytest.fixture(scope="session")
def with_summaries(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The first-slice inbox plus the event summaries of ``event_summaries_inbox``
    (its README.md), ingested and published once: the person-level figures are the
    first slice's; activities held and the summaries' figures are added."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("with_summaries"), "first_slice_inbox")
    shutil.copytree(
        FIXTURES / "valid" / "event_summaries_inbox" / "events", warehouse.inbox / "events"
    )
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.outputs["build"] = warehouse.run("publish")
    return warehouse


@pytest.fixture(autouse=True)
def no_failed_sign_ins() -> Iterator[None]:
    """Failed sign-ins are counted per user name for the whole process (the server's):
    every test starts and ends without any."""
    from dashboard import auth

    clear = getattr(auth, "clear_failures", None)  # absent before the count moved there
    if clear is not None:
        clear()
    yield
    if clear is not None:
        clear()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What each download button would send, by its file name (recorded as Streamlit
    stores the bytes for the browser)."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(
        self: MemoryMediaFileStorage,
        path_or_data: str | bytes,
        mimetype: str,
        kind: MediaFileKind,
        filename: str | None = None,
    ) -> str:
        if filename is not None and isinstance(path_or_data, bytes):
            stored[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return stored
