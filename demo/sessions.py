"""Sessions: events expanded to one row per participant, with no Python loop over rows.

Participants are a window of the event's pool. A person outside their roster
period (not yet joined, already left) is swapped for another member of the pool,
a few rows go to ghosts (people missing from the roster), some leave early, and a
status (approved, pending, rejected) is drawn, with more pending in the last months.
Finally no two sessions may render alike unless a duplicate is meant: any that would
get a quarter of an hour more or less.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields

import numpy as np

from demo.events import LATEST_END, PERSONS_COMMUNITY, PERSONS_ORG, Events
from demo.people import GHOSTS_PER_HOST, People
from demo.pools import Pools
from demo.rhythm import MONTHS, Calendar
from demo.vocabulary import Vocabulary

log = logging.getLogger(__name__)

GHOST_SHARE = 0.004
APPROVED, PENDING, REJECTED = 0, 1, 2
REJECTED_SHARE = 0.006
PENDING_SHARE = 0.008
PENDING_LAST_MONTHS = (0.05, 0.15)  # the month before last, the last month
SWAP_ATTEMPTS = 4
UNIQUE_ATTEMPTS = 40


@dataclass
class Sessions:
    """One entry per activity-log row (before duplicates are added)."""

    event: np.ndarray
    person: np.ndarray
    org: np.ndarray
    day: np.ndarray
    type: np.ndarray
    slot: np.ndarray
    minutes: np.ndarray
    title: np.ndarray
    location: np.ndarray
    community: np.ndarray
    status: np.ndarray

    @property
    def size(self) -> int:
        return len(self.person)

    def take(self, index: np.ndarray) -> Sessions:
        return Sessions(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


def expand(
    rng: np.random.Generator,
    events: Events,
    pools: Pools,
    people: People,
    cal: Calendar,
    vocab: Vocabulary,
) -> Sessions:
    """One row per participant of every event."""
    total = events.rows
    event = np.repeat(np.arange(events.size, dtype=np.int32), events.k)
    first_row = np.cumsum(events.k, dtype=np.int64) - events.k
    place = np.arange(total, dtype=np.int64) - np.repeat(first_row, events.k)
    pool = events.pool[event]
    size = pools.size[pool].astype(np.int64)
    base = pools.offset[pool]
    position = (events.start[event].astype(np.int64) + place) % size
    person = pools.members[base + position]
    day = events.day[event]
    for attempt in range(SWAP_ATTEMPTS):
        away = np.flatnonzero((people.joined[person] > day) | (people.left[person] < day))
        if len(away) == 0:
            break
        shift = size[away] // 2 + 1 + attempt + rng.integers(0, np.maximum(size[away], 1))
        position[away] = (position[away] + shift) % size[away]
        person[away] = pools.members[base[away] + position[away]]
    del pool, size, base, position, place
    org = events.org[event]
    org = np.where(org == PERSONS_ORG, people.org[person], org)
    person = _ghosts(rng, people, person, org)
    minutes = events.minutes[event].astype(np.int16)
    early = rng.random(total)
    minutes = np.where(early < 0.06, minutes - 15, minutes)
    minutes = np.where(early < 0.03, minutes - 15, minutes)
    minutes = np.maximum(minutes, 15).astype(np.int16)
    community = events.community[event]
    home = people.community[person]
    community = np.where(community == PERSONS_COMMUNITY, home, community).astype(np.int16)
    location = events.location[event]
    centre = vocab.centre_offset + home.astype(np.int64)
    location = np.where(location == PERSONS_COMMUNITY, centre, location).astype(np.int16)
    sessions = Sessions(
        event=event,
        person=person.astype(np.int32),
        org=org.astype(np.int32),
        day=day,
        type=events.type[event],
        slot=events.slot[event],
        minutes=minutes,
        title=events.title[event],
        location=location,
        community=community,
        status=_status(rng, cal, day),
    )
    left = make_distinct(rng, sessions)
    if left:
        log.warning("%d sessions could not be made distinct and may read as duplicates", left)
    return sessions


def _ghosts(
    rng: np.random.Generator, people: People, person: np.ndarray, org: np.ndarray
) -> np.ndarray:
    """Give a few rows to people who are not on the roster (of the same school)."""
    count = max(2, round(GHOST_SHARE * len(person)))
    rows = rng.choice(len(person), min(count, len(person)), replace=False)
    ghosts = np.flatnonzero(people.is_ghost)
    ghost_host = people.host[ghosts]
    host = people.host[person[rows]]
    first = np.searchsorted(ghost_host, host)
    pick = first + rng.integers(0, GHOSTS_PER_HOST, len(rows))
    person = person.copy()
    person[rows] = ghosts[np.minimum(pick, len(ghosts) - 1)]
    return person


def _status(rng: np.random.Generator, cal: Calendar, day: np.ndarray) -> np.ndarray:
    month = cal.month[day]
    pending_chance = np.full(MONTHS, PENDING_SHARE)
    pending_chance[-2:] = PENDING_LAST_MONTHS
    roll = rng.random(len(day))
    status = np.where(roll < pending_chance[month], PENDING, APPROVED)
    status = np.where(roll > 1 - REJECTED_SHARE, REJECTED, status)
    return status.astype(np.int8)


def _fingerprint(s: Sessions) -> np.ndarray:
    """A 64-bit hash of what a rendered row shows (a collision only costs a nudge).

    The status is left out: a file without a status column shows a pending and an
    approved session alike.
    """
    h = s.person.astype(np.uint64)
    for column in (s.org, s.day, s.type, s.minutes, s.title, s.location, s.community):
        h = h * np.uint64(0x9E3779B97F4A7C15) + column.astype(np.int64).astype(np.uint64)
        h ^= h >> np.uint64(31)
    return h


def make_distinct(rng: np.random.Generator, s: Sessions) -> int:
    """Nudge the minutes of sessions that would render like another; return those left.

    One full sort finds the clashes; after that only the nudged sessions are hashed
    again and looked up in the sorted hashes of all the others.
    """
    h = _fingerprint(s)
    order = np.argsort(h, kind="stable")
    settled = h[order]
    later = np.flatnonzero(settled[1:] == settled[:-1]) + 1
    clash = order[later]
    settled = np.delete(settled, later)
    del h, order
    for _ in range(UNIQUE_ATTEMPTS):
        if len(clash) == 0:
            break
        ceiling = np.minimum(600, (LATEST_END - s.slot[clash].astype(np.int64)) * 5)
        nudged = s.minutes[clash] + 15 * rng.choice(np.array([-2, -1, 1, 2, 3]), len(clash))
        s.minutes[clash] = np.clip(nudged, 15, np.maximum(ceiling, 15))
        fresh = _fingerprint(s.take(clash))
        place = np.searchsorted(settled, fresh)
        taken = settled[np.minimum(place, len(settled) - 1)] == fresh
        _, first = np.unique(fresh, return_index=True)
        unique_here = np.zeros(len(clash), bool)
        unique_here[first] = True
        done = ~taken & unique_here
        accepted = np.sort(fresh[done])
        settled = np.insert(settled, np.searchsorted(settled, accepted), accepted)
        clash = clash[~done]
    return len(clash)
