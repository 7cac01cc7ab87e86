"""Checksums of landed batches: the manifest records the SHA-256 of each
batch file, and ``python -m ingest status --verify`` names any that is missing,
corrupted or truncated, exiting 1."""

from __future__ import annotations

import hashlib
import os

from ingest.cli import main
from kernel import manifest
from kernel.manifest import checked_files, verify

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


def _counting_reads(monkeypatch) -> list[str]:
    """The lake files ``verify`` reads whole, by name, from now on."""
    reads: list[str] = []
    real = manifest.file_sha256

    def counted(path):
        reads.append(f"{path.parent.name}/{path.name}")
        return real(path)

    monkeypatch.setattr(manifest, "file_sha256", counted)
    return reads


def test_a_build_reads_again_only_the_files_changed_since_it_found_them_whole(
    warehouse, monkeypatch
) -> None:
    result = _loaded(warehouse)
    record = checked_files(warehouse.paths)
    assert record == warehouse.paths.root / "build" / "lake_checked.json"
    reads = _counting_reads(monkeypatch)
    data_name = f"activity/{result.batch_id}.parquet"
    rejects_name = f"rejects/{result.batch_id}.parquet"
    # the first build reads both files and records them
    assert verify(warehouse.paths, None, record) == []
    assert reads == [data_name, rejects_name]
    # the next reads neither
    reads.clear()
    assert verify(warehouse.paths, None, record) == []
    assert reads == []
    # one byte flipped in place, the length and modification time put back: the change
    # time moved, so the file is read again and named
    rejects = warehouse.paths.lake / "rejects" / f"{result.batch_id}.parquet"
    before = rejects.stat()
    changed = bytearray(rejects.read_bytes())
    changed[10] ^= 0xFF
    rejects.write_bytes(bytes(changed))
    os.utime(rejects, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rejects.stat().st_size == before.st_size
    assert verify(warehouse.paths, None, record) == [
        f"rejects/{result.batch_id}.parquet (a.csv) does not match its checksum in the "
        f"manifest: the file is corrupted or truncated; {REMEDY}"
    ]
    assert reads == [rejects_name]
    # and is read again, and named again, on every build until it is mended
    reads.clear()
    assert len(verify(warehouse.paths, None, record)) == 1
    assert reads == [rejects_name]


def test_a_damaged_record_is_ignored_and_the_verify_command_reads_every_file(
    warehouse, monkeypatch, capsys
) -> None:
    _loaded(warehouse)
    record = checked_files(warehouse.paths)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("{not json", encoding="utf-8")
    reads = _counting_reads(monkeypatch)
    assert verify(warehouse.paths, None, record) == []
    assert len(reads) == 2
    # python -m ingest status --verify reads every byte, whatever builds found before
    reads.clear()
    assert _verify(warehouse, capsys) == (0, "all 2 batch files match the manifest\n", "")
    assert len(reads) == 2
