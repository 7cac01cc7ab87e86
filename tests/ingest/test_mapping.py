"""Mapping files: a third-party export loads through a few lines of YAML."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml

from ingest.loader import load_inbox
from ingest.mapping import MappingError, load_mapping_file
from kernel.paths import warehouse_paths
from kernel.pseudonymize import hmac_key

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "valid" / "platform_export"
SECRET = "test-secret"


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURE, inbox)
    paths = warehouse_paths(tmp_path / "wh")
    results = load_inbox(paths, inbox)
    return paths, results


def test_the_platform_export_loads_with_its_mapping(loaded) -> None:
    paths, results = loaded
    # the mapping file itself is not data
    assert [(r.file, r.outcome, r.rows_read, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("platform/hours_2025.csv", "loaded", 4, 3, 1)
    ]
    batch = json.loads(paths.manifest.read_text(encoding="utf-8").splitlines()[0])
    assert batch["detected"]["mapping"] == "platform.mapping.yaml"
    rows = duckdb.execute(
        "select source_line, person_id_key, person_name, org_code, activity_date::varchar, "
        "session_minutes, activity_type, status from read_parquet(?) order by source_line",
        [str(paths.kind_dir("activity") / f"{batch['batch_id']}.parquet")],
    ).fetchall()
    key = lambda number: hmac_key(SECRET.encode(), "person_id", number)  # noqa: E731
    assert rows == [
        (2, key("S02-1001"), "张三", "S02", "2025-03-05", 90, "环境保护", "approved"),
        (3, key("S02-1002"), "李四", "S02", "2025-03-06", 45, "支教", "pending"),
        (4, key("S02-1003"), "王五", "S02", "2025-03-07", 120, "党员活动日", "approved"),
    ]


def test_a_mapped_column_names_its_own_header_in_rejects(loaded) -> None:
    paths, _ = loaded
    rejects = duckdb.execute(
        "select source_line, reason, reason_column, reason_value from read_parquet(?) "
        "where batch_id <> ''",
        [str(paths.kind_dir("rejects") / "*.parquet")],
    ).fetchall()
    assert rejects == [(5, "bad_hours", "Duration", "abc")]


def test_without_the_mapping_the_export_has_no_recognisable_header(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURE / "platform", inbox / "platform")
    (result,) = load_inbox(warehouse_paths(tmp_path / "wh"), inbox)
    assert result.outcome == "failed"
    assert "no recognisable header row" in result.message


def test_units_read_an_hours_column_as_minutes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.csv").write_text(
        "工号,组织编码,活动日期,时长,活动类型\nT1,S01,2025-03-05,90,家访\n", encoding="utf-8"
    )
    (inbox / "a.mapping.yaml").write_text("units: {hours: minutes}\n", encoding="utf-8")
    paths = warehouse_paths(tmp_path / "wh")
    (result,) = load_inbox(paths, inbox)
    minutes = duckdb.execute(
        "select session_minutes from read_parquet(?)",
        [str(paths.kind_dir("activity") / f"{result.batch_id}.parquet")],
    ).fetchall()
    assert minutes == [(90,)]  # not 90 hours (rejected) nor 5400 minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "renames: {a: person_id}\n",
            "bad.mapping.yaml: unknown key 'renames'; the keys are "
            "match, kind, rename, aliases, constants, values, prefix, units, formats",
        ),
        ("rename: {a: volunteer}\n", "bad.mapping.yaml: rename: 'volunteer' is not a column;"),
        (
            "kind: sessions\n",
            "bad.mapping.yaml: kind 'sessions' is not one of activity, events, people, "
            "organizations, districts",
        ),
        ("units: {hours: seconds}\n", "bad.mapping.yaml: units: only `hours: minutes`"),
        ("rename: [a\n", "bad.mapping.yaml: cannot be read as YAML:"),
    ],
)
def test_a_bad_mapping_is_named_with_its_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)
    assert str(caught.value).startswith(message)


def test_the_cli_refuses_a_bad_mapping_and_loads_nothing(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURE, inbox)
    bad = tmp_path / "bad.mapping.yaml"
    bad.write_text("renames: {}\n", encoding="utf-8")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "ingest", "--inbox", str(inbox), "--mapping", str(bad)),
            *("--lang", "en"),
        ],
        cwd=REPO,
        env={
            "PATH": "/usr/bin:/bin",
            "WAREHOUSE_DIR": str(tmp_path / "wh"),
            "WAREHOUSE_SECRET": SECRET,
            "PYTHONPATH": str(REPO),
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: bad.mapping.yaml: unknown key 'renames'")
    assert "nothing was loaded" in result.stderr
    assert not (tmp_path / "wh" / "lake" / "manifest.jsonl").exists()


# -- a mapping applies only where it cannot be wrong ---------------------

ORGANIZATIONS = "org_code,org_name,org_type,parent_org_code,district_code\nS01,一中,学校,,D01\n"
SCHOOL_LOG = "人员编号,组织编码,活动日期,服务时长,活动类型\nT001,S01,2025-03-05,2,党员活动日\n"


def _platform_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURE, inbox)
    (inbox / "organizations.csv").write_text(ORGANIZATIONS, encoding="utf-8")
    (inbox / "logs").mkdir()
    (inbox / "logs" / "s01.csv").write_text(SCHOOL_LOG, encoding="utf-8")
    return inbox


def test_a_mapping_without_match_in_an_inbox_of_several_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the review's case: `constants: org_code` with no match rewrote every organization
    # and moved another source's hours into S02's district, with a green build
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = _platform_inbox(tmp_path)
    text = (FIXTURE / "platform.mapping.yaml").read_text(encoding="utf-8")
    (inbox / "platform.mapping.yaml").write_text(
        text.replace('match: ["platform/*.csv"]\n', ""), encoding="utf-8"
    )
    paths = warehouse_paths(tmp_path / "wh")

    with pytest.raises(MappingError) as caught:
        load_inbox(paths, inbox)

    assert str(caught.value) == (
        "platform.mapping.yaml: it has no `match`, and the inbox holds 3 files "
        "(logs/s01.csv, organizations.csv, platform/hours_2025.csv): say which files it is "
        'for, e.g. match: ["logs/*"]'
    )
    assert not paths.manifest.exists() or paths.manifest.read_text() == ""


def test_a_mapping_applies_only_to_files_of_its_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = _platform_inbox(tmp_path)
    # the platform also sent its units, in the folder the mapping's match covers
    (inbox / "platform" / "units.csv").write_text(ORGANIZATIONS, encoding="utf-8")
    paths = warehouse_paths(tmp_path / "wh")

    results = load_inbox(paths, inbox)

    assert [(r.file, r.kind, r.outcome, r.rows_loaded) for r in results] == [
        ("logs/s01.csv", "activity", "loaded", 1),
        ("organizations.csv", "organizations", "loaded", 1),
        ("platform/hours_2025.csv", "activity", "loaded", 3),
        ("platform/units.csv", "organizations", "loaded", 1),
    ]
    batches = {b["file"]: b for b in map(json.loads, paths.manifest.read_text().splitlines())}
    assert "mapping" not in batches["platform/units.csv"]["detected"]
    assert batches["platform/hours_2025.csv"]["detected"]["mapping"] == "platform.mapping.yaml"
    units = paths.kind_dir("organizations") / f"{batches['platform/units.csv']['batch_id']}.parquet"
    orgs = duckdb.execute("select org_code, org_name from read_parquet(?)", [str(units)])
    assert orgs.fetchall() == [("S01", "一中")]  # not rewritten to the mapping's constant S02


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "match: ['*.csv']\nconstants: {org_code: S02}\n",
            "bad.mapping.yaml: its columns (org_code) fit activity, events, people, "
            "organizations files alike: say which kind of file it is for with "
            "`kind: activity` (or events, people, organizations)",
        ),
        (
            "match: ['*.csv']\nrename: {a: activity_date, b: org_type}\n",
            "bad.mapping.yaml: its columns (activity_date, org_type) do not belong to one kind "
            "of file; split it into one mapping per kind",
        ),
    ],
)
def test_a_mapping_must_describe_one_kind(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.mapping.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)

    assert str(caught.value) == message


def test_a_rename_key_that_is_no_header_fails_the_file_naming_the_mapping_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    inbox = _platform_inbox(tmp_path)
    text = (FIXTURE / "platform.mapping.yaml").read_text(encoding="utf-8")
    (inbox / "platform.mapping.yaml").write_text(
        text.replace("Review: status", "Reviewed: status"), encoding="utf-8"
    )

    results = load_inbox(warehouse_paths(tmp_path / "wh"), inbox)

    assert [(r.file, r.outcome) for r in results] == [
        ("logs/s01.csv", "loaded"),
        ("organizations.csv", "loaded"),
        ("platform/hours_2025.csv", "failed"),
    ]
    assert results[2].message == (
        "platform/hours_2025.csv: the mapping platform.mapping.yaml renames 'Reviewed', but "
        "the file has no such header (its headers: User.ID, Full Name, Date.Vol, Duration, "
        "Activity, Review); correct the key in `rename`, or narrow the mapping's `match` to "
        "the files that have it; nothing was loaded"
    )


# -- the README's examples ------------------------------------------------


def _readme_mappings() -> list[str]:
    """The YAML blocks of the README's section on loading your own files."""
    import re

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Loading your own files", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)


