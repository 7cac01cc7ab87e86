"""Whether a build may refresh the session facts incrementally or must rebuild them all.

dbt's session models are incremental by batch (``dbt_project/macros/sessions_incremental.sql``):
they recompute only the sessions with a copy in an activity batch that entered or left
the build. That is right only while everything else a session depends on stays as it
was: the roster and organization batches (attribution), the seeds (activity types),
the models' code and an explicit ``AS_OF``. Event-summary batches are not among them:
no session depends on them, and the models that read them are tables built whole on
every build, so a school's summary file takes part in incremental builds like a log.
So every green build records a fingerprint of those inputs, and the next build runs
``dbt build --full-refresh`` when the fingerprint differs or was never recorded (a first
build, or one after a failed build).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kernel.manifest import read_manifest
from kernel.paths import WarehousePaths
from publish.runner import DBT_PROJECT

SEEDS = DBT_PROJECT.parent / "seeds"
# the kinds of batch that enter and leave incremental builds (every other kind's batches
# are in the fingerprint: a change to them rebuilds the session facts in full)
INCREMENTAL_KINDS = ("activity", "events")
# folders under dbt_project that hold no inputs of a build
NOT_INPUTS = {"target", "logs", "dbt_packages", "__pycache__"}


def _code_files() -> list[Path]:
    files = [
        path
        for root in (DBT_PROJECT, SEEDS)
        for path in root.rglob("*")
        if path.is_file()
        and not any(
            part in NOT_INPUTS or part.startswith(".") for part in path.relative_to(root).parts
        )
    ]
    return sorted(files)


def fingerprint(paths: WarehousePaths, explicit_as_of: str | None) -> str:
    """SHA-256 over what the incremental session models assume unchanged between builds."""
    digest = hashlib.sha256()
    batches = sorted(
        (batch.batch_id, batch.superseded_at or "")
        for batch in read_manifest(paths)
        if batch.kind not in INCREMENTAL_KINDS
    )
    digest.update(json.dumps({"as_of": explicit_as_of, "batches": batches}).encode())
    for path in _code_files():
        digest.update(str(path.relative_to(DBT_PROJECT.parent)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_inputs(paths: WarehousePaths, explicit_as_of: str | None, target: str) -> str:
    """SHA-256 over everything a build reads: the incremental ``fingerprint`` (rosters,
    organizations, models, seeds, ``AS_OF``), every activity and event-summary batch with
    its superseded time, and the dbt target. Equal to the last green build's, a build has
    nothing new to compute (``unchanged_since_last_build``)."""
    activity = sorted(
        (batch.batch_id, batch.superseded_at or "")
        for batch in read_manifest(paths)
        if batch.kind in INCREMENTAL_KINDS
    )
    digest = hashlib.sha256(fingerprint(paths, explicit_as_of).encode())
    digest.update(json.dumps({"activity": activity, "target": target}).encode())
    if paths.failures.exists():  # a file failed since: the returns list it
        digest.update(paths.failures.read_bytes())
    return digest.hexdigest()


def _last_green_file(paths: WarehousePaths) -> Path:
    return paths.dbt_database.parent / "last_green_build.json"


def unchanged_since_last_build(paths: WarehousePaths, inputs: str, current: str | None) -> bool:
    """Whether the last green build read exactly ``inputs`` and published the snapshot
    CURRENT still names (``current``, None without one): then a build would publish the
    same figures again, and is skipped."""
    record_file = _last_green_file(paths)
    if current is None or not record_file.exists():
        return False
    try:
        recorded = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded.get("inputs") == inputs and recorded.get("snapshot") == current


def record_green_build(paths: WarehousePaths, inputs: str, snapshot: str) -> None:
    """After a green build and publish: what it read, and the snapshot it left current."""
    record_file = _last_green_file(paths)
    temporary = record_file.with_suffix(".tmp")
    temporary.write_text(json.dumps({"inputs": inputs, "snapshot": snapshot}), encoding="utf-8")
    temporary.replace(record_file)


def forget_green_build(paths: WarehousePaths) -> None:
    """Before a build: until it is green, the last record no longer says what is current."""
    _last_green_file(paths).unlink(missing_ok=True)


def _state_file(paths: WarehousePaths) -> Path:
    return paths.dbt_database.parent / "incremental_state.json"


def full_refresh_reason(
    paths: WarehousePaths, current: str, built: Path | None = None, state: Path | None = None
) -> str | None:
    """Why the next build must be a full refresh, or None when an incremental one is right.

    ``built`` is what a first build creates (default: the DuckDB file dbt writes) and
    ``state`` the record of the last green build (default: beside it); the Spark target
    passes its own (publish/spark.py).
    """
    if not (built or paths.dbt_database).exists():
        return "first build"
    state = state or _state_file(paths)
    if not state.exists():
        return "no record of a green build"
    recorded = json.loads(state.read_text(encoding="utf-8")).get("fingerprint")
    if recorded != current:
        return "rosters, organizations, seeds, models or AS_OF changed"
    return None


def record(paths: WarehousePaths, current: str, state: Path | None = None) -> None:
    """After a green build: the next one may be incremental against these inputs."""
    state = state or _state_file(paths)
    temporary = state.with_suffix(".tmp")
    temporary.write_text(json.dumps({"fingerprint": current}), encoding="utf-8")
    temporary.replace(state)


def forget(paths: WarehousePaths, state: Path | None = None) -> None:
    """Before a build: if it fails half-way, the next one rebuilds everything."""
    (state or _state_file(paths)).unlink(missing_ok=True)
