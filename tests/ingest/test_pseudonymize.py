"""Keys and masks for personal numbers, and no clear ID or phone number in the warehouse."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import duckdb
import openpyxl
import pytest

from kernel.paths import load_secret, warehouse_paths
from kernel.pseudonymize import hmac_key, hmac_params, hmac_sql, mask, mask_sql

SECRET = b"test-secret"
ID_NUMBER = "11010519491231002X"  # check digit X is right (sum 167, 167 % 11 = 2)
PHONE = "13800138000"


@pytest.mark.parametrize(
    "secret",
    [
        b"test-secret",
        b"",
        b"k" * 64,  # exactly one block
        b"k" * 65,  # longer than a block: hashed first
        "仓库密钥".encode(),
    ],
    ids=["short", "empty", "block", "over-block", "utf8"],
)
@pytest.mark.parametrize(
    ("kind", "value"),
    [("person_id", "T001"), ("id_number", ID_NUMBER), ("phone", PHONE), ("person_id", "张三01")],
)
def test_hmac_key_equals_the_duckdb_sql(secret: bytes, kind: str, value: str) -> None:
    con = duckdb.connect()
    sql = f"select {hmac_sql('$value', kind)}"

    (from_sql,) = con.execute(sql, {**hmac_params(secret), "value": value}).fetchone()

    assert from_sql == hmac_key(secret, kind, value)
    assert from_sql == hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def test_hmac_sql_keeps_null_null() -> None:
    con = duckdb.connect()
    sql = f"select {hmac_sql('$value', 'phone')}"

    assert con.execute(sql, {**hmac_params(SECRET), "value": None}).fetchone() == (None,)


def test_the_kind_and_the_secret_change_the_key() -> None:
    keys = {
        hmac_key(SECRET, "person_id", "13800138000"),
        hmac_key(SECRET, "phone", "13800138000"),
        hmac_key(b"other-secret", "phone", "13800138000"),
    }

    assert len(keys) == 3
    assert all(len(key) == 64 and set(key) <= set("0123456789abcdef") for key in keys)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105194912310021", "1101**********0021"),
        ("11010519491231002X", "1101**********002X"),
        ("110105491231002", "1101*******1002"),  # an old 15-digit number
        ("13800138000", "138****8000"),
        ("12345678", "123*5678"),
        ("1234567", "*******"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_shows_only_the_ends(value: str | None, masked: str | None) -> None:
    assert mask(value) == masked
    assert duckdb.connect().execute(f"select {mask_sql('$v')}", {"v": value}).fetchone() == (
        masked,
    )


@pytest.mark.parametrize(
    "phone",
    [
        "+86 138-0013-8000",
        "13800138000",
        "138 0013 8000",
        "8613800138000",
        "0086 138 0013 8000",
        "１３８００１３８０００",  # full-width digits
    ],
)
def test_the_phone_key_is_of_the_digits_without_86(warehouse, phone: str) -> None:
    row = warehouse.only_row({"人员编号": "", "手机号": phone})

    assert row["phone_key"] == hmac_key(SECRET, "phone", "13800138000")
    assert (row["person_id_key"], row["id_number_key"]) == (None, None)


@pytest.mark.parametrize(
    "id_number",
    ["11010519491231002x", " 11010519491231002X ", "１１０１０５１９４９１２３１００２ｘ"],
)
def test_the_id_number_key_is_of_the_upper_cased_number(warehouse, id_number: str) -> None:
    row = warehouse.only_row({"人员编号": "", "身份证号": id_number})

    assert row["id_number_key"] == hmac_key(SECRET, "id_number", "11010519491231002X")
    assert (row["is_id_number_damaged"], row["is_id_number_valid"]) == (False, True)


@pytest.mark.parametrize("person_id", ["T001", "t001", " t001 ", "Ｔ００１"])
def test_the_person_id_key_is_of_the_upper_cased_id(warehouse, person_id: str) -> None:
    row = warehouse.only_row({"人员编号": person_id})

    assert row["person_id_key"] == hmac_key(SECRET, "person_id", "T001")


def test_all_three_keys_land_together(warehouse) -> None:
    row = warehouse.only_row(
        {"人员编号": "t001", "身份证号": "11010519491231002x", "手机号": "+86 138-0013-8000"}
    )

    assert (row["person_id_key"], row["id_number_key"], row["phone_key"]) == (
        hmac_key(SECRET, "person_id", "T001"),
        hmac_key(SECRET, "id_number", "11010519491231002X"),
        hmac_key(SECRET, "phone", "13800138000"),
    )


def test_a_roster_and_an_activity_log_give_the_same_keys(warehouse) -> None:
    warehouse.write_activity(
        [warehouse.activity_row({"人员编号": "", "身份证号": "11010519491231002x"})]
    )
    warehouse.write(
        "people.csv",
        ["人员编号", "姓名", "人员类别", "身份证号", "手机号"],
        [["t001", "张三", "党员", "11010519491231002X", "138-0013-8000"]],
    )

    activity, people = warehouse.load()
    (logged,) = warehouse.rows("activity", activity.batch_id)
    (rostered,) = warehouse.rows("people", people.batch_id)

    assert logged["id_number_key"] == rostered["id_number_key"]
    assert rostered["person_id_key"] == hmac_key(SECRET, "person_id", "T001")
    assert rostered["phone_key"] == hmac_key(SECRET, "phone", "13800138000")


def test_without_warehouse_secret_a_key_file_is_made_once_with_mode_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WAREHOUSE_SECRET")
    paths = warehouse_paths(tmp_path / "warehouse")

    first = load_secret(paths)
    second = load_secret(paths)

    assert first == second
    assert len(first) == 64  # 32 random bytes as hex
    assert stat.S_IMODE(paths.key_file.stat().st_mode) == 0o600


# -- no clear personal numbers anywhere in the warehouse ---------------------------------

CLEAR = [
    "110105194912310021",
    "11010519491231002X",
    "11010519491231002x",
    "13800138000",
    "13900139000",
    "138-0013-8000",
    "139 0013 9000",
]


def _clear_hits(root: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(file, number) for every clear number in the bytes or the decoded Parquet rows."""
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        texts = [path.read_bytes()]
        if path.suffix == ".parquet":
            rows = duckdb.connect().execute("select * from read_parquet(?)", [str(path)])
            texts.append(repr(rows.fetchall()).encode())
        for needle in needles:
            if any(needle.encode() in text for text in texts):
                hits.append((path.relative_to(root).as_posix(), needle))
    return hits


