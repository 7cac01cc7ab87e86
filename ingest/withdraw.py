"""Withdraw a file sent by mistake: its active batches are superseded by nothing.

The lake keeps the batches and the manifest keeps their lines, now with the moment of
the withdrawal as ``superseded_at`` and no ``superseded_by``: the next build drops their
rows, and a build with ``AS_OF`` before the withdrawal still reads them, as it reads a
batch a newer file replaced. The file is named as ``python -m ingest status`` names it
(its path in the inbox, ``logs/s01.csv``; a workbook's name covers its sheets), or by a
path that ends in that name (``data/inbox/logs/s01.csv``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from ingest.messages import Text
from kernel.errors import UsageError, UserError
from kernel.manifest import Batch, read_manifest, write_manifest
from kernel.paths import WarehousePaths
from kernel.reasons import DEFAULT_LANGUAGE


class NothingToWithdraw(UserError):
    """No active batch is named so."""


def _names(file: str, name: str) -> bool:
    """Whether ``name`` names a batch's file: the file itself or a path ending in it, or
    the workbook whose sheet it is (``book.xlsx`` for ``book.xlsx#名册``)."""
    workbook = file.rpartition("#")[0]
    return any(
        candidate and (name == candidate or name.endswith(f"/{candidate}"))
        for candidate in (file, workbook)
    )


def withdraw(
    paths: WarehousePaths,
    name: str,
    now: dt.datetime | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> list[Batch]:
    """Supersede every active batch of the file ``name`` by nothing; the batches (an
    error's message in ``lang``)."""
    wanted = PurePosixPath(name.replace("\\", "/")).as_posix()
    batches = read_manifest(paths)
    matched = [b for b in batches if b.is_active and _names(b.file, wanted)]
    if not matched:
        raise NothingToWithdraw(Text("nothing_to_withdraw", name=name).render(lang))
    files = sorted({b.file.rpartition("#")[0] or b.file for b in matched})
    if len(files) > 1:
        text = Text("withdraw_ambiguous", name=name, count=len(files), files=", ".join(files))
        raise UsageError(text.render(lang))
    moment = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
    for batch in matched:
        batch.superseded_at = moment.isoformat(timespec="microseconds")
        batch.superseded_by = None
    write_manifest(paths, batches)
    return matched
