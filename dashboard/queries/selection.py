"""What a query is asked for: the sidebar's filters and the reader's scope, and the
parameters both become (bound as ``?``, never formatted into SQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from kernel.formatting import month_count, shift_month

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FIRST_MONTH = "2000-01"  # the earliest date ingest accepts


def _codes(name: str, values: tuple[str, ...] | None) -> None:
    if values is not None and not values:
        raise ValueError(f"an empty {name} selection: pass None for all")


def _list(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


@dataclass(frozen=True)
class Filters:
    """What the sidebar chose: a range of months (``YYYY-MM``, inclusive) and, for each
    dimension, the codes picked (None: all). Organizations include those under them."""

    month_from: str
    month_to: str
    districts: tuple[str, ...] | None = None
    organizations: tuple[str, ...] | None = None
    person_types: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for month in (self.month_from, self.month_to):
            if not isinstance(month, str) or not _MONTH.match(month):
                raise ValueError(f"not a month in YYYY-MM form: {month!r}")
        if self.month_from > self.month_to:
            raise ValueError(f"the range starts after it ends: {self.month_from}..{self.month_to}")
        if self.districts is not None and not self.districts:
            raise ValueError("an empty district selection: pass None for all districts")
        _codes("organization", self.organizations)
        _codes("person type", self.person_types)
        _codes("category", self.categories)

    @property
    def district_list(self) -> list[str] | None:
        """The districts as DuckDB binds a ``varchar[]`` parameter."""
        return _list(self.districts)

    @property
    def months(self) -> int:
        return month_count(self.month_from, self.month_to)

    def shifted(self, months: int) -> Filters:
        """The same filters over the range moved by ``months``."""
        return replace(
            self,
            month_from=shift_month(self.month_from, months),
            month_to=shift_month(self.month_to, months),
        )

    def previous(self) -> Filters:
        """The period of the same length just before this one."""
        return self.shifted(-self.months)

    def last_year(self) -> Filters:
        """The same months one year earlier."""
        return self.shifted(-12)


@dataclass(frozen=True)
class Scope:
    """What a reader may see: the whole bureau (both None), or only some districts
    and/or organizations (with the ones under them). Enforced in every query's SQL
    (``orgs_in_view``) and part of every cache key; sign-in chooses it."""

    districts: tuple[str, ...] | None = None
    organizations: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        _codes("scope district", self.districts)
        _codes("scope organization", self.organizations)

    @property
    def is_bureau(self) -> bool:
        return self.districts is None and self.organizations is None


BUREAU = Scope()


def params(filters: Filters, scope: Scope) -> list[Any]:
    """The values of ``params_ctes()`` (``macros/filters.sql``), in its order."""
    return [
        filters.month_from,
        filters.month_to,
        filters.district_list,
        _list(filters.organizations),
        _list(filters.person_types),
        _list(filters.categories),
        _list(scope.districts),
        _list(scope.organizations),
    ]


def scope_params(scope: Scope) -> list[Any]:
    """The parameters of a query that only the scope narrows (no period, no filter)."""
    return params(Filters(FIRST_MONTH, FIRST_MONTH), scope)
