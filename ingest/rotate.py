"""``python -m ingest.rotate``: change the pseudonymization secret.

Every person key in the lake is an HMAC under the warehouse's secret, so a new secret
means new keys for everyone: the lake is rebuilt from the original files with the new
secret, and everything derived from the old keys (the dbt build, the snapshots) is
removed, to be rebuilt by ``make build``. The command refuses to run unless the
original of every batch in effect is in the inbox, unchanged (same name, same SHA-256
as the manifest recorded), and it swaps the new lake in only when every file loaded
with the same counts as before. Batches already superseded are not reloaded (their
originals are usually gone), so ``AS_OF`` builds of moments before the rotation are no
longer possible; the command says how many it drops.

Where the secret comes from decides where the new one goes: the key file
``WAREHOUSE_DIR/secret.key`` is replaced by a new random one (mode 0600); a secret given
in ``WAREHOUSE_SECRET`` cannot be changed from here, so the new one must be given in
``WAREHOUSE_SECRET_NEW`` and moved into ``WAREHOUSE_SECRET`` afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.inbox import outside_message, points_outside
from ingest.loader import load_inbox
from ingest.mapping import MappingError, inbox_mapping_files
from kernel.cli import Parser
from kernel.errors import UsageError, reports_user_errors, run_cli
from kernel.manifest import Batch, file_sha256, read_manifest
from kernel.paths import WarehousePaths, warehouse_paths
from kernel.settings import settings

WORK = "rotation.tmp"  # beside the lake; a rotation killed half-way starts again


class RotationRefused(UsageError):
    """The rotation cannot run safely; nothing was changed (exit 2)."""


@dataclass(frozen=True)
class Plan:
    """What a rotation will reload and what it will drop."""

    originals: list[Path]  # inbox files, one per file name in effect
    batches: list[Batch]  # the batches in effect
    superseded: int  # batches of the history that are not reloaded


def original_name(batch: Batch) -> str:
    """The inbox file a batch came from (a workbook sheet's batch is ``book.xlsx#sheet``)."""
    return batch.file.split("#", 1)[0]


def plan(paths: WarehousePaths, inbox: Path) -> Plan:
    """Check every batch in effect has its unchanged original in ``inbox``."""
    manifest = read_manifest(paths)
    active = [batch for batch in manifest if batch.is_active]
    if not active:
        raise RotationRefused(f"{paths.root} has no loaded batch: there is nothing to rotate")
    problems: list[str] = []
    originals: dict[str, Path] = {}
    for batch in active:
        name = original_name(batch)
        path = inbox / name
        if points_outside(path, inbox):  # never read, not even for its checksum
            problems.append(f"{name}: {outside_message(path)}")
        elif not path.is_file():
            problems.append(f"{name}: missing from {inbox}")
        elif name not in originals and file_sha256(path) != batch.sha256:
            problems.append(f"{name}: changed since it was loaded (its SHA-256 differs)")
        originals[name] = path
    if problems:
        listing = "\n  ".join(sorted(set(problems)))
        raise RotationRefused(
            "the lake can only be rebuilt from the original of every batch in effect, and "
            f"these are not in the inbox as they were loaded:\n  {listing}\n"
            "put the original files back (same names, same content) and run again; "
            "nothing was changed"
        )
    return Plan(
        originals=sorted(originals.values()),
        batches=active,
        superseded=len(manifest) - len(active),
    )


def _new_secret(current_from_env: bool) -> str:
    if not current_from_env:
        return secrets.token_hex(32)
    new = settings().secret_new or ""
    if not new:
        raise RotationRefused(
            "the secret comes from WAREHOUSE_SECRET, so the new one cannot be chosen here: "
            "set WAREHOUSE_SECRET_NEW to the new secret, run again, then put it in "
            "WAREHOUSE_SECRET; nothing was changed"
        )
    if new == settings().secret:
        raise RotationRefused("WAREHOUSE_SECRET_NEW equals WAREHOUSE_SECRET: choose a new one")
    return new


def _staging_inbox(work: Path, inbox: Path, originals: list[Path], mappings: list[Path]) -> Path:
    """The originals and the inbox's mapping files under their names, by hard link."""
    staged = work / "inbox"
    for path in [*originals, *mappings]:
        target = staged / path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
    return staged


def rotate(paths: WarehousePaths, inbox: Path, mapping_files: list[Path] | None = None) -> str:
    """Rebuild the lake from the originals under a new secret; returns a summary line."""
    if resume(paths):
        return f"completed the rotation of {paths.root} that was interrupted; run `make build`"
    chosen = plan(paths, inbox)
    try:
        mappings = inbox_mapping_files(inbox)
    except MappingError as error:
        raise RotationRefused(f"{error}; nothing was changed") from None
    from_env = bool(settings().secret)
    new_secret = _new_secret(from_env)
    work = paths.root / WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    fresh = WarehousePaths(work / "warehouse")
    fresh.root.mkdir()
    fd = os.open(fresh.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(new_secret)
    staged = _staging_inbox(work, inbox, chosen.originals, mappings)
    saved = os.environ.pop("WAREHOUSE_SECRET", None)  # load with the new key file
    try:
        results = load_inbox(fresh, staged, mapping_files=mapping_files)
    finally:
        if saved is not None:
            os.environ["WAREHOUSE_SECRET"] = saved
    _check_same_outcome(chosen.batches, read_manifest(fresh), [r.message for r in results])
    _swap(paths, write_key=not from_env)
    dropped = (
        f"; {chosen.superseded} superseded batches were not reloaded, so AS_OF builds of "
        "earlier moments are no longer possible"
        if chosen.superseded
        else ""
    )
    return (
        f"rotated the secret of {paths.root}: {len(chosen.batches)} batches reloaded from "
        f"{len(chosen.originals)} original files{dropped}; run `make build` to publish"
    )


def _check_same_outcome(before: list[Batch], after: list[Batch], messages: list[str]) -> None:
    def counts(batches: list[Batch]) -> dict[str, tuple[int, int, int]]:
        return {
            b.file: (b.rows_read, b.rows_loaded, b.rows_rejected) for b in batches if b.is_active
        }

    old, new = counts(before), counts(after)
    if old != new:
        differing = sorted(
            name for name in old.keys() | new.keys() if old.get(name) != new.get(name)
        )
        failures = "\n  ".join(m for m in messages if m)
        raise RotationRefused(
            "reloading the originals did not give the batches in effect back "
            f"({', '.join(differing)} differ); nothing was changed"
            + (f":\n  {failures}" if failures else "")
        )


def _swap(paths: WarehousePaths, write_key: bool) -> None:
    """Put the new lake (and key) in place, then drop what was derived from the old keys.

    A marker written first makes the swap resumable: a rotation killed during it is
    completed by the next run (each step is skipped when already done), so the lake and
    the key never stay out of step.
    """
    work = paths.root / WORK
    fresh = WarehousePaths(work / "warehouse")
    marker = work / "swapping"
    if not marker.exists():
        marker.write_text("key" if write_key else "env", encoding="utf-8")
    write_key = marker.read_text(encoding="utf-8") == "key"
    old = work / "old-lake"
    if fresh.lake.exists():
        if paths.lake.exists() and not old.exists():
            paths.lake.rename(old)
        fresh.lake.rename(paths.lake)
    if write_key and fresh.key_file.exists():
        os.replace(fresh.key_file, paths.key_file)
    for derived in (paths.root / "build", paths.root / "dbt", paths.snapshots):
        shutil.rmtree(derived, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


def resume(paths: WarehousePaths) -> bool:
    """Finish a rotation that was killed while swapping; True if there was one."""
    if not (paths.root / WORK / "swapping").exists():
        return False
    _swap(paths, write_key=True)  # the marker says what the rotation chose
    return True


@reports_user_errors
def main(argv: list[str] | None = None) -> int:
    parser = Parser(
        prog="python -m ingest.rotate",
        description=(
            "Change the pseudonymization secret: rebuild the lake from the original files "
            "with a new one. Refuses unless every batch in effect has its unchanged "
            "original in the inbox. Run `make build` afterwards."
        ),
        epilog="example: python -m ingest.rotate --inbox data/inbox",
    )
    parser.add_argument("--inbox", type=Path, default=Path("data/inbox"))
    parser.add_argument("--mapping", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    paths = warehouse_paths()
    print(rotate(paths, args.inbox.resolve(), args.mapping))
    return 0


if __name__ == "__main__":
    run_cli(main)
