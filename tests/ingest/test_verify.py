"""Checksums of landed batches (issue 8 item 2): the manifest records the SHA-256 of each
batch file, and ``python -m ingest status --verify`` names any that is missing,
corrupted or truncated, exiting 1."""

from __future__ import annotations

import hashlib

from ingest.cli import main

HEADERS = ["人员编号", "单位", "日期", "时长", "活动类型"]
ROWS = [
    ["T001", "第一中学", "2025-03-05", "2", "家访"],
    ["T002", "第一中学", "2025-13-01", "2", "家访"],
]


def _verify(warehouse, capsys) -> tuple[int, str, str]:
    code = main(["status", "--verify", "--warehouse", str(warehouse.paths.root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _loaded(warehouse):
    warehouse.write("a.csv", HEADERS, ROWS)
    result = warehouse.load_one()
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    return result


def test_the_manifest_records_each_batch_files_sha256(warehouse, capsys) -> None:
    result = _loaded(warehouse)

    (line,) = warehouse.manifest()
    names = [f"activity/{result.batch_id}.parquet", f"rejects/{result.batch_id}.parquet"]
    assert line["checksums"] == {
        name: hashlib.sha256((warehouse.paths.lake / name).read_bytes()).hexdigest()
        for name in names
    }
    assert _verify(warehouse, capsys) == (0, "all 2 batch files match the manifest\n", "")


def test_a_truncated_or_changed_batch_file_is_named(warehouse, capsys) -> None:
    result = _loaded(warehouse)
    data = warehouse.paths.lake / "activity" / f"{result.batch_id}.parquet"
    data.write_bytes(data.read_bytes()[:-100])  # truncated
    rejects = warehouse.paths.lake / "rejects" / f"{result.batch_id}.parquet"
    changed = bytearray(rejects.read_bytes())
    changed[10] ^= 0xFF  # one byte flipped, same length
    rejects.write_bytes(bytes(changed))

    code, out, err = _verify(warehouse, capsys)

    advice = (
        "does not match its checksum in the manifest: the file is corrupted or truncated; "
        "load the original again (python -m ingest --inbox …) or restore the lake from a backup"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: activity/{result.batch_id}.parquet (a.csv) {advice}",
        f"error: rejects/{result.batch_id}.parquet (a.csv) {advice}",
    ]


def test_a_missing_batch_file_is_named(warehouse, capsys) -> None:
    result = _loaded(warehouse)
    (warehouse.paths.lake / "activity" / f"{result.batch_id}.parquet").unlink()

    code, _, err = _verify(warehouse, capsys)

    assert (code, err) == (1, f"error: activity/{result.batch_id}.parquet (a.csv) is missing\n")
