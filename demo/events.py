"""Events: who held what, when, for how long, and how many took part (vectorized).

Organizational life is structural: one activity day (党员活动日) in most months in
most units (weak units skip it often, ``demo.shape``), committee and party-group
meetings monthly, member meetings and party lectures quarterly, each on a school
day of its month. Training and volunteer services are drawn to fill the row budget
exactly: ``sum(k) == budget``; part of the volunteer rows are the schools' monthly
rotas, which reach each of their staff and students in turn. Volunteer services get
the year's rhythm from ``demo.rhythm``. Every event draws its people from those who
may take part in its month (``demo.pools``), so a meeting nobody may attend is not held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from demo.catalog import (
    COVERAGE_TRAINING_TITLE,
    JULY_FIRST_TITLE,
    LEI_FENG_DAY_TITLE,
    LEI_FENG_TITLE,
    ORGANIZATIONAL,
    STUDY,
    SUMMER_TRAINING_TITLE,
    SUMMER_VISIT_TITLE,
    VOLUNTEER,
    VOLUNTEER_DAY_TITLE,
    WINTER_VISIT_TITLE,
    Catalog,
)
from demo.organizations import BRANCH, OFFICE, Tree
from demo.pools import Pools
from demo.rhythm import (
    MONTHS,
    Calendar,
    break_share_by_month,
    org_life_day_weight,
    training_day_weight,
    type_day_factor,
    volunteer_day_weight,
)
from demo.shape import WEAK_UNIT_CHANCE, weak_unit_share
from demo.vocabulary import Vocabulary

ORG_LIFE_SHARE = 0.40  # at most this share of the rows; fewer when the structure is smaller
TRAINING_SHARE = 0.07
COVERAGE_SHARE_OF_TRAINING = 0.4
ROTA_SHARE = 0.35  # of the volunteer rows, at most: the schools' rotas (see volunteer_drawer)
BRANCH_REPORTED = 0.25  # volunteer services reported by a branch rather than its school
COVERAGE_DAYS = ("2025-04-17", "2025-04-18", "2026-04-16", "2026-04-17")
SLOTS_PER_DAY = 288  # five-minute slots
LATEST_END = 264  # 22:00
PERSONS_ORG = -1  # the session's organization is the participant's own (双报到)
PERSONS_COMMUNITY = -2
NONE = -1


@dataclass
class Events:
    """One entry per event; ``k`` people take part, from ``pool`` starting at ``start``."""

    org: np.ndarray
    pool: np.ndarray
    start: np.ndarray
    k: np.ndarray
    day: np.ndarray
    type: np.ndarray
    slot: np.ndarray
    minutes: np.ndarray
    title: np.ndarray
    location: np.ndarray
    community: np.ndarray

    @property
    def size(self) -> int:
        return len(self.k)

    @property
    def rows(self) -> int:
        return int(self.k.sum())

    def select(self, keep: np.ndarray) -> Events:
        return Events(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        return Events(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Events)}
        )


@dataclass(frozen=True)
class Plan:
    events: Events
    org_life_rows: int
    training_rows: int
    volunteer_rows: int


def _slot(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 12 + int(minutes) // 5


def _choose(rng: np.random.Generator, options: tuple, count: int) -> np.ndarray:
    return np.array(options)[rng.integers(0, len(options), count)]


def _fit(slot: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """Start early enough to end by 22:00."""
    return np.minimum(slot, LATEST_END - minutes // 5).astype(np.int16)


def sample_days_in_months(
    rng: np.random.Generator, cal: Calendar, months: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """One day per entry of ``months``, drawn by ``weight`` among that month's days."""
    w = weight.astype(np.float64) + 1e-9
    totals = np.bincount(cal.month, weights=w, minlength=MONTHS)
    cumulative = np.cumsum(w / totals[cal.month])
    day = np.searchsorted(cumulative, months + rng.random(len(months)), side="right")
    first = cal.month_first_day[months]
    last = cal.month_first_day[months + 1] - 1
    return np.clip(day, first, last).astype(np.int16)


