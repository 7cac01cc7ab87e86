"""One random generator per pipeline stage, derived from the seed and the stage number.

A stage drawing more or fewer numbers never shifts another stage's draws, so a
change in one part of the generator leaves the rest of the output as it was.
"""

from __future__ import annotations

import numpy as np

TREE, COMMUNITY, PEOPLE, EVENTS, SESSIONS, FILES, FAULT, DUPLICATE, RENDER = range(1, 10)
ENGAGEMENT = 10
SUMMARIES = 11  # event summaries (demo.summaries)


def stage_rng(seed: int, stage: int, *more: int) -> np.random.Generator:
    """The generator of ``stage`` (and, for rendering, of one file: ``more``)."""
    return np.random.default_rng([seed, stage, *more])
