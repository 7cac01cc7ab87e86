"""Faults: which rows carry which defect, and which rows are sent twice.

Every row-level reason code of DESIGN.md's validation table gets at least two rows,
each with that one fault only, so ingest rejects it for exactly that reason. Faults
ingest keeps (unknown organization codes, organizations named only by name, labels
that match no activity type) are chosen the same way. A fault needs a file whose
template has the column it damages (times, ID numbers, organization codes). One row
of every file stays clean: a file whose rows were all rejected would fail to load as
a whole (a small inbox has files of one or two rows).
"""

from __future__ import annotations

import numpy as np

from demo.layout import Layout
from demo.sessions import APPROVED

# The reasons of seeds/reject_reasons.csv that an activity row can have, in their
# order (tests/demo/test_activity_logs.py holds the two lists equal); their positions
# are the fault codes, so the order is part of the demo's output.
REASONS = (
    "missing_person",
    "missing_org",
    "missing_date",
    "bad_date",
    "date_out_of_range",
    "bad_time",
    "end_before_start",
    "missing_hours",
    "bad_hours",
    "hours_out_of_range",
    "missing_activity_type",
    "bad_id_number",
)
KEPT = ("unknown_org_code", "org_name_only", "unmapped_label")
FAULTS = REASONS + KEPT
"""Fault codes are positions in this tuple plus one; 0 is a clean row."""
RATES: dict[str, float] = {
    "missing_person": 0.0025,
    "missing_org": 0.0015,
    "missing_date": 0.0015,
    "bad_date": 0.002,
    "date_out_of_range": 0.001,
    "bad_time": 0.001,
    "end_before_start": 0.001,
    "missing_hours": 0.0015,
    "bad_hours": 0.0015,
    "hours_out_of_range": 0.0015,
    "missing_activity_type": 0.001,
    "bad_id_number": 0.001,
    "unknown_org_code": 0.002,
    "org_name_only": 0.005,
    "unmapped_label": 0.002,
}
NEEDS: dict[str, tuple[str, ...]] = {
    "bad_time": ("start_time",),
    "end_before_start": ("start_time",),
    "bad_id_number": ("id_number",),
    "unknown_org_code": ("org_code",),
    "org_name_only": ("org_code", "org_name"),
}
MINIMUM = 2
WITHIN_FILE_DUPLICATES = 0.006
CROSS_FILE_DUPLICATES = 0.004


def code(fault: str) -> int:
    return FAULTS.index(fault) + 1


def fault_counts(rows: int) -> dict[str, int]:
    return {fault: max(MINIMUM, round(RATES[fault] * rows)) for fault in FAULTS}


def duplicate_counts(rows: int) -> tuple[int, int]:
    """Rows repeated within their file, and rows repeated in a supplement file."""
    return (
        max(3, round(WITHIN_FILE_DUPLICATES * rows)),
        max(3, round(CROSS_FILE_DUPLICATES * rows)),
    )


def choose_faults(rng: np.random.Generator, layout: Layout, file: np.ndarray) -> np.ndarray:
    """A fault code per row (0 for most); the first row of each file has none."""
    result = np.zeros(len(file), dtype=np.int8)
    _, first_of_file = np.unique(file, return_index=True)
    spared = np.zeros(len(file), bool)
    spared[first_of_file] = True
    for fault, count in fault_counts(len(file)).items():
        needs = NEEDS.get(fault, ())
        allowed = np.array(
            [all(n in f.style.fields for n in needs) for f in layout.files], dtype=bool
        )
        candidates = np.flatnonzero(allowed[file] & (result == 0) & ~spared)
        if len(candidates) < count:
            raise ValueError(f"too few rows for the fault {fault}; ask for more rows")
        chosen = candidates[rng.choice(len(candidates), count, replace=False)]
        result[chosen] = code(fault)
    return result


def choose_duplicates(
    rng: np.random.Generator,
    layout: Layout,
    file: np.ndarray,
    fault: np.ndarray,
    status: np.ndarray,
    within: int,
    cross: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows repeated in their own file, and rows repeated in their supplement."""
    clean = (fault == 0) & (status == APPROVED)
    candidates = np.flatnonzero(clean)
    repeated = candidates[rng.choice(len(candidates), within, replace=False)]
    clean[repeated] = False
    mains = [f.supplement_of for f in layout.files if f.supplement_of >= 0]
    shares = np.full(len(mains), cross // len(mains))
    shares[: cross % len(mains)] += 1
    resent = []
    for main, share in zip(mains, shares, strict=True):
        pool = np.flatnonzero(clean & (file == main))
        if len(pool) < share:
            raise ValueError("too few rows for the supplement files; ask for more rows")
        resent.append(pool[rng.choice(len(pool), int(share), replace=False)])
    return np.sort(repeated), np.sort(np.concatenate(resent))
