"""The change a headline tile shows against the previous period of the same length:
``+25.0%``, ``-1.2 个百分点``, or ``—`` when there is nothing to compare with (the
earlier period has no approved session, or the figure was 0 or its rate empty then),
never a jump from nothing such as ``+99.9 个百分点``."""

from __future__ import annotations

from dashboard import i18n
from kernel import formatting

EMPTY = "—"


def change(current: int, previous: int, earlier_has_data: bool) -> str:
    """The change from ``previous`` to ``current`` in percent, or ``—``."""
    if not earlier_has_data:
        return EMPTY
    return formatting.format_change(current, previous) or EMPTY


def points(
    current: tuple[int, int],
    previous: tuple[int, int],
    earlier_has_data: bool,
    lang: str = i18n.DEFAULT_LANGUAGE,
) -> str:
    """The change of a rate (numerator, denominator) in percentage points, or ``—``."""
    if not earlier_has_data:
        return EMPTY
    return i18n.format_points(current, previous, lang) or EMPTY


def metric_style(delta: str) -> dict[str, str]:
    """``st.metric``'s arrow and colour for ``delta``: none for ``—`` and for no change
    (``0.0%``), else up or down by its sign."""
    if delta == EMPTY or delta.startswith("0.0"):
        return {"delta_color": "off", "delta_arrow": "off"}
    return {"delta_color": "normal", "delta_arrow": "auto"}
