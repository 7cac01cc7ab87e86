"""Names from data are shown as text, never as Markdown or HTML.

The names are those of ``tests/fixtures/valid/hostile_names_inbox`` (its README says
what each one tries). Chart builders get them escaped for Plotly's HTML subset, with
the exact strings worked out by hand below; every page, run with AppTest on a snapshot
built from that inbox, gives Streamlit's Markdown only escaped names. The browser test
(``test_browser.py``) checks that no link, image or request comes of them.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard import charts
from tests.conftest import Warehouse
from tests.dashboard.pages import rerun, run_page, widget

WJ = "\u2060"  # the word joiner that keeps Streamlit from linking addresses

# the names as the inbox gives them
LINK = "[登录](http://evil.example) ![t](http://127.0.0.1:9/t.png)"  # district D01
TAGS = "<b>粗体</b><a href='http://evil.example'>链接</a>"  # district D02
SCHOOL = "**学校** [登录](http://evil.example)"  # school S01
BRANCH = "<img src='http://127.0.0.1:9/i.png'>支部<a href='http://evil.example'>链接</a>"
PERSON = "[张三](http://evil.example)"  # T001

# ... as Plotly must get them: < > & as entities, nothing else changed
TAGS_HTML = "&lt;b&gt;粗体&lt;/b&gt;&lt;a href='http://evil.example'&gt;链接&lt;/a&gt;"
BRANCH_HTML = "&lt;img src='http://127.0.0.1:9/i.png'&gt;支部&lt;a href='http://evil.example'&gt;链接&lt;/a&gt;"

# ... as Markdown must get them: every ASCII punctuation mark behind a backslash, a word
# joiner (~ below) after : and before . (so no autolink can form)
LINK_MD = (
    r"\[登录\]\(http\:~\/\/evil~\.example\) \!\[t\]\(http\:~\/\/127~\.0~\.0~\.1\:~9\/t~\.png\)"
).replace("~", WJ)
TAGS_MD = r"\<b\>粗体\<\/b\>\<a href~\=\'http\:~\/\/evil~\.example\'\>链接\<\/a\>".replace("~", WJ)
SCHOOL_MD = r"\*\*学校\*\* \[登录\]\(http\:~\/\/evil~\.example\)".replace("~", WJ)
PERSON_MD = r"\[张三\]\(http\:~\/\/evil~\.example\)".replace("~", WJ)


# -- chart builders -----------------------------------------------------------------

BY_DISTRICT = pd.DataFrame(
    {
        "district_code": ["D01", "D02"],
        "district_name": [LINK, TAGS],
        "total_minutes": [300, 150],
        "hours": [5.0, 2.5],
        "person_times": [2, 1],
        "volunteers": [1, 1],
        "roster_size": [1, 1],
        "active_members": [1, 1],
    }
)


def test_district_names_reach_every_district_chart_escaped() -> None:
    # Plotly has no Markdown: LINK is plain text there; TAGS would be bold and a link
    names = [LINK, TAGS_HTML]
    assert list(charts.hours_by_district(BY_DISTRICT).data[0].y) == names
    assert list(charts.district_ranking(BY_DISTRICT, "total_hours").data[0].y) == names
    this_year = charts.year_over_year(BY_DISTRICT, BY_DISTRICT.iloc[0:0], "en")
    assert [list(bars.y) for bars in this_year.data] == [names, names]
    assert [list(bars.y) for bars in charts.participation(BY_DISTRICT).data] == [names, names]
    months = pd.DataFrame(
        {
            "district_code": ["D01", "D02"],
            "district_name": [LINK, TAGS],
            "month": ["2025-01", "2025-01"],
            "total_minutes": [300, 150],
            "hours": [5.0, 2.5],
            "person_times": [2, 1],
            "volunteers": [1, 1],
        }
    )
    assert list(charts.district_heatmap(months, "total_hours").data[0].y) == names


def test_unit_names_reach_the_compliance_grid_escaped() -> None:
    frame = pd.DataFrame(
        {
            "org_code": ["B011", "S02"],
            "org_name": [BRANCH, "A & B <i>"],
            "district_code": ["D01", "D02"],
            "activity_type_code": ["activity_day"] * 2,
            "cadence": ["monthly"] * 2,
            "period": ["2025-01"] * 2,
            "meetings_held": [1, 0],
            "min_meetings_held": [1] * 2,
            "compliance_status": ["met", "missed"],
        }
    )
    figure = charts.compliance_grid(frame, "activity_day")
    assert list(figure.data[0].y) == [BRANCH_HTML, "A &amp; B &lt;i&gt;"]


def test_quota_rows_carry_the_district_name_escaped() -> None:
    frame = pd.DataFrame(
        {
            "district_code": ["D02"],
            "district_name": [TAGS],
            "year": [2025],
            "quota_code": ["<b>q</b>"],  # a quota the translations do not know: its code
            "people_in_scope": [2],
            "people_meeting": [1],
        }
    )
    figure = charts.quota_attainment(frame, "en")
    assert list(figure.data[0].y) == [f"{TAGS_HTML} 2025 &lt;b&gt;q&lt;/b&gt;"]


def test_communities_types_categories_and_reasons_reach_their_charts_escaped() -> None:
    served = pd.DataFrame(
        {
            "community": ["<a href='http://evil.example'>幸福社区</a>"],
            "organizations": [1],
            "person_times": [1],
            "total_minutes": [180],
            "hours": [3.0],
        }
    )
    assert list(charts.communities(served).data[0].y) == [
        "&lt;a href='http://evil.example'&gt;幸福社区&lt;/a&gt;"
    ]
    months = pd.DataFrame(
        {
            "month": ["2025-02"],
            "activity_type_code": ["tree"],
            "activity_category": ["<i>cat</i>"],
            "person_times": [1],
            "total_minutes": [90],
            "hours": [1.5],
        }
    )
    types = charts.type_trend(months, {"tree": "<b>植树</b>"})
    assert [bars.name for bars in types.data] == ["&lt;b&gt;植树&lt;/b&gt;"]
    categories = charts.category_trend(months)  # a category the translations do not know
    assert [bars.name for bars in categories.data] == ["&lt;i&gt;cat&lt;/i&gt;"]
    by_category = pd.DataFrame(
        {"activity_category": ["<i>cat</i>"], "total_minutes": [90], "hours": [1.5]}
    )
    assert list(charts.hours_by_category(by_category).data[0].y) == ["&lt;i&gt;cat&lt;/i&gt;"]
    rejects = pd.DataFrame({"reason_code": ["<b>new_reason</b>"], "rejected_rows": [2]})
    assert list(charts.rejects_by_reason(rejects).data[0].y) == ["&lt;b&gt;new_reason&lt;/b&gt;"]


# -- every page, on a snapshot holding those names -----------------------------------

_LINK_OR_IMAGE = re.compile(r"(?<!\\)!?\[[^\]]*(?<!\\)\]\(")  # [text]( or ![text](
_TAG = re.compile(r"(?<!\\)<(a|b|img)\b", re.IGNORECASE)
_RAW = (LINK, TAGS, SCHOOL, BRANCH, PERSON)


def _markdown_texts(at) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown: bodies, and the labels
    of widgets and tiles (labels take links and images too)."""
    texts = [
        element.value
        for kind in ("title", "header", "subheader", "caption", "markdown")
        for element in getattr(at, kind)
    ]
    texts += [
        element.value
        for kind in ("info", "warning", "error", "success")
        for element in at.get(kind)
    ]
    for kind in ("button", "selectbox", "multiselect", "radio", "toggle", "text_input"):
        texts += [element.label for element in getattr(at, kind)]
    texts += [element.label for element in at.get("download_button")]
    texts += [metric.label for metric in at.metric]
    texts += [option for radio in at.radio for option in radio.options]  # Markdown too
    return texts


