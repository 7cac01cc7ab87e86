"""The overview in a real browser: ``streamlit run`` on the first-slice warehouse, opened
in Debian's chromium (``/usr/bin/chromium``, installed by ``make setup``) through
Playwright's Python package. Playwright's own browser downloads are never used.

The screenshot lands in ``tests/artifacts/overview.png`` (git-ignored).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import REPO, Warehouse

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = REPO / "tests" / "artifacts"
START_TIMEOUT = 60  # seconds for the server to answer its health check
RENDER_TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def dashboard_server(warehouse: Warehouse, log: Path) -> Iterator[str]:
    """``streamlit run dashboard/app.py`` on a free port; yields its URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",  # the repository root (the working directory) stays importable
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**warehouse.env, "WAREHOUSE_DIR": str(warehouse.root)}
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=output)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if server.poll() is not None:
                    raise AssertionError(f"streamlit exited: {log.read_text(encoding='utf-8')}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"streamlit did not start: {log.read_text('utf-8')}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_overview_renders_in_chromium(first_slice: Warehouse, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console_errors: list[str] = []
    with dashboard_server(first_slice, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300}, locale="zh-CN")
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: console_errors.append(str(error)))
            page.goto(url, wait_until="domcontentloaded")

            values = page.get_by_test_id("stMetricValue")
            values.nth(3).wait_for(timeout=RENDER_TIMEOUT_MS)
            # the figures worked out by hand in test_overview.py
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                ".map(e => e.innerText.trim()).join('|') === '24.30 小时|13|7|75.0%'",
                timeout=RENDER_TIMEOUT_MS,
            )
            labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
            assert [label.strip() for label in labels] == ["总时长", "人次", "志愿者人数", "参与率"]
            # the three charts drew their SVG
            page.locator("[data-testid=stPlotlyChart] .main-svg").nth(2).wait_for(
                timeout=RENDER_TIMEOUT_MS
            )
            page.wait_for_timeout(1000)  # let the charts finish their transitions
            assert page.locator('[data-testid="stException"]').count() == 0
            page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
        finally:
            browser.close()
    assert console_errors == []
