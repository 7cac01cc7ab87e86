"""Which batches a build reads, and its data cut-off: decided here, once, and handed to
dbt.

The cut-off is ``AS_OF`` when given, else the newest batch's load time (or the newest
withdrawal, ``ingest.withdraw``, or failed load, ``ingest.failures``, when later), else
(an empty lake) now; dbt gets it as a file, ``build/cutoff.jsonl`` (``cutoff_file``),
which ``int_data_cutoff`` reads: not a dbt var, nor an env var, since dbt parses again
whatever reads one that changed, and the cut-off changes with every build. The
batches a build reads are those in effect
at the cut-off: loaded by then and not yet superseded. dbt gets them as a file,
``build/batches_selected.jsonl`` (``selection_file``): their batch ids, one per line, which
the ``build`` source reads (DuckDB's ``read_json``, Spark's JSON tables);
``int_batches_selected`` gives every model that needs them their manifest lines (from
``stg_lake__batches``, so the manifest's columns are declared once). No model decides
either again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

from kernel.manifest import Batch, read_manifest
from kernel.paths import WarehousePaths


def data_cutoff(paths: WarehousePaths, as_of: str | None) -> str:
    """The ``as_of`` of a build: the given moment, else the newest active batch's load
    time or the newest withdrawal, whichever is later."""
    if as_of:
        try:
            moment = dt.datetime.fromisoformat(as_of)
        except ValueError:
            raise ValueError(
                f"AS_OF={as_of!r} is not a timestamp; write it as 2025-03-31T23:59:59"
            ) from None
        return moment.replace(tzinfo=None).isoformat(timespec="microseconds")
    # the manifest's newest event: a batch loaded, or one withdrawn (superseded by
    # nothing, after every load); a batch replaced is superseded as its successor loads
    moments = [
        moment
        for b in read_manifest(paths)
        for moment in (b.loaded_at, b.superseded_at)
        if moment and (b.is_active or (moment == b.superseded_at and not b.superseded_by))
    ]
    moments += failure_moments(paths)
    if moments:
        return max(moments, key=_moment)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def failure_moments(paths: WarehousePaths) -> list[str]:
    """When each file that failed whole failed (``lake/failures.jsonl``): a failure is
    an event of the lake too, so a build after it shows it (the returns to schools)."""
    try:
        lines = paths.failures.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line)["failed_at"] for line in lines if line.strip()]


def _moment(text: str) -> dt.datetime:
    """A manifest or cut-off timestamp as a naive UTC moment (as DuckDB casts it)."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def in_effect(batch: Batch, cutoff: str) -> bool:
    """Whether a build with this cut-off reads the batch: loaded by then, and not
    superseded by then. At the default cut-off (the newest batch's load time) these are
    the batches not superseded: a batch is superseded when a newer one is loaded."""
    at = _moment(cutoff)
    return _moment(batch.loaded_at) <= at and (
        batch.superseded_at is None or _moment(batch.superseded_at) > at
    )


def select_batches(batches: Iterable[Batch], cutoff: str) -> list[Batch]:
    """The batches a build with this cut-off reads, in manifest order."""
    return [batch for batch in batches if in_effect(batch, cutoff)]


def selection_file(paths: WarehousePaths) -> Path:
    """Where a build leaves its selection for dbt, under the warehouse's ``build/``
    folder whatever the target (the ``build`` source reads it there)."""
    return paths.root / "build" / "batches_selected.jsonl"


def cutoff_file(paths: WarehousePaths) -> Path:
    """Where a build leaves its cut-off for dbt (the ``build`` source ``cutoff``)."""
    return paths.root / "build" / "cutoff.jsonl"


def write_selection(paths: WarehousePaths, selected: Iterable[Batch], cutoff: str) -> Path:
    """Write the selected batches' ids and the build's ``cutoff`` for dbt (each file
    replaced atomically, so dbt never reads half of one); the selection's file."""
    target = selection_file(paths)
    replace_lines(target, [{"batch_id": batch.batch_id} for batch in selected])
    replace_lines(cutoff_file(paths), [{"cutoff_at": cutoff}])
    return target


def replace_lines(target: Path, lines: list[dict[str, str]]) -> None:
    """``target`` as JSON lines, replaced in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line) + "\n")
    os.replace(temporary, target)
