"""The dashboard as Streamlit serves it: ``streamlit run dashboard/server.py`` (what
``make dashboard`` runs) finds ``app``, an ``st.App`` running ``app.py`` (the pages)
behind one small ASGI middleware, ``DeepLinks``, for two things a link opened in a new
tab got wrong:

- a page's own address (``/districts?from=…``): Streamlit's browser code does not know
  where the app's root is, so it first asks ``/districts/_stcore/health`` and
  ``/districts/_stcore/host-config`` (two 404s in the browser console) before it tries
  ``/``. The page's HTML now tells it: a line of script sets
  ``window.__streamlit.BACKEND_BASE_URL`` (which Streamlit's code reads) to the
  address with the page's path taken off, so behind a proxy that adds a prefix the
  root is still found;
- ``/overview``: the overview is the default page, served at ``/``; its own name
  opened "Page not found". It is sent to ``/`` with its query string (a redirect
  relative to the address, so a proxy's prefix stays).

And one setting: ``app.py``'s pages live in ``dashboard/pages/``, the folder name of
Streamlit's first multipage scheme, so the first session of a server ran its first
script run through that scheme's page list (``data_quality``, not ``data-quality``) and
logged "The page that you have requested does not seem to exist" for a deep link
before ``st.navigation`` took over. ``PagesManager.uses_pages_directory`` is set to
False before any session starts, as ``st.navigation`` sets it on its first call.

Everything else goes through untouched. ``app.py`` still runs alone with
``streamlit run dashboard/app.py`` (without these two fixes).
"""

from __future__ import annotations

import re

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

DEFAULT_PAGE_PATH = "overview"  # app.py's default page, served at "/"
_PAGE_PATH = re.compile(r"^/[A-Za-z0-9_-]+/?$")  # a page's address: one plain segment
_HEAD = b"<head>"


def _base_path() -> str:
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _page_path(path: str) -> str | None:
    """The page part of a request's path (``/districts``), or None when the path is
    the root or not a page's address (assets, ``_stcore``, media, files)."""
    base = _base_path()
    if base:
        if not (path == base or path.startswith(f"{base}/")):
            return None
        path = path[len(base) :]
    if not _PAGE_PATH.match(path) or path.strip("/").startswith("_"):
        return None
    return path


def base_script(segments: int) -> bytes:
    """The script that tells Streamlit's browser code where the app's root is: the
    page's address without its last ``segments`` path segments."""
    code = (
        "(()=>{const p=location.pathname.replace(/\\/+$/,'').split('/');"
        f"p.splice(p.length-{segments});"
        "window.__streamlit=Object.assign({},window.__streamlit,"
        "{BACKEND_BASE_URL:location.origin+p.join('/')+'/'});})();"
    )
    return f"<script>{code}</script>".encode()


class DeepLinks:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        page = _page_path(scope.get("path", ""))
        if page is None:
            await self.app(scope, receive, send)
            return
        if page.strip("/") == DEFAULT_PAGE_PATH:
            await _redirect_to_root(scope, send, trailing_slash=page.endswith("/"))
            return
        if scope["method"] == "HEAD":  # no body to put the script in
            await self.app(scope, receive, send)
            return
        # the page's HTML, uncompressed so the script can go in
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        await self.app({**scope, "headers": headers}, receive, _Inject(send, base_script(1)))


async def _redirect_to_root(scope, send, trailing_slash: bool) -> None:
    query = scope.get("query_string", b"")
    location = b"../" if trailing_slash else b"./"
    if query:
        location += b"?" + query
    await send(
        {
            "type": "http.response.start",
            "status": 307,
            "headers": [(b"location", location), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


class _Inject:
    """An ASGI ``send`` that puts ``script`` right after ``<head>`` of an HTML answer."""

    def __init__(self, send, script: bytes) -> None:
        self.send = send
        self.script = script
        self.start: dict | None = None
        self.body: list[bytes] = []

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            named = {k.lower(): v for k, v in message.get("headers", [])}
            html = named.get(b"content-type", b"").startswith(b"text/html")
            if html and b"content-encoding" not in named:
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(self.body).replace(_HEAD, _HEAD + self.script, 1)
            headers = [
                (k, str(len(body)).encode() if k.lower() == b"content-length" else v)
                for k, v in self.start.get("headers", [])
            ]
            await self.send({**self.start, "headers": headers})
            await self.send({"type": "http.response.body", "body": body})
            return
        await self.send(message)


# the pages are st.navigation's, never the "pages/ folder" scheme's (module docstring)
PagesManager.uses_pages_directory = False
app = st.App("app.py", middleware=[Middleware(DeepLinks)])
