"""Shared fixtures: the first-slice inbox run once per session through the real pipeline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECRET = "integration-test-secret"


@dataclass
class Warehouse:
    """A warehouse built from a fixture inbox by the project's own commands."""

    root: Path
    inbox: Path
    exports: Path
    env: dict[str, str]
    # what each step printed, by step name (ingest, build, export)
    outputs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``python -m <args>`` from the repository root with this warehouse's env."""
        result = subprocess.run(
            [sys.executable, "-m", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        """Rows of one query over the published snapshot (CURRENT), read-only."""
        name = (self.root / "snapshots" / "CURRENT").read_text().strip()
        con = duckdb.connect(str(self.root / "snapshots" / name), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def empty_warehouse(tmp: Path) -> Warehouse:
    """A warehouse under ``tmp`` with its own environment (the test secret; no period,
    output or cut-off from the caller's environment) and an inbox not yet written."""
    env = {**os.environ, "WAREHOUSE_DIR": str(tmp / "warehouse"), "WAREHOUSE_SECRET": SECRET}
    for name in ("FROM", "TO", "OUT", "AS_OF"):
        env.pop(name, None)
    return Warehouse(tmp / "warehouse", tmp / "inbox", tmp / "exports", env)


def make_warehouse(tmp: Path, inbox_fixture: str) -> Warehouse:
    warehouse = empty_warehouse(tmp)
    shutil.copytree(FIXTURES / "valid" / inbox_fixture, warehouse.inbox)
    return warehouse


# the demo the golden test, the baseline's test and the chart pages read: 9 districts,
# 75 schools and their branches, every activity type and fault, 24 months
DEMO_ROWS = 20_000


@pytest.fixture(scope="session")
def first_slice(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The first-slice inbox ingested, built with dbt, published and exported once."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("first_slice"), "first_slice_inbox")
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox), "--json")
    warehouse.outputs["build"] = warehouse.run("publish")
    warehouse.outputs["export"] = warehouse.run("export", "--out", str(warehouse.exports))
    return warehouse


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The demo inbox at ``DEMO_ROWS`` rows written, ingested, built, published and its
    CSV files exported (no PDF) once per session (about a minute)."""
    warehouse = empty_warehouse(tmp_path_factory.mktemp("demo"))
    warehouse.outputs["demo"] = warehouse.run(
        "demo", "--out", str(warehouse.inbox), "--rows", str(DEMO_ROWS)
    )
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox))
    warehouse.outputs["build"] = warehouse.run("publish")
    warehouse.outputs["export"] = warehouse.run(
        "export", "--out", str(warehouse.exports), "--no-pdf"
    )
    return warehouse


@pytest.fixture(scope="session")
def reference_only(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The first-slice inbox without its activity logs (districts, organizations and the
    roster only), ingested, built and published: a snapshot with no approved activity."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("reference_only"), "first_slice_inbox")
    shutil.rmtree(warehouse.inbox / "logs")
    warehouse.outputs["ingest"] = warehouse.run("ingest", "--inbox", str(warehouse.inbox), "--json")
    warehouse.outputs["build"] = warehouse.run("publish")
    return warehouse


@pytest.fixture(scope="session")
def empty_lake(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A build over an empty lake (nothing ever loaded), published."""
    warehouse = make_warehouse(tmp_path_factory.mktemp("empty_lake"), "first_slice_inbox")
    shutil.rmtree(warehouse.inbox)
    warehouse.inbox.mkdir()
    warehouse.outputs["build"] = warehouse.run("publish")
    return warehouse


def file_texts(path: Path) -> list[str]:
    """Every text a file holds, as a reader would see it: its bytes, and the rows of a
    Parquet or DuckDB file, the parts of a workbook or Word file, the text of a PDF."""
    texts = [path.read_bytes().decode("utf-8", errors="replace")]
    if path.suffix == ".parquet":
        con = duckdb.connect()
        texts.append(repr(con.execute("select * from read_parquet(?)", [str(path)]).fetchall()))
    elif path.suffix == ".duckdb":
        con = duckdb.connect(str(path), read_only=True)
        for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables()"
        ).fetchall():
            texts.append(repr(con.execute(f'select * from "{schema}"."{table}"').fetchall()))
        con.close()
    elif path.suffix in (".xlsx", ".docx"):  # workbooks and Word files are zips of XML
        with zipfile.ZipFile(path) as book:
            texts += [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
    elif path.suffix == ".pdf":
        printed = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
        texts.append(printed.stdout)
    return texts
