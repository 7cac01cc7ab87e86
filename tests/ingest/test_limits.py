"""Hostile or oversized input: files over the size limit and rows over
1 MB are refused with a message, and odd inbox file names write nothing outside
``WAREHOUSE_DIR`` (batch files are named by batch id, never by the inbox name).
Links out of the inbox are never read, a message quotes a file only masked
and cut, and workbooks that would exhaust memory are refused before they are read."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from ingest import loader, rotate
from ingest.mapping import MappingError
from ingest.raw_table import FileFault
from ingest.reading import read_tables

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


# -- links out of the inbox -------------------------------------------------

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


# -- file content quoted in messages ----------------------------------------


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
    from kernel.errors import excerpt  # here: the rule is new, the other tests run without it

    assert excerpt(text) == quoted


def test_a_file_holding_a_key_is_refused_without_quoting_it(warehouse) -> None:
    (warehouse.inbox / "key.csv").write_text(SECRET_KEY, encoding="utf-8")

    result = warehouse.load_one()

    assert (result.outcome, result.message) == (
        "failed",
        "key.csv: no recognisable header row: none of the first 20 rows names the columns of "
        "an activity log, event summary, roster, organization, district or activity types "
        f"file (first row: '{'*' * 40}…'); rename the headers as in the README or add a "
        "mapping",
    )


# -- workbooks that would exhaust memory -----------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CSV_INSTEAD = "save its sheets as CSV files (UTF-8) and load those instead"
Writer = Callable[[IO[bytes]], None]


def _package(path: Path, sheets: list[tuple[str, Writer]], shared: Writer | None = None) -> int:
    """An .xlsx written part by part with zipfile, deflated and streamed (a 1 GiB part
    costs the test no memory): the sheets (title, writer of the sheet's XML) and the
    shared strings part. Returns the bytes of all its parts, unpacked."""
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared:
        types += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared:
        relations += (
            f'<Relationship Id="rId0" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    small = {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{types}</Types>'
        ),
        "_rels/.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            + "".join(
                f'<sheet name="{title}" sheetId="{i}" r:id="rId{i}"/>'
                for i, (title, _) in enumerate(sheets, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{relations}</Relationships>'
        ),
    }
    parts = [(name, lambda h, t=text: h.write(t.encode())) for name, text in small.items()]
    parts += [(f"xl/worksheets/sheet{i}.xml", w) for i, (_, w) in enumerate(sheets, start=1)]
    if shared:
        parts.append(("xl/sharedStrings.xml", shared))
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, write in parts:
            with archive.open(name, "w", force_zip64=True) as handle:
                counting = _Counting(handle)
                write(counting)
                total += counting.written
    return total


class _Counting:
    """A file that counts the bytes written through it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.written = handle, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return self.handle.write(data)


def _sheet(rows: str, dimension: str | None = None) -> Writer:
    """A sheet's XML around its rows (``<row>`` elements), with a ``<dimension>`` or none."""
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    text = f'{XML}<worksheet xmlns="{MAIN}">{head}<sheetData>{rows}</sheetData></worksheet>'
    return lambda handle: handle.write(text.encode())


def _row(number: int, *cells: str) -> str:
    """A row of inline-text cells from column A; an empty string leaves its cell out."""
    inline = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'
        for i, cell in enumerate(cells)
        if cell
    )
    return f'<row r="{number}">{inline}</row>'


def _shared_strings(*texts: str) -> Writer:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    body = f'{XML}<sst xmlns="{MAIN}" count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'
    return lambda handle: handle.write(body.encode())