def _assert_no_markup(at) -> None:
    for text in _markdown_texts(at):
        assert not _LINK_OR_IMAGE.search(text), text
        assert not _TAG.search(text), text
        assert "://" not in text and "www." not in text, text  # GFM would link them
        assert not any(raw in text for raw in _RAW), text
    for text in _plotly_strings(at):  # Plotly draws <a>, <b> … of its HTML subset
        assert not _TAG.search(text), text


def _plotly_strings(at) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


@pytest.mark.integration
def test_the_filters_line_names_districts_and_units_escaped(
    hostile_names: Warehouse, monkeypatch
) -> None:
    query = {"district": ["D01", "D02"], "org": ["S01"]}
    at = run_page(hostile_names.root, monkeypatch, "overview", lang="en", query=query)
    _assert_no_markup(at)
    # approved sessions in January and February 2025 only (March's is pending)
    assert at.caption[0].value == (
        f"Period: Jan 2025 – Feb 2025   Districts: {LINK_MD}, {TAGS_MD}   "
        rf"Organizations: {SCHOOL_MD} \(S01\)"
    )
    # the chart of hours by district: D01 (S01's branch B011, 5 h), no D02 hour under S01
    charts_by_title = {
        json.loads(chart.proto.spec)["layout"]["title"]["text"]: json.loads(chart.proto.spec)
        for chart in at.get("plotly_chart")
    }
    assert charts_by_title["Hours by district"]["data"][0]["y"] == [LINK]