def _parsed(text: str):
    import dataclasses

    from ingest.mapping import parse_mapping

    return dataclasses.replace(parse_mapping(yaml.safe_load(text), "m"), source="")


def test_the_readmes_mappings_are_the_fixtures_that_load(tmp_path, monkeypatch) -> None:
    platform, us_dates, summaries = _readme_mappings()

    # the platform's and the US log's are the fixtures' mappings, loaded by the tests
    # above and by tests/ingest/test_events.py
    assert _parsed(platform) == _parsed((FIXTURE / "platform.mapping.yaml").read_text("utf-8"))
    us_fixture = FIXTURE.parent / "us_dates" / "us.mapping.yaml"
    assert _parsed(us_dates) == _parsed(us_fixture.read_text("utf-8"))
    # the event summary's: a workbook with those headers loads 3 × 1.5 h = 270 minutes
    monkeypatch.setenv("WAREHOUSE_SECRET", SECRET)
    book = openpyxl.Workbook()
    book.active.append(["组织编码", "活动日期", "活动类型", "到场人数", "折算时长"])
    book.active.append(["S01", "2025-03-05", "志愿服务", 3, 1.5])
    (tmp_path / "inbox" / "summaries").mkdir(parents=True)
    book.save(tmp_path / "inbox" / "summaries" / "march.xlsx")
    (tmp_path / "inbox" / "events.mapping.yaml").write_text(summaries, encoding="utf-8")
    paths = warehouse_paths(tmp_path / "wh")

    (result,) = load_inbox(paths, tmp_path / "inbox")

    assert (result.kind, result.rows_loaded) == ("events", 1)
    rows = duckdb.execute(
        "select participants, hours_each, event_minutes from read_parquet(?)",
        [str(paths.kind_dir("events") / f"{result.batch_id}.parquet")],
    ).fetchall()
    assert rows == [(3, Decimal("1.5"), 270)]
