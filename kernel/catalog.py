"""The metric catalog: what each published figure is called, how it is counted and
how it is shown, read from the marts' own yml.

A metric is a column of ``agg_district_monthly`` whose yml carries
``config.meta.metric`` (next to ``config.meta.glossary``, whose ``name_zh`` is the
metric's Chinese name). The catalog lists them in the yml's order; the dashboard and
the exports take labels, formats and the arithmetic of every figure from here, so
adding a metric means its SQL and its yml entry, nothing else.

Kinds, and how a value is made from a monthly mart row (exact counts and minutes):

- ``count``: a count that adds up across units and months (person-times);
- ``distinct_persons``: distinct people; never added across months or units, recounted
  from the person grain (volunteers, roster size);
- ``additive_minutes``: whole minutes (column ``minutes``) shown as hours;
- ``ratio``: ``numerator / (denominator * denominator_scale)``, empty when the
  denominator is 0 (participation rate; hours per volunteer, with minutes over
  volunteers and a scale of 60);
- ``distinct_activities``: distinct activities held (场次), counted like persons.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from kernel.formatting import ratio

MARTS_YML = (
    Path(__file__).resolve().parent.parent
    / "dbt_project"
    / "models"
    / "marts"
    / "_marts__models.yml"
)
MODEL = "agg_district_monthly"
KINDS = ("count", "distinct_persons", "additive_minutes", "ratio", "distinct_activities")
UNITS = ("persons", "person_times", "activities", "hours", "share")


class CatalogError(ValueError):
    """The yml's metric entries are incomplete or contradict each other."""


@dataclass(frozen=True)
class Metric:
    key: str  # the mart column, e.g. participation_rate
    name_zh: str
    name_en: str
    kind: str
    unit: str
    decimals: int
    counts_people: bool = False  # small-cell suppression hides it and what derives from it
    minutes: str | None = None  # additive_minutes: the exact column in whole minutes
    numerator: str | None = None  # ratio
    denominator: str | None = None  # ratio
    denominator_scale: int = 1  # ratio: the denominator's multiplier (60: minutes to hours)

    def label(self, lang: str) -> str:
        """The metric's name in ``lang`` (``zh`` or ``en``)."""
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def places(self) -> str:
        """The rounding quantum of the published value: ``0.01`` for 2 decimals."""
        return "1" if self.decimals == 0 else "0." + "0" * (self.decimals - 1) + "1"

    @property
    def inputs(self) -> tuple[str, ...]:
        """The exact mart columns the value is made from."""
        if self.kind == "additive_minutes":
            return (self.minutes or "",)
        if self.kind == "ratio":
            return (self.numerator or "", self.denominator or "")
        return (self.key,)

    def value(self, row: Mapping[str, Any]) -> int | Decimal | None:
        """The published value from a mart row's exact columns, rounded half up once:
        an ``int`` for counts, a ``Decimal`` for hours and ratios, ``None`` for a ratio
        whose denominator is 0."""
        if self.kind == "additive_minutes":
            return ratio(int(row[self.minutes or ""]), 60, self.places)
        if self.kind == "ratio":
            denominator = int(row[self.denominator or ""]) * self.denominator_scale
            return ratio(int(row[self.numerator or ""]), denominator, self.places)
        return int(row[self.key])


def _metric(column: dict[str, Any]) -> Metric | None:
    meta = (column.get("config") or {}).get("meta") or column.get("meta") or {}
    entry = meta.get("metric")
    if entry is None:
        return None
    key = column["name"]
    name_zh = (meta.get("glossary") or {}).get("name_zh")
    if not name_zh:
        raise CatalogError(f"metric {key}: give it a glossary name_zh (its Chinese name)")
    unknown = set(entry) - {f for f in Metric.__dataclass_fields__ if f not in ("key", "name_zh")}
    if unknown:
        raise CatalogError(f"metric {key}: unknown field(s) {', '.join(sorted(unknown))}")
    metric = Metric(key=key, name_zh=name_zh, **entry)
    if metric.kind not in KINDS:
        raise CatalogError(f"metric {key}: kind {metric.kind!r} is not one of {', '.join(KINDS)}")
    if metric.unit not in UNITS:
        raise CatalogError(f"metric {key}: unit {metric.unit!r} is not one of {', '.join(UNITS)}")
    if metric.kind == "ratio" and not (metric.numerator and metric.denominator):
        raise CatalogError(f"metric {key}: a ratio needs a numerator and a denominator")
    if metric.kind == "additive_minutes" and not metric.minutes:
        raise CatalogError(f"metric {key}: additive_minutes needs its minutes column")
    return metric


def load(path: Path = MARTS_YML) -> tuple[Metric, ...]:
    """The metrics of ``path``'s ``agg_district_monthly``, in the yml's order."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for model in document.get("models", []):
        if model["name"] == MODEL:
            found = [_metric(column) for column in model.get("columns", [])]
            metrics = tuple(m for m in found if m is not None)
            columns = {column["name"] for column in model.get("columns", [])}
            for metric in metrics:
                missing = [c for c in metric.inputs if c not in columns]
                if missing:
                    raise CatalogError(
                        f"metric {metric.key}: {MODEL} has no column {', '.join(missing)}"
                    )
            return metrics
    raise CatalogError(f"{path}: no model {MODEL}")


@functools.cache
def metrics() -> tuple[Metric, ...]:
    """The project's metrics (read once)."""
    return load()


def metric(key: str, among: Sequence[Metric] | None = None) -> Metric:
    """One metric by key, of the project's catalog or of ``among`` (a catalog a caller
    was handed, e.g. one ``load``-ed from a test's yml)."""
    listed = metrics() if among is None else among
    for found in listed:
        if found.key == key:
            return found
    raise KeyError(f"no metric {key!r}: one of {', '.join(m.key for m in listed)}")


def label(key: str, lang: str, among: Sequence[Metric] | None = None) -> str:
    """A metric's name in ``lang``: the one place a page, a chart or a file gets it."""
    return metric(key, among).label(lang)
