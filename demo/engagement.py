"""Who may take part in which month: the roster people events are drawn from.

Per district and month, ``demo.shape`` says what share of the roster may take part;
the people chosen are those with the highest score that month, where the score
mixes how active a person is in general (so the keen take part most months) with
a draw of the month (so who takes part changes a little from month to month).
Branch committees and school leaders always may. People not on the roster that
month, and everyone of the school that stops reporting in its silent months, may
not. Ghosts (people missing from the roster) always may.
"""

from __future__ import annotations

import numpy as np

from demo.organizations import Tree
from demo.people import ACTIVENESS_SIGMA, COMMITTEE_ROLES, People
from demo.rhythm import MONTHS, Calendar
from demo.shape import SILENT_MONTHS, month_index, participation_targets, silent_school

PERSISTENCE = 0.8  # weight of a person's general activeness in the monthly score


def who_takes_part(
    rng: np.random.Generator, people: People, tree: Tree, cal: Calendar
) -> np.ndarray:
    """A [person, month] mask: True where the person may take part in that month."""
    targets = participation_targets(cal, tree)
    roster = people.roster
    first_day = cal.month_first_day[:-1]
    last_day = cal.month_first_day[1:] - 1
    on_roster = (people.joined[roster, None] <= last_day) & (people.left[roster, None] >= first_day)
    keen = np.log(people.activeness[roster]) / ACTIVENESS_SIGMA
    noise = rng.standard_normal((len(roster), MONTHS))
    score = PERSISTENCE * keen[:, None] + np.sqrt(1 - PERSISTENCE**2) * noise
    score[np.isin(people.role[roster], COMMITTEE_ROLES)] = np.inf
    score[~on_roster] = -np.inf
    district = tree.district[people.org[roster]]
    chosen = np.zeros((len(roster), MONTHS), bool)
    for d in range(len(tree.district_codes)):
        mine = np.flatnonzero(district == d)
        wanted = np.round(targets[d] * on_roster[mine].sum(axis=0)).astype(np.int64)
        rank = np.empty((len(mine), MONTHS), dtype=np.int64)
        order = np.argsort(-score[mine], axis=0, kind="stable")
        np.put_along_axis(rank, order, np.arange(len(mine))[:, None], axis=0)
        chosen[mine] = (rank < wanted) & on_roster[mine]
    school = silent_school(tree)
    if school >= 0:
        silent = np.array([month_index(m) for m in SILENT_MONTHS])
        of_school = np.flatnonzero(people.host[roster] == school)
        chosen[np.ix_(of_school, silent)] = False
    result = np.ones((people.size, MONTHS), bool)
    result[roster] = chosen
    return result
