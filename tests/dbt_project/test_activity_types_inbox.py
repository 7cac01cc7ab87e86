"""An activity types file in the inbox, merged with seeds/activity_types.csv by the
models: a new type and its alias map a label that fell to `other`, a type of the
seed's code replaces the seed's row (its category too), and every list of types
(dim_activity_types, the dashboard's query) shows the merged set.

On the first-slice inbox (tests/fixtures/valid/first_slice_inbox/README.md): s01 line
24 is 植树活动, 120 approved minutes at O01, a label no seed type knows; s01 line 3 is
便民利民 (community_convenience, volunteer_service), 8:30 to 11:00, 150 approved
minutes, the only session of its type."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_warehouse

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
TYPES = (
    "类型编码,类型名称,英文名称,类型类别,别名\n"
    "tree_planting,植树,Tree planting,志愿服务,植树活动\n"
    "community_convenience,便民利民,Community convenience services,学习培训,便民服务\n"
)
SEED_TYPES = 18  # rows of seeds/activity_types.csv
VOLUNTEER_MINUTES = (
    "select coalesce(sum(session_minutes), 0) from fct_volunteer_sessions "
    "where status = 'approved' and activity_category = 'volunteer_service'"
)
SESSION = (
    "select activity_type_code, activity_category, session_minutes from fct_volunteer_sessions "
    "where activity_type_label = ?"
)


def test_a_types_file_adds_and_replaces_types_in_every_list(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    (before,) = warehouse.query(VOLUNTEER_MINUTES)[0]
    assert warehouse.query(SESSION, ["植树活动"]) == [("other", "other", 120)]
    assert warehouse.query("select activity_type_label from dq_unmapped_activity_labels") == [
        ("植树活动",)
    ]

    (warehouse.inbox / "activity_types.csv").write_text(TYPES, encoding="utf-8")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")  # a new types batch: the sessions are matched again

    assert warehouse.query(SESSION, ["植树活动"]) == [("tree_planting", "volunteer_service", 120)]
    assert warehouse.query(SESSION, ["便民利民"]) == [
        ("community_convenience", "study_training", 150)
    ]
    # 120 minutes come into volunteer service, 150 leave it
    assert warehouse.query(VOLUNTEER_MINUTES) == [(before + 120 - 150,)]
    assert warehouse.query("select * from dq_unmapped_activity_labels") == []
    assert warehouse.query(
        "select activity_type_code, name_zh, name_en, activity_category, aliases "
        "from dim_activity_types where activity_type_code in (?, ?) order by 1",
        ["community_convenience", "tree_planting"],
    ) == [
        # the seed's row replaced whole: its alias 利民服务 is gone with it
        (
            "community_convenience",
            "便民利民",
            "Community convenience services",
            "study_training",
            "便民服务",
        ),
        ("tree_planting", "植树", "Tree planting", "volunteer_service", "植树活动"),
    ]
    # the dashboard's list of types reads the published dimension
    listed = warehouse.query(
        (REPO / "dashboard" / "queries" / "sql" / "activity_types.sql").read_text(encoding="utf-8")
    )
    assert len(listed) == SEED_TYPES + 1 + 2  # the seed's, tree_planting, other and unknown
    assert ("tree_planting", "植树", "Tree planting", "volunteer_service") in listed
