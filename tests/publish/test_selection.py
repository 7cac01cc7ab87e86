"""The one rule for which batches a build reads and its cut-off (publish.selection)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kernel.manifest import Batch, write_manifest
from kernel.paths import WarehousePaths
from publish.selection import (
    cutoff_file,
    data_cutoff,
    in_effect,
    select_batches,
    selection_file,
    write_selection,
)


def _batch(batch_id: str, loaded_at: str, superseded_at: str | None = None) -> Batch:
    return Batch(
        batch_id=batch_id,
        file=f"{batch_id}.csv",
        sha256="0" * 64,
        kind="activity",
        loaded_at=loaded_at,
        rows_read=3,
        rows_loaded=2,
        rows_rejected=1,
        superseded_at=superseded_at,
    )


# b1 loaded, then replaced by b2 (a corrected file of the same name); b3 loaded last
B1 = _batch("b1", "2025-03-01T08:00:00.000000", superseded_at="2025-04-01T08:00:00.000000")
B2 = _batch("b2", "2025-04-01T08:00:00.000000")
B3 = _batch("b3", "2025-05-01T08:00:00.000000")


@pytest.fixture
def paths(tmp_path: Path) -> WarehousePaths:
    paths = WarehousePaths(tmp_path)
    paths.lake.mkdir()
    write_manifest(paths, [B1, B2, B3])
    return paths


def test_the_cut_off_is_as_of_when_given_else_the_newest_load(paths: WarehousePaths) -> None:
    assert data_cutoff(paths, "2025-04-15T12:00:00+08:00") == "2025-04-15T12:00:00.000000"
    assert data_cutoff(paths, None) == "2025-05-01T08:00:00.000000"
    with pytest.raises(ValueError, match="AS_OF='April' is not a timestamp"):
        data_cutoff(paths, "April")


def test_a_build_reads_the_batches_in_effect_at_its_cut_off() -> None:
    batches = [B1, B2, B3]
    assert select_batches(batches, "2025-05-01T08:00:00.000000") == [B2, B3]
    # before b1 was replaced, b1 is read, and nothing loaded later
    assert select_batches(batches, "2025-03-31T23:59:59") == [B1]
    # replaced at exactly the cut-off: the replacement is read instead
    assert select_batches(batches, "2025-04-01T08:00:00") == [B2]
    assert not in_effect(B3, "2025-02-01T00:00:00")


def test_the_selection_is_written_for_dbt_as_the_batch_ids_it_reads_and_the_cutoff(
    paths: WarehousePaths,
) -> None:
    written = write_selection(paths, [B2, B3], "2025-04-01T08:00:00.000000")
    assert written == selection_file(paths) == paths.root / "build" / "batches_selected.jsonl"
    # ids only: the models take the batches' manifest lines from the lake's manifest
    assert written.read_text(encoding="utf-8") == '{"batch_id": "b2"}\n{"batch_id": "b3"}\n'
    # the cut-off as a file, not an env var: dbt parses again what reads a changed one
    cutoff = paths.root / "build" / "cutoff.jsonl"
    assert cutoff_file(paths) == cutoff
    assert cutoff.read_text(encoding="utf-8") == '{"cutoff_at": "2025-04-01T08:00:00.000000"}\n'
    # no temporary file left
    assert sorted(path.name for path in written.parent.iterdir()) == [
        "batches_selected.jsonl",
        "cutoff.jsonl",
    ]


def test_an_empty_selection_reads_as_no_rows(paths: WarehousePaths) -> None:
    written = write_selection(paths, [], "2025-04-01T08:00:00")
    rows = duckdb.sql(
        f"select count(*) from read_json('{written}', format = 'newline_delimited', "
        "columns = struct_pack(batch_id := 'VARCHAR'))"
    ).fetchall()
    assert rows == [(0,)]
