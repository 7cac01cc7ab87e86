"""A quiet front door: ``streamlit run dashboard/server.py`` (as ``make dashboard``) on
the first-slice warehouse, every page opened fresh (a new browser context: no cookies,
a new Streamlit session, as a reader opening a link) by its own address in Debian's
chromium. The server logs no stack trace (Streamlit's "set via the Session State API"
warning came with one on the first visit), the browser console holds no error (a deep
link asked ``/districts/_stcore/health`` and ``…/host-config`` first: two 404s), no
request fails, ``/overview`` opens the overview, and the toolbar holds no developer
option (Deploy, Rerun, Clear cache).

The first page opened is a deep link (``/districts``): the first session of a server
ran its first script run through Streamlit's "pages/ folder" scheme, which logged
"The page that you have requested does not seem to exist" (dashboard/server.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS, LOADED_JS, routes
from dashboard import i18n
from tests.conftest import Warehouse
from tests.dashboard.test_browser import RENDER_TIMEOUT_MS, dashboard_server

pytestmark = [pytest.mark.integration, pytest.mark.browser]

TITLES = {  # page file -> the key of its title
    "overview": "overview.title",
    "districts": "districts.title",
    "units": "units.title",
    "people": "people.title",
    "activities": "activities.title",
    "data_quality": "dq.title",
    "submissions": "submissions.title",
    "exports": "exports.title",
}


def test_every_page_opened_fresh_leaves_the_log_and_the_console_clean(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    log = tmp_path / "streamlit.log"
    problems: list[str] = []
    # every page by its address, a deep link first (the server's first session), the
    # overview also by its name (a redirect to "/")
    addresses = {"districts": "districts", **routes(), "overview-named": "overview"}
    with dashboard_server(first_slice, log) as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for name, path in addresses.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.on(
                    "console",
                    lambda message, name=name: (
                        problems.append(f"{name}: console {message.text}")
                        if message.type == "error"
                        else None
                    ),
                )
                page.on("pageerror", lambda error, name=name: problems.append(f"{name}: {error}"))
                page.on(
                    "response",
                    lambda answer, name=name: (
                        problems.append(f"{name}: {answer.status} {answer.url}")
                        if answer.status >= 400
                        else None
                    ),
                )
                page.on(
                    "requestfailed",
                    lambda request, name=name: problems.append(f"{name}: failed {request.url}"),
                )
                page.goto(f"{url}/{path}?from=2025-02&to=2025-03", wait_until="domcontentloaded")
                page.wait_for_function(LOADED_JS, timeout=RENDER_TIMEOUT_MS)
                page.wait_for_timeout(500)
                page_file = "overview" if name == "overview-named" else name
                titles = [t.strip() for t in page.locator("h1").all_inner_texts()]
                assert i18n.t(TITLES[page_file], "zh") in titles, (name, titles)
                assert page.locator('[data-testid="stException"]').count() == 0, name
                if name == "overview-named":  # sent to the default page, query kept
                    assert page.url == f"{url}/?from=2025-02&to=2025-03", page.url
                else:
                    assert page.url.startswith(f"{url}/{path}?from=2025-02&to=2025-03"), page.url
                # a reader's toolbar: no Deploy button, no developer items in the menu
                assert page.get_by_test_id("stAppDeployButton").count() == 0, name
                menu = page.get_by_test_id("stMainMenu")
                if name == "districts":  # the menu, once
                    menu.click()
                    popover = page.get_by_test_id("stMainMenuList")
                    popover.wait_for(timeout=10_000)
                    items = [
                        item.get_attribute("data-testid")
                        for item in popover.locator("[data-testid^=stMainMenuItem-]").all()
                    ]
                    # a reader's items stay (print, theme, screencast), no developer's
                    assert "stMainMenuItem-print" in items, items
                    assert not [i for i in items if "rerun" in i.lower() or "cache" in i.lower()]
                context.close()
        finally:
            browser.close()
    server_log = log.read_text(encoding="utf-8")
    assert "Traceback" not in server_log and "Stack (most recent call last)" not in server_log
    assert "Session State API" not in server_log, server_log
    assert problems == [], problems
