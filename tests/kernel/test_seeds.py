"""Type names come from the seeds: organization types (with the two types the models
give that the seed does not list), activity types and the 三会一课 cadences."""

from __future__ import annotations

import pytest

from kernel import seeds


def test_organization_types_are_the_seeds_and_the_models_fallbacks() -> None:
    assert seeds.organization_type_names("zh") == {
        "other": "其他",
        "unknown": "未知",
        "school": "学校",
        "branch": "党支部",
        "office": "机关",
    }
    assert seeds.organization_type_names("en")["branch"] == "Branch"


def test_the_seed_names_win_over_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    other = {"org_type_code": "other", "name_zh": "其它单位", "name_en": "Other unit"}
    rows = (*seeds.rows("organization_types"), other)
    monkeypatch.setattr(seeds, "rows", lambda seed: rows)
    assert seeds.organization_type_names("zh")["other"] == "其它单位"


def test_activity_types_and_cadences_in_the_seeds_order() -> None:
    assert seeds.activity_type_names("zh")["activity_day"] == "党员活动日"
    assert seeds.activity_type_names("en")["party_lecture"] == "Party lecture"
    assert seeds.cadences() == {
        "activity_day": "monthly",
        "committee_meeting": "monthly",
        "group_meeting": "monthly",
        "member_meeting": "quarterly",
        "party_lecture": "quarterly",
    }
