"""Who can take part in what: groups of people per unit and per school, in one flat array.

A pool is a group (a unit's party members, a school's teachers ...) in one month:
its members who may take part that month (``demo.engagement``), a slice of
``members``. An event takes a window of consecutive places in it (wrapping round),
so its participants are distinct. People are ordered by how active they are, and
windows start more often near the front, so some people volunteer every week and
some never do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.organizations import Tree
from demo.people import (
    COMMITTEE_ROLES,
    MEMBER,
    PARTY_TYPES,
    PROBATIONARY,
    STUDENT,
    TRAINEE_ROLES,
    People,
)
from demo.rhythm import MONTHS

KINDS = ("party", "committee", "all", "teachers", "members", "trainees", "rota")


@dataclass(frozen=True)
class Pools:
    """``pool[kind][org]`` is a group id (-1 for none); group ``g`` in month ``m`` is the
    pool ``g * MONTHS + m``, members[offset[pool]:offset[pool] + size[pool]]."""

    members: np.ndarray
    offset: np.ndarray
    size: np.ndarray  # per pool (group and month)
    group_size: np.ndarray  # per group, everyone in it over the whole window
    pool: dict[str, np.ndarray]

    def of(self, kind: str, orgs: np.ndarray, month: np.ndarray | int) -> np.ndarray:
        """The pools of ``kind`` of ``orgs`` in ``month``; -1 where there is no such group."""
        group = self.pool[kind][orgs]
        return np.where(group >= 0, group.astype(np.int64) * MONTHS + month, -1)

    def has(self, kind: str, orgs: np.ndarray) -> np.ndarray:
        return self.pool[kind][orgs] >= 0

    def sizes(self, kind: str, orgs: np.ndarray) -> np.ndarray:
        """How many belong to each org's group of ``kind`` over the window (0 for none)."""
        ids = self.pool[kind][orgs]
        return np.where(ids >= 0, self.group_size[np.maximum(ids, 0)], 0)

    def sizes_of(self, pools: np.ndarray) -> np.ndarray:
        """Members of each pool (0 for -1)."""
        return np.where(pools >= 0, self.size[np.maximum(pools, 0)], 0)


def build_pools(tree: Tree, people: People, takes_part: np.ndarray) -> Pools:
    """Party members per unit, committees, and per school: all, teachers, members, trainees,
    and the rota (staff and students: neither party members nor applicants);
    each per month, with those who may take part that month (``takes_part[person, month]``)."""
    roster = people.roster
    by_activeness = roster[np.argsort(-people.activeness[roster], kind="stable")]
    groups: list[np.ndarray] = []
    table = {kind: np.full(tree.size, -1, dtype=np.int32) for kind in KINDS}

    def add(kind: str, org: int, chosen: np.ndarray) -> None:
        if len(chosen):
            table[kind][org] = len(groups)
            groups.append(chosen.astype(np.int32))

    ordered_type = people.person_type[by_activeness]
    ordered_org = people.org[by_activeness]
    ordered_host = people.host[by_activeness]
    ordered_role = people.role[by_activeness]
    is_party = np.isin(ordered_type, PARTY_TYPES)
    is_committee = np.isin(ordered_role, COMMITTEE_ROLES)
    is_trainee = np.isin(ordered_role, TRAINEE_ROLES) | people.is_candidate[by_activeness]
    for unit in tree.units:
        add("party", int(unit), by_activeness[is_party & (ordered_org == unit)])
        in_unit = (ordered_org == unit) | (ordered_host == unit)
        committee = by_activeness[is_committee & in_unit & is_party]
        if len(committee) == 0:
            committee = by_activeness[is_party & (ordered_org == unit)][:3]
        add("committee", int(unit), committee)
    for host in tree.hosts:
        mine = ordered_host == host
        add("all", int(host), by_activeness[mine])
        add("teachers", int(host), by_activeness[mine & (ordered_type != STUDENT)])
        members = mine & np.isin(ordered_type, (MEMBER, PROBATIONARY))
        add("members", int(host), by_activeness[members])
        add("trainees", int(host), by_activeness[mine & is_trainee])
        add("rota", int(host), by_activeness[mine & ~is_party])
    group_size = np.array([len(g) for g in groups], dtype=np.int32)
    everyone = np.concatenate(groups)
    group_of = np.repeat(np.arange(len(groups), dtype=np.int64), group_size)
    # one month after the other, then in group order: a stable sort keeps the activeness order
    places = [np.flatnonzero(takes_part[everyone, m]) for m in range(MONTHS)]
    place = np.concatenate(places)
    pool_of = np.concatenate([group_of[p] * MONTHS + m for m, p in enumerate(places)])
    order = np.argsort(pool_of, kind="stable")
    sizes = np.bincount(pool_of, minlength=len(groups) * MONTHS).astype(np.int32)
    return Pools(
        members=everyone[place[order]],
        offset=(np.cumsum(sizes, dtype=np.int64) - sizes),
        size=sizes,
        group_size=group_size,
        pool=table,
    )
