"""A rule of validation: the reason a row is rejected for, and when (shared by the
builders of every kind in ``ingest.validating`` and its neighbours)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A reason code, when it applies (SQL over the parsed row), the column it names
    (SQL: the file's header, or ``a/b`` for alternatives) and the value shown for it
    (SQL, masked; ``null`` for an empty cell)."""

    reason: str
    when: str
    column: str
    value: str = "null"
