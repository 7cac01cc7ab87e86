"""The guard on reference files: a districts, organizations or roster file that would
take away most of what the warehouse knows is refused unless asked for.

A file is identified by its path inside the inbox, so another inbox's
``districts.csv`` (a test fixture loaded into the demo's warehouse) replaces this one's
whole: districts vanish and their hours move to ``unknown``, with a green build. A
replacement that would drop more than half of the codes the warehouse knows (of that
kind, in every file in effect) is refused, naming the codes; ``--replace-reference``
loads it anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingest.messages import Text
from kernel.manifest import Batch
from kernel.paths import WarehousePaths

# The column that identifies an entry of each reference kind, and the one shown for it
# (people are keyed by HMAC: they are shown by name).
KEYS = {
    "districts": ("district_code", "district_code"),
    "organizations": ("org_code", "org_code"),
    "people": ("person_id_key", "person_name"),
}
SHOWN = 10


@dataclass(frozen=True)
class Drop:
    """What a replacement would take away: of ``known`` entries, ``dropped``."""

    kind: str
    known: int
    dropped: list[str]  # shown as codes (or names), sorted

    def message(self, replaced: list[str]) -> Text:
        listed = ", ".join(self.dropped[:SHOWN]) + (", …" if len(self.dropped) > SHOWN else "")
        return Text(
            "reference_refused",
            replaced=", ".join(replaced),
            dropped=len(self.dropped),
            known=self.known,
            what=Text(f"what_{self.kind}"),
            listed=listed,
        )


def _entries(paths: WarehousePaths, kind: str, batches: list[Batch]) -> dict[str, dict[str, str]]:
    """Each batch's entries (of ``kind``): batch id -> {entry: how it is shown}; one
    read of their files."""
    if not batches:
        return {}
    key, shown = KEYS[kind]
    files = [str(paths.kind_dir(kind) / f"{b.batch_id}.parquet") for b in batches]
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"select batch_id, {key}, any_value(coalesce({shown}, {key})) "
            f"from read_parquet($files) where {key} is not null group by batch_id, {key}",
            {"files": files},
        ).fetchall()
    finally:
        con.close()
    entries: dict[str, dict[str, str]] = {}
    for batch_id, entry, label in rows:
        entries.setdefault(batch_id, {})[entry] = label
    return entries


def drop(
    paths: WarehousePaths, in_effect: list[Batch], new: list[Batch], previous: list[Batch]
) -> Drop | None:
    """What replacing ``previous`` (a file's batches in effect) by ``new`` would take
    away, when it is more than half of what ``in_effect`` (every batch in effect) knows
    of a reference kind; None when it is not."""
    replaced = {b.batch_id for b in previous}
    for kind in {b.kind for b in new} & set(KEYS):
        active = [b for b in in_effect if b.is_active and b.kind == kind]
        entries = _entries(paths, kind, active + [b for b in new if b.kind == kind])
        known = {k: v for b in active for k, v in entries.get(b.batch_id, {}).items()}
        staying = {
            k
            for batch_id, batch_entries in entries.items()
            if batch_id not in replaced
            for k in batch_entries
        }
        dropped = sorted(known[key] for key in set(known) - staying)
        if 2 * len(dropped) > len(known):
            return Drop(kind, len(known), dropped)
    return None
