"""``python -m ingest status``: the duplicates column reads the last build's
``dq_duplicates_by_file`` (tests/dbt_project/test_data_quality.py shows it after a
real build); before any build it says so."""

from __future__ import annotations

from ingest.status import Duplicates, _duplicates_cell
from kernel.manifest import Batch


def _batch(batch_id: str, kind: str = "activity") -> Batch:
    return Batch(batch_id, f"{batch_id}.csv", "0" * 64, kind, "2026-01-01T00:00:00", 3, 3, 0)


def test_a_batch_shows_the_count_its_last_build_found() -> None:
    built = Duplicates("2026-01-02T08:00:00", {"a": 2, "b": 0})

    assert _duplicates_cell(_batch("a"), built) == "2"
    assert _duplicates_cell(_batch("b"), built) == "0"
    # loaded after that build: not counted yet
    assert _duplicates_cell(_batch("c"), built) == "-"
    # duplicates are counted among activity rows only
    assert _duplicates_cell(_batch("d", "organizations"), built) == ""


def test_status_before_any_build_says_not_built_yet(warehouse, capsys) -> None:
    from ingest.cli import main

    warehouse.write_activity([warehouse.activity_row(), warehouse.activity_row()])
    root = str(warehouse.paths.root)
    assert main(["--inbox", str(warehouse.inbox), "--warehouse", root]) == 0
    capsys.readouterr()

    assert main(["status", "--warehouse", root]) == 0

    lines = capsys.readouterr().out.splitlines()
    # two identical rows: both load (duplicates are found by the build, not by ingest)
    assert lines[1].split()[2:] == ["activity", "2", "2", "0", "-", "active"]
    assert lines[-1] == "duplicates: not built yet"
