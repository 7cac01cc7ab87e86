"""A reference file that would drop most of what the warehouse knows is refused:
another inbox's districts.csv must not replace this one's whole."""

from __future__ import annotations

from ingest.loader import load_inbox

DISTRICTS = ["区域编码", "区域名称", "区域类型"]


def _districts(codes: range) -> list[list[str]]:
    return [[f"D{i:02d}", f"第{i}协作区", "协作区"] for i in codes]


def test_a_districts_file_that_drops_most_codes_is_refused_naming_them(warehouse) -> None:
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 10)))
    first = warehouse.load_one()
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 4)))

    second = warehouse.load_one()

    assert (second.outcome, second.kind, second.rows_read) == ("failed", "districts", 3)
    assert second.message == (
        "districts.csv: it would replace districts.csv and drop 6 of the 9 district codes "
        "the warehouse knows (D04, D05, D06, D07, D08, D09); a reference file that drops "
        "more than half of them is refused, in case it is another inbox's file of the same "
        "name. If it really is the new list, load it again with --replace-reference (make "
        "ingest REPLACE_REFERENCE=1); nothing was loaded"
    )
    (line,) = warehouse.manifest()
    assert (line["batch_id"], line["superseded_at"]) == (first.batch_id, None)
    assert sorted(p.name for p in warehouse.paths.kind_dir("districts").iterdir()) == [
        f"{first.batch_id}.parquet",
        "_schema.parquet",
    ]


def test_replace_reference_loads_it_anyway(warehouse) -> None:
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 10)))
    warehouse.load_one()
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 4)))

    (result,) = load_inbox(warehouse.paths, warehouse.inbox, replace_reference=True)

    assert (result.outcome, result.rows_loaded) == ("replaced", 3)


def test_dropping_half_or_codes_another_file_keeps_is_allowed(warehouse) -> None:
    # 8 codes known: D01-D04 here, D05-D08 in another file; the new districts.csv drops
    # D01-D04 (half, not more) and adds D09
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 5)))
    warehouse.write("more/districts.csv", DISTRICTS, _districts(range(5, 9)))
    warehouse.load()
    warehouse.write("districts.csv", DISTRICTS, _districts(range(9, 10)))

    (result,) = [r for r in warehouse.load() if r.file == "districts.csv"]

    assert result.outcome == "replaced"


def test_a_roster_that_drops_most_people_names_them(warehouse) -> None:
    headers = ["人员编号", "姓名", "人员类别"]
    warehouse.write(
        "roster.csv",
        headers,
        [["P1", "张三", "党员"], ["P2", "李四", "党员"], ["P3", "王五", "学生"]],
    )
    warehouse.load_one()
    warehouse.write("roster.csv", headers, [["P3", "王五", "学生"]])

    result = warehouse.load_one()

    assert result.outcome == "failed"
    assert result.message.startswith(
        "roster.csv: it would replace roster.csv and drop 2 of the 3 people the warehouse "
        "knows (张三, 李四);"
    )


def test_a_new_file_never_drops_anything(warehouse) -> None:
    warehouse.write("districts.csv", DISTRICTS, _districts(range(1, 10)))
    warehouse.load_one()
    warehouse.write("fixture/districts.csv", DISTRICTS, _districts(range(1, 4)))

    results = warehouse.load()

    assert [(r.file, r.outcome) for r in results] == [
        ("districts.csv", "unchanged"),
        ("fixture/districts.csv", "loaded"),
    ]