def _pick_titles(rng: np.random.Generator, vocab: Vocabulary, types: np.ndarray) -> np.ndarray:
    offset = vocab.title_offset[types].astype(np.int64)
    count = vocab.title_count[types].astype(np.int64)
    return (offset + (rng.random(len(types)) * count).astype(np.int64)).astype(np.int16)


def _pick_locations(rng: np.random.Generator, vocab: Vocabulary, types: np.ndarray) -> np.ndarray:
    offset = vocab.location_offset[types].astype(np.int64)
    count = vocab.location_count[types].astype(np.int64)
    picked = offset + (rng.random(len(types)) * count).astype(np.int64)
    return np.where(count > 0, picked, NONE).astype(np.int16)


def _per_type(
    rng: np.random.Generator, catalog: Catalog, types: np.ndarray, attribute: str
) -> np.ndarray:
    """A random choice from each event's profile option tuple (``minutes`` or ``starts``)."""
    result = np.zeros(len(types), dtype=np.int64)
    for t in np.unique(types):
        chosen = types == t
        options = getattr(catalog.profile(int(t)), attribute)
        values = tuple(_slot(o) for o in options) if attribute == "starts" else options
        result[chosen] = _choose(rng, values, int(chosen.sum()))
    return result


def org_life_events(
    rng: np.random.Generator,
    cal: Calendar,
    tree: Tree,
    pools: Pools,
    catalog: Catalog,
    vocab: Vocabulary,
) -> Events:
    """Every meeting the units would hold in the window (before any scaling down).

    A meeting nobody may attend that month is not held; weak units hold their
    activity day less often.
    """
    units = tree.units
    weak = rng.random(len(units)) < weak_unit_share(tree)[tree.district[units]]
    reliability = np.where(weak, WEAK_UNIT_CHANCE, 1.0)
    share = break_share_by_month(cal)
    month_of_year = cal.month_of_year[cal.month_first_day[:-1]]
    quarter_of_month = cal.quarter[cal.month_first_day[:-1]]
    parts = []
    for t in catalog.indices(ORGANIZATIONAL):
        profile = catalog.profile(t)
        code = catalog.types[t].code
        kind = "committee" if profile.committee else "party"
        unit_index = np.flatnonzero(pools.has(kind, units))
        if profile.period == "month":
            unit = np.repeat(unit_index, MONTHS)
            month = np.tile(np.arange(MONTHS), len(unit_index))
            chance = profile.chance * (1 - 0.55 * share[month])
            if code == "activity_day":
                chance = np.where(month_of_year[month] == 7, 0.97, chance) * reliability[unit]
        else:
            quarters = int(quarter_of_month.max()) + 1
            unit = np.repeat(unit_index, quarters)
            quarter = np.tile(np.arange(quarters), len(unit_index))
            # a month of the quarter, favouring term time
            month_weight = 1.05 - share
            month = np.zeros(len(quarter), dtype=np.int64)
            chance = np.zeros(len(quarter))
            for q in range(quarters):
                in_quarter = np.flatnonzero(quarter_of_month == q)
                chosen = quarter == q
                p = month_weight[in_quarter] / month_weight[in_quarter].sum()
                month[chosen] = rng.choice(in_quarter, int(chosen.sum()), p=p)
                chance[chosen] = profile.chance * len(in_quarter) / 3
        keep = rng.random(len(unit)) < chance
        unit, month = unit[keep], month[keep]
        pool = pools.of(kind, units[unit], month)
        held = pools.sizes_of(pool) > 0
        unit, month, pool = unit[held], month[held], pool[held]
        size = pools.size[pool]
        if profile.committee:
            k = np.maximum(size - (rng.random(len(size)) < 0.2), 1)
        else:
            k = np.maximum(rng.binomial(size, profile.attendance), 1)
        count = len(unit)
        types = np.full(count, t, dtype=np.int8)
        day = sample_days_in_months(rng, cal, month, org_life_day_weight(cal, code))
        minutes = _per_type(rng, catalog, types, "minutes")
        title = _pick_titles(rng, vocab, types)
        if code == "activity_day":
            moy, dom = cal.month_of_year[day], cal.day_of_month[day]
            lei_feng = (moy == 3) & (dom <= 10) & (rng.random(count) < 0.6)
            july = ((moy == 6) & (dom >= 20)) | ((moy == 7) & (dom <= 5))
            title = np.where(lei_feng, vocab.special_title[LEI_FENG_DAY_TITLE], title)
            title = np.where(july, vocab.special_title[JULY_FIRST_TITLE], title)
        parts.append(
            Events(
                org=units[unit].astype(np.int32),
                pool=pool.astype(np.int32),
                start=(rng.random(count) * size).astype(np.int32),
                k=k.astype(np.int32),
                day=day,
                type=types,
                slot=_fit(_per_type(rng, catalog, types, "starts"), minutes),
                minutes=minutes.astype(np.int16),
                title=title.astype(np.int16),
                location=_pick_locations(rng, vocab, types),
                community=np.full(count, NONE, dtype=np.int16),
            )
        )
    return Events.concat(parts)


