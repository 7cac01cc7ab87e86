"""The pieces of the printed page that need no browser: a table's plain HTML copy and
the text of the sheets' margins, with names from data that are markup."""

from __future__ import annotations

import pandas as pd

from dashboard import escape, layout


def test_print_table_is_every_row_and_column_as_text() -> None:
    frame = pd.DataFrame(
        {
            "单位": ["<b>粗体</b>", 'a "q" & b'],
            "时长（小时）": ["1,234.50", "—"],
            "参与率": ["75.0%", "1.2万"],
            "月份": ["2025年3月", "2025年4月"],
        }
    )
    assert layout.print_table(frame) == (
        '<div class="print-only"><table class="print-table"><thead><tr>'
        "<th>单位</th>"
        '<th class="number">时长（小时）</th>'
        '<th class="number">参与率</th>'
        "<th>月份</th>"
        "</tr></thead><tbody>"
        "<tr><td>&lt;b&gt;粗体&lt;/b&gt;</td>"
        '<td class="number">1,234.50</td><td class="number">75.0%</td><td>2025年3月</td></tr>'
        "<tr><td>a &quot;q&quot; &amp; b</td>"
        '<td class="number">—</td><td class="number">1.2万</td><td>2025年4月</td></tr>'
        "</tbody></table></div>"
    )


def test_print_table_of_no_rows_keeps_its_header() -> None:
    frame = pd.DataFrame({"单位": [], "人次": []})
    assert layout.print_table(frame) == (
        '<div class="print-only"><table class="print-table"><thead><tr>'
        "<th>单位</th><th>人次</th></tr></thead><tbody></tbody></table></div>"
    )


def test_css_string_cannot_end_the_string_or_the_style_sheet() -> None:
    # quote, backslash, "<" and "/" as hex escapes (each ended by one space), a line
    # break as a space; letters, digits, spaces and Chinese as they are
    assert escape.css_string('区域"x\\</style>\n2') == '"区域\\22 x\\5c \\3c \\2f style\\3e  2"'
    assert escape.css_string("统计期间：2025年1月 – 2025年3月") == (
        '"统计期间：2025年1月 – 2025年3月"'
    )


def _long_table_page() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard import layout

    rows = st.session_state.get("rows", 201)
    frame = pd.DataFrame({"文件": [f"f{n:03}.csv" for n in range(rows)]})
    layout.table(frame, "long", "zh")
    layout.print_all_switch("zh")


def test_a_long_table_prints_its_first_rows_until_the_print_version_is_on() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_long_table_page).run()
    (copy,) = at.get("html")
    # 201 rows: the first 200 (f000 … f199) and the sentence, not f200
    assert copy.proto.body.count("<tr>") == 1 + 200
    assert "<td>f199.csv</td>" in copy.proto.body
    assert "f200.csv" not in copy.proto.body
    assert copy.proto.body.endswith(
        '<p class="print-only">本表共 201 行，此处打印前 200 行；'
        "打开侧栏的“打印版：打印完整列表”后再打印可得全表。</p>"
    )
    (switch,) = at.sidebar.toggle
    assert switch.label == "打印版：打印完整列表" and switch.value is False

    switch.set_value(True).run()
    (copy,) = at.get("html")
    assert copy.proto.body.count("<tr>") == 1 + 201 and "<td>f200.csv</td>" in copy.proto.body
    assert 'print-only">本表' not in copy.proto.body


def test_a_table_of_print_rows_prints_whole_without_the_switch() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_long_table_page)
    at.session_state["rows"] = 200
    at.run()
    (copy,) = at.get("html")
    assert copy.proto.body.count("<tr>") == 1 + 200 and "<td>f199.csv</td>" in copy.proto.body
    assert "本表共" not in copy.proto.body
    assert len(at.sidebar.toggle) == 0
