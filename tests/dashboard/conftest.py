"""Dashboard tests: the `browser` marker (the warehouse is `first_slice`, tests/conftest.py),
the `hostile_names` and `with_summaries` warehouses, and what every test starts from."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
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


class Downloads(dict):
    """What each download button would send, by its file name. A button given a function
    (Streamlit's deferred download) sends what the function returns when the reader
    clicks: reading its name here calls the function, as the click would, and
    ``deferred`` holds those functions until then."""

    def __init__(self) -> None:
        super().__init__()
        self.deferred: dict[str, Callable[[], bytes]] = {}

    def __missing__(self, name: str) -> bytes:
        if name not in self.deferred:
            raise KeyError(name)
        return self.deferred[name]()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Downloads:
    """What each download button would send (recorded as Streamlit stores the bytes for
    the browser, or registers the function that writes them on a click)."""
    stored = Downloads()
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

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

    def record_deferred(
        self: MediaFileManager,
        data_callable: Callable[[], bytes],
        mimetype: str | None,
        coordinates: str,
        file_name: str | None = None,
        **options: str,
    ) -> str:
        if file_name is not None:
            stored.deferred[file_name] = data_callable
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return stored
