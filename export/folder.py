"""OUT published the way snapshots are: a new folder per export and a pointer switched
atomically, so a reader never sees OUT missing, half written, or two exports mixed.

``OUT`` is a symbolic link to ``.<out>.d/<export>``, a hidden sibling folder holding
one folder per export. An export is written in ``.<out>.d/<export>.part``, flushed to
disk, renamed to ``<export>``, and published by renaming a new link
``.<out>.tmp-<export>`` over ``OUT`` (a rename is atomic). The folder OUT pointed to
before is kept until the next export, for readers that resolved OUT and are still
reading it; every other folder is removed after the switch. Exports to one OUT take
turns (a lock on ``.<out>.d/.lock``, released by the system even after ``kill -9``),
and each one first removes what a killed one left: ``.<out>.tmp-*`` beside OUT and
``*.part`` folders (a complete folder that was never published goes at the switch).

An OUT that an earlier release wrote as a real folder (it holds ``manifest.json``) is
moved into ``.<out>.d/`` and replaced by the link in one atomic exchange
(``renameat2(RENAME_EXCHANGE)``; a file system without it gets two renames), and then
published over like any other. A folder of files without ``manifest.json`` was not
written by an export and is refused. An OUT that is a link of the user's own (not into
its ``.<out>.d/``) is followed, and the export published where it points.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import fcntl
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from export.district_monthly import ExportError
from kernel.manifest import sync

log = logging.getLogger(__name__)
MANIFEST = "manifest.json"
LOCK = ".lock"
PART = ".part"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def store_of(out: Path) -> Path:
    """The hidden sibling folder that holds OUT's exports."""
    return out.with_name(f".{out.name}.d")


def _ours(out: Path, target: str) -> bool:
    """Whether a link's target is one of OUT's export folders (as this module writes it)."""
    return re.fullmatch(rf"{re.escape(store_of(out).name)}/[^/]+", target) is not None


def published_path(out: Path) -> Path:
    """Where OUT is published: absolute, with the user's own links followed (its
    folders' and OUT's own, unless OUT is the link this module switches)."""
    out = Path(os.path.abspath(out))
    for _ in range(40):  # the kernel's own limit on links followed
        out = out.parent.resolve() / out.name
        if not out.is_symlink():
            return out
        target = os.readlink(out)
        if _ours(out, target):
            return out
        out = Path(os.path.abspath(out.parent / target))
    raise ExportError(f"OUT={out} is a loop of symbolic links; give a folder")


def current(out: Path) -> str | None:
    """The name of the export folder OUT points to (None: OUT is not our link)."""
    if not out.is_symlink():
        return None
    target = os.readlink(out)
    return target.rsplit("/", 1)[1] if _ours(out, target) else None


def _is_legacy(out: Path) -> bool:
    return out.is_dir() and not out.is_symlink() and (out / MANIFEST).is_file()


def check_out(out: Path) -> None:
    """Refuse an OUT that is a file, or a folder of files an export did not write."""
    if out.is_symlink():
        return  # our link (published_path followed any other)
    if out.exists() and not out.is_dir():
        raise ExportError(f"OUT={out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise ExportError(
            f"OUT={out} holds files but no {MANIFEST}, so an export did not write it and "
            "it would be replaced whole; choose a new or empty folder"
        )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        sync(path)
    sync(folder)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed exports left (call with the lock held): new links and, from
    earlier releases, temporary folders beside OUT; unfinished folders in the store.
    Earlier releases' ``.<out>.old-*`` goes only when OUT exists: without OUT it holds
    the last export."""
    leftovers = list(out.parent.glob(f".{glob_escape(out.name)}.tmp-*"))
    if os.path.lexists(out):
        leftovers += out.parent.glob(f".{glob_escape(out.name)}.old-*")
    store = store_of(out)
    if store.is_dir():
        leftovers += [p for p in store.iterdir() if p.name.endswith(PART)]
    for path in leftovers:
        log.info("export: removing %s, left by an export that did not finish", path)
        _remove(path)
    return leftovers


def glob_escape(name: str) -> str:
    """``name`` matched literally by ``Path.glob``."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        error = ctypes.get_errno()
        if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(error, os.strerror(error), str(first))
    return True


def _new_name() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


def _migrate(out: Path) -> str:
    """Move a real OUT folder (an earlier release's export) into the store, leaving the
    link to it at OUT; return its name there."""
    store = store_of(out)
    name = f"{_new_name()}-earlier"
    link = store / name
    # the link is made at the folder's future place and swapped with it: its target,
    # relative, then resolves from OUT's folder
    os.symlink(f"{store.name}/{name}", link)
    if not _exchange(out, link):
        log.warning("export: %s moved aside in two steps (no atomic exchange here)", out)
        link.unlink()
        os.rename(out, link)
        temporary = out.with_name(f".{out.name}.tmp-{name}")
        os.symlink(f"{store.name}/{name}", temporary)
        os.replace(temporary, out)
    return name


def _switch(out: Path, name: str) -> str | None:
    """Point OUT at the store's folder ``name``; return the one it pointed to before."""
    if _is_legacy(out):
        previous: str | None = _migrate(out)
    else:
        previous = current(out)
        if out.is_dir() and not out.is_symlink():
            out.rmdir()  # an empty folder (check_out refused any other): nothing to read
    link = out.with_name(f".{out.name}.tmp-{name}")
    os.symlink(f"{store_of(out).name}/{name}", link)
    os.replace(link, out)
    sync(out.parent)
    return previous


def _prune(out: Path, keep: set[str]) -> None:
    """Every export folder but ``keep`` (and the lock) out of the store."""
    for path in store_of(out).iterdir():
        if path.name != LOCK and path.name not in keep:
            _remove(path)


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    handle = os.open(store / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # another export to OUT: wait for its turn
        yield
    finally:
        os.close(handle)  # releases the lock


@contextlib.contextmanager
def publishing(out: Path) -> Iterator[Path]:
    """A new, empty folder to write an export in; published at OUT (``published_path``)
    when the block ends without an exception, removed when it raises."""
    store = store_of(out)
    store.mkdir(parents=True, exist_ok=True)
    with _locked(store):
        clean_leftovers(out)
        check_out(out)  # again: another export may have run while this one waited
        work = Path(tempfile.mkdtemp(prefix=f"{_new_name()}-", suffix=PART, dir=store))
        work.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; OUT gets the usual mode
        try:
            yield work
            _sync_tree(work)
            final = work.with_name(work.name.removesuffix(PART))
            os.rename(work, final)
        except BaseException:
            _remove(work)
            raise
        previous = _switch(out, final.name)
        _prune(out, {final.name} | ({previous} if previous else set()))
