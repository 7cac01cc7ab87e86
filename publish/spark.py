"""``make build TARGET=spark``: the same dbt models on Spark, published as a DuckDB snapshot.

dbt builds the models with the ``spark`` target (``dbt_project/profiles.yml``): a local
Spark started in-process by dbt-spark's session method, its catalog (a Derby metastore)
and its tables (plain Parquet) under ``WAREHOUSE_DIR/spark``. The lake is read where it
lies: before the run, ``create_lake_tables`` (``dbt_project/macros/cross_db``) makes an
external table over each kind's Parquet batches and over ``manifest.jsonl``, with the
columns this module reads from each kind's ``_schema.parquet`` (so a kind without any
batch still has its columns).

After a green build the Spark marts' Parquet files are copied into a DuckDB file laid
out as the DuckDB build's (``WAREHOUSE_DIR/spark/staged.duckdb``, schema ``marts``), and
``publish.snapshot.publish`` makes the snapshot from it exactly as it does after a
DuckDB build: same tables, ``_snapshot`` row and digest, same ``snapshots/`` folder and
``CURRENT`` pointer. So the dashboard and ``make export`` read a Spark build unchanged;
the newest green build wins, whichever engine ran it. A mart partitioned by batch that
has no rows has no Parquet file on Spark; its columns come from the empty file the
``write_mart_schemas`` hook leaves under ``WAREHOUSE_DIR/spark/schemas``.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kernel.paths import LAKE_KINDS, WarehousePaths
from kernel.settings import settings
from kernel.sqltext import quote
from publish import refresh
from publish.lock import BuildLock
from publish.progress import DbtOutput
from publish.report import announce, build_report, dbt_finished, report_warnings
from publish.runner import build_command, run_dbt
from publish.snapshot import MART_SCHEMA, publish

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "the spark target needs the spark extra and Java 17: run `make setup-spark` "
    "(pip install -e '.[spark]' and Debian's openjdk-17-jre-headless)"
)


# The local Spark's logging: errors only (dbt_project/spark_conf/log4j2.properties),
# and its address this machine's, so it does not warn that the host name resolves to
# a loopback address on every start.
QUIET_SPARK = {
    "SPARK_CONF_DIR": str(Path(__file__).resolve().parent.parent / "dbt_project" / "spark_conf"),
    "SPARK_LOCAL_IP": "127.0.0.1",
}


@dataclass(frozen=True)
class SparkPaths(WarehousePaths):
    """A warehouse whose built marts are the Spark build's, staged in a DuckDB file."""

    @property
    def spark(self) -> Path:
        return self.root / "spark"

    @property
    def spark_tables(self) -> Path:
        """``spark.sql.warehouse.dir`` of the spark target: one folder per schema."""
        return self.spark / "tables"

    @property
    def dbt_database(self) -> Path:
        """The Spark marts, staged for DuckDB (its ``main`` schema)."""
        return self.spark / "staged.duckdb"

    @property
    def marts_database(self) -> Path:
        """What ``publish`` copies into a snapshot: the staged Spark marts."""
        return self.dbt_database

    @property
    def incremental_state(self) -> Path:
        return self.spark / "incremental_state.json"


class SparkUnavailable(Exception):
    """pyspark, dbt-spark or Java is missing; the message says how to install them."""


def spark_type(arrow_type: pa.DataType) -> str:
    """The Spark SQL type of a lake column (the types ingest writes)."""
    if isinstance(arrow_type, pa.BaseExtensionType):  # arrow.json: raw values of a reject
        return spark_type(arrow_type.storage_type)
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "string"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_int64(arrow_type):
        return "bigint"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "double"
    if pa.types.is_decimal(arrow_type):
        return f"decimal({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_time(arrow_type):
        return "time(6)"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    raise ValueError(f"no Spark type for lake column type {arrow_type}")


def lake_columns(paths: WarehousePaths) -> dict[str, str]:
    """Each lake kind's columns as Spark DDL, from the ``_schema.parquet`` ingest keeps."""
    columns = {}
    for kind in LAKE_KINDS:
        schema_file = paths.kind_dir(kind) / "_schema.parquet"
        if schema_file.exists():
            schema = pq.read_schema(schema_file)
            columns[kind] = ", ".join(
                f"`{field.name}` {spark_type(field.type)}" for field in schema
            )
    return columns


def java_home() -> str | None:
    """JAVA_HOME, else Debian's Java 17 when it is installed (Spark 4 needs 17 or later)."""
    if settings().java_home:
        return settings().java_home
    found = sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*"))
    return found[0] if found else None


