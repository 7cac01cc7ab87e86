"""Hostile or oversized input (issue 8 item 5): files over the size limit and rows over
1 MB are refused with a message, and odd inbox file names write nothing outside
``WAREHOUSE_DIR`` (batch files are named by batch id, never by the inbox name).
Issue 15: links out of the inbox are never read, and a message quotes a file only
masked and cut."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ingest import loader, rotate
from ingest.mapping import MappingError

ROW = ["T001", "第一中学", "2025-03-05", "2", "家访"]
HEADERS = ["人员编号", "单位", "日期", "时长", "活动类型"]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_file_over_the_size_limit_is_refused_and_the_others_load(
    warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = warehouse.write("small.csv", HEADERS, [ROW])
    big = warehouse.write("big.csv", HEADERS, [ROW, ROW, ROW])
    limit = small.stat().st_size  # small is at the limit, big is over it
    assert big.stat().st_size > limit
    monkeypatch.setenv("INGEST_MAX_FILE_BYTES", str(limit))

    big_result, small_result = warehouse.load()

    assert (big_result.file, big_result.outcome, big_result.message) == (
        "big.csv",
        "failed",
        f"big.csv: the file is {big.stat().st_size:,} bytes, more than the {limit:,} a file "
        "may have (INGEST_MAX_FILE_BYTES); split it into smaller files, or raise the limit",
    )
    assert (small_result.file, small_result.outcome, small_result.rows_loaded) == (
        "small.csv",
        "loaded",
        1,
    )


def test_a_row_over_one_megabyte_is_refused_naming_its_line(warehouse) -> None:
    # a quote left open: the rest of the file is one cell, one row of 1.2 MB
    lines = [",".join(HEADERS), ",".join(ROW), ",".join(ROW), 'T002,"第一中学,2025-03-05,2,家访']
    lines += [",".join(ROW)] * 60_000
    text = "\n".join(lines) + "\n"
    (warehouse.inbox / "open_quote.csv").write_text(text, encoding="utf-8")
    # the row runs from its line (4) to the end of the file: the last line break is
    # inside the open quote, so it is part of the row
    row_bytes = len(("\n".join(lines[3:]) + "\n").encode())
    assert row_bytes > 1 << 20

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        f"open_quote.csv: the row on line 4 is {row_bytes:,} bytes long, more than the "
        "1,048,576 a row may have (a quote left open runs on to the end of the file); close "
        "the quote or split the cell, and load the file again",
    )
    assert warehouse.manifest() == []


@pytest.mark.parametrize(
    "name",
    [
        "x..csv",  # a name starting with a dot is hidden, and not loaded
        "a...b..csv",
        "名单 (副本) ;'\"$(rm -rf x).csv",
        "line\nbreak.csv",
        "-rf.csv",
    ],
    ids=["dots", "many-dots", "quotes-and-shell", "newline", "dash"],
)
def test_an_odd_file_name_loads_and_writes_only_inside_the_warehouse(
    warehouse, tmp_path: Path, name: str
) -> None:
    nested = Path("sub..dir") / name
    warehouse.write(nested.as_posix(), HEADERS, [ROW])
    outside = _files(tmp_path) - _files(warehouse.paths.root)

    result = warehouse.load_one()

    assert (result.file, result.outcome, result.rows_loaded) == (nested.as_posix(), "loaded", 1)
    # nothing was written anywhere but under WAREHOUSE_DIR
    assert _files(tmp_path) - _files(warehouse.paths.root) == outside
    # and in the lake only under the batch's id
    lake = {p.relative_to(warehouse.paths.lake).as_posix() for p in _files(warehouse.paths.lake)}
    assert f"activity/{result.batch_id}.parquet" in lake
    assert not any(name in path for path in lake)


# -- links out of the inbox (issue 15 item 9) -------------------------------------------------

# A warehouse key file's content: 64 hex digits, letters and digits.
SECRET_KEY = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
LINK_TO_A_FILE = (
    "the file is a link that points outside the inbox, and files outside the inbox are never "
    "read; copy the file itself into the inbox"
)
LINK_TO_A_FOLDER = (
    "the folder is a link that points outside the inbox, and files outside the inbox are "
    "never read, so none of its files was loaded; copy the files themselves into the inbox"
)


def _spy_on_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader reads (hashes or parses), as it reads them."""
    read: list[str] = []
    real_sha, real_tables = loader.file_sha256, loader.read_tables

    def sha(path: Path) -> str:
        read.append(path.name)
        return real_sha(path)

    def tables(path: Path, *args: Any, **kwargs: Any) -> Any:
        read.append(path.name)
        return real_tables(path, *args, **kwargs)

    monkeypatch.setattr(loader, "file_sha256", sha)
    monkeypatch.setattr(loader, "read_tables", tables)
    return read