def coverage_training(
    cal: Calendar, tree: Tree, pools: Pools, catalog: Catalog, vocab: Vocabulary
) -> Events:
    """全覆盖: every secretary, party-work officer and 发展对象 trained each spring."""
    study = catalog.indices(STUDY)
    if not study:
        return _empty()
    hosts = tree.hosts[pools.has("trainees", tree.hosts)]
    days = np.array([cal.day_index(d) for d in COVERAGE_DAYS], dtype=np.int16)
    host = np.repeat(hosts, len(days))
    day = np.tile(days, len(hosts))
    pool = pools.of("trainees", host, cal.month[day])
    held = pools.sizes_of(pool) > 0
    host, day, pool = host[held], day[held], pool[held]
    count = len(host)
    return Events(
        org=host.astype(np.int32),
        pool=pool.astype(np.int32),
        start=np.zeros(count, dtype=np.int32),
        k=pools.size[pool].astype(np.int32),
        day=day,
        type=np.full(count, study[0], dtype=np.int8),
        slot=np.full(count, _slot("08:30"), dtype=np.int16),
        minutes=np.full(count, 360, dtype=np.int16),
        title=np.full(count, vocab.special_title[COVERAGE_TRAINING_TITLE], dtype=np.int16),
        location=np.full(count, vocab.coverage_location, dtype=np.int16),
        community=np.full(count, NONE, dtype=np.int16),
    )


def _empty() -> Events:
    return Events(**{f.name: np.zeros(0, dtype=np.int32) for f in fields(Events)})


def fill(
    rng: np.random.Generator, draw: Callable[[int], Events], budget: int, mean_k: float
) -> Events:
    """Draw events in chunks until their sizes reach ``budget``, then cut to exactly it."""
    if budget <= 0:
        return _empty()
    parts: list[Events] = []
    total = 0
    while total < budget:
        chunk = draw(max(64, int((budget - total) / mean_k * 1.1) + 16))
        parts.append(chunk)
        total += chunk.rows
    events = Events.concat(parts)
    cumulative = np.cumsum(events.k, dtype=np.int64)
    last = int(np.searchsorted(cumulative, budget))
    events = events.select(np.arange(last + 1))
    events.k[last] -= int(cumulative[last] - budget)
    return events


def _random_branch(rng: np.random.Generator, tree: Tree, host: np.ndarray) -> np.ndarray:
    """A random branch of each host, or -1 for a host without branches."""
    branches = np.flatnonzero(tree.kind == BRANCH)
    parents = tree.parent[branches]
    order = np.argsort(parents, kind="stable")
    branches, parents = branches[order], parents[order]
    first = np.searchsorted(parents, host, side="left")
    count = np.searchsorted(parents, host, side="right") - first
    pick = first + (rng.random(len(host)) * count).astype(np.int64)
    return np.where(count > 0, branches[np.minimum(pick, len(branches) - 1)], -1)


