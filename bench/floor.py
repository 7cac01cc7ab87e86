"""``python -m bench.floor IN OUT``: the floor ingest is measured against.

DuckDB's own bare ``read_csv(all_varchar = true)`` of every CSV under ``IN`` (UTF-8),
each written to one Parquet file under ``OUT`` with the lake's compression (zstd):
what reading and landing the same files costs with no validation, no line numbers,
no pseudonymization and no manifest. One connection, one file after the other, as
ingest does. Prints the rows written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def floor(inbox: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    rows = 0
    for index, path in enumerate(sorted(p for p in inbox.rglob("*") if p.is_file())):
        target = str(out / f"{index:05d}.parquet").replace("'", "''")
        written = con.execute(
            f"copy (select * from read_csv($path, all_varchar = true)) "
            f"to '{target}' (format parquet, compression zstd)",
            {"path": str(path)},
        ).fetchone()
        assert written is not None  # copy reports the rows it wrote
        rows += written[0]
    con.close()
    return rows


if __name__ == "__main__":
    print(floor(Path(sys.argv[1]), Path(sys.argv[2])))
