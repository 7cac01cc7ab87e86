"""Encodings (DESIGN.md, "Value formats accepted"): UTF-16 without a byte-order mark is
read, told by its NUL bytes; Big5 and Shift-JIS are not read, and the whole-file message
names them, while GBK text (which Big5 bytes also decode as) still loads.

Each file is text written here and encoded with Python's codecs."""

from __future__ import annotations

import pytest

from ingest import encoding as encoding_module
from ingest.encoding import _utf16_without_bom, detect_and_transcode
from ingest.raw_table import FileFault

HEADERS = ["人员编号", "姓名", "单位", "日期", "时长", "活动类型"]
# Simplified Chinese, as a school's GBK export has it; 堃 is outside GB2312 (GBK only).
SIMPLIFIED = [
    ["T001", "陈大文", "第一中学", "2025-03-05", "2", "党员活动日"],
    ["T002", "黄小明", "实验小学", "2025-03-06", "1.5", "志愿服务"],
    ["T003", "王堃", "第二中学", "2025-03-07", "3", "环境保护"],
]
TRADITIONAL = (
    "人員編號,姓名,單位,日期,時長,活動類型\n"
    "T001,陳大文,第一中學,2025-03-05,2,黨員活動日\n"
    "T002,黃小明,實驗小學,2025-03-06,1.5,志願服務\n"
    "T003,張偉,第二中學,2025-03-07,3,環境保護\n"
)
JAPANESE = (
    "社員番号,氏名,学校,日付,時間,活動種類\n"
    "T001,山田太郎,第一中学校,2025-03-05,2,ボランティア活動\n"
    "T002,佐藤花子,北小学校,2025-03-06,1.5,清掃活動\n"
    "T003,鈴木一郎,南高等学校,2025-03-07,3,地域の見守り\n"
)
SAVE = "save it as UTF-8 or GB18030 and send it again; nothing was loaded"


@pytest.mark.parametrize(
    ("text", "codec", "named"),
    [
        (TRADITIONAL, "big5", "Big5 (traditional Chinese)"),
        (JAPANESE, "shift_jis", "Shift-JIS (Japanese)"),
        (JAPANESE, "cp932", "Shift-JIS (Japanese)"),  # Windows' Shift-JIS, as Excel saves it
    ],
)
def test_a_big5_or_shift_jis_file_fails_named_and_the_others_load(
    warehouse, text: str, codec: str, named: str
) -> None:
    (warehouse.inbox / "other.csv").write_bytes(text.encode(codec))
    warehouse.write("z_good.csv", HEADERS, SIMPLIFIED)

    failed, good = warehouse.load()

    assert (failed.file, failed.outcome, failed.message) == (
        "other.csv",
        "failed",
        f"other.csv: looks like {named} text; {SAVE}",
    )
    assert (good.outcome, good.rows_loaded) == ("loaded", 3)
    assert [m["file"] for m in warehouse.manifest()] == ["z_good.csv"]


def test_big5_bytes_decode_as_gb18030_yet_are_named(warehouse) -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # no error: GB18030 alone cannot tell

    (warehouse.inbox / "trad.csv").write_bytes(data)

    assert warehouse.load_one().message == (
        f"trad.csv: looks like Big5 (traditional Chinese) text; {SAVE}"
    )


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_simplified_chinese_in_gbk_still_loads(warehouse, codec: str) -> None:
    warehouse.write("gbk.csv", HEADERS, SIMPLIFIED, encoding=codec)

    result = warehouse.load_one()

    assert (result.outcome, result.rows_loaded, result.rows_rejected) == ("loaded", 3, 0)
    rows = warehouse.rows("activity", result.batch_id)
    assert [r["person_name"] for r in rows] == ["陈大文", "黄小明", "王堃"]
    assert warehouse.manifest()[0]["detected"]["encoding"] == "gb18030"


def test_traditional_chinese_saved_as_gb18030_loads(warehouse) -> None:
    # GB18030 holds traditional characters too: the text is read, not named Big5
    (warehouse.inbox / "trad.csv").write_bytes(TRADITIONAL.encode("gb18030"))

    result = warehouse.load_one()

    # its traditional headers are not the contract's: the file names no columns
    assert result.outcome == "failed"
    assert "Big5" not in result.message
    assert result.message.startswith("trad.csv: no recognisable header row")


@pytest.mark.parametrize(
    ("codec", "delimiter", "detected"),
    [
        ("utf-16-le", ",", "utf-16-le"),
        ("utf-16-le", "\t", "utf-16-le"),
        ("utf-16-be", ",", "utf-16-be"),
    ],
)
def test_utf16_without_a_byte_order_mark_is_read(
    warehouse, codec: str, delimiter: str, detected: str
) -> None:
    warehouse.write("wide.csv", HEADERS, SIMPLIFIED, encoding=codec, delimiter=delimiter)
    assert not (warehouse.inbox / "wide.csv").read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))

    result = warehouse.load_one()

    assert (result.outcome, result.rows_loaded, result.rows_rejected) == ("loaded", 3, 0)
    rows = warehouse.rows("activity", result.batch_id)
    # 2 + 1.5 + 3 hours = 390 minutes
    assert sum(r["session_minutes"] for r in rows) == 390
    assert [r["org_name"] for r in rows] == ["第一中学", "实验小学", "第二中学"]
    assert warehouse.manifest()[0]["detected"]["encoding"] == detected


