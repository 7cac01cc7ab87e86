"""Personal numbers: GB 11643 ID numbers with valid check characters, phone numbers.

All numbers are made up. ID numbers carry an area code of the city, a birth date, a
sequence whose last digit is odd for men and even for women, and the check character
of GB 11643-1999 (ISO 7064 MOD 11-2).
"""

from __future__ import annotations

import numpy as np

ID_WEIGHTS = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), dtype=np.int64)
ID_CHECK_CHARS = "10X98765432"
# Area codes of the districts of a provincial capital, and a few from elsewhere.
AREA_CODES = (
    "410102",
    "410103",
    "410104",
    "410105",
    "410106",
    "410108",
    "410122",
    "410181",
    "410182",
    "410183",
    "410184",
    "410185",
    "410302",
    "411302",
    "410502",
    "411102",
)
PHONE_PREFIXES = tuple(
    str(n)
    for n in (
        *range(130, 140),
        *range(150, 154),
        *range(155, 160),
        166,
        173,
        *range(175, 179),
        *range(180, 184),
        *range(185, 190),
        191,
        198,
        199,
    )
)


def id_numbers(rng: np.random.Generator, birth: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Distinct ID numbers for people born on ``birth`` (datetime64[D]) of that sex."""
    count = len(birth)
    areas = np.array(AREA_CODES)[rng.integers(0, len(AREA_CODES), count)]
    births = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    numbers = np.empty(count, dtype=object)
    todo = np.arange(count)
    taken: set[str] = set()
    while len(todo):
        # A sequence of three digits: the last one odd for men, even for women.
        sequence = rng.integers(0, 50, len(todo)) * 2 + np.where(female[todo], 0, 1)
        first17 = np.char.add(
            np.char.add(areas[todo], births[todo]), np.char.zfill(sequence.astype(str), 3)
        )
        digits = np.array([list(s) for s in first17], dtype=np.int64).reshape(len(todo), 17)
        checks = np.array(list(ID_CHECK_CHARS))[(digits @ ID_WEIGHTS) % 11]
        candidates = np.char.add(first17, checks)
        retry = []
        for position, number in zip(todo, candidates, strict=True):
            if number in taken:
                retry.append(position)
            else:
                taken.add(str(number))
                numbers[position] = str(number)
        todo = np.array(retry, dtype=np.int64)
    return numbers


def phone_numbers(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` distinct mobile numbers."""
    prefixes = np.array(PHONE_PREFIXES)
    numbers = np.empty(0, dtype=object)
    while len(numbers) < count:
        missing = count - len(numbers)
        heads = prefixes[rng.integers(0, len(prefixes), missing)]
        tails = np.char.zfill(rng.integers(0, 10**8, missing).astype(str), 8)
        fresh = np.char.add(heads, tails).astype(object)
        merged = np.concatenate([numbers, fresh])
        _, first = np.unique(merged, return_index=True)
        numbers = merged[np.sort(first)]
    return numbers[:count]


def damaged_by_excel(number: str) -> str:
    """How Excel shows an 18-digit ID typed as a number: ``4.10105E+17``."""
    mantissa = f"{int(number[:17]) / 10**16:.5f}".rstrip("0").rstrip(".")
    return f"{mantissa}E+17"
