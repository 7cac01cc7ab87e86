"""``python -m ingest`` without pandas.

pyarrow imports pandas whenever it can (its C++ conversion of Python values, ``pa.array``
of a list or a NumPy array, ``pa.scalar``, a compute function given a Python value),
to recognise pandas objects: 0.3 s of a small load's 1 s, in a process that never
holds one. ``skip_pandas`` makes ``import pandas`` fail in this process, which pyarrow
takes as "no pandas installed". Only the command's process does it
(``ingest/__main__.py``): the ingest package, imported by tests, the dashboard or
export, leaves the import system alone.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class NoPandas:
    """A module finder that answers every import of pandas with ImportError."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.partition(".")[0] == "pandas":
            raise ImportError("python -m ingest does not use pandas", name=name)
        return None


def skip_pandas() -> None:
    """Make ``import pandas`` fail from now on in this process, unless it is imported
    already (then pyarrow's checks cost nothing)."""
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, NoPandas())
