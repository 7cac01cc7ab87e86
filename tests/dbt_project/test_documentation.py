"""Documentation as code: every model and published column described, the glossary current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import REPO, Warehouse

MODELS = REPO / "dbt_project" / "models"
GLOSSARY_SCRIPT = REPO / "dbt_project" / "scripts" / "metric_glossary.py"


def _yml_models() -> dict[str, dict]:
    models: dict[str, dict] = {}
    for path in sorted(MODELS.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            models[model["name"]] = model
    return models


def test_every_model_has_a_description() -> None:
    documented = _yml_models()
    sql_models = sorted(path.stem for path in MODELS.rglob("*.sql"))
    assert "agg_district_monthly" in sql_models
    missing = [name for name in sql_models if not (documented.get(name) or {}).get("description")]
    assert missing == []


@pytest.mark.integration
def test_every_published_column_has_a_description(first_slice: Warehouse) -> None:
    documented = _yml_models()
    name = (first_slice.root / "snapshots" / "CURRENT").read_text().strip()
    con = duckdb.connect(str(first_slice.root / "snapshots" / name), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() "
                "where schema_name = 'main' and table_name <> '_snapshot'"
            ).fetchall()
        ]
        missing = {}
        for table in tables:
            described = {
                column["name"]
                for column in documented[table].get("columns") or []
                if column.get("description")
            }
            columns = [row[0] for row in con.execute(f'describe "{table}"').fetchall()]
            if absent := [column for column in columns if column not in described]:
                missing[table] = absent
    finally:
        con.close()
    assert {"agg_district_monthly", "dim_dates", "dq_file_loads"} <= set(tables)
    assert missing == {}


def test_metric_glossary_is_generated_from_the_current_yml() -> None:
    result = subprocess.run(
        [sys.executable, str(GLOSSARY_SCRIPT), "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + "\nrun `make docs` to regenerate docs/metrics.md"


def test_metric_glossary_names_each_export_metric_in_both_languages() -> None:
    page = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    for column, name_zh in [
        ("roster_size", "在册人数"),
        ("active_members", "参与人数"),
        ("participation_rate", "参与率"),
        ("volunteers", "志愿者人数"),
        ("person_times", "人次"),
        ("total_hours", "总时长(小时)"),
        ("volunteer_service_hours", "志愿服务时长(小时)"),
        ("avg_hours_per_volunteer", "人均时长(小时)"),
        ("activity_day_coverage", "党员活动日覆盖率"),
        ("attainment_rate", "达标率"),
    ]:
        assert f"| `{column}` | {name_zh} |" in page, column


def test_glossary_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    stale = tmp_path / "metrics.md"
    stale.write_text("# an old page\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(GLOSSARY_SCRIPT), "--check", "--out", str(stale)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "out of date" in result.stderr
