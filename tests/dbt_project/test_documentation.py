"""Documentation as code: every model described, every column of the staging, intermediate
and published models described, the glossary current."""

from __future__ import annotations

import json
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


def _models_in(*folders: str) -> set[str]:
    return {path.stem for folder in folders for path in (MODELS / folder).rglob("*.sql")}


@pytest.mark.integration
def test_every_staging_and_intermediate_column_has_a_description(
    first_slice: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each column the build made in the staging and intermediate schemas is described
    in the yml (a description, or a shared doc block of models/_columns.md that
    resolves), and the yml describes no column the model does not have."""
    manifest = json.loads((first_slice.root / "dbt" / "target" / "manifest.json").read_text())
    described = {
        node["name"]: {name: column["description"] for name, column in node["columns"].items()}
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    monkeypatch.chdir(first_slice.root)  # the views read the lake by relative paths
    con = duckdb.connect(str(first_slice.root / "build" / "dbt.duckdb"), read_only=True)
    try:
        built: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema in ('staging', 'intermediate') "
            "order by table_name, ordinal_position"
        ).fetchall():
            built.setdefault(table, []).append(column)
    finally:
        con.close()
    assert set(built) == _models_in("staging", "intermediate")
    # 11 staging (stg_lake__failures and __failure_rejects: the returns, issue 20),
    # 24 intermediate models (3 of event summaries, 3 of activity types)
    assert len(built) == 35
    undocumented = {
        model: missing
        for model, columns in built.items()
        if (missing := [c for c in columns if not described[model].get(c, "").strip()])
    }
    stale = {
        model: extra
        for model, columns in built.items()
        if (extra := sorted(set(described[model]) - set(columns)))
    }
    unresolved = sorted(
        f"{model}.{column}"
        for model in built
        for column, text in described[model].items()
        if "{{" in text or "doc(" in text
    )
    assert undocumented == {}
    assert stale == {}
    assert unresolved == []
    # a shared doc block, as the build resolved it, in a staging and an intermediate model
    batch = "The batch the row came in: one landed file, named by its load time and content hash."
    assert described["stg_lake__activity_rows"]["batch_id"] == batch
    assert described["int_people_versions"]["batch_id"] == batch
    assert built["stg_build__batches_selected"] == ["batch_id"]
    assert built["int_batches_selected"] == [
        "batch_id",
        "source_file",
        "file_sha256",
        "batch_kind",
        "loaded_at",
        "superseded_at",
        "superseded_by",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
    ]


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
