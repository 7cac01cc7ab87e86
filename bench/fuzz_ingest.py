"""``python -m bench.fuzz_ingest --examples 2000``: the ingest property at scale.

Runs the hypothesis strategy of ``tests/ingest/test_properties.py`` (mutated
activity logs in random encodings and dialects; here one in ten also has its mutated
rows after 20,980 plain ones, beyond DuckDB's sniffing sample) for many inputs,
checks every one as the test does, and reports inputs tried, outcomes, crashes and
rows lost, which must both be 0, and the files that failed as a whole although only
their rows were faulty (no NUL byte, no row longer than the header): the contract
allows a whole-file fault, so these are reported, not failed, but should be 0 too.
Each such input is written to ``--failures`` (the exact bytes, and a note on how it
was written) so that it can be loaded again by hand. Exit code 1 when the property
broke (a crash, rows lost, another broken promise), else 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, Phase, given, seed, settings

from ingest.landing import ensure_lake
from kernel.paths import warehouse_paths

REPO = Path(__file__).resolve().parent.parent
PROPERTIES = REPO / "tests" / "ingest" / "test_properties.py"


def load_properties() -> ModuleType:
    """The test module, imported by path (``tests/ingest`` is not a package)."""
    spec = importlib.util.spec_from_file_location("ingest_properties", PROPERTIES)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def fuzz(examples: int, random_seed: int, failures: Path, quiet: bool = False) -> dict:
    """Run the property on ``examples`` random inputs; return the figures."""
    properties = load_properties()
    stats: dict = {
        "examples_requested": examples,
        "seed": random_seed,
        "tried": 0,
        "outcomes": Counter(),
        "crashes": 0,
        "rows_lost": 0,
        "files_losing_rows": 0,
        "other_problems": 0,
        "row_faults_failed_the_file": 0,  # no NUL byte, and yet failed whole
        "rows_written": 0,
        "failure_messages": Counter(),  # whole-file faults, digits and details cut
        "encodings": Counter(),
        "delimiters": Counter(),
        "failures": [],
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fuzz-ingest-") as scratch:
        # an empty lake made once and copied per input: ensure_lake costs more than a load
        template = Path(scratch) / "template"
        ensure_lake(warehouse_paths(template))

        @seed(random_seed)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],  # count failures instead of stopping to shrink
            suppress_health_check=list(HealthCheck),
        )
        @given(properties.activity_files(long_files=True))
        def one(spec) -> None:
            index = stats["tried"]
            stats["tried"] += 1
            workdir = Path(scratch) / f"x{index}"
            shutil.copytree(template, workdir / "warehouse")
            checked = properties.check_file(spec, workdir)
            shutil.rmtree(workdir, ignore_errors=True)
            _, encoding = spec.render()
            stats["encodings"][encoding] += 1
            stats["delimiters"][repr(spec.delimiter)] += 1
            stats["outcomes"][checked.outcome or "crashed"] += 1
            if checked.outcome == "failed":
                stats["failure_messages"][_kind_of(checked.message)] += 1
            stats["rows_written"] += checked.expected
            stats["crashes"] += checked.crashed
            if checked.rows_lost:
                stats["files_losing_rows"] += 1
                stats["rows_lost"] += abs(checked.rows_lost)
            if checked.problems:  # the property broken: crashed, rows lost, or another
                stats["other_problems"] += not (checked.crashed or checked.rows_lost)
                _keep_failure(failures, index, spec, checked, properties)
                stats["failures"].append(index)
            elif checked.row_faults_failed_the_file:  # a file lost for a row: a defect
                stats["row_faults_failed_the_file"] += 1
                checked.problems.append(f"only row faults, yet the file failed: {checked.message}")
                _keep_failure(failures, index, spec, checked, properties)
            if not quiet and stats["tried"] % 100 == 0:
                print(
                    f"{stats['tried']:>6} inputs, {stats['crashes']} crashes, "
                    f"{stats['rows_lost']} rows lost",
                    file=sys.stderr,
                )

        one()
    stats["seconds"] = round(time.monotonic() - started, 1)
    return stats


def _kind_of(message: str) -> str:
    """A failure message without the file name and the details that vary."""
    text = message.split(": ", 1)[-1]
    text = re.split(r" \(first row|: Invalid Input Error| Original Line", text)[0]
    return re.sub(r"\d+", "#", text)[:100]


def _keep_failure(failures: Path, index: int, spec, checked, properties) -> None:
    failures.mkdir(parents=True, exist_ok=True)
    data, encoding = spec.render()
    (failures / f"{index:05d}.csv").write_bytes(data)
    note = {
        "encoding": encoding,
        "delimiter": spec.delimiter,
        "outcome": checked.outcome,
        "expected_records": checked.expected,
        "read": checked.read,
        "loaded": checked.loaded,
        "rejected": checked.rejected,
        "problems": checked.problems,
        "reproduce": properties.describe(spec),
    }
    (failures / f"{index:05d}.json").write_text(
        json.dumps(note, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fuzz_ingest",
        description="Run the ingest property (tests/ingest/test_properties.py) on many inputs.",
    )
    parser.add_argument("--examples", type=int, default=2000, help="inputs to try (2000)")
    parser.add_argument("--seed", type=int, default=20250305, help="hypothesis seed")
    parser.add_argument(
        "--failures",
        type=Path,
        default=REPO / "bench" / "results" / "fuzz-failures",
        help="folder for failing inputs (bench/results/fuzz-failures)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    stats = fuzz(args.examples, args.seed, args.failures, quiet=args.json)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        outcomes = ", ".join(f"{n} {o}" for o, n in sorted(stats["outcomes"].items()))
        print(
            f"inputs tried: {stats['tried']} (seed {stats['seed']}, {stats['seconds']} s)\n"
            f"outcomes: {outcomes}\n"
            f"whole-file faults: {dict(stats['failure_messages'].most_common())}\n"
            f"data rows written: {stats['rows_written']}\n"
            f"encodings: {dict(stats['encodings'])}\n"
            f"delimiters: {dict(stats['delimiters'])}\n"
            f"crashes: {stats['crashes']}\n"
            f"rows lost: {stats['rows_lost']} (in {stats['files_losing_rows']} files)\n"
            f"files with only row faults that failed whole: "
            f"{stats['row_faults_failed_the_file']}\n"
            f"other broken promises: {stats['other_problems']}"
        )
        if stats["failures"] or stats["row_faults_failed_the_file"]:
            print(f"failing inputs written to {args.failures}")
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