@pytest.mark.integration
def test_the_units_page_names_the_school_escaped(hostile_names: Warehouse, monkeypatch) -> None:
    at = run_page(hostile_names.root, monkeypatch, "units", lang="en")
    _assert_no_markup(at)
    assert [header.value for header in at.subheader][:2] == [
        "Schools and offices (with their branches)",
        f"Branches of {SCHOOL_MD}",
    ]
    strings = _plotly_strings(at)
    assert BRANCH_HTML in strings  # the compliance grid's row
    assert BRANCH not in strings


@pytest.mark.integration
def test_the_people_page_names_the_person_escaped(hostile_names: Warehouse, monkeypatch) -> None:
    at = run_page(hostile_names.root, monkeypatch, "people", lang="en")
    widget(at, "selectbox", "people.person").select_index(0)
    at = rerun(at)
    _assert_no_markup(at)
    # T001: 2 h on 2025-01-10 and 3 h on 2025-02-14, first on the board
    assert at.caption[-2].value == (rf"\#1 {PERSON_MD}: 5.00 h over 2 sessions (all months)")


COMMUNITY_HTML = "&lt;img src='http://127.0.0.1:9/c.png'&gt;幸福社区"


@pytest.mark.integration
@pytest.mark.parametrize(
    ("page", "escaped"),
    [
        ("districts", TAGS_HTML),  # D02 in the ranking, heatmap and the other charts
        ("activities", COMMUNITY_HTML),  # the community served
        ("data_quality", None),  # names in tables only (no reject, so no chart)
        ("submissions", None),  # names in the grid and the counts only
    ],
    ids=["districts", "activities", "data_quality", "submissions"],
)
def test_other_pages_show_no_markup_from_names(
    hostile_names: Warehouse, monkeypatch, page: str, escaped: str | None
) -> None:
    at = run_page(hostile_names.root, monkeypatch, page, lang="en")
    _assert_no_markup(at)
    strings = _plotly_strings(at)
    if escaped is not None:
        assert escaped in strings


@pytest.mark.integration
def test_the_exports_page_names_the_district_escaped(hostile_names: Warehouse, monkeypatch) -> None:
    at = run_page(hostile_names.root, monkeypatch, "exports", lang="en")
    at.button(key="exports.prepare").click()
    at = rerun(at)
    _assert_no_markup(at)
    assert at.download_button(key="exports.download.report").label == (
        f"Download the {LINK_MD} report"
    )
