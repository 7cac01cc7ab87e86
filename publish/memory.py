"""DuckDB's memory limit for a build: dbt's models and tests, and the snapshot's digest.

Left to itself DuckDB takes up to 80 % of the machine's memory, and a build kept what
it took: 7.6 GB for dbt at 10M activity rows, where an analyst's pandas script needs
4.7 GB. Under a limit DuckDB spills what does not fit to a temporary folder beside its
database (``build/dbt.duckdb.tmp``) and the build's figures are the same: the 10M demo
built in 58.7 s under 1 GB against 54.1 s without a limit, dbt's process peaking at
1.2 GB instead of 3.7 GB (bench/README.md, "Issue 16, ninth round").

The limit follows the data, as the build's work does: ``BYTES_PER_ROW`` for each row
landed in the lake (every batch, superseded ones too: the keyed activity rows keep
them), at least ``FLOOR``, at most ``SHARE_OF_MEMORY`` of the machine's memory, or of
what the process's control group allows when that is less (a container's, a service's:
``machine_memory``). Too small a limit fails a build instead of slowing it, because a
few of DuckDB's steps cannot spill (at 10M rows the build failed under 256 MB and
passed under 384 MB), so the limit is about three times what the build was seen to
need. ``BUILD_MEMORY_LIMIT`` (e.g. ``4GB``) sets it instead.

dbt reads the limit from a file, ``build/memory_limit.jsonl``, in an on-run-start hook
(``dbt_project/macros/memory_limit.sql``): a profile setting or an env var that changes
makes dbt parse the whole project again (3.5 s), and the limit changes with the lake.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from kernel.errors import UsageError
from kernel.manifest import Batch
from kernel.paths import WarehousePaths
from kernel.settings import settings
from publish.selection import replace_lines

MIB = 1024**2
FLOOR = 256 * MIB
BYTES_PER_ROW = 100
SHARE_OF_MEMORY = 0.5
CGROUPS = Path("/sys/fs/cgroup")
OWN_CGROUPS = Path("/proc/self/cgroup")
# cgroup v1 writes "no limit" as the largest multiple of the page size below 2**63
NO_CGROUP_LIMIT = 2**62

# what DuckDB's memory_limit takes: a number and a unit (KB, MB, GB, TB decimal; KiB,
# MiB, GiB, TiB binary)
SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B)", re.IGNORECASE)
UNITS = {"k": 1, "m": 2, "g": 3, "t": 4}


def machine_memory(cgroups: Path = CGROUPS, own: Path = OWN_CGROUPS) -> int:
    """The memory this process may use, in bytes: the machine's, or less where a
    control group (a container's, a service's) limits it (0 when neither says).
    ``cgroups`` is where the control groups are mounted, ``own`` the file that names
    this process's groups (``/proc/self/cgroup``)."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        physical = 0
    limits = [size for size in cgroup_limits(cgroups, own) if size > 0]
    if physical:
        limits.append(physical)
    return min(limits, default=0)


def cgroup_limits(cgroups: Path, own: Path) -> list[int]:
    """The memory limits, in bytes, of this process's control groups and of every group
    above them (a parent's limit binds its children): cgroup v2's ``memory.max``, v1's
    ``memory.limit_in_bytes``. No limit (``max``, or v1's near-2**63) is left out."""
    try:
        lines = own.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    files = []
    for line in lines:
        if line.count(":") < 2:
            continue
        _, controllers, group = line.split(":", 2)
        if controllers == "":  # v2: one unified hierarchy
            root, name = cgroups / "unified", "memory.max"
            if not root.is_dir():
                root = cgroups
        elif "memory" in controllers.split(","):
            root, name = cgroups / "memory", "memory.limit_in_bytes"
        else:
            continue
        folder = root / group.strip("/")
        while True:
            files.append(folder / name)
            if folder == root:
                break
            folder = folder.parent
    limits = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < NO_CGROUP_LIMIT:
            limits.append(int(text))
    return limits


def parse_size(text: str) -> int:
    """``text`` (``512MB``, ``4GB``, ``1.5GiB``) in bytes; UsageError naming
    BUILD_MEMORY_LIMIT when it is not such a size."""
    found = SIZE.fullmatch(text.strip())
    if not found:
        raise UsageError(
            f"BUILD_MEMORY_LIMIT={text!r} is not a size: write a number and a unit, "
            "e.g. BUILD_MEMORY_LIMIT=4GB or 512MB"
        )
    unit = found.group(2).lower()
    base = 1024 if "i" in unit else 1000
    return int(float(found.group(1)) * base ** UNITS[unit[0]])


def sized_limit(rows: int, memory: int) -> int:
    """The limit for a lake of ``rows`` landed rows on a machine of ``memory`` bytes."""
    limit = max(FLOOR, BYTES_PER_ROW * rows)
    if memory:
        limit = min(limit, max(FLOOR, int(memory * SHARE_OF_MEMORY)))
    return limit


def memory_limit(batches: Iterable[Batch]) -> int:
    """The build's limit in bytes: ``BUILD_MEMORY_LIMIT``, else sized from the lake's
    ``batches`` (``sized_limit``)."""
    chosen = settings().build_memory_limit
    if chosen:
        return parse_size(chosen)
    return sized_limit(sum(batch.rows_loaded for batch in batches), machine_memory())


def duckdb_size(limit: int) -> str:
    """``limit`` as DuckDB's memory_limit reads it, in whole MiB."""
    return f"{max(1, limit // MIB)}MiB"


def memory_file(paths: WarehousePaths) -> Path:
    """Where a build leaves its memory limit for dbt's on-run-start hook."""
    return paths.root / "build" / "memory_limit.jsonl"


def write_memory_limit(paths: WarehousePaths, limit: int) -> Path:
    """Leave ``limit`` for dbt (replaced in one step, so dbt never reads half of it)."""
    target = memory_file(paths)
    replace_lines(target, [{"memory_limit": duckdb_size(limit)}])
    return target


def limit_advice(limit: int, build_limit: int | None = None) -> str:
    """What to do when DuckDB needed more than ``limit``: the variable and a value.
    ``build_limit``: the build's own limit, when ``limit`` is the snapshot digest's
    floor above it (``publish.snapshot.DIGEST_MIN_LIMIT``)."""
    more = -(-limit * 2 // 1024**3)  # twice the limit, in whole GiB
    if build_limit is not None and build_limit < limit:
        named = (
            f"the digest's limit of {limit // MIB:,} MiB (its floor, above the build's "
            f"{build_limit // MIB:,} MiB)"
        )
    else:
        source = "BUILD_MEMORY_LIMIT" if settings().build_memory_limit else "sized from the lake"
        named = f"the build's limit of {limit // MIB:,} MiB ({source})"
    return (
        f"DuckDB needed more memory than {named}: "
        f"run the build again with a higher limit, e.g. BUILD_MEMORY_LIMIT={more}GiB"
    )


def ran_out_of_memory(paths: WarehousePaths) -> bool:
    """Whether a node of dbt's last run failed for want of memory (run_results.json)."""
    results = paths.root / "dbt" / "target" / "run_results.json"
    try:
        found = json.loads(results.read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):
        return False
    return any("Out of Memory Error" in (node.get("message") or "") for node in found)
