"""Small-cell suppression with complementary suppression.

A published count of people between 1 and k - 1 could point at a person, so it is
hidden (primary suppression). A hidden cell must not be recoverable from the
totals around it: a district's count is the sum of its top-level units, and a
school's count is its own people plus its branches'. So in every such group
(a total and its parts) the number of hidden cells is never exactly one: when it
would be, the smallest published part is hidden too (a non-zero one first), or the
total when no part is left (complementary suppression). Cells that may not be
hidden (``district_monthly.csv`` stays complete unless SUPPRESS is given) are never
chosen; a group whose only remaining cells are such is left as it is, because the
complete table already publishes that total.

Pure functions over plain dicts: the caller builds the cells and groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

DEFAULT_K = 5


@dataclass(frozen=True)
class Group:
    """A total and the parts it is made of (per column and month)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def _order(cells: Mapping[Hashable, int], key: Hashable) -> tuple[bool, int, str]:
    value = cells[key]
    return (value == 0, value, repr(key))


def suppress(
    cells: Mapping[Hashable, int],
    groups: Iterable[Group],
    k: int,
    hideable: set[Hashable] | None = None,
) -> set[Hashable]:
    """The cells to hide: every hideable count in (0, k), then complementary ones.

    ``hideable`` defaults to every cell. Returns the keys to hide; the caller hides
    the metrics derived from them too.
    """
    if k <= 1:
        return set()
    allowed = set(cells) if hideable is None else set(hideable)
    hidden = {key for key in allowed if 0 < cells[key] < k}
    groups = [g for g in groups if g.parts]
    changed = True
    while changed:
        changed = False
        for group in groups:
            members = (group.total, *group.parts)
            lone = [m for m in members if m in hidden]
            if len(lone) != 1:
                continue
            parts = sorted(
                (p for p in group.parts if p not in hidden and p in allowed),
                key=lambda p: _order(cells, p),
            )
            total = [group.total] if group.total not in hidden and group.total in allowed else []
            partners = parts + total
            if partners:
                hidden.add(partners[0])
                changed = True
    return hidden