def _write_personal_inbox(warehouse) -> None:
    """Activity rows that load and that are rejected, and two rosters, all with numbers."""
    warehouse.write_activity(
        [
            warehouse.activity_row({"身份证号": "110105194912310021", "手机号": "13800138000"}),
            warehouse.activity_row({"人员编号": "", "身份证号": "11010519491231002x"}),
            warehouse.activity_row({"人员编号": "", "手机号": "+86 138-0013-8000"}),
            # rejected rows keep their original values: the numbers must be masked
            warehouse.activity_row({"身份证号": "11010519491231002X", "日期": ""}),
            warehouse.activity_row({"手机号": "139 0013 9000", "时长": "abc"}),
        ]
    )
    warehouse.write(
        "people.csv",
        ["人员编号", "姓名", "人员类别", "身份证号", "手机号"],
        [["T001", "张三", "党员", "110105194912310021", "13800138000"]],
    )


def test_no_clear_id_or_phone_number_is_stored_anywhere(warehouse) -> None:
    _write_personal_inbox(warehouse)
    workbook = openpyxl.Workbook()
    workbook.active.append(["人员编号", "性别", "身份证号", "手机号"])
    workbook.active.append(["T002", "女", "11010519491231002X", 13900139000])
    workbook.save(warehouse.inbox / "roster.xlsx")

    results = warehouse.load()

    assert [(r.file, r.outcome, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("activity.csv", "loaded", 3, 2),
        ("people.csv", "loaded", 1, 0),
        ("roster.xlsx", "loaded", 1, 0),
    ]
    rejects = warehouse.rejects(results[0].batch_id)
    assert [(r["raw_values"]["身份证号"], r["raw_values"]["手机号"]) for r in rejects] == [
        ("1101**********002X", None),
        (None, "139******9000"),  # "139 0013 9000": 13 characters, 3 + 6 masked + 4
    ]
    assert _clear_hits(warehouse.paths.root, CLEAR) == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_no_clear_number_is_left_behind_by_a_transcoded_file(warehouse, encoding: str) -> None:
    warehouse.write(
        "activity.csv",
        warehouse.activity_headers,
        [warehouse.activity_row({"身份证号": "110105194912310021", "手机号": "13800138000"})],
        encoding=encoding,
    )

    assert warehouse.load_one().rows_loaded == 1
    assert _clear_hits(warehouse.paths.root, CLEAR) == []


def test_a_second_phone_column_is_masked_in_the_rejects(warehouse) -> None:
    headers = ["人员编号", "手机号", "联系电话", "单位", "日期", "时长", "活动类型"]
    warehouse.write(
        "activity.csv",
        headers,
        [
            ["T001", "13800138000", "13900139000", "一中", "", "2", "x"],
            ["T002", "", "", "一中", "2025-03-05", "2", "x"],
        ],
    )

    (reject,) = warehouse.rejects(warehouse.load_one().batch_id)

    assert reject["reason"] == "missing_date"
    assert (reject["raw_values"]["手机号"], reject["raw_values"]["联系电话"]) == (
        "138****8000",
        "139****9000",
    )
    assert _clear_hits(warehouse.paths.root, CLEAR) == []


def test_the_message_of_a_headerless_file_shows_no_clear_number(warehouse) -> None:
    (warehouse.inbox / "no_header.csv").write_text(
        "T001,110105194912310021,13800138000,第一中学,2025-03-05,2,党员活动日\n",
        encoding="utf-8",
    )

    result = warehouse.load_one()

    assert result.outcome == "failed"
    assert result.message.startswith("no_header.csv: no recognisable header row")
    assert [n for n in CLEAR if n in result.message] == []
