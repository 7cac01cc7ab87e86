"""``python -m bench.screenshot`` (``make screenshot``): the README's picture of the
overview, taken from the published snapshot of ``WAREHOUSE_DIR`` (the one ``make run``
builds), so the figures it shows are the ones ``make run`` gives.

It starts the dashboard as ``make dashboard`` does (``bench.browser.dashboard``: open
demo mode, a free port on 127.0.0.1), opens the overview in Debian's chromium
(``/usr/bin/chromium`` through Playwright, never a browser Playwright downloads), in
Chinese, waits until the page is loaded and its charts are drawn (the wait of the
bench and of the browser test) and writes the visible part of the page, 1400 × 1000
pixels, to ``docs/images/overview.png``. The image is the demo's when the warehouse
is: ``make demo``, ``make ingest`` and ``make build`` with the default ROWS and SEED.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, LOADED_JS, dashboard
from kernel.paths import warehouse_paths
from kernel.settings import settings

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "images" / "overview.png"
RENDER_TIMEOUT_MS = 120_000
SETTLE_MS = 800  # the charts' transitions (tests/dashboard/test_browser.py waits so too)


def take(out: Path, width: int, height: int, log: Path) -> None:
    """Serve the dashboard, open the overview and write its screenshot to ``out``."""
    from playwright.sync_api import sync_playwright

    with dashboard(log) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN"
            )
            page = context.new_page()
            page.goto(f"{url}/", wait_until="domcontentloaded")
            page.wait_for_function(LOADED_JS, timeout=RENDER_TIMEOUT_MS)
            page.wait_for_timeout(SETTLE_MS)
            errors = page.locator('[data-testid="stException"]').all_inner_texts()
            if errors:
                raise RuntimeError(f"the overview shows an error: {errors[0].strip()}")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshot", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="the PNG to write (%(default)s)")
    parser.add_argument("--width", type=int, default=1400, help="pixels (1400)")
    parser.add_argument("--height", type=int, default=1000, help="pixels (1000)")
    args = parser.parse_args(argv)
    paths = warehouse_paths(settings().warehouse_dir)
    if not paths.current_pointer.exists():
        print(
            f"error: no published snapshot in {paths.root}: run `make run` (or make demo, "
            "make ingest and make build) first",
            file=sys.stderr,
        )
        return 2
    if not CHROMIUM.exists():
        print("error: Debian's chromium is missing: run `make setup`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "streamlit.log"
        try:
            take(args.out, args.width, args.height, log)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(f"wrote {args.out} ({args.width} x {args.height}) from {paths.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
