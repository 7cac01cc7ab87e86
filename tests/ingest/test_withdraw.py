"""Withdrawing a file sent by mistake (``python -m ingest withdraw FILE``): the lake keeps
its batch, the next build drops its rows, and ``AS_OF`` before the withdrawal reads it.

The figures are worked out by hand from the first-slice inbox without its GB18030 log
(tests/fixtures/valid/first_slice_inbox/README.md; the full inbox's figures and their
reasoning are in tests/test_pipeline.py). That log's lines: 2 repeats s01 line 4 (which
stays), 3 T002 63 min 支委会 at B012 in February (D01), 4 and 6 T004 120 min activity day
at S02 in February (D02), 5 T005 180 min 集中培训 at S02 in January (D02).
"""

from __future__ import annotations

import json

import pytest

from kernel.manifest import read_manifest
from kernel.paths import warehouse_paths
from tests.conftest import make_warehouse
from tests.test_pipeline import EXPECTED_CSV

pytestmark = pytest.mark.integration

LOG = "logs/s02_2025q1_gb18030.csv"
# D01 2025-01: unchanged (s01 lines 2-4). D01 2025-02: s01 line 5 only (T001 180 min
#   双报到, volunteer service): 3.00 h, 1 volunteer, avg 3.00; of the roster T001 T002
#   T008 only T001 was active (T002's February session was the withdrawn line 3): 1/3.
# D01 2025-03 unchanged. D02 2025-01: nothing (line 5 withdrawn); roster T005 T006, none
#   active: 0/2. D02 2025-02: nothing (lines 4 and 6 withdrawn); roster T004 T005 T006,
#   none active: 0/3; S02 held no activity day: coverage 0. D02 2025-03, D03 and
#   unknown unchanged.
WITHOUT_THE_LOG = (
    # the GB18030 log held T002's 支委会 at B012 (D01, February), T005's training (D02,
    # January) and T004's activity day (D02, February): each an activity of its own
    EXPECTED_CSV.replace(
        "D01,城东协作区,2025-02,3,2,0.6667,2,2,4.05,3.00,2.03,0.0000,2,0,2,0,0.00",
        "D01,城东协作区,2025-02,3,1,0.3333,1,1,3.00,3.00,3.00,0.0000,1,0,1,0,0.00",
    )
    .replace(
        "D02,城西协作区,2025-01,2,1,0.5000,1,1,3.00,0.00,3.00,0.0000,1,0,1,0,0.00",
        "D02,城西协作区,2025-01,2,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
    )
    .replace(
        "D02,城西协作区,2025-02,3,1,0.3333,1,1,2.00,0.00,2.00,1.0000,1,0,1,0,0.00",
        "D02,城西协作区,2025-02,3,0,0.0000,0,0,0.00,0.00,,0.0000,0,0,0,0,0.00",
    )
)


def test_a_withdrawn_file_leaves_the_next_build_and_as_of_still_reaches_it(tmp_path) -> None:
    warehouse = make_warehouse(tmp_path, "first_slice_inbox")
    warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.run("publish")
    paths = warehouse_paths(warehouse.root)
    before = {b.batch_id: b for b in read_manifest(paths)}
    (loaded_at,) = {b.loaded_at for b in before.values() if b.file == LOG}
    last_load = max(b.loaded_at for b in before.values())  # the roster loads after the logs

    # named by a path that ends in the manifest's name, as a user may copy it
    done = warehouse.run("ingest", "withdraw", str(warehouse.inbox / LOG), "--lang", "en")
    assert done.stdout.splitlines()[0].startswith(f"withdrew {LOG} (batch ")
    assert done.stdout.splitlines()[0].endswith(", 5 rows)")

    after = {b.batch_id: b for b in read_manifest(paths)}
    assert after.keys() == before.keys()  # the lake keeps the batch
    (withdrawn,) = [b for b in after.values() if b.file == LOG]
    assert (withdrawn.is_active, withdrawn.superseded_by) == (False, None)
    assert withdrawn.superseded_at > loaded_at
    assert [b.batch_id for b in after.values() if not b.is_active] == [withdrawn.batch_id]
    status = warehouse.run("ingest", "status").stdout
    assert f"withdrawn {withdrawn.superseded_at}" in status

    # the next build (incremental: only the selection changed) drops its rows
    warehouse.run("publish")
    warehouse.run("export", "--out", str(warehouse.exports))
    csv = (warehouse.exports / "district_monthly.csv").read_text(encoding="utf-8")
    assert csv == WITHOUT_THE_LOG
    # the data-quality list calls the load withdrawn, not replaced: no file took its place
    status_of = "select load_status from dq_file_loads where source_file = ?"
    assert warehouse.query(status_of, [LOG]) == [("withdrawn",)]

    # a build as of the last load, before the withdrawal, reads it again
    warehouse.run("publish", "--as-of", last_load)
    again = tmp_path / "as_of"
    warehouse.run("export", "--out", str(again))
    assert (again / "district_monthly.csv").read_text(encoding="utf-8") == EXPECTED_CSV
    assert warehouse.query(status_of, [LOG]) == [("in_effect",)]

    # a second withdrawal of the same file finds nothing active: exit 1, the lake as it was
    refused = warehouse.run("ingest", "withdraw", LOG, "--lang", "en", check=False)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: no active batch in the lake is named {LOG}; python -m ingest status lists "
        "the files (a file withdrawn or replaced already is no longer active)\n"
    )
    assert json.loads(warehouse.run("ingest", "status", "--json").stdout) == [
        {**vars(b)} for b in read_manifest(paths)
    ]
