"""The spark target's plumbing that needs no Spark: lake columns as Spark DDL, and the
message when Java is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kernel.paths import warehouse_paths
from publish.spark import lake_columns, spark_type

REPO = Path(__file__).resolve().parents[2]


def test_every_lake_type_has_its_spark_type() -> None:
    assert spark_type(pa.string()) == "string"
    assert spark_type(pa.int64()) == "bigint"
    assert spark_type(pa.int32()) == "int"
    assert spark_type(pa.bool_()) == "boolean"
    assert spark_type(pa.date32()) == "date"
    assert spark_type(pa.time64("us")) == "time(6)"
    assert spark_type(pa.decimal128(18, 6)) == "decimal(18, 6)"
    assert spark_type(pa.timestamp("us")) == "timestamp"
    assert spark_type(pa.json_(pa.string())) == "string"


def test_lake_columns_are_read_from_each_kinds_schema_file(tmp_path: Path) -> None:
    paths = warehouse_paths(tmp_path)
    paths.kind_dir("districts").mkdir(parents=True)
    schema = pa.schema([("batch_id", pa.string()), ("source_line", pa.int64())])
    pq.write_table(schema.empty_table(), paths.kind_dir("districts") / "_schema.parquet")
    assert lake_columns(paths) == {"districts": "`batch_id` string, `source_line` bigint"}


@pytest.mark.spark  # with the extra installed, only Java is missing here
def test_spark_without_java_says_how_to_install_it(tmp_path: Path) -> None:
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp_path / "wh"), "JAVA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "publish", "--target", "spark"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: no Java runtime found; the spark target needs the spark extra and Java 17: "
        "run `make setup-spark` (pip install -e '.[spark]' and Debian's openjdk-17-jre-headless)"
    )
    assert "Traceback" not in result.stderr