def volunteer_drawer(
    rng: np.random.Generator,
    cal: Calendar,
    tree: Tree,
    pools: Pools,
    catalog: Catalog,
    vocab: Vocabulary,
) -> tuple[Callable[[int], Events], float, Callable[[int], Events]]:
    """A function drawing ``n`` volunteer events, their mean size, and the schools' rotas.

    ``rota(budget)`` gives each school's monthly rota (值班轮岗: 护学岗, 社区服务 ...)
    for its staff and students: windows laid end to end over the front of the month's
    pool, so that up to ``budget`` rows reach as many people as there are rows.
    """
    types = np.array(catalog.indices(VOLUNTEER), dtype=np.int64)
    base = volunteer_day_weight(cal)
    weights = np.stack(
        [
            catalog.profile(int(t)).weight * base * type_day_factor(cal, catalog.types[t].code)
            for t in types
        ]
    ).ravel()
    cell_p = weights / weights.sum()
    hosts = tree.hosts
    host_w = pools.sizes("all", hosts) * np.where(tree.kind[hosts] == OFFICE, 0.4, 1.0)
    host_p = host_w / host_w.sum()
    profiles = [catalog.profile(int(t)) for t in types]
    pool_kind = np.array([p.pool for p in profiles])
    mean = np.array([p.participants for p in profiles])
    most = np.array([p.max_participants for p in profiles])
    community_share = np.array([p.community_share for p in profiles])
    codes = [catalog.types[int(t)].code for t in types]
    is_report = np.array([c == "community_report" for c in codes])
    is_visit = np.array([c == "home_visit" for c in codes])
    lei_feng_types = np.array(
        [
            c not in ("home_visit", "pairing_support", "supporting_teaching", "community_report")
            for c in codes
        ]
    )
    per_district = vocab.communities_per_district
    rota_types = np.flatnonzero(pool_kind == "all")
    rota_p = np.array([profiles[i].weight for i in rota_types])
    rota_p = rota_p / rota_p.sum() if len(rota_types) else rota_p

    def draw(n: int) -> Events:
        cell = rng.choice(len(cell_p), n, p=cell_p)
        local, day = np.divmod(cell, cal.days)
        month = cal.month[day]
        host = hosts[rng.choice(len(hosts), n, p=host_p)]
        kind = pool_kind[local]
        pool = np.full(n, -1, dtype=np.int64)
        for name in ("all", "teachers", "members"):
            chosen = kind == name
            pool[chosen] = pools.of(name, host[chosen], month[chosen])
        org = np.where(kind == "members", PERSONS_ORG, host)
        branch = _random_branch(rng, tree, host)
        by_branch = (branch >= 0) & (kind != "members") & (rng.random(n) < BRANCH_REPORTED)
        branch_pool = pools.of("party", np.maximum(branch, 0), month)
        by_branch &= pools.sizes_of(branch_pool) > 0
        org = np.where(by_branch, branch, org)
        pool = np.where(by_branch, branch_pool, pool)
        pool = np.where(pools.sizes_of(pool) > 0, pool, pools.of("all", host, month))
        size = pools.sizes_of(pool)
        k = np.minimum(wanted(local), size)
        start = (size * rng.random(n) ** 1.7).astype(np.int64)
        return describe(local, day, host, org, pool, start, k).select(k > 0)

    def wanted(local: np.ndarray) -> np.ndarray:
        return np.clip(1 + rng.poisson(np.maximum(mean[local] - 1, 0.0)), 1, most[local])

    def rota(budget: int) -> Events:
        group = pools.pool["rota"][hosts]
        if budget <= 0 or len(rota_types) == 0 or not np.any(group >= 0):
            return _empty()
        with_rota = hosts[group >= 0]
        pool = (group[group >= 0, None].astype(np.int64) * MONTHS + np.arange(MONTHS)).ravel()
        size = pools.size[pool].astype(np.int64)
        # the rows shared out in proportion to the pools' sizes (systematic rounding, so a
        # small school gets its share on average rather than none)
        share = min(1.0, budget / max(int(size.sum()), 1))
        cumulative = np.floor(np.cumsum(size * share) + rng.random())
        reach = np.diff(cumulative, prepend=0.0).astype(np.int64)
        of = np.repeat(np.arange(len(pool)), reach)  # at most one event per person reached
        local = rota_types[rng.choice(len(rota_types), len(of), p=rota_p)]
        k = wanted(local)
        before = np.cumsum(k) - k  # rows of the events before, in every pool
        first = np.cumsum(reach) - reach  # each pool's first event
        start = before - before[first[of]]
        keep = start < reach[of]
        of, local, start = of[keep], local[keep], start[keep]
        k = np.minimum(k[keep], reach[of] - start)
        month = pool[of] % MONTHS
        day = np.zeros(len(of), dtype=np.int64)
        for t in np.unique(local):
            chosen = local == t
            weight = base * type_day_factor(cal, catalog.types[types[t]].code)
            day[chosen] = sample_days_in_months(rng, cal, month[chosen], weight)
        host = np.repeat(with_rota, MONTHS)[of]
        return describe(local, day, host, host, pool[of], start, k)

    def describe(
        local: np.ndarray,
        day: np.ndarray,
        host: np.ndarray,
        org: np.ndarray,
        pool: np.ndarray,
        start: np.ndarray,
        k: np.ndarray,
    ) -> Events:
        """Volunteer events of types ``types[local]``: titles, times, places, communities."""
        n = len(local)
        t = types[local].astype(np.int8)
        minutes = _per_type(rng, catalog, t, "minutes")
        title = _pick_titles(rng, vocab, t)
        moy, dom = cal.month_of_year[day], cal.day_of_month[day]
        lei_feng = lei_feng_types[local] & (moy == 3) & (dom <= 10) & (rng.random(n) < 0.7)
        title = np.where(lei_feng, vocab.special_title[LEI_FENG_TITLE], title)
        volunteer_day = (moy == 12) & (dom == 5) & lei_feng_types[local]
        title = np.where(volunteer_day, vocab.special_title[VOLUNTEER_DAY_TITLE], title)
        title = np.where(
            is_visit[local] & cal.winter[day], vocab.special_title[WINTER_VISIT_TITLE], title
        )
        title = np.where(
            is_visit[local] & cal.summer[day], vocab.special_title[SUMMER_VISIT_TITLE], title
        )
        event_community = tree.district[host].astype(np.int64) * per_district + rng.integers(
            0, per_district, n
        )
        has_community = rng.random(n) < community_share[local]
        community = np.where(has_community, event_community, NONE)
        community = np.where(is_report[local], PERSONS_COMMUNITY, community)
        location = _pick_locations(rng, vocab, t)
        location = np.where(is_report[local], PERSONS_COMMUNITY, location)
        return Events(
            org=org.astype(np.int32),
            pool=pool.astype(np.int32),
            start=start.astype(np.int32),
            k=k.astype(np.int32),
            day=day.astype(np.int16),
            type=t,
            slot=_fit(_per_type(rng, catalog, t, "starts"), minutes),
            minutes=minutes.astype(np.int16),
            title=title.astype(np.int16),
            location=location.astype(np.int16),
            community=community.astype(np.int16),
        )

    type_p = cell_p.reshape(len(types), cal.days).sum(axis=1)
    return draw, float((type_p * mean).sum()), rota