def test_a_link_to_a_file_outside_the_inbox_is_reported_and_never_read(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.key").write_text(SECRET_KEY, encoding="utf-8")
    (warehouse.inbox / "x.csv").symlink_to("../secret.key")  # relative, as in the review
    (warehouse.inbox / "y.xlsx").symlink_to(tmp_path / "secret.key")  # absolute
    (warehouse.inbox / "z.csv").symlink_to(tmp_path / "gone.csv")  # outside, and missing
    warehouse.write("small.csv", HEADERS, [ROW])
    read = _spy_on_reads(monkeypatch)

    results = warehouse.load()

    assert [(r.file, r.outcome, r.message) for r in results] == [
        ("small.csv", "loaded", ""),
        ("x.csv", "failed", f"x.csv: {LINK_TO_A_FILE}"),
        ("y.xlsx", "failed", f"y.xlsx: {LINK_TO_A_FILE}"),
        ("z.csv", "failed", f"z.csv: {LINK_TO_A_FILE}"),
    ]
    assert read == ["small.csv", "small.csv"]  # hashed, then read; the links never


def test_a_link_to_a_folder_outside_the_inbox_is_reported_and_not_followed(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "s.csv").write_text(",".join(HEADERS) + "\n" + ",".join(ROW) + "\n", "utf-8")
    (warehouse.inbox / "logs").symlink_to(elsewhere, target_is_directory=True)
    (warehouse.inbox / ".old").symlink_to(elsewhere, target_is_directory=True)  # hidden
    warehouse.write("small.csv", HEADERS, [ROW])
    read = _spy_on_reads(monkeypatch)

    results = warehouse.load()

    assert [(r.file, r.outcome, r.message) for r in results] == [
        ("logs", "failed", f"logs: {LINK_TO_A_FOLDER}"),
        ("small.csv", "loaded", ""),
    ]
    assert read == ["small.csv", "small.csv"]


def test_links_that_stay_inside_the_inbox_load_like_copies(warehouse) -> None:
    warehouse.write("2025/s01.csv", HEADERS, [ROW])
    (warehouse.inbox / "alias.csv").symlink_to("2025/s01.csv")  # a file: loads by its name
    (warehouse.inbox / "latest").symlink_to("2025", target_is_directory=True)  # not followed
    (warehouse.inbox / "dangling.csv").symlink_to("nowhere.csv")  # not a file: skipped

    results = warehouse.load()

    # the folder link is not followed: its files load once, under their own path
    assert [(r.file, r.outcome, r.rows_loaded) for r in results] == [
        ("2025/s01.csv", "loaded", 1),
        ("alias.csv", "loaded", 1),
    ]


def test_a_mapping_file_linked_from_outside_the_inbox_stops_the_load_unread(
    warehouse, tmp_path: Path
) -> None:
    (tmp_path / "platform.mapping.yaml").write_text("constants: {org_code: S02}\n", "utf-8")
    (warehouse.inbox / "platform.mapping.yaml").symlink_to(tmp_path / "platform.mapping.yaml")
    warehouse.write("small.csv", HEADERS, [ROW])

    with pytest.raises(MappingError) as raised:
        warehouse.load()

    assert str(raised.value) == f"platform.mapping.yaml: {LINK_TO_A_FILE}"
    assert not warehouse.paths.manifest.exists()


def test_a_rotation_refuses_an_original_that_now_links_outside_the_inbox(
    warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = warehouse.write("s01.csv", HEADERS, [ROW])
    assert warehouse.load_one().outcome == "loaded"
    # the same bytes, now outside the inbox behind a link: same name, same SHA-256
    moved = tmp_path / "outside" / "s01.csv"
    moved.parent.mkdir()
    original.rename(moved)
    original.symlink_to(moved)
    hashed: list[str] = []
    real_sha = rotate.file_sha256
    monkeypatch.setattr(
        rotate, "file_sha256", lambda path: hashed.append(path.name) or real_sha(path)
    )

    with pytest.raises(rotate.RotationRefused) as raised:
        rotate.plan(warehouse.paths, warehouse.inbox)

    assert str(raised.value) == (
        "the lake can only be rebuilt from the original of every batch in effect, and these "
        f"are not in the inbox as they were loaded:\n  s01.csv: {LINK_TO_A_FILE}\n"
        "put the original files back (same names, same content) and run again; nothing was "
        "changed"
    )
    assert hashed == []


def test_a_rotation_refuses_a_mapping_file_that_links_outside_the_inbox(
    warehouse, tmp_path: Path
) -> None:
    warehouse.write("s01.csv", HEADERS, [ROW])
    assert warehouse.load_one().outcome == "loaded"
    (tmp_path / "m.mapping.yaml").write_text("constants: {org_code: S02}\n", "utf-8")
    (warehouse.inbox / "sub").mkdir()
    (warehouse.inbox / "sub" / "m.mapping.yaml").symlink_to(tmp_path / "m.mapping.yaml")
    manifest = warehouse.paths.manifest.read_bytes()

    with pytest.raises(rotate.RotationRefused) as raised:
        rotate.rotate(warehouse.paths, warehouse.inbox)

    assert str(raised.value) == f"sub/m.mapping.yaml: {LINK_TO_A_FILE}; nothing was changed"
    assert warehouse.paths.manifest.read_bytes() == manifest
    assert not (warehouse.paths.root / rotate.WORK).exists()


# -- file content quoted in messages (issue 15 item 9) ----------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # a key: letters and digits, masked, then cut at 40 characters
        (SECRET_KEY, "*" * 40 + "…"),
        # a header row as people write it stays readable
        ("编号, 名称, 备注", "编号, 名称, 备注"),
        ("2025年3月志愿服务活动登记表", "2025年3月志愿服务活动登记表"),
        ("T001, 第一中学, 2025-03-05, 2, 家访", "T001, 第一中学, 2025-03-05, 2, 家访"),
        # ID and phone numbers, also written in groups or full-width
        ("张三, 11010519491231002X", "张三, " + "*" * 18),
        ("李四, 138 1234 5678", "李四, " + "*" * 13),
        ("王五, 010-12345678", "王五, " + "*" * 12),
        ("１３８１２３４５６７８", "*" * 11),
        # a password of letters and digits, a long word, a short number
        ("password=hunter2 ok", "*" * 16 + " ok"),
        ("aaaaaaaaaaaaaaaa, 12345", "*" * 16 + ", 12345"),
        # one line, at most 40 characters
        ("第一行\n第二行", "第一行 第二行"),
        ("活动" * 30, "活动" * 20 + "…"),
    ],
)
def test_file_content_in_a_message_is_masked_and_cut(text: str, quoted: str) -> None:
    from ingest.errors import excerpt  # here: the rule is new, the other tests run without it

    assert excerpt(text) == quoted


def test_a_file_holding_a_key_is_refused_without_quoting_it(warehouse) -> None:
    (warehouse.inbox / "key.csv").write_text(SECRET_KEY, encoding="utf-8")

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        "key.csv: no recognisable header row: none of the first 20 rows names the columns of "
        "an activity log, roster, organization or district file (first row: "
        f"'{'*' * 40}…'); rename the headers as in the README or add a mapping",
    )
