"""Text that lines up on a terminal, Chinese included: a wide (CJK) character takes two
columns. The tables ``python -m ingest`` prints are laid out with these."""

from __future__ import annotations

from kernel.formatting import text_width as width

# The file column of the tables is as wide as the longest name, within these bounds.
FILE_COLUMN = (24, 60)


def fit(text: str, columns: int, keep: str = "start") -> str:
    """The text cut to ``columns`` columns with an ellipsis where it was cut."""
    if width(text) <= columns:
        return text
    kept = text if keep == "start" else text[::-1]
    out, used = [], 1  # the ellipsis takes one column
    for char in kept:
        if used + width(char) > columns:
            break
        out.append(char)
        used += width(char)
    cut = "".join(out)
    return cut + "…" if keep == "start" else "…" + cut[::-1]


def pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def column_width(names: list[str]) -> int:
    low, high = FILE_COLUMN
    return min(max([low, *(width(n) for n in names)]), high)