def training_drawer(
    rng: np.random.Generator,
    cal: Calendar,
    tree: Tree,
    pools: Pools,
    catalog: Catalog,
    vocab: Vocabulary,
) -> tuple[Callable[[int], Events], float]:
    """A function drawing ``n`` school training courses, and their mean size."""
    types = np.array(catalog.indices(STUDY), dtype=np.int64)
    weights = np.array([catalog.profile(int(t)).weight for t in types])
    type_p = weights / weights.sum()
    day_w = training_day_weight(cal)
    day_p = day_w / day_w.sum()
    hosts = tree.hosts[pools.has("teachers", tree.hosts)]
    host_w = pools.sizes("teachers", hosts).astype(np.float64)
    host_p = host_w / host_w.sum()
    mean = np.array([catalog.profile(int(t)).participants for t in types])
    most = np.array([catalog.profile(int(t)).max_participants for t in types])

    def draw(n: int) -> Events:
        local = rng.choice(len(types), n, p=type_p)
        t = types[local].astype(np.int8)
        host = hosts[rng.choice(len(hosts), n, p=host_p)]
        day = rng.choice(cal.days, n, p=day_p)
        pool = pools.of("teachers", host, cal.month[day])
        size = pools.size[pool]
        k = np.minimum(np.clip(rng.poisson(mean[local]), 3, most[local]), size)
        minutes = _per_type(rng, catalog, t, "minutes")
        title = _pick_titles(rng, vocab, t)
        summer = (cal.month_of_year[day] == 8) & (cal.day_of_month[day] >= 15)
        title = np.where(summer, vocab.special_title[SUMMER_TRAINING_TITLE], title)
        events = Events(
            org=host.astype(np.int32),
            pool=pool.astype(np.int32),
            start=(rng.random(n) * size).astype(np.int32),
            k=k.astype(np.int32),
            day=day.astype(np.int16),
            type=t,
            slot=_fit(_per_type(rng, catalog, t, "starts"), minutes),
            minutes=minutes.astype(np.int16),
            title=title.astype(np.int16),
            location=_pick_locations(rng, vocab, t),
            community=np.full(n, NONE, dtype=np.int16),
        )
        return events.select(k > 0)  # none of the school's teachers may take part that month

    return draw, float((type_p * np.minimum(mean, most)).sum())