def _never_unpacked(monkeypatch: pytest.MonkeyPatch, part: str) -> None:
    """Make unpacking ``part`` of any zip fail the test (as openpyxl would unpack it)."""
    real_open = zipfile.ZipFile.open

    def guarded(self: zipfile.ZipFile, name: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode == "r" and filename == part:
            raise AssertionError(f"{part} was unpacked")
        return real_open(self, name, mode, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", guarded)


HEADER_ROW = _row(1, *HEADERS)
DATA_ROW = _row(2, *ROW)


def test_a_workbook_with_a_one_gib_cell_is_refused_before_it_is_unpacked(
    warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f'{XML}<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode()
    suffix = b"</t></si></sst>"

    def one_gib_cell(handle: IO[bytes]) -> None:
        handle.write(prefix)
        chunk = b"x" * (1 << 20)
        for _ in range(1024):
            handle.write(chunk)
        handle.write(suffix)

    cell = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    bomb = warehouse.inbox / "bomb.xlsx"
    total = _package(bomb, [("活动", _sheet(HEADER_ROW + cell))], one_gib_cell)
    assert bomb.stat().st_size < 2 << 20  # a file of about 1 MB
    warehouse.write("small.csv", HEADERS, [ROW])
    _never_unpacked(monkeypatch, "xl/sharedStrings.xml")

    bomb_result, small_result = warehouse.load()

    shared_size = len(prefix) + (1 << 30) + len(suffix)
    assert total > 1 << 30
    assert (bomb_result.outcome, bomb_result.message) == (
        "failed",
        f"bomb.xlsx: the workbook unpacks to {total:,} bytes, more than the 1,073,741,824 a "
        f"workbook may unpack to (of which its shared text, xl/sharedStrings.xml, takes "
        f"{shared_size:,}); {CSV_INSTEAD}",
    )
    assert (small_result.file, small_result.outcome, small_result.rows_loaded) == (
        "small.csv",
        "loaded",
        1,
    )


def test_a_part_that_packs_more_than_a_hundredfold_is_refused_before_it_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 16 MiB of one letter in one cell packs to some 16 KB: a thousandfold
    big_cell = _sheet(HEADER_ROW + _row(2, "T001", "x" * (16 << 20)))
    path = tmp_path / "bomb.xlsx"
    _package(path, [("说明", _sheet(_row(1, "本表由各校填报"))), ("活动", big_cell)])
    with zipfile.ZipFile(path) as archive:
        part = archive.getinfo("xl/worksheets/sheet2.xml")
    _never_unpacked(monkeypatch, "xl/worksheets/sheet2.xml")

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert part.file_size > 100 * part.compress_size
    assert str(raised.value) == (
        f"sheet '活动' unpacks to {part.file_size:,} bytes from {part.compress_size:,}, more "
        "than 100 times its packed size (a spreadsheet program's packs 5 to 20 times: this "
        f"file was made to exhaust memory, or is damaged); {CSV_INSTEAD}"
    )


def test_a_sheet_whose_dimension_passes_excels_last_row_is_refused_unread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rows.xlsx"
    _package(path, [("活动", _sheet(HEADER_ROW + DATA_ROW, dimension="A1:E4000000"))])

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert str(raised.value) == (
        "sheet '活动' reaches row 4,000,000, past the 1,048,576 rows a sheet may have in "
        "Excel; split it into sheets of at most 1,048,576 rows, or save it as a CSV file "
        "(UTF-8), and load that"
    )


def test_a_sheet_is_held_to_excels_last_row_while_it_streams(tmp_path: Path) -> None:
    # the dimension says A1 (as some exporters write): only the rows tell
    at_limit, past_limit = tmp_path / "at.xlsx", tmp_path / "past.xlsx"
    _package(at_limit, [("活动", _sheet(HEADER_ROW + DATA_ROW + _row(1_048_576, *ROW), "A1"))])
    _package(past_limit, [("活动", _sheet(HEADER_ROW + DATA_ROW + _row(1_048_577, *ROW), "A1"))])

    (table,) = read_tables(at_limit, tmp_path)
    with pytest.raises(FileFault) as raised:
        read_tables(past_limit, tmp_path)

    assert table.batches.read_all().column("__line").to_pylist() == [2, 1_048_576]
    assert str(raised.value) == (
        "sheet '活动' reaches row 1,048,577, past the 1,048,576 rows a sheet may have in "
        "Excel; split it into sheets of at most 1,048,576 rows, or save it as a CSV file "
        "(UTF-8), and load that"
    )


def test_a_cell_longer_than_excel_allows_is_refused_naming_it(tmp_path: Path) -> None:
    longest, too_long = "字" * 32_767, "字" * 32_768
    fits, overflows = tmp_path / "fits.xlsx", tmp_path / "overflows.xlsx"
    shared_cell = (
        '<row r="3"><c r="A3" t="inlineStr"><is><t>T002</t></is></c>'
        '<c r="B3" t="s"><v>1</v></c></row>'
    )
    _package(fits, [("活动", _sheet(HEADER_ROW + _row(2, "T001", longest, *ROW[2:])))])
    _package(
        overflows,
        [("活动", _sheet(HEADER_ROW + DATA_ROW + shared_cell))],
        _shared_strings(longest, too_long),
    )

    (table,) = read_tables(fits, tmp_path)
    with pytest.raises(FileFault) as raised:
        read_tables(overflows, tmp_path)

    assert table.batches.read_all().column("c1").to_pylist() == [longest]
    assert str(raised.value) == (
        "sheet '活动', row 3, column B: the cell holds 32,768 characters, more than the 32,767 "
        "a cell may have in Excel; shorten it, and load the file again"
    )


def test_a_text_shared_by_many_cells_counts_once_per_cell(tmp_path: Path) -> None:
    # 32,767 characters stored once, referred to by every cell of two sheets: 4,097 rows
    # hold 134,246,399 characters, and the second sheet's 4,096th row takes the workbook
    # past 268,435,456 (4,097 + 4,096 = 8,193 cells; 8,192 would be 268,427,264)
    def rows(count: int) -> str:
        return "".join(
            f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, count + 1)
        )

    path = tmp_path / "shared.xlsx"
    _package(
        path,
        [("一", _sheet(rows(4_097))), ("二", _sheet(rows(5_000)))],
        _shared_strings("x" * 32_767),
    )

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert str(raised.value) == (
        "sheet '二': at row 4,096 the text of the workbook's cells passes 268,435,456 "
        f"characters, more than a workbook may hold in all; {CSV_INSTEAD}"
    )


def test_a_sheet_as_wide_as_excel_allows_is_held_to_the_cells_a_workbook_may_hold(
    tmp_path: Path,
) -> None:
    # one cell in Excel's last column (XFD, the 16,384th) makes every row that wide:
    # 2,048 rows are 33,554,432 cells, the limit; row 2,049 passes it
    wide = '<row r="1"><c r="XFD1" t="inlineStr"><is><t>备注</t></is></c></row>'
    path = tmp_path / "wide.xlsx"
    _package(path, [("活动", _sheet(wide + _row(2_049, "T001")))])

    with pytest.raises(FileFault) as raised:
        read_tables(path, tmp_path)

    assert str(raised.value) == (
        "sheet '活动' reaches 2,049 rows up to 16,384 columns wide, more than the 33,554,432 "
        f"cells (rows times the widest row) a workbook's sheets may hold in all; {CSV_INSTEAD}"
    )
