"""What of an inbox is read: files inside it, never one outside it through a link.

A symbolic link in the inbox is followed only when its target lies inside the inbox
too (a file linked under a second name loads like a copy). A link that points outside
the inbox, to a file or a folder, is never followed and never read: the load reports
it as failed with ``outside_message``, so a link to ``../secret.key`` cannot bring the
warehouse's secret into a message. A link to a folder inside the inbox is not followed
either (``Path.rglob`` does not descend into linked folders on Python 3.11): its files
load under their own path. Data files (``loader.inbox_files``), mapping files
(``mapping.inbox_mapping_files``) and the originals a rotation reloads
(``rotate.plan``) all go through ``points_outside``.
"""

from __future__ import annotations

from pathlib import Path

from ingest.messages import Text


def points_outside(path: Path, inbox: Path) -> bool:
    """Whether ``path``, its links followed, lies outside ``inbox`` (a link to a
    missing target too, by where it points). A loop of links leads nowhere: False,
    and it is not read either (it is not a file)."""
    try:
        return not path.resolve().is_relative_to(inbox.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop of links
        return False


def outside_message(path: Path) -> Text:
    """Why a path that points outside the inbox is not read (the caller names it)."""
    return Text("outside_folder" if path.is_dir() else "outside_file")
