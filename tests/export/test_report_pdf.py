"""The district report's headings that name types: from the seeds."""

from __future__ import annotations

from export.report_pdf import compliance_columns


def test_the_compliance_columns_follow_the_cadence_seed() -> None:
    # monthly types first, as cadence_targets lists them; a quarterly one says so
    assert compliance_columns() == (
        ("activity_day", "党员活动日"),
        ("committee_meeting", "支委会"),
        ("group_meeting", "党小组会"),
        ("member_meeting", "支部党员大会\n(每季度)"),
        ("party_lecture", "党课\n(每季度)"),
    )