def plan_events(
    rng: np.random.Generator,
    cal: Calendar,
    tree: Tree,
    pools: Pools,
    catalog: Catalog,
    vocab: Vocabulary,
    rows: int,
) -> Plan:
    """Events whose sizes add up to exactly ``rows``."""
    org_life = org_life_events(rng, cal, tree, pools, catalog, vocab)
    cap = round(ORG_LIFE_SHARE * rows)
    if org_life.rows > cap:
        # a random selection of meetings, as many as fit under the cap
        order = rng.permutation(org_life.size)
        fits = np.cumsum(org_life.k[order], dtype=np.int64) <= cap
        org_life = org_life.select(np.sort(order[fits]))
    training_budget = round(TRAINING_SHARE * rows) if catalog.indices(STUDY) else 0
    coverage = coverage_training(cal, tree, pools, catalog, vocab)
    coverage_cap = COVERAGE_SHARE_OF_TRAINING * training_budget
    if coverage.rows > coverage_cap:
        coverage = coverage.select(rng.random(coverage.size) < coverage_cap / coverage.rows)
    parts = [org_life, coverage]
    if training_budget:
        draw, mean = training_drawer(rng, cal, tree, pools, catalog, vocab)
        parts.append(fill(rng, draw, training_budget - coverage.rows, mean))
    training_rows = sum(p.rows for p in parts[1:])
    draw, mean, rota = volunteer_drawer(rng, cal, tree, pools, catalog, vocab)
    volunteer_budget = rows - org_life.rows - training_rows
    rotas = rota(round(ROTA_SHARE * volunteer_budget))
    parts += [rotas, fill(rng, draw, volunteer_budget - rotas.rows, mean)]
    events = Events.concat(parts)
    return Plan(events, org_life.rows, training_rows, volunteer_budget)
