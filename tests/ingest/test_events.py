"""Event summaries (活动汇总) and the mapping's ``formats`` and empty ``values``.

The fixtures are ``tests/fixtures/valid/event_summaries`` and ``.../us_dates``; their
READMEs work out every figure asserted here by hand (the tests' today: 2026-01-01).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.headers import detect_kind
from ingest.mapping import MappingError, load_mapping_file

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "fixtures" / "valid" / "event_summaries"
US_DATES = REPO / "tests" / "fixtures" / "valid" / "us_dates"
D = dt.date


def _lake(warehouse, kind: str, batch_id: str, columns: str) -> list[tuple]:
    rows = warehouse.rows(kind, batch_id)
    return [tuple(row[c] for c in columns.split()) for row in rows]


def _rejects(warehouse, batch_id: str) -> list[tuple]:
    return [
        (r["kind"], r["source_line"], r["reason"], r["reason_column"], r["reason_value"])
        for r in warehouse.rejects(batch_id)
    ]


# -- recognised by a headcount and no person ----------------------------------


def test_a_headcount_without_a_person_is_an_event_summary_and_with_one_an_activity_log() -> None:
    summary = {"org_code", "activity_date", "activity_type", "participants", "hours"}
    assert detect_kind(summary) == "events"
    assert detect_kind(summary - {"activity_date"} | {"year", "month"}) == "events"
    for person in ("person_id", "id_number", "phone"):
        assert detect_kind(summary | {person}) == "activity"
    assert detect_kind(summary - {"participants"}) == "activity"
    # a lone 人数 (in a title row) is no header
    assert detect_kind({"participants"}) is None


def test_each_participants_minutes_are_not_read_as_hours() -> None:
    from ingest.headers import canonical_column

    assert canonical_column("人均时长(小时)") == "hours_each"
    assert canonical_column("人均时长(分钟)") is None
    assert canonical_column("总时长(分钟)") == "minutes"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_summary_with_total_hours_lands_its_rows_and_rejects_the_rest(
    warehouse, encoding: str
) -> None:
    text = (EVENTS / "total_hours.csv").read_text(encoding="utf-8")
    (warehouse.inbox / "summary.csv").write_bytes(text.encode(encoding))

    result = warehouse.load_one()

    assert (result.kind, result.outcome, result.rows_read, result.rows_loaded) == (
        "events",
        "loaded",
        10,
        3,
    )
    columns = (
        "source_line org_code org_name activity_date activity_type activity_title location "
        "community participants hours hours_each event_minutes status status_label "
        "is_status_known"
    )
    assert _lake(warehouse, "events", result.batch_id, columns) == [
        (2, "S01", "第一中学", D(2025, 3, 5), "志愿服务", "学雷锋", "社区广场", "东风社区",
         30, Decimal(60), None, 3600, "approved", "已审核", True),
        (3, "S01", "第一中学", D(2025, 3, 12), "党员活动日", "主题党日", "会议室", None,
         12, Decimal("18.5"), None, 1110, "approved", None, True),
        (4, "S02", None, D(2025, 4, 1), "敬老", "重阳敬老", "敬老院", None,
         7, Decimal("10.25"), None, 615, "pending", "待审核", True),
    ]  # fmt: skip
    assert _rejects(warehouse, result.batch_id) == [
        ("events", 5, "bad_participants", "参与人数", "0"),
        ("events", 6, "bad_participants", "参与人数", "2.5"),
        ("events", 7, "hours_out_of_range", "总时长", "50"),
        ("events", 8, "missing_org", "单位编码/单位名称", None),
        ("events", 9, "bad_date", "活动日期", "2025-02-30"),
        ("events", 10, "missing_activity_type", "活动类型", None),
        ("events", 11, "bad_hours", "总时长", "两小时"),
    ]
    assert result.rejects_by_reason == {
        "bad_participants": 2,
        "hours_out_of_range": 1,
        "missing_org": 1,
        "bad_date": 1,
        "missing_activity_type": 1,
        "bad_hours": 1,
    }
    (line,) = warehouse.manifest()
    assert (line["kind"], line["detected"]["encoding"]) == (
        "events",
        "utf-8" if encoding == "utf-8" else "gb18030",
    )


def test_hours_each_are_multiplied_by_the_headcount_and_rounded_once(warehouse) -> None:
    shutil.copyfile(EVENTS / "hours_each.csv", warehouse.inbox / "each.csv")

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("events", 2, 1)
    columns = (
        "source_line org_code org_name activity_date participants hours hours_each event_minutes"
    )
    assert _lake(warehouse, "events", result.batch_id, columns) == [
        (2, None, "第一中学", D(2025, 5, 4), 25, None, Decimal("1.5"), 2250),
        (3, None, "第一中学", D(2025, 5, 10), 3, None, Decimal("2.345"), 422),
    ]
    assert _rejects(warehouse, result.batch_id) == [
        ("events", 4, "hours_out_of_range", "人均时长", "25"),
    ]


def test_a_headcount_too_large_for_its_minutes_is_out_of_range(warehouse) -> None:
    # 50,000,000 people for 1 hour each: 3,000,000,000 minutes, more than an integer
    # (2,147,483,647) holds; 1 hour each is in range, so it is the total that is too large
    warehouse.write(
        "big.csv",
        ["单位编码", "活动日期", "活动类型", "参与人数", "人均时长"],
        [
            ["S01", "2025-03-05", "志愿服务", "50000000", "1"],
            ["S01", "2025-03-05", "志愿服务", "2", "1"],
        ],
    )

    result = warehouse.load_one()

    assert _lake(warehouse, "events", result.batch_id, "source_line event_minutes") == [(3, 120)]
    assert _rejects(warehouse, result.batch_id) == [
        ("events", 2, "hours_out_of_range", "人均时长", "1")
    ]


def test_a_year_and_a_month_without_a_date_are_the_months_first_day(warehouse) -> None:
    shutil.copyfile(EVENTS / "by_month.csv", warehouse.inbox / "months.csv")

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded, result.rows_rejected) == ("events", 2, 3)
    columns = "source_line org_name activity_date activity_title participants hours event_minutes"
    assert _lake(warehouse, "events", result.batch_id, columns) == [
        (2, "第一中学", D(2025, 3, 1), "三月志愿", 40, Decimal(120), 7200),
        (3, "第一中学", D(2025, 11, 1), "十一月志愿", 15, Decimal(30), 1800),
    ]
    assert _rejects(warehouse, result.batch_id) == [
        ("events", 4, "bad_date", "月份", "13"),
        ("events", 5, "missing_date", "年份", None),
        ("events", 6, "date_out_of_range", "年份/月份", "2026-2"),
    ]


def test_the_status_and_the_load_summary_show_the_kind(warehouse, tmp_path: Path) -> None:
    shutil.copyfile(EVENTS / "hours_each.csv", warehouse.inbox / "each.csv")
    env = {
        "PATH": "/usr/bin:/bin",
        "WAREHOUSE_DIR": str(tmp_path / "wh"),
        "WAREHOUSE_SECRET": "x",
        "PYTHONPATH": str(REPO),
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "ingest", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )

    loaded, status = run("--inbox", str(warehouse.inbox), "--verbose"), run("status")

    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines()[1].split() == ["each.csv", "events", "loaded", "3", "2", "1"]
    (batch,) = [line for line in status.stdout.splitlines() if "each.csv" in line]
    assert batch.split()[1:] == ["each.csv", "events", "3", "2", "1", "active"]


def test_a_summary_declared_by_a_mapping_needs_a_headcount(warehouse) -> None:
    warehouse.write(
        "s.csv",
        ["单位编码", "活动日期", "活动类型", "总时长"],
        [["S01", "2025-03-05", "志愿服务", "2"]],
    )
    (warehouse.inbox / "s.mapping.yaml").write_text("kind: events\n", encoding="utf-8")

    result = warehouse.load_one()

    assert result.outcome == "failed"
    assert result.message.startswith(
        "s.csv: no column gives the participants: an event summary (one row per activity "
        "held, with its headcount) needs participants (参与人数) on every row;"
    )


def test_a_mapping_renames_a_headcount_column_of_a_summary(warehouse) -> None:
    warehouse.write(
        "s.csv",
        ["单位编码", "活动日期", "活动类型", "到场", "总时长"],
        [["S01", "2025-03-05", "志愿服务", "8", "4"]],
    )
    (warehouse.inbox / "s.mapping.yaml").write_text(
        "kind: events\nrename: {到场: participants}\n", encoding="utf-8"
    )

    result = warehouse.load_one()

    assert (result.kind, result.rows_loaded) == ("events", 1)
    assert _lake(warehouse, "events", result.batch_id, "participants event_minutes") == [(8, 240)]


# -- a count log with US dates, and mappings that say how a file is written ---------


def _us_inbox(tmp_path: Path, with_mapping: bool) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(US_DATES / "us", inbox / "us")
    if with_mapping:
        shutil.copyfile(US_DATES / "us.mapping.yaml", inbox / "us.mapping.yaml")
    return inbox


def _ingest(inbox: Path, warehouse_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "--inbox", str(inbox), "--lang", "en"],
        cwd=REPO,
        env={
            "PATH": "/usr/bin:/bin",
            "WAREHOUSE_DIR": str(warehouse_dir),
            "WAREHOUSE_SECRET": "x",
            "PYTHONPATH": str(REPO),
        },
        capture_output=True,
        text=True,
    )


def test_us_dates_without_a_mapping_reject_every_row_and_fail_the_file(tmp_path: Path) -> None:
    result = _ingest(_us_inbox(tmp_path, with_mapping=False), tmp_path / "wh")

    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: us/hours_2023.csv: none of its 4 rows could be loaded (bad_date: 4);"
    )


def test_us_dates_load_with_a_format_in_the_mapping(tmp_path: Path) -> None:
    mapping = (US_DATES / "us.mapping.yaml").read_text(encoding="utf-8")
    assert len(mapping.splitlines()) <= 15

    result = _ingest(_us_inbox(tmp_path, with_mapping=True), tmp_path / "wh")

    assert result.returncode == 0, result.stderr
    lake = tmp_path / "wh" / "lake"
    (batch,) = [json.loads(line) for line in (lake / "manifest.jsonl").read_text().splitlines()]
    assert (batch["kind"], batch["rows_loaded"], batch["rows_rejected"]) == ("activity", 3, 1)
    rows = pq.read_table(lake / "activity" / f"{batch['batch_id']}.parquet").to_pylist()
    assert [
        (r["source_line"], r["activity_date"], r["session_minutes"], r["person_name"],
         r["activity_type"])
        for r in rows
    ] == [
        (2, D(2023, 1, 31), 120, "Ann Lee", "支教"),
        (3, D(2023, 2, 1), 90, None, "支教"),
        (4, D(2022, 12, 15), 180, "Ann Lee", "环境保护"),
    ]  # fmt: skip
    (reject,) = pq.read_table(lake / "rejects" / f"{batch['batch_id']}.parquet").to_pylist()
    assert (reject["source_line"], reject["reason"], reject["reason_value"]) == (
        5,
        "bad_date",
        "02/30/2023",
    )


def test_times_in_a_declared_format(warehouse) -> None:
    warehouse.write(
        "times.csv",
        ["人员编号", "组织编码", "活动日期", "开始时间", "结束时间", "活动类型"],
        [
            ["T1", "S01", "2025-03-05", "9:00 AM", "11:30 AM", "党员活动日"],
            ["T2", "S01", "2025-03-05", "1:15 PM", "5:00 PM", "党员活动日"],
            ["T3", "S01", "2025-03-05", "12:30 PM", "01:00 pm", "党员活动日"],
            ["T4", "S01", "2025-03-05", "noon", "1:00 PM", "党员活动日"],
            ["T5", "S01", "2025-03-05", "14:00", "3:00 PM", "党员活动日"],
        ],
    )
    (warehouse.inbox / "times.mapping.yaml").write_text(
        'formats: {start_time: "%I:%M %p", end_time: "%I:%M %p"}\n', encoding="utf-8"
    )

    result = warehouse.load_one()

    # 9:00-11:30 is 150 minutes, 13:15-17:00 225, 12:30-13:00 30
    columns = "source_line start_time end_time session_minutes"
    assert _lake(warehouse, "activity", result.batch_id, columns) == [
        (2, dt.time(9, 0), dt.time(11, 30), 150),
        (3, dt.time(13, 15), dt.time(17, 0), 225),
        (4, dt.time(12, 30), dt.time(13, 0), 30),
    ]
    # `noon` and 24-hour `14:00` are not in the declared format
    assert [r[1:4] for r in _rejects(warehouse, result.batch_id)] == [
        (5, "bad_time", "开始时间"),
        (6, "bad_time", "开始时间"),
    ]


def test_without_the_format_those_times_do_not_read(warehouse) -> None:
    warehouse.write(
        "times.csv",
        ["人员编号", "组织编码", "活动日期", "开始时间", "结束时间", "活动类型"],
        [["T1", "S01", "2025-03-05", "9:00 AM", "11:30 AM", "党员活动日"]],
    )

    result = warehouse.load_one()

    assert (result.outcome, result.rejects_by_reason) == ("failed", {"bad_time": 1})


def test_a_rosters_dates_in_a_declared_format(warehouse) -> None:
    warehouse.write(
        "roster.csv",
        ["人员编号", "人员类别", "组织编码", "加入日期", "离开日期"],
        [
            ["T1", "党员", "S01", "03/15/2020", ""],
            ["T2", "党员", "S01", "03/15/2020", "13/01/2021"],
            ["T3", "党员", "S01", "2020-03-16", "2/1/2024"],
        ],
    )
    (warehouse.inbox / "roster.mapping.yaml").write_text(
        'formats: {joined_date: "%m/%d/%Y", left_date: "%m/%d/%Y"}\n', encoding="utf-8"
    )

    result = warehouse.load_one()

    # 2020-03-16 is how a workbook's own date cell reads: it reads whatever the format
    columns = "source_line joined_date left_date"
    assert _lake(warehouse, "people", result.batch_id, columns) == [
        (2, D(2020, 3, 15), None),
        (4, D(2020, 3, 16), D(2024, 2, 1)),
    ]
    # month 13 is no date in the declared format (nor a day-first one taken for it)
    assert [r[1:5] for r in _rejects(warehouse, result.batch_id)] == [
        (3, "bad_date", "离开日期", "13/01/2021")
    ]


def test_a_label_mapped_to_nothing_empties_the_cell(warehouse) -> None:
    rows = [warehouse.activity_row({"姓名": name}) for name in ("Anonymous", "Nobody", "张三")]
    warehouse.write_activity(rows)
    (warehouse.inbox / "a.mapping.yaml").write_text(
        'kind: activity\nvalues: {person_name: {Anonymous: ~, nobody: ""}}\n', encoding="utf-8"
    )

    result = warehouse.load_one()

    # `nobody` matches `Nobody`: labels are compared case-insensitively
    assert _lake(warehouse, "activity", result.batch_id, "person_name") == [
        (None,),
        (None,),
        ("张三",),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'formats: {hours: "%H"}\n',
            "bad.mapping.yaml: formats: 'hours' is not a date or time column; a format is "
            "given for one of activity_date, joined_date, left_date, effective_date, "
            "start_time, end_time",
        ),
        (
            'formats: {activity_date: "%Q/%d"}\n',
            "bad.mapping.yaml: formats: activity_date: '%Q/%d' is not a date/time format "
            "strptime can use (",
        ),
        (
            'formats: {activity_date: "MM/DD/YYYY"}\n',
            "bad.mapping.yaml: formats: activity_date: 'MM/DD/YYYY' is not a date/time format "
            'strptime can use (it has no % directive); write it as e.g. activity_date: "%m/%d/%Y"',
        ),
        (
            "formats: {start_time: 12}\n",
            "bad.mapping.yaml: formats: start_time: 12 is not a date/time format strptime can "
            'use (it has no % directive); write it as e.g. start_time: "%I:%M %p"',
        ),
    ],
)
def test_a_format_that_cannot_be_used_is_named_with_its_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "bad.mapping.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)

    assert str(caught.value).startswith(message)


def test_a_mapping_of_columns_both_kinds_have_is_for_logs_unless_it_says_events(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.mapping.yaml"
    path.write_text('formats: {activity_date: "%m/%d/%Y"}\n', encoding="utf-8")
    assert [m.kind for m in load_mapping_file(path)] == ["activity"]
    path.write_text("rename: {Heads: participants}\n", encoding="utf-8")
    assert [m.kind for m in load_mapping_file(path)] == ["events"]


# -- a lake an earlier release wrote ----------------------------------------------

RELEASE = REPO / "tests" / "fixtures" / "valid" / "release_2a1d234"


@pytest.fixture
def old_lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The warehouse release 2a1d234 wrote: a lake without ``events/``."""
    import tarfile

    root = tmp_path / "old"
    root.mkdir()
    with tarfile.open(RELEASE / "warehouse.tar.xz") as archive:
        archive.extractall(root, filter="data")
    assert not (root / "lake" / "events").exists()
    monkeypatch.setenv("WAREHOUSE_SECRET", "release-fixture-secret")
    return root


