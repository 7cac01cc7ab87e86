"""``dashboard/server.py``'s middleware, called as an ASGI app in this process (the
browser test, test_quiet_server.py, drives it through a real server and chromium)."""

from __future__ import annotations

import asyncio

import pytest
from streamlit import config

from dashboard import server

INDEX = b"<!doctype html><html><head><title>x</title></head><body></body></html>"


def _serve(path: str, query: bytes = b"", content_type: bytes = b"text/html") -> dict:
    """What the middleware sends for a GET of ``path``, in front of an app that answers
    every request with ``INDEX``; and the request the app got."""
    seen: dict = {}

    async def inner(scope, receive, send) -> None:
        seen["scope"] = scope
        headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(INDEX))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": INDEX})

    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": [(b"accept-encoding", b"gzip"), (b"host", b"example")],
    }
    asyncio.run(server.DeepLinks(inner)(scope, receive, send))
    start, body = sent
    return {
        "status": start["status"],
        "headers": dict(start["headers"]),
        "body": body["body"],
        "request": seen.get("scope"),
    }


def test_a_pages_html_tells_the_browser_where_the_root_is() -> None:
    answer = _serve("/districts", b"from=2025-02")
    script = server.base_script(1)
    assert answer["body"] == INDEX.replace(b"<head>", b"<head>" + script)
    assert answer["headers"][b"content-length"] == b"%d" % len(answer["body"])
    # asked uncompressed, so the script could go in
    assert (b"accept-encoding", b"gzip") not in answer["request"]["headers"]
    # the page's path taken off the address: /districts -> /, /x/districts -> /x/
    assert b"p.splice(p.length-1)" in script and b"BACKEND_BASE_URL" in script


@pytest.mark.parametrize(
    "path",
    ["/", "/_stcore/health", "/static/js/index.js", "/media/abc.png", "/a/b", "/favicon.png"],
)
def test_everything_else_goes_through_untouched(path: str) -> None:
    answer = _serve(path)
    assert answer["body"] == INDEX
    assert (b"accept-encoding", b"gzip") in answer["request"]["headers"]


def test_only_html_is_changed() -> None:
    assert _serve("/districts", content_type=b"application/json")["body"] == INDEX


@pytest.mark.parametrize(
    ("path", "query", "location"),
    [
        ("/overview", b"", b"./"),
        (
            "/overview",
            b"from=2025-02&to=2025-03&district=D01",
            b"./?from=2025-02&to=2025-03&district=D01",
        ),
        ("/overview/", b"lang=en", b"../?lang=en"),
    ],
)
def test_the_overview_by_its_name_is_sent_to_the_root(
    path: str, query: bytes, location: bytes
) -> None:
    answer = _serve(path, query)
    assert answer["status"] == 307
    assert answer["headers"][b"location"] == location
    assert answer["request"] is None  # Streamlit never saw it


def test_under_a_base_url_path_the_page_is_what_follows_it(monkeypatch) -> None:
    original = config.get_option
    monkeypatch.setattr(
        server.config,
        "get_option",
        lambda key: "/dash/" if key == "server.baseUrlPath" else original(key),
    )
    assert server._page_path("/dash/districts") == "/districts"
    assert server._page_path("/dash") is None
    assert server._page_path("/districts") is None  # outside the app's path
    assert _serve("/dash/overview", b"lang=en")["headers"][b"location"] == b"./?lang=en"