def test_utf16_cut_in_the_middle_of_a_character_is_named(warehouse) -> None:
    data = "人员编号,日期\nT001,2025-03-05\n".encode("utf-16-le")
    (warehouse.inbox / "cut.csv").write_bytes(data + b"\x41")  # one byte of a pair

    assert warehouse.load_one().message == (
        "cut.csv: looks like UTF-16 (little-endian) text without a byte-order mark, but "
        f"not all of it decodes as such; {SAVE}"
    )


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("日期,时长\n".encode("utf-16-le"), "utf-16-le"),
        ("日期,时长\n".encode("utf-16-be"), "utf-16-be"),
        # 一 (U+4E00) has a NUL byte of its own: of 5 pairs, 2 NULs on the ASCII side
        # (`,` and `\n`) and 2 on the other (一 twice): not four times as many
        ("一一,日\n".encode("utf-16-le"), None),
        # 8 ASCII characters (8 NULs) against 一 once (1 NUL): 8 >= 4 x 1
        ("一,2025-1\n".encode("utf-16-le"), "utf-16-le"),
        ("日期,时长\n".encode(), None),
        ("日期,时长\n".encode("gbk"), None),
        (b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20", None),
        (b"a", None),
    ],
)
def test_utf16_is_told_by_its_nul_bytes(sample: bytes, expected: str | None) -> None:
    assert _utf16_without_bom(sample) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            "error: trad.csv：看起来是 Big5（繁体中文）编码的文本；请另存为 UTF-8 或 GB18030 "
            "编码后重新发送；未加载任何数据\n",
        ),
        ("en", f"error: trad.csv: looks like Big5 (traditional Chinese) text; {SAVE}\n"),
    ],
)
def test_the_command_line_names_the_encoding_in_the_readers_language(
    warehouse, capsys, lang: str, expected: str
) -> None:
    from ingest.cli import main

    (warehouse.inbox / "trad.csv").write_bytes(TRADITIONAL.encode("big5"))
    argv = ["--inbox", str(warehouse.inbox), "--warehouse", str(warehouse.paths.root)]

    code = main([*argv, "--lang", lang])

    assert (code, capsys.readouterr().err) == (1, expected)


# -- detection and transcoding in one pass (detect_and_transcode) ------------------------
# A GB18030 file is decoded once: its UTF-8 copy is written while detection checks it.
# The copy holds personal numbers in clear, so no other answer leaves one behind.

GB_TEXT = "人员编号,姓名,单位\r\nT001,王堃,第一中学\r\n" + "T002,陈大文,实验小学\r\n" * 3000


def test_a_gb18030_file_is_decoded_once_into_its_utf8_copy(tmp_path, monkeypatch) -> None:
    source = tmp_path / "gb.csv"
    source.write_bytes(GB_TEXT.encode("gb18030"))
    scratch = tmp_path / "scratch"

    def second_decode(*args: object) -> None:
        raise AssertionError("transcoded again after detection")

    monkeypatch.setattr(encoding_module, "transcode_to_utf8", second_decode)

    encoding, copy = detect_and_transcode(source, scratch)

    assert encoding == "gb18030"
    assert copy.parent == scratch
    assert copy.read_bytes() == GB_TEXT.encode("utf-8")  # line ends as they were
    assert list(scratch.iterdir()) == [copy]


def test_a_utf8_file_is_read_where_it_is(tmp_path) -> None:
    source = tmp_path / "utf8.csv"
    source.write_bytes(GB_TEXT.encode("utf-8"))
    scratch = tmp_path / "scratch"

    assert detect_and_transcode(source, scratch) == ("utf-8", source)
    assert list(scratch.iterdir()) == []


def test_a_file_with_a_byte_order_mark_gets_a_copy_without_it(tmp_path) -> None:
    source = tmp_path / "bom.csv"
    source.write_bytes(GB_TEXT.encode("utf-8-sig"))

    encoding, copy = detect_and_transcode(source, tmp_path / "scratch")

    assert encoding == "utf-8-sig"
    assert copy.read_bytes() == GB_TEXT.encode("utf-8")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (TRADITIONAL.encode("big5"), "other_encoding"),
        # a NUL character after a megabyte of GB18030 text: not a text file
        (GB_TEXT.encode("gb18030") * 20 + b"\x00tail", "binary_file"),
    ],
)
def test_no_copy_is_left_when_the_answer_is_not_gb18030(tmp_path, data: bytes, code: str) -> None:
    source = tmp_path / "other.csv"
    source.write_bytes(data)
    scratch = tmp_path / "scratch"

    with pytest.raises(FileFault) as raised:
        detect_and_transcode(source, scratch)

    assert raised.value.text.code == code
    assert list(scratch.iterdir()) == []
