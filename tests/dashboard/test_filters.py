"""The shared sidebar filters: the URL's query parameters, checked and applied.

Expected figures from tests/fixtures/valid/first_slice_inbox (sessions and roster in
test_overview.py's docstring).
"""

from __future__ import annotations

import pytest

from dashboard import filters
from tests.conftest import Warehouse
from tests.dashboard.pages import rerun, run_page, widget

OFFER = filters.Offer(
    months=("2025-01", "2025-02", "2025-03"),
    districts=("D01", "D02", "D03", "unknown"),
    organizations=("S01", "B011", "B012", "S02", "O01", "unknown"),
    person_types=("applicant", "member", "staff", "student", "unknown"),
    categories=("organizational_life", "study_training", "volunteer_service", "other"),
)


def test_a_link_gives_back_its_choice() -> None:
    choice = filters.Choice("2025-02", "2025-03", ("D01",), ("B012",), ("member",), ("other",))
    params = filters.params_of(choice)
    assert params == {
        "from": ["2025-02"],
        "to": ["2025-03"],
        "district": ["D01"],
        "org": ["B012"],
        "ptype": ["member"],
        "cat": ["other"],
    }
    assert filters.choice_from_params(params, OFFER) == choice


def test_no_parameters_open_the_default_view() -> None:
    assert filters.choice_from_params({}, OFFER) == filters.Choice("2025-01", "2025-03")
    assert filters.params_of(filters.Choice("2025-01", "2025-03")) == {
        "from": ["2025-01"],
        "to": ["2025-03"],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # not a month, or a month the snapshot does not hold: the default range
        ({"from": ["2025-13"], "to": ["2025-03"]}, filters.Choice("2025-01", "2025-03")),
        ({"from": ["1999-01"], "to": ["2025-02"]}, filters.Choice("2025-01", "2025-03")),
        ({"from": ["2025-03"], "to": ["2025-01"]}, filters.Choice("2025-01", "2025-03")),
        ({"from": ["'; drop table x; --"]}, filters.Choice("2025-01", "2025-03")),
        # unknown codes are dropped, known ones kept, repeats once
        (
            {"district": ["D01') or true --", "D02", "D02"], "ptype": ["root"]},
            filters.Choice("2025-01", "2025-03", ("D02",)),
        ),
        (
            {"org": ["../../etc/passwd"], "cat": ["x" * 10_000]},
            filters.Choice("2025-01", "2025-03"),
        ),
    ],
)
def test_hostile_or_stale_values_are_ignored(params: dict, expected: filters.Choice) -> None:
    assert filters.choice_from_params(params, OFFER) == expected


