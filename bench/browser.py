"""``python -m bench.browser [--loads N] [--sessions N]``: every page's load time in chromium.

A child process of ``bench/run.py``, reading the published snapshot of
``WAREHOUSE_DIR``. It starts the dashboard as ``make dashboard`` does (``streamlit run
dashboard/server.py``, headless, open demo mode) on a free port, and drives Debian's
chromium (``/usr/bin/chromium``, never a browser Playwright downloads) through
Playwright:

- one load of the overview first, not counted: the server imports the pages' code;
- ``--sessions`` times, the first page (the overview) of a new browser context: no
  cookies, no cached scripts, a new Streamlit session, as a reader opening the link;
- then, in one context, ``--loads`` loads of each page's route (a reload, as a
  reader opening a link again: scripts cached by the browser, a new Streamlit
  session, the queries' ``st.cache_data`` warm as the server keeps it).

A page is loaded when Streamlit says its script run is over (the app's
``data-test-script-state`` is ``notRunning``: checked first, so a run that has not yet
shown its running indicator is not taken for a finished one), its title (``h1``) is
there, the running indicator (``stStatusWidget``) is gone, the page's last element
(the "data as of" note in the container ``st-key-page-end``) is in the page, no element
is still a loading skeleton (``stSkeleton``) and every chart has drawn its SVG: the
wait of ``tests/dashboard/test_browser.py``, without its pause for chart transitions.
Each load is timed from ``goto`` to that moment. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.pages import percentile

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "dashboard" / "pages"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # tests/dashboard/test_browser.py starts it so too
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
START_TIMEOUT_S = 60
LOAD_TIMEOUT_MS = 120_000  # a slow page is measured, not failed
# The page's last element (dashboard/layout.py PAGE_END_KEY) must be there: Streamlit
# can say its run is over before the elements it sent are in the page, and a check of
# "every chart has drawn" then passes on a page with no chart yet (the runs before
# this wait timed pages before their charts were drawn). No skeleton either: in a
# browser that has not yet fetched the code of a kind of element (a chart, a metric, a
# widget: the first page of a new session), Streamlit shows a grey stSkeleton in its
# place until that code has loaded.
LOADED_JS = (
    "() => !!document.querySelector('[data-test-script-state=notRunning]')"
    " && document.querySelectorAll('h1').length > 0"
    " && !document.querySelector('[data-testid=stStatusWidget]')"
    " && !!document.querySelector('.st-key-page-end')"
    " && !document.querySelector('[data-testid=stSkeleton]')"
    " && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]"
    ".every(c => c.querySelector('.main-svg'))"
)


def routes() -> dict[str, str]:
    """Page name -> URL path, from ``dashboard/pages/`` (so a new page is measured): the
    overview is the default page at ``/``; dashboard/app.py names the others' paths
    after their file, ``_`` as ``-``."""
    found = {}
    for page in sorted(PAGES.glob("*.py")):
        if not page.name.startswith("_"):
            found[page.stem] = "" if page.stem == "overview" else page.stem.replace("_", "-")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def dashboard(log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run dashboard/server.py`` on a free port (as ``make dashboard``), in
    ``env`` (default: this process's); its URL. The browser test starts it too."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/server.py"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    # no users file in a bench or test warehouse: open demo mode, asked for as make run does
    env = {**(os.environ if env is None else env), "DASHBOARD_OPEN": "1"}
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=output, stderr=output)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {log.read_text('utf-8')}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def load(page, url: str) -> tuple[float, list[str]]:
    """Open ``url`` in ``page`` and wait until it is loaded; (seconds, errors shown)."""
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(LOADED_JS, timeout=LOAD_TIMEOUT_MS)
    seconds = time.perf_counter() - started
    errors = page.locator('[data-testid="stException"]').all_inner_texts()
    return seconds, [e.strip().splitlines()[0] for e in errors if e.strip()]


def summary(seconds: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(seconds), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "max_s": round(max(seconds), 3),
        "seconds": [round(s, 3) for s in seconds],
    }


def measure(loads: int, sessions: int, log: Path) -> dict:
    from playwright.sync_api import ViewportSize, sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError("Debian's chromium is missing: run `make setup`")
    pages: dict[str, dict] = {}
    with dashboard(log) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        viewport: ViewportSize = {"width": 1400, "height": 1300}
        try:
            warm = browser.new_page(viewport=viewport)
            load(warm, f"{url}/")
            warm.context.close()
            first: list[float] = []
            for _ in range(sessions):
                context = browser.new_context(viewport=viewport, locale="zh-CN")
                took, _ = load(context.new_page(), f"{url}/")
                first.append(took)
                context.close()
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            for name, path in routes().items():
                seconds: list[float] = []
                errors: set[str] = set()
                for _ in range(loads):
                    took, shown = load(page, f"{url}/{path}")
                    seconds.append(took)
                    errors.update(shown)
                pages[name] = {**summary(seconds), "route": f"/{path}", "errors": sorted(errors)}
            context.close()
        finally:
            browser.close()
    worst = max(pages.items(), key=lambda item: item[1]["p95_s"])
    return {
        "loads": loads,
        "sessions": sessions,
        "first_page": summary(first),
        "pages": pages,
        "page_p95_s": worst[1]["p95_s"],
        "page_p95_page": worst[0],
        "page_max_s": max(p["max_s"] for p in pages.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser", description=__doc__)
    parser.add_argument("--loads", type=int, default=20, help="timed loads per page (20)")
    parser.add_argument(
        "--sessions", type=int, default=5, help="first pages of a new browser session (5)"
    )
    parser.add_argument(
        "--log", type=Path, default=Path("streamlit.log"), help="the server's output"
    )
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.loads, args.sessions, args.log), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
