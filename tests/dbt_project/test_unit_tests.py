"""dbt's unit tests (the models' logic on hand-made rows, in the ``_*unit_tests.yml``
files) run here, once per test session, rather than on every ``make build``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.paths import warehouse_paths
from publish.runner import DBT_PROJECT, dbt_environment
from tests.conftest import Warehouse

pytestmark = pytest.mark.integration


def _declared_unit_tests() -> int:
    return sum(
        len(re.findall(r"^  - name: ", path.read_text(encoding="utf-8"), flags=re.M))
        for path in DBT_PROJECT.glob("models/**/_*unit_tests.yml")
    )


def test_every_dbt_unit_test_passes(first_slice: Warehouse) -> None:
    paths = warehouse_paths(first_slice.root)
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "test", "--select", "test_type:unit"],
        cwd=paths.root,
        env=dbt_environment(paths),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((paths.root / "dbt" / "target" / "run_results.json").read_text())
    statuses = [r["status"] for r in results["results"] if r["unique_id"].startswith("unit_test.")]
    assert statuses == ["pass"] * _declared_unit_tests()