def check_installed() -> None:
    """Raise SparkUnavailable unless dbt-spark, pyspark and a Java runtime are there."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as error:
        raise SparkUnavailable(f"{error.name} is not installed; {INSTALL_HINT}") from None
    home = java_home()
    java = Path(home) / "bin" / "java" if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise SparkUnavailable(f"no Java runtime found; {INSTALL_HINT}")


def run_dbt_spark(
    paths: SparkPaths,
    full_refresh: bool,
    target: str = "spark",
    lock: BuildLock | None = None,
    output: DbtOutput | None = None,
) -> int:
    """``dbt build --target <target>`` over this warehouse's lake; returns dbt's exit code.
    dbt holds the build ``lock`` until it has ended, and ends with this process
    (``publish.runner.run_dbt``); Spark's JVM, dbt's child, ends with dbt."""
    paths.spark.mkdir(parents=True, exist_ok=True)
    home = java_home()
    return run_dbt(
        paths,
        [*build_command(full_refresh), "--target", target],
        variables={"lake_columns": lake_columns(paths)},
        # Spark's catalog records where its tables are: absolute paths, whatever the
        # folder dbt runs in (the DuckDB target sees WAREHOUSE_DIR as ".")
        environment={
            "WAREHOUSE_DIR": str(paths.root),
            **({"JAVA_HOME": home} if home else {}),
            **QUIET_SPARK,
        },
        lock=lock,
        output=output,
    )


def _parquet_glob(folder: Path) -> str | None:
    """The Parquet files of a Spark table folder (partition folders included), if any."""
    if not any(folder.rglob("*.parquet")):
        return None
    return str(folder / "**" / "*.parquet")


def stage_marts(paths: SparkPaths) -> list[str]:
    """Copy every Spark mart's Parquet into ``staged.duckdb`` (its ``main`` schema, as
    the DuckDB target's ``build/marts.duckdb``); its tables."""
    schema_dir = paths.spark_tables / f"{MART_SCHEMA}.db"
    tables = sorted(path.name for path in schema_dir.iterdir() if path.is_dir())
    if not tables:
        raise RuntimeError(f"the Spark build at {schema_dir} holds no marts")
    temporary = paths.dbt_database.with_suffix(".tmp")
    temporary.unlink(missing_ok=True)
    con = duckdb.connect(str(temporary))
    try:
        con.execute("set enable_progress_bar = false")  # as publish.snapshot
        for table in tables:
            files = _parquet_glob(schema_dir / table)
            if files is not None:
                # partition folders (batch_id=...) become a column again, kept as text
                source = (
                    f"read_parquet({quote(files)}, hive_partitioning = true, "
                    "hive_types_autocast = false)"
                )
            else:  # partitioned by batch and no batch yet: the columns write_mart_schemas wrote
                columns = _parquet_glob(paths.spark / "schemas" / table)
                if columns is None:
                    raise RuntimeError(
                        f"the Spark table {MART_SCHEMA}.{table} has no Parquet file under "
                        f"{schema_dir / table}, and its columns were not written; "
                        "build again with --full-refresh"
                    )
                source = f"read_parquet({quote(columns)}) limit 0"
            con.execute(f'create table main."{table}" as select * from {source}').fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    os.replace(temporary, paths.dbt_database)
    return tables


def build_and_publish(
    root: Path,
    as_of: str,
    explicit_as_of: str | None,
    full_refresh: bool,
    target: str = "spark",
    lock: BuildLock | None = None,
    output: DbtOutput | None = None,
    memory_limit: int | None = None,
) -> int:
    """The spark target's ``make build``: dbt build on Spark, then publish a snapshot.

    ``as_of`` is the build's data cut-off, ``explicit_as_of`` the AS_OF asked for (None
    when none was), which decides with the code and reference batches whether the
    incremental models can be kept. ``target`` is the Spark output of profiles.yml;
    ``lock`` the build lock the caller holds, which dbt holds with it;
    ``memory_limit`` (bytes, ``publish.memory``) DuckDB's for the snapshot's digest.
    """
    paths = SparkPaths(root)
    try:
        check_installed()
    except SparkUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    inputs = refresh.fingerprint(paths, explicit_as_of)
    reason = (
        "asked for"
        if full_refresh
        else refresh.full_refresh_reason(
            paths, inputs, built=paths.spark_tables, state=paths.incremental_state
        )
    )
    if reason:
        log.info("Spark: full refresh of the incremental models (%s)", reason)
    refresh.forget(paths, state=paths.incremental_state)
    code = run_dbt_spark(paths, full_refresh=bool(reason), target=target, lock=lock, output=output)
    if not dbt_finished(paths, output, code):
        whole = f"; dbt's whole output: {output.log}" if output else ""
        print(
            "error: dbt build on Spark failed (see the lines above); nothing was published "
            f"and readers keep the previous snapshot{whole}",
            file=sys.stderr,
        )
        return code
    refresh.record(paths, inputs, state=paths.incremental_state)
    try:
        tables = stage_marts(paths)
    except RuntimeError as error:
        print(f"error: {error}; nothing was published", file=sys.stderr)
        return 1
    build_report(paths, output)
    announce(publish(paths, as_of, memory_limit), f" from the Spark build ({len(tables)} marts)")
    report_warnings(paths, output)
    return 0
