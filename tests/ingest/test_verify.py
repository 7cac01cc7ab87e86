"""Checksums of landed batches: the manifest records the SHA-256 of each
batch file, and ``python -m ingest status --verify`` names any that is missing,
corrupted or truncated, exiting 1."""

from __future__ import annotations

import hashlib

from ingest.cli import main

REMEDY = (
    "land it again from its original (python -m ingest repair --inbox DIR, with the "
    "original file under its name in DIR) or restore the lake from a backup"
)

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
        f"does not match its checksum in the manifest: the file is corrupted or truncated; {REMEDY}"
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

    assert (code, err) == (
        1,
        f"error: activity/{result.batch_id}.parquet (a.csv) is missing: {REMEDY}\n",
    )


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_repair_lands_a_damaged_batch_again_from_its_original(warehouse, capsys) -> None:
    result = _loaded(warehouse)
    root = str(warehouse.paths.root)
    data = warehouse.paths.lake / "activity" / f"{result.batch_id}.parquet"
    rows_before = warehouse.rows("activity", result.batch_id)
    data.write_bytes(data.read_bytes()[:-100])  # truncated
    (warehouse.paths.lake / "rejects" / f"{result.batch_id}.parquet").unlink()
    # the remedy the review tried: loading the original again changes nothing
    assert warehouse.load_one().outcome == "unchanged"

    code, out, err = _run(
        capsys, "repair", "--inbox", str(warehouse.inbox), "--warehouse", root, "--lang", "en"
    )

    assert (code, out, err) == (0, f"repaired a.csv (batch {result.batch_id})\n", "")
    assert _verify(warehouse, capsys) == (0, "all 2 batch files match the manifest\n", "")
    assert warehouse.rows("activity", result.batch_id) == rows_before
    (reject,) = warehouse.rejects(result.batch_id)
    assert (reject["source_line"], reject["reason"], reject["reason_value"]) == (
        3,
        "bad_date",
        "2025-13-01",
    )
    (line,) = warehouse.manifest()  # the same batch, not a new one
    assert (line["batch_id"], line["rows_read"], line["superseded_at"]) == (
        result.batch_id,
        2,
        None,
    )


def test_repair_refuses_an_original_whose_sha256_differs(warehouse, capsys) -> None:
    result = _loaded(warehouse)
    (warehouse.paths.lake / "activity" / f"{result.batch_id}.parquet").unlink()
    warehouse.write("a.csv", HEADERS, ROWS[:1])  # a corrected file, not the original
    root = str(warehouse.paths.root)

    code, out, err = _run(
        capsys, "repair", "--inbox", str(warehouse.inbox), "--warehouse", root, "--lang", "en"
    )

    assert (code, out) == (1, "")
    assert err == (
        f"error: a.csv (batch {result.batch_id}): a.csv in {warehouse.inbox} is not the file "
        "the batch came from (its SHA-256 differs): a corrected file loads as a new batch "
        "(python -m ingest); put the original back to repair this one\n"
    )
    assert not (warehouse.paths.lake / "activity" / f"{result.batch_id}.parquet").exists()


def test_repair_with_nothing_damaged_says_so(warehouse, capsys) -> None:
    _loaded(warehouse)
    root = str(warehouse.paths.root)

    assert _run(
        capsys, "repair", "--inbox", str(warehouse.inbox), "--warehouse", root, "--lang", "en"
    ) == (
        0,
        "no damaged batch: every batch file matches the manifest\n",
        "",
    )


def test_repair_says_so_in_chinese_by_default(warehouse, capsys) -> None:
    _loaded(warehouse)
    root = str(warehouse.paths.root)

    assert _run(capsys, "repair", "--inbox", str(warehouse.inbox), "--warehouse", root) == (
        0,
        "没有损坏的批次：每个批次文件都与清单相符\n",
        "",
    )