@pytest.mark.integration
def test_the_url_sets_the_filters_on_every_page(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # February-March, D01, party members: s01 5 (T001, 180 min) = 3.00 h, 1 person-time,
    # 1 volunteer; members on D01's roster then: T001 (T003 left on 2025-01-31), active
    # -> 100.0%. Activities held have no person type: "—".
    query = {"from": "2025-02", "to": "2025-03", "district": "D01", "ptype": "member"}
    at = run_page(first_slice.root, monkeypatch, "overview", query=query)
    assert [m.value for m in at.metric] == ["3.00", "1", "1", "100.0%", "—"]
    assert at.sidebar.select_slider[0].value == ("2025-02", "2025-03")
    assert widget(at.sidebar, "multiselect", "filters.districts").value == ["D01"]
    assert at.caption[0].value == (
        "统计期间：2025年2月 – 2025年3月　区域：城东协作区　人员类别：党员"
    )
    # a filter picked in the sidebar goes into the URL, so the link reproduces it
    widget(at.sidebar, "multiselect", "filters.organizations").set_value(["B011"])
    rerun(at)
    assert at.query_params["org"] == "B011"
    assert at.query_params["district"] == "D01"


@pytest.mark.integration
def test_a_hostile_url_is_ignored_not_run(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only ptype=member survives: party members over the whole range, every district:
    # T001 360 + T003 90 + T006 120 = 570 min = 9.50 h, 5 person-times, 3 volunteers;
    # members on the roster T001 T003 T006 (T007 is probationary), all active -> 100.0%;
    # activities held "—" (a person type is chosen).
    query = {
        "from": "2025-13",
        "to": "x",
        "district": ["D01') or 1=1 --", "nowhere"],
        "org": "S01' union select * from dim_people --",
        "ptype": "member",
        "cat": "<script>",
    }
    at = run_page(first_slice.root, monkeypatch, "overview", query=query)
    assert [m.value for m in at.metric] == ["9.50", "5", "3", "100.0%", "—"]
    assert at.query_params["from"] == "2025-01"
    assert "district" not in at.query_params


@pytest.mark.integration
@pytest.mark.parametrize(
    ("widget_key", "value", "expected"),
    [
        # S01 brings its branches B011 and B012: all of D01, 10.05 h, 5, 3, 3 of 4; each
        # session an activity of its own (test_overview.py): 5 held
        ("filters.organizations", ["S01"], ["10.05", "5", "3", "75.0%", "5"]),
        # B012: s01 4 and gb 3 = 153 min, T003 T002; roster T003 T008, T003 active
        ("filters.organizations", ["B012"], ["2.55", "2", "2", "50.0%", "2"]),
        # study and training: gb 5 (T005, 180 min); participation ignores the category
        ("filters.categories", ["study_training"], ["3.00", "1", "1", "75.0%", "1"]),
    ],
)
def test_organization_and_category_filters(
    first_slice: Warehouse,
    monkeypatch: pytest.MonkeyPatch,
    widget_key: str,
    value: list[str],
    expected: list[str],
) -> None:
    at = run_page(first_slice.root, monkeypatch, "overview")
    widget(at.sidebar, "multiselect", widget_key).set_value(value)
    rerun(at)
    assert [m.value for m in at.metric] == expected


@pytest.mark.integration
def test_the_choice_follows_the_reader_to_another_page(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")  # no users file here: open demo mode, asked for
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    widget(at.sidebar, "multiselect", "filters.districts").set_value(["D02"])
    rerun(at)
    at.switch_page("pages/districts.py")
    rerun(at)
    assert at.title[0].value == "区域对比"
    assert widget(at.sidebar, "multiselect", "filters.districts").value == ["D02"]
    assert at.caption[0].value == "统计期间：2025年1月 – 2025年3月　区域：城西协作区"


def test_a_reversed_period_is_read_the_right_way_round_and_said() -> None:
    choice, ignored = filters.read_params({"from": ["2025-03"], "to": ["2025-02"]}, OFFER)
    assert choice == filters.Choice("2025-02", "2025-03")
    assert ignored == (filters.Ignored("from/to", ("2025-03", "2025-02"), "reversed"),)


def test_every_value_a_link_could_not_use_is_named() -> None:
    params = {
        "from": ["2025-13"],
        "to": ["2025-02"],
        "district": ["D01", "D99", "D99"],
        "ptype": ["root"],
        "cat": ["other"],
    }
    choice, ignored = filters.read_params(params, OFFER)
    # a bad month: the default period (all three months); D99 named once
    assert choice == filters.Choice("2025-01", "2025-03", ("D01",), (), (), ("other",))
    assert ignored == (
        filters.Ignored("from", ("2025-13",), "month"),
        filters.Ignored("district", ("D99",), "unknown"),
        filters.Ignored("ptype", ("root",), "unknown"),
    )
    assert filters.read_params({"from": ["2025-01"], "to": ["2025-02"]}, OFFER)[1] == ()


def test_a_lone_end_before_the_default_start_is_not_a_reversed_period() -> None:
    offer = filters.Offer((*(f"2024-{m:02d}" for m in range(1, 13)), "2025-01"), (), (), (), ())
    # the default period is the last 12 months, 2024-02 to 2025-01: only `to` given,
    # earlier than that start, opens on that one month, and nothing was ignored
    assert filters.read_params({"to": ["2024-01"]}, offer) == (
        filters.Choice("2024-01", "2024-01"),
        (),
    )
    assert filters.read_params({"to": ["2024-06"]}, offer)[0] == filters.Choice(
        "2024-02", "2024-06"
    )


W = "\u2060"  # the word joiner escape.markdown puts before "-" and "."


def link_notes(at) -> list[str]:
    """The page's note on the link's values (open demo mode has a warning of its own)."""
    return [w.value for w in at.warning if w.icon == ":material/link_off:"]


@pytest.mark.integration
def test_a_reversed_period_in_the_url_is_said_on_the_page(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = {"from": "2025-03", "to": "2025-02"}
    at = run_page(first_slice.root, monkeypatch, "overview", query=query)
    assert at.caption[0].value == "统计期间：2025年2月 – 2025年3月　区域：全部区域"
    assert link_notes(at) == [
        f"链接中的统计期间起止颠倒（from=“2025{W}\\-03”，to=“2025{W}\\-02”），"
        "已按 2025年2月 – 2025年3月 显示。"
    ]
    assert (at.query_params["from"], at.query_params["to"]) == ("2025-02", "2025-03")
    en = run_page(first_slice.root, monkeypatch, "overview", lang="en", query=query)
    assert link_notes(en) == [
        f"The link's period was reversed (from=“2025{W}\\-03”, to=“2025{W}\\-02”): "
        "shown as Feb 2025 – Mar 2025."
    ]


@pytest.mark.integration
def test_unknown_values_in_the_url_are_named_as_text_until_a_filter_changes(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # D99 is no district; "<b>x</b>" is shown as those characters (every mark escaped);
    # S02 is in D02, not in the link's D01: dropped too. 41 characters are cut to 40.
    query = {
        "from": "2024-12",
        "district": ["D01", "D99", "<b>x</b>"],
        "org": "S02",
        "cat": "c" * 41,
    }
    at = run_page(first_slice.root, monkeypatch, "overview", query=query)
    (warning,) = link_notes(at)
    assert warning.split("  \n") == [
        f"链接参数 from 的值 “2024{W}\\-12” 不是有数据的月份，已忽略；"
        "改用统计期间：2025年1月 – 2025年3月。",
        "链接参数 district 的值 “D99”、“\\<b\\>x\\<\\/b\\>” 不在数据或您的查看范围内，"
        "已忽略；改用：城东协作区。",
        f"链接参数 cat 的值 “{'c' * 40}…” 不在数据或您的查看范围内，已忽略；改用：全部。",
        "链接参数 org 的值 “S02” 不在数据或您的查看范围内，已忽略；改用：全部。",
    ]
    widget(at.sidebar, "multiselect", "filters.person_types").set_value(["member"])
    rerun(at)
    assert link_notes(at) == []


@pytest.mark.integration
def test_an_unknown_language_in_the_url_is_said(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    at.query_params["lang"] = "fr"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "志愿服务总览"
    assert link_notes(at) == ["链接参数 lang 的值 “fr” 不是看板的语言，已忽略；改用：中文。"]


@pytest.mark.integration
def test_the_months_follow_the_reader_to_another_page_and_back(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slider's value is the stored choice given as its default (never written
    into its key): each page's slider starts from it, and back on the first page the
    slider there does not keep a value of its own from before."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    monkeypatch.setenv("WAREHOUSE_DIR", str(first_slice.root))
    monkeypatch.setenv("DASHBOARD_OPEN", "1")
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)
    rerun(at)
    at.sidebar.select_slider[0].set_range("2025-02", "2025-03")
    rerun(at)
    at.switch_page("pages/districts.py")
    rerun(at)
    assert at.sidebar.select_slider[0].value == ("2025-02", "2025-03")
    at.sidebar.select_slider[0].set_range("2025-03", "2025-03")
    rerun(at)
    at.switch_page("pages/overview.py")
    rerun(at)
    assert at.sidebar.select_slider[0].value == ("2025-03", "2025-03")
    assert at.caption[0].value == "统计期间：2025年3月　区域：全部区域"