def _schemas(lake: Path) -> dict[str, list[str]]:
    return {
        path.parent.name: pq.read_schema(path).names
        for path in sorted(lake.glob("*/_schema.parquet"))
    }


def test_publish_brings_an_old_lake_its_events_folder_before_it_builds(
    old_lake: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    import publish.build

    before = _schemas(old_lake / "lake")
    seen: list[dict[str, list[str]]] = []
    # stop where dbt would start: what the build would read
    monkeypatch.setattr(
        publish.build, "_build", lambda *args: seen.append(_schemas(old_lake / "lake")) or 0
    )
    args = argparse.Namespace(warehouse=str(old_lake), as_of=None)

    assert publish.build.run(args) == 0

    (lake,) = seen
    assert lake["events"] == [
        "batch_id", "source_line", "org_code", "org_name", "activity_date", "activity_type",
        "activity_title", "location", "community", "participants", "hours", "hours_each",
        "event_minutes", "status", "status_label", "is_status_known",
    ]  # fmt: skip
    # the other kinds' schema files are the release's; the activity types kind, added
    # beside event summaries, gets its folder and schema the same way
    added = ("events", "activity_types")
    assert {k: v for k, v in lake.items() if k not in added} == before
    assert lake["activity_types"][:4] == [
        "batch_id", "source_line", "activity_type_code", "name_zh"
    ]  # fmt: skip
    for kind in added:
        assert sorted(p.name for p in (old_lake / "lake" / kind).iterdir()) == ["_schema.parquet"]


def test_an_old_lake_takes_an_event_summary_beside_its_batches(
    old_lake: Path, tmp_path: Path
) -> None:
    from ingest.loader import load_inbox
    from kernel.paths import warehouse_paths

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(EVENTS / "hours_each.csv", inbox / "each.csv")
    paths = warehouse_paths(old_lake)
    batches = len(paths.manifest.read_text(encoding="utf-8").splitlines())

    (result,) = load_inbox(paths, inbox, today=dt.date(2026, 1, 1))

    assert (result.kind, result.outcome, result.rows_loaded) == ("events", "loaded", 2)
    lines = paths.manifest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == batches + 1
    assert (paths.kind_dir("events") / f"{result.batch_id}.parquet").exists()


def test_every_kind_is_recognised_by_its_headers() -> None:
    """Detection tries every kind: a kind missing from the order (an activity types
    file, once) would make its files fail as having no recognisable header."""
    from ingest.headers import detect_kind
    from ingest.schema import DETECTION_ORDER, KINDS

    assert sorted(DETECTION_ORDER) == sorted(KINDS)
    assert detect_kind({"activity_type_code", "name_zh", "type_category"}) == "activity_types"
    assert detect_kind({"org_code", "activity_date", "activity_type", "participants"}) == "events"
    assert detect_kind({"person_id", "activity_date", "activity_type", "participants"}) == (
        "activity"
    )
