"""The overview in a real browser: ``streamlit run`` on the first-slice warehouse, opened
in Debian's chromium (``/usr/bin/chromium``, installed by ``make setup``) through
Playwright's Python package. Playwright's own browser downloads are never used.

The screenshot lands in ``tests/artifacts/overview.png`` (git-ignored).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, CHROMIUM_ARGS, LOADED_JS, dashboard
from dashboard import i18n
from tests.conftest import REPO, Warehouse

pytestmark = [pytest.mark.integration, pytest.mark.browser]

ARTIFACTS = REPO / "tests" / "artifacts"
RENDER_TIMEOUT_MS = 60_000


@contextlib.contextmanager
def dashboard_server(warehouse: Warehouse, log: Path) -> Iterator[str]:
    """``streamlit run dashboard/server.py`` on a free port, on this warehouse; its URL."""
    env = {**warehouse.env, "WAREHOUSE_DIR": str(warehouse.root)}
    with dashboard(log, env) as url:
        yield url


PAGES = {  # url path -> the keys of the page's link in the sidebar and of its title
    "districts": ("nav.districts", "districts.title"),
    "units": ("nav.units", "units.title"),
    "people": ("nav.people", "people.title"),
    "activities": ("nav.activities", "activities.title"),
    "data-quality": ("nav.data_quality", "dq.title"),
    "submissions": ("nav.submissions", "submissions.title"),
}
if (REPO / "dashboard" / "pages" / "exports.py").exists():
    PAGES["exports"] = ("nav.exports", "exports.title")
# February-March 2025, D01, party members (test_filters.py works the figures out):
# s01 5 (T001, 180 min) = 3.00 h, 1 person-time, 1 volunteer, 1 of 1 members active
FILTERED = "from=2025-02&to=2025-03&district=D01&ptype=member"
# activities held have no person type: "—" when one is chosen (test_filters.py)
FILTERED_TILES = "3.00|1|1|100.0%|—"
TILES_JS = (
    "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
    ".map(e => e.innerText.trim()).join('|')"
)


def _title_is(page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
        arg=text,
        timeout=RENDER_TIMEOUT_MS,
    )


def _settle(page) -> None:
    """Wait until the script run is over, the page's last element is there, no element
    is still a loading skeleton and every chart drew its SVG (the bench's wait:
    bench/browser.py LOADED_JS)."""
    page.wait_for_function(LOADED_JS, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(800)  # let the charts finish their transitions
    assert page.locator('[data-testid="stException"]').count() == 0


def test_every_page_in_chromium(first_slice: Warehouse, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console_errors: list[str] = []
    with dashboard_server(first_slice, tmp_path / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                viewport={"width": 1400, "height": 1300}, locale="zh-CN", accept_downloads=True
            )
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    console_errors.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: console_errors.append(str(error)))
            page.on(
                "response",
                lambda answer: (
                    console_errors.append(f"{answer.status} {answer.url}")
                    if answer.status >= 400
                    else None
                ),
            )

            # a link with query parameters opens the filtered view
            page.goto(f"{url}/?{FILTERED}", wait_until="domcontentloaded")
            page.wait_for_function(f"{TILES_JS} === {FILTERED_TILES!r}", timeout=RENDER_TIMEOUT_MS)
            _settle(page)
            labels = page.get_by_test_id("stMetricLabel").all_inner_texts()
            assert [label.strip() for label in labels] == [
                "总时长(小时)",
                "人次",
                "志愿者人数",
                "参与率",
                "活动场次",
            ]
            page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

            # the chart fonts carry Chinese glyphs, and a chart downloads as PNG
            assert page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"')")
            chart = page.locator("[data-testid=stPlotlyChart]").first
            chart.hover()
            with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
                chart.locator('[data-title="Download plot as a PNG"]').click()
            png = ARTIFACTS / "overview-monthly.png"
            download.value.save_as(png)
            data = png.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            # twice the chart's size on screen (toImageButtonOptions scale 2)
            box = chart.locator(".main-svg").first.bounding_box()
            assert int.from_bytes(data[16:20], "big") == round(2 * box["width"])
            assert download.value.suggested_filename == "overview-monthly.png"

            # print media: A4 landscape, no sidebar, toolbar or chart buttons
            page.emulate_media(media="print")
            hidden = page.evaluate(
                "() => ['stSidebar', 'stHeader'].map(id => {"
                " const e = document.querySelector(`[data-testid=${id}]`);"
                " return !e || getComputedStyle(e).display === 'none'; })"
            )
            assert hidden == [True, True]
            pdf = ARTIFACTS / "overview.pdf"
            page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
            # A4 landscape is 842 x 595 points
            assert b"/MediaBox [0 0 841.91998 594.95996]" in pdf.read_bytes()
            page.emulate_media(media="screen")

            # every page from the sidebar: the filters of the link stay on each of them
            for path, (link, title) in PAGES.items():
                nav = page.get_by_test_id("stSidebarNav")
                nav.get_by_role("link", name=i18n.t(link, "zh")).click()
                _title_is(page, i18n.t(title, "zh"))
                _settle(page)
                assert page.url.startswith(f"{url}/{path}?"), page.url
                assert FILTERED in page.url
                page.screenshot(path=str(ARTIFACTS / f"{path}.png"), full_page=True)

            # the language switch: English on this page and the next, and in the URL
            page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
            _title_is(page, i18n.t(list(PAGES.values())[-1][1], "en"))
            _settle(page)
            assert "lang=en" in page.url
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
            _title_is(page, "Volunteer activity overview")
            page.wait_for_function(f"{TILES_JS} === {FILTERED_TILES!r}", timeout=RENDER_TIMEOUT_MS)
            _settle(page)
            page.screenshot(path=str(ARTIFACTS / "overview-en.png"), full_page=True)
        finally:
            browser.close()
    assert console_errors == [], console_errors


# what a name from data would have made of itself if it were rendered as Markdown or
# HTML: a link or image element pointing away, or a request to one of these hosts
FOREIGN_ELEMENTS_JS = """() => {
  const here = location.host;
  const away = (url) => { try { return new URL(url, location.href).host !== here; }
                          catch (e) { return true; } };
  return [
    ...[...document.querySelectorAll('a')]
      .map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '')
      .filter(href => href && !href.startsWith('#') && away(href))
      .map(href => 'a ' + href),
    ...[...document.querySelectorAll('img, image')]
      .map(i => i.getAttribute('src') || i.getAttribute('href') || '')
      .filter(src => src && !src.startsWith('data:') && away(src))
      .map(src => 'img ' + src),
    ...[...document.querySelectorAll('[data-testid=stMain] b, [data-testid=stMain] strong')]
      .map(b => 'bold ' + b.textContent),
  ];
}"""
HOSTILE_HOSTS = ("evil.example", "127.0.0.1:9")


def test_names_from_data_make_no_link_image_or_request(
    hostile_names: Warehouse, tmp_path: Path
) -> None:
    """Every page on the hostile-names snapshot, with its districts and school chosen, a
    person picked: no <a> or <img> element comes of a name and no request leaves for
    the hosts the names point at (tests/fixtures/valid/hostile_names_inbox/README.md)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make setup` (apt-get install chromium)")
    requests: list[str] = []
    found: dict[str, list[str]] = {}
    with (
        dashboard_server(hostile_names, tmp_path / "streamlit.log") as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            page.on(
                "request",
                lambda request: (
                    requests.append(request.url)
                    if any(host in request.url for host in HOSTILE_HOSTS)
                    else None
                ),
            )
            query = "district=D01&district=D02&org=S01&org=S02"
            for path in ("", *PAGES):
                page.goto(f"{url}/{path}?{query}", wait_until="domcontentloaded")
                page.wait_for_function(
                    "() => document.querySelectorAll('h1').length > 0", timeout=RENDER_TIMEOUT_MS
                )
                _settle(page)
                if path == "people":  # the picked person's history names them in a caption
                    page.get_by_test_id("stSelectbox").last.click()
                    page.get_by_role("option").first.click()
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                        ".some(c => c.innerText.includes('张三'))",
                        timeout=RENDER_TIMEOUT_MS,
                    )
                    _settle(page)
                found[path or "overview"] = page.evaluate(FOREIGN_ELEMENTS_JS)
            # the names are there, as text: in the filters line and in a chart's labels
            page.goto(f"{url}/?{query}&lang=en", wait_until="domcontentloaded")
            page.wait_for_function(
                "() => document.querySelectorAll('h1').length > 0", timeout=RENDER_TIMEOUT_MS
            )
            _settle(page)
            caption = page.get_by_test_id("stCaptionContainer").first.inner_text()
            svg_text = page.locator("[data-testid=stPlotlyChart] .main-svg").all_text_contents()
        finally:
            browser.close()
    assert found == {name: [] for name in ("overview", *PAGES)}
    assert requests == []
    # as the reader sees it (the browser shows runs of spaces as one; word joiners are
    # invisible)
    assert " ".join(caption.replace("\u2060", "").split()) == (
        "Period: Jan 2025 – Feb 2025 Districts: [登录](http://evil.example) "
        "![t](http://127.0.0.1:9/t.png), <b>粗体</b><a href='http://evil.example'>链接</a> "
        "Organizations: **学校** [登录](http://evil.example) (S01), "
        ":red[红] $x^2$ www.evil.example (S02)"
    )
    assert any("<b>粗体</b><a href='http://evil.example'>链接</a>" in text for text in svg_text)
