"""Who can take part in what: groups of people per unit and per school, in one flat array.

A pool is a slice of ``members``; an event takes a window of consecutive places in
it (wrapping round), so its participants are distinct. People are ordered by how
active they are, and windows start more often near the front, so some people
volunteer every week and some never do.
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

KINDS = ("party", "committee", "all", "teachers", "members", "trainees")


@dataclass(frozen=True)
class Pools:
    """``pool[kind][org]`` is a pool id (-1 for none); a pool is members[offset:offset+size]."""

    members: np.ndarray
    offset: np.ndarray
    size: np.ndarray
    pool: dict[str, np.ndarray]

    def of(self, kind: str, orgs: np.ndarray) -> np.ndarray:
        return self.pool[kind][orgs]

    def sizes(self, kind: str, orgs: np.ndarray) -> np.ndarray:
        ids = self.pool[kind][orgs]
        return np.where(ids >= 0, self.size[np.maximum(ids, 0)], 0)


def build_pools(tree: Tree, people: People) -> Pools:
    """Party members per unit, committees, and per school: all, teachers, members, trainees."""
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
    sizes = np.array([len(g) for g in groups], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return Pools(
        members=np.concatenate(groups),
        offset=offsets,
        size=sizes,
        pool=table,
    )
