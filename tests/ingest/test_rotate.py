"""Rotating the pseudonymization secret: the lake is rebuilt from the original files
under a new key, every figure stays, every person key changes, and the command refuses
(changing nothing) when an original is missing or was changed after it was loaded."""

from __future__ import annotations

import os
import stat

import pytest

from tests.conftest import Warehouse, make_warehouse

pytestmark = pytest.mark.integration

FIGURES = (
    "select district_code, month, roster_size, active_members, volunteers, person_times, "
    "total_minutes from agg_district_monthly order by district_code, month"
)
KEYS = "select distinct person_key from dim_people where person_key <> 'unknown'"


@pytest.fixture
def keyed(tmp_path) -> Warehouse:
    """The first-slice warehouse with its secret in the key file (not the environment)."""
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    del warehouse.env["WAREHOUSE_SECRET"]
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    return warehouse


def test_rotation_changes_every_key_and_no_figure(keyed: Warehouse) -> None:
    keyed.run("publish")
    figures, keys = keyed.query(FIGURES), set(keyed.query(KEYS))
    old_secret = (keyed.root / "secret.key").read_text()
    result = keyed.run("ingest.rotate", "--inbox", str(keyed.inbox))
    assert result.stdout == (
        f"rotated the secret of {keyed.root}: 5 batches reloaded from 5 original files; "
        "run `make build` to publish\n"
    )
    key_file = keyed.root / "secret.key"
    assert key_file.read_text() != old_secret
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    # what was derived from the old keys is gone until the next build
    assert not (keyed.root / "snapshots").exists()
    assert not (keyed.root / "build").exists()
    keyed.run("publish")
    assert keyed.query(FIGURES) == figures
    new_keys = set(keyed.query(KEYS))
    assert len(new_keys) == len(keys) and not new_keys & keys


def test_rotation_refuses_without_every_original(keyed: Warehouse) -> None:
    manifest = (keyed.root / "lake" / "manifest.jsonl").read_bytes()
    secret = (keyed.root / "secret.key").read_bytes()
    (keyed.inbox / "roster.xlsx").unlink()
    with (keyed.inbox / "logs" / "s01_2025q1.csv").open("a", encoding="utf-8") as handle:
        handle.write("T009,,,赵六,B011,,2025-03-01,,,1,党员活动日,,,,已认定\n")
    result = keyed.run("ingest.rotate", "--inbox", str(keyed.inbox), check=False)
    assert result.returncode == 2
    assert result.stderr == (
        "error: the lake can only be rebuilt from the original of every batch in effect, "
        "and these are not in the inbox as they were loaded:\n"
        "  logs/s01_2025q1.csv: changed since it was loaded (its SHA-256 differs)\n"
        f"  roster.xlsx: missing from {keyed.inbox}\n"
        "put the original files back (same names, same content) and run again; nothing was "
        "changed\n"
    )
    assert (keyed.root / "lake" / "manifest.jsonl").read_bytes() == manifest
    assert (keyed.root / "secret.key").read_bytes() == secret


def test_a_secret_from_the_environment_needs_the_new_one_there(keyed: Warehouse) -> None:
    keyed.env["WAREHOUSE_SECRET"] = "old-secret-from-env"
    result = keyed.run("ingest.rotate", "--inbox", str(keyed.inbox), check=False)
    assert result.returncode == 2
    assert result.stderr == (
        "error: the secret comes from WAREHOUSE_SECRET, so the new one cannot be chosen "
        "here: set WAREHOUSE_SECRET_NEW to the new secret, run again, then put it in "
        "WAREHOUSE_SECRET; nothing was changed\n"
    )
