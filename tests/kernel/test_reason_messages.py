"""Reject messages as a reader sees them (``kernel.reasons.message``): in Chinese or
English (DESIGN.md, "Validation": ``--lang zh|en``), a date written with slashes and
the year last told how a mapping reads it, and the hours quoted as the cell has them."""

from __future__ import annotations

import pytest

from kernel.reasons import date_hint, message

US_HINT_EN = '; looks like MM/DD/YYYY: add `formats: {activity_date: "%m/%d/%Y"}` to the mapping'
US_HINT_ZH = '；看起来是 MM/DD/YYYY 格式：请在映射文件中加上 `formats: {activity_date: "%m/%d/%Y"}`'


@pytest.mark.parametrize("value", ["01/31/2023", "1/5/2023", "12/1/2024"])
def test_a_us_date_is_told_the_format_that_reads_it(value: str) -> None:
    assert message("bad_date", "Date", value, "en") == (
        f"column Date: '{value}' is not a real date; write it as 2025-03-05{US_HINT_EN}"
    )
    assert message("bad_date", "日期", value, "zh") == (
        f"“日期”列：“{value}”不是有效日期，请写成 2025-03-05{US_HINT_ZH}"
    )


def test_a_day_first_date_that_cannot_be_month_first_is_told_so() -> None:
    # 31 is no month, so 31/01/2023 can only be the 31st of January
    assert date_hint("31/01/2023", "en") == (
        '; looks like DD/MM/YYYY: add `formats: {activity_date: "%d/%m/%Y"}` to the mapping'
    )


@pytest.mark.parametrize(
    "value",
    [
        "13/13/2023",  # no month either way
        "02/30/2023",  # 30 February month first, month 30 day first
        "2025-02-30",  # the contract's own order: nothing to declare
        "01/31/23",  # a two-digit year: not the shape the hint names
        "三月五日",
        None,
    ],
)
def test_other_bad_dates_get_the_plain_message(value: str | None) -> None:
    assert date_hint(value, "en") == ""
    assert date_hint(value, "zh") == ""


def test_only_bad_date_gets_the_hint() -> None:
    assert message("date_out_of_range", "日期", "01/31/2023", "en") == (
        "column 日期: '01/31/2023' is before 2000-01-01 or in the future; check the year"
    )


@pytest.mark.parametrize(
    ("code", "value", "en", "zh"),
    [
        (
            "bad_hours",
            "2,5",
            "column 时长: '2,5' is not a number; write hours as 2.5",
            "“时长”列：“2,5”不是数字，时长请写成 2.5",
        ),
        (
            "hours_out_of_range",
            "25小时",
            "column 时长: '25小时' is out of range: a session lasts more than 0 and at most "
            "24 hours (1,440 minutes); in an event summary, each participant's hours",
            "“时长”列：“25小时”超出范围：一次活动的时长须大于 0、不超过 24 小时（1440 分钟）；"
            "活动汇总表按每位参与者计",
        ),
    ],
)
def test_hours_messages_quote_the_value_in_both_languages(
    code: str, value: str, en: str, zh: str
) -> None:
    assert message(code, "时长", value, "en") == en
    assert message(code, "时长", value, "zh") == zh


def test_a_reject_from_a_lake_that_lost_its_batch_still_reads_as_a_sentence() -> None:
    """An earlier release stored a reject's message in English; a migrated snapshot
    keeps only its reason, and '' for the column and value when the lake no longer
    holds the batch (publish.migrate): the message is written in the reader's language
    without naming them."""
    assert message("bad_date", "", "", "zh") == "某一列：“…”不是有效日期，请写成 2025-03-05"
    assert (
        message("bad_date", "", "", "en")
        == "a column: '…' is not a real date; write it as 2025-03-05"
    )
    assert message("missing_hours", "", "", "zh") == (
        "缺少时长：请填写某一列，或同时填写开始和结束时间"
    )


def test_table_figures_are_written_in_full_in_either_language() -> None:
    """A table column never mixes 1.2万 with 9,876: counts grouped by thousands and
    hours with 2 decimals, whatever the language (tiles and charts keep 万)."""
    from kernel.formatting import format_count, table_count, table_hours

    assert [table_count(n) for n in (7, 9_876, 12_345, 123_456_789)] == [
        "7",
        "9,876",
        "12,345",
        "123,456,789",
    ]
    # 363,630 min = 6,060.5 h; 600,000 min = 10,000 h; 1 min = 0.0166.. h -> 0.02
    assert [table_hours(m) for m in (363_630, 600_000, 1)] == ["6,060.50", "10,000.00", "0.02"]
    assert format_count(12_345, "zh") == "1.2万"  # what a tile shows
