"""Running the real command: ``python -m demo`` from the repository root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = 20250305
SMALL = 20_000
LARGER = 40_000
SHOWN = 300_000  # what `make demo` writes and `make run` shows


def run_demo(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m demo ARGS``, its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "demo", *args], cwd=REPO, capture_output=True, text=True
    )


def write_inbox(folder: Path, rows: int, seed: int) -> Path:
    """A demo inbox in ``folder``; the command must succeed."""
    result = run_demo("--out", str(folder), "--rows", str(rows), "--seed", str(seed))
    assert result.returncode == 0, result.stderr
    return folder
