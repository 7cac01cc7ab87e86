"""The metric catalog: read from a yml's meta, looked up by key in the project's
catalog or in one a caller hands in, and the one place a metric's name is spelled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kernel import catalog

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "valid" / "catalog_project" / "models" / "marts"
# modules another change turns into subcommands: they keep their own texts until then
NOT_YET = {"export/cli.py", "export/certificate_cli.py", "export/__main__.py"}
# a metric's name that is also the word for its unit after a number ("3 人次")
UNIT_WORDS = {"人次"}


def test_a_yml_with_one_more_metric_gives_it_in_the_yml_order() -> None:
    metrics = catalog.load(FIXTURE / "_marts__models.yml")
    assert [m.key for m in metrics] == [
        "roster_size", "active_members", "participation_rate", "volunteers",
        "person_times", "total_hours", "volunteer_service_hours",
        "avg_hours_per_volunteer", "service_hours_per_volunteer", "activity_day_coverage",
        "events_logged", "events_reported", "events_held", "reported_person_times",
        "reported_hours", "hours_per_person_time",
    ]  # fmt: skip
    new = catalog.metric("service_hours_per_volunteer", metrics)
    assert new.inputs == ("volunteer_service_minutes", "volunteers")
    assert new.places == "0.01"
    assert catalog.label("service_hours_per_volunteer", "en", metrics) == (
        "Service hours per volunteer"
    )
    # the project's own catalog does not have it
    with pytest.raises(KeyError, match="no metric 'service_hours_per_volunteer': one of"):
        catalog.metric("service_hours_per_volunteer")


def test_the_fixture_holds_the_projects_metrics_and_two_more() -> None:
    # the fixture is a copy of the project's agg_district_monthly entry: when that
    # changes, copy it again (and keep the two metrics it adds)
    fixture = catalog.load(FIXTURE / "_marts__models.yml")
    added = {"service_hours_per_volunteer", "hours_per_person_time"}
    assert [m for m in fixture if m.key not in added] == list(catalog.metrics())


def test_no_export_or_kernel_module_spells_a_metrics_chinese_name() -> None:
    names = {m.name_zh for m in catalog.metrics()} - UNIT_WORDS
    found = []
    for package in ("export", "kernel"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in NOT_YET:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{relative}: {name}" for name in sorted(names) if name in text]
    assert found == []
    assert re.search("参与率", (ROOT / "dbt_project/models/marts/_marts__models.yml").read_text())
