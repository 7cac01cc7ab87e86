"""The tree sampler of ``bench/memory.py`` counts a grandchild's memory with its parent's.

The child allocates 150 MiB of filled bytes, then starts a grandchild that allocates
another 150 MiB and holds it for a second while the child still holds its own: the
tree holds at least 300 MiB at once (an interpreter is well under 50 MiB), and the
tree's sampled peak must reach it.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.memory import TreeSampler, tree

MIB = 2**20
GRANDCHILD = "import time; held = b'x' * (150 * 2**20); time.sleep(1.0)"
CHILD = (
    "import subprocess, sys; held = b'x' * (150 * 2**20); "
    f"subprocess.run([sys.executable, '-c', {GRANDCHILD!r}], check=True)"
)


def test_the_tree_peak_adds_a_grandchild_to_its_parent() -> None:
    process = subprocess.Popen([sys.executable, "-c", CHILD])
    with TreeSampler(process.pid) as sampler:
        _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    # ru_maxrss is the largest single process: it sees one allocation at least (where
    # the grandchild was forked rather than spawned, its copy of the child's pages can
    # add the other, so no upper bound is asserted on it)
    assert usage.ru_maxrss / 1024 >= 150  # KiB on Linux
    assert sampler.samples >= 10  # 50 ms apart over more than a second
    assert 300 <= sampler.peak_mb < 300 + 3 * 50  # two allocations, interpreters aside


def test_the_tree_lists_a_process_and_its_descendants() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "import subprocess; subprocess.run(['sleep', '2'])"]
    )
    try:
        found: list[int] = []
        for _ in range(100):  # until the grandchild has started
            found = tree(process.pid)
            if len(found) == 2:
                break
            subprocess.run(["sleep", "0.02"])
        assert found[0] == process.pid and len(found) == 2
        os.kill(found[1], 9)  # the grandchild first, so none outlives the test
    finally:
        process.kill()
        process.wait()
