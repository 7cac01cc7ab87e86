"""The same models on Spark: the demo inbox built on DuckDB and on Spark exports the same
district_monthly.csv, byte for byte, and the Spark build publishes a snapshot in the
format the DuckDB build does.

One warehouse serves both engines: the demo inbox is ingested once (one lake, one
secret), and one activity file is then re-sent with other content, so the lake holds a
superseded batch that both builds must leave out. DuckDB builds and exports first, then
Spark builds and exports the same lake (one Spark build: the expensive part).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from kernel.manifest import read_manifest
from kernel.paths import warehouse_paths
from kernel.snapshot import connect_current
from publish.snapshot import mart_digest

REPO = Path(__file__).resolve().parents[2]
ROWS = 5000  # the demo's smallest size: every kind of file, fault and district

pytestmark = pytest.mark.spark


@dataclass
class Parity:
    root: Path
    duckdb_out: Path
    spark_out: Path
    duckdb_snapshot: Path
    spark_snapshot: Path
    superseded_batch: str
    spark_build: subprocess.CompletedProcess[str]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def parity(tmp_path_factory: pytest.TempPathFactory) -> Parity:
    tmp = tmp_path_factory.mktemp("spark_parity")
    inbox, root = tmp / "inbox", tmp / "warehouse"
    env = {**os.environ, "WAREHOUSE_DIR": str(root), "WAREHOUSE_SECRET": "spark-parity"}
    for name in ("FROM", "TO", "OUT", "AS_OF", "FULL_REFRESH"):
        env.pop(name, None)
    _run(env, "demo", "--out", str(inbox), "--rows", str(ROWS))
    _run(env, "ingest", "--inbox", str(inbox))
    # a corrected export: the same file name with other content supersedes its batch
    logs = sorted((inbox / "logs").rglob("*.csv"))
    resent, other = logs[0], logs[-1]
    name = resent.relative_to(inbox).as_posix()
    paths = warehouse_paths(root)
    old = [b.batch_id for b in read_manifest(paths) if b.file == name]
    shutil.copyfile(other, resent)
    _run(env, "ingest", "--inbox", str(inbox))

    _run(env, "publish", "--target", "duckdb")
    _run(env, "export", "--out", str(tmp / "duckdb"))
    duckdb_snapshot = paths.snapshots / paths.current_pointer.read_text().strip()
    spark_build = _run(env, "publish", "--target", "spark")
    _run(env, "export", "--out", str(tmp / "spark"))
    spark_snapshot = paths.snapshots / paths.current_pointer.read_text().strip()
    return Parity(
        root, tmp / "duckdb", tmp / "spark", duckdb_snapshot, spark_snapshot, old[0], spark_build
    )


def test_district_monthly_is_byte_identical_on_both_engines(parity: Parity) -> None:
    duckdb_csv = (parity.duckdb_out / "district_monthly.csv").read_bytes()
    spark_csv = (parity.spark_out / "district_monthly.csv").read_bytes()
    assert spark_csv == duckdb_csv
    # the bureau's rows too (agg_bureau_monthly: distinct counts bureau-wide)
    bureau = (parity.duckdb_out / "bureau_monthly.csv").read_bytes()
    assert (parity.spark_out / "bureau_monthly.csv").read_bytes() == bureau
    assert bureau.count(b"\nbureau,") == duckdb_csv.count(b"\nD01,")


def test_every_district_has_every_month_of_the_period(parity: Parity) -> None:
    manifest = json.loads((parity.spark_out / "manifest.json").read_text(encoding="utf-8"))
    first, last = manifest["period"]["from"], manifest["period"]["to"]
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    months = (y2 - y1) * 12 + (m2 - m1) + 1
    with (parity.spark_out / "district_monthly.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    known = [row for row in rows if row["district_code"] != "unknown"]
    # the demo bureau has 9 cooperation zones (README "Demo data")
    assert len({row["district_code"] for row in known}) == 9
    assert len(known) == 9 * months
    assert sum(int(row["person_times"]) for row in rows) > 0


def test_the_spark_build_published_the_current_snapshot(parity: Parity) -> None:
    assert parity.spark_snapshot != parity.duckdb_snapshot
    assert "from the Spark build" in parity.spark_build.stdout
    assert parity.spark_snapshot.name in parity.spark_build.stdout


def test_the_spark_snapshot_has_the_duckdb_snapshot_format(parity: Parity) -> None:
    def tables(path: Path) -> list[str]:
        with duckdb.connect(str(path), read_only=True) as con:
            return [
                row[0]
                for row in con.execute(
                    "select table_name from duckdb_tables() order by table_name"
                ).fetchall()
            ]

    assert tables(parity.spark_snapshot) == tables(parity.duckdb_snapshot)
    con, info = connect_current(warehouse_paths(parity.root))
    try:
        marts = con.execute("select marts from _snapshot").fetchone()[0].split(",")
        assert marts == [t for t in tables(parity.spark_snapshot) if t != "_snapshot"]
        assert mart_digest(con, "main", marts) == info.digest
    finally:
        con.close()
    with duckdb.connect(str(parity.duckdb_snapshot), read_only=True) as duck:
        duckdb_as_of = duck.execute("select as_of from _snapshot").fetchone()[0]
    with duckdb.connect(str(parity.spark_snapshot), read_only=True) as spark:
        spark_as_of = spark.execute("select as_of from _snapshot").fetchone()[0]
    assert spark_as_of == duckdb_as_of


def test_a_superseded_batch_disappears_on_spark(parity: Parity) -> None:
    with duckdb.connect(str(parity.spark_snapshot), read_only=True) as con:
        sessions = con.execute(
            "select count(*) from fct_volunteer_sessions where batch_id = ?",
            [parity.superseded_batch],
        ).fetchone()[0]
        status = con.execute(
            "select load_status from dq_file_loads where batch_id = ?",
            [parity.superseded_batch],
        ).fetchone()[0]
    assert sessions == 0
    assert status == "superseded"
