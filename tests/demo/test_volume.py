"""--rows scales the activity logs: exactly that many data rows, in the same files."""

from __future__ import annotations

from collections import Counter

from tests.demo.commands import LARGER, SMALL
from tests.demo.readback import Inbox, activity_terms, read_seed

# Between the 20,000- and 40,000-row inboxes every category of activity doubles,
# within this tolerance (the structure of the bureau does not change with --rows).
TOLERANCE = 0.10


def categories(inbox: Inbox) -> Counter[str]:
    terms = activity_terms()
    category = {r["activity_type_code"]: r["category"] for r in read_seed("activity_types.csv")}
    labels = (r["activity_type"] for r in inbox.activity if r["activity_type"])
    return Counter(category.get(terms.get(label.lower(), ""), "other") for label in labels)


def test_the_logs_hold_exactly_rows_data_rows(small: Inbox, larger: Inbox) -> None:
    # header and title lines are not rows; duplicates and faulty rows are
    assert len(small.activity) == SMALL
    assert len(larger.activity) == LARGER


def test_twice_the_rows_doubles_every_category(small: Inbox, larger: Inbox) -> None:
    few, more = categories(small), categories(larger)
    for category in ("organizational_life", "study_training", "volunteer_service"):
        ratio = more[category] / few[category]
        assert abs(ratio - 2) <= 2 * TOLERANCE, (category, few[category], more[category])


def test_the_roster_does_not_scale_with_rows(small: Inbox, larger: Inbox) -> None:
    assert len(small.people) == len(larger.people)
    assert [t.path for t in small.rosters] == [t.path for t in larger.rosters]


def test_meetings_take_at_most_40_percent_of_the_rows(small: Inbox, larger: Inbox) -> None:
    # at these sizes the units would hold more meetings than that: the cap is what binds
    for inbox, rows in ((small, SMALL), (larger, LARGER)):
        meetings = categories(inbox)["organizational_life"]
        assert 0.38 * rows <= meetings <= 0.40 * rows, (rows, meetings)
