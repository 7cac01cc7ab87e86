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
