"""Small-cell suppression: worked examples, and the property that no published count
lies in (0, k) and no hidden cell is alone in a total-and-parts group."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from export.formatting import SUPPRESSED, Value
from export.suppression import Group, suppress
from export.tables import UnitRow, apply_suppression


def test_a_small_cell_is_hidden_and_one_partner_with_it() -> None:
    # school S = own people + branches A, B, C; A has 2 people (< 5): hidden. Alone it
    # would be S - B - C (minus the school's own people), so the smallest other
    # non-zero branch, C (6 < 9), is hidden too; zero-person D is not chosen.
    cells = {"S": 20, "A": 2, "B": 9, "C": 6, "D": 0}
    group = Group("S", ("A", "B", "C", "D"))
    assert suppress(cells, [group], 5) == {"A", "C"}


def test_two_small_cells_protect_each_other() -> None:
    cells = {"S": 20, "A": 2, "B": 3, "C": 15}
    assert suppress(cells, [Group("S", ("A", "B", "C"))], 5) == {"A", "B"}


def test_a_hidden_total_takes_a_part_with_it() -> None:
    # the district total (4) is small; its parts 4 and 0 would add up to it
    cells = {"D": 4, "S": 4, "T": 0}
    assert suppress(cells, [Group("D", ("S", "T"))], 5) == {"D", "S"}


def test_only_part_of_a_total_that_may_not_be_hidden_stays_alone() -> None:
    # district_monthly.csv stays complete by default: its total cannot be hidden, so a
    # lone small unit stays the only hidden cell (the complete table shows it anyway)
    cells = {"D": 3, "S": 3}
    assert suppress(cells, [Group("D", ("S",))], 5, hideable={"S"}) == {"S"}


def test_complementary_suppression_carries_up_the_tree() -> None:
    # branch A (1) is hidden; its only sibling B (7) is hidden with it; then the
    # district's group (D = S + T) has nothing hidden, so nothing more is needed.
    cells = {"D": 30, "S": 8, "T": 22, "A": 1, "B": 7}
    groups = [Group("D", ("S", "T")), Group("S", ("A", "B"))]
    assert suppress(cells, groups, 5) == {"A", "B"}
    # a small school S (3) is hidden with A: S's group then has two hidden cells (B
    # stays), but D's group has one, so S's sibling T is hidden too.
    cells["S"] = 3
    assert suppress(cells, groups, 5) == {"S", "T", "A"}


def test_k_of_zero_or_one_hides_nothing() -> None:
    cells = {"S": 1, "A": 1}
    assert suppress(cells, [Group("S", ("A",))], 0) == set()
    assert suppress(cells, [Group("S", ("A",))], 1) == set()


@st.composite
def trees(draw: st.DrawFn) -> tuple[dict[str, int], list[Group], int]:
    """A district, 1-5 schools, each with 0-4 branches; counts 0-40 (small ones
    likely); the school's own people are hidden inside its total."""
    k = draw(st.integers(min_value=2, max_value=10))
    count = st.one_of(st.integers(0, 6), st.integers(0, 40))
    cells: dict[str, int] = {}
    groups = []
    schools = []
    for s in range(draw(st.integers(1, 5))):
        school = f"S{s}"
        branches = [f"{school}B{b}" for b in range(draw(st.integers(0, 4)))]
        for branch in branches:
            cells[branch] = draw(count)
        cells[school] = sum(cells[b] for b in branches) + draw(count)
        if branches:
            groups.append(Group(school, tuple(branches)))
        schools.append(school)
    cells["D"] = sum(cells[s] for s in schools)
    groups.append(Group("D", tuple(schools)))
    return cells, groups, k


@settings(max_examples=400, deadline=None)
@given(trees())
def test_no_published_count_lies_in_0_k_and_no_hidden_cell_is_alone(
    tree: tuple[dict[str, int], list[Group], int],
) -> None:
    cells, groups, k = tree
    hidden = suppress(cells, groups, k)
    published = {key: value for key, value in cells.items() if key not in hidden}
    assert all(value == 0 or value >= k for value in published.values()), published
    for group in groups:
        members = (group.total, *group.parts)
        assert sum(m in hidden for m in members) != 1, (group, hidden)


@settings(max_examples=200, deadline=None)
@given(trees())
def test_with_a_complete_district_no_unit_count_lies_in_0_k(
    tree: tuple[dict[str, int], list[Group], int],
) -> None:
    # the default: districts complete, units suppressed
    cells, groups, k = tree
    units = {key for key in cells if key != "D"}
    hidden = suppress(cells, groups, k, hideable=units)
    assert "D" not in hidden
    assert all(cells[u] == 0 or cells[u] >= k for u in units - hidden)
    for group in groups:
        members = (group.total, *group.parts)
        alone = sum(m in hidden for m in members) == 1
        # alone only when every other member is the complete district or hidden
        assert not alone or all(m in hidden or m == "D" for m in (*group.parts, group.total))


def _unit(code: str, parent: str, roster: int, volunteers: int) -> UnitRow:
    labels = {"district_code": "D1", "district_name": "一区", "org_code": code,
              "org_name": code, "org_type": "branch" if parent else "school",
              "parent_org_code": parent, "month": "2025-03"}  # fmt: skip
    values: dict[str, Value] = {
        "roster_size": roster, "active_members": 0, "participation_rate": None,
        "volunteers": volunteers, "avg_hours_per_volunteer": Decimal("1.00"),
    }  # fmt: skip
    return UnitRow(labels, values, {})


def test_tables_protect_a_branch_inside_its_school_and_a_school_inside_its_district() -> None:
    # district D1 = schools S1 (30 people: own 19 + B1 2 + B2 9) and S2 (40); S3 (3)
    # roster: B1 (2) is hidden; S1 = own + B1 + B2 would give it with B2, so B2 (9) is
    # hidden too. S3 (3) is hidden; D1 = S1 + S2 + S3 stays published (complete by
    # default), so the smaller other school, S1 (30 < 40), is hidden with it.
    # volunteers: B2 has 4 (hidden, with its average), B1 6 is hidden with it.
    district = UnitRow(
        {"district_code": "D1", "district_name": "一区", "month": "2025-03"},
        {"roster_size": 73, "active_members": 0, "volunteers": 30},
        {},
    )
    units = [
        _unit("S1", "", 30, 20), _unit("B1", "S1", 2, 6), _unit("B2", "S1", 9, 4),
        _unit("S2", "", 40, 10), _unit("S3", "", 3, 0),
    ]  # fmt: skip
    apply_suppression([district], units, 0, 5)
    hidden = {
        (u.labels["org_code"], column)
        for u in units
        for column in ("roster_size", "volunteers", "participation_rate",
                       "avg_hours_per_volunteer")
        if u.values[column] is SUPPRESSED
    }  # fmt: skip
    assert hidden == {
        ("B1", "roster_size"), ("B1", "participation_rate"),
        ("B2", "roster_size"), ("B2", "participation_rate"),
        ("S3", "roster_size"), ("S3", "participation_rate"),
        ("S1", "roster_size"), ("S1", "participation_rate"),
        ("B2", "volunteers"), ("B2", "avg_hours_per_volunteer"),
        ("B1", "volunteers"), ("B1", "avg_hours_per_volunteer"),
    }  # fmt: skip
    assert district.values["roster_size"] == 73  # the district table stays complete
