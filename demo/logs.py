"""Writing the activity logs: sessions sorted into their files, rendered, repeated, written.

Rows of a file are in date order, then event order, as an export would list them.
Rows meant to be repeated within a file reappear a few lines further down; rows
meant to be re-sent open their supplement file (``..._补报``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyarrow as pa

from demo.layout import Layout
from demo.names import chinese_number
from demo.render import Tables, render, with_repeats
from demo.rhythm import Calendar
from demo.sessions import Sessions
from demo.stages import RENDER, stage_rng
from demo.writers import write_csv

log = logging.getLogger(__name__)


def _quarter_title(label: str, sender: str) -> str:
    """The title line some senders put above the header."""
    year, quarter = label.split("Q")
    return f"{sender}{year}年第{chinese_number(int(quarter))}季度党员活动及志愿服务台账"


def write_logs(
    out: Path,
    seed: int,
    layout: Layout,
    cal: Calendar,
    sessions: Sessions,
    file: np.ndarray,
    fault: np.ndarray,
    repeated: np.ndarray,
    resent: np.ndarray,
    tables: Tables,
) -> list[dict[str, object]]:
    """Write every activity log that has rows; describe each file written."""
    is_repeated = np.zeros(sessions.size, bool)
    is_repeated[repeated] = True
    is_resent = np.zeros(sessions.size, bool)
    is_resent[resent] = True
    key = (
        (file.astype(np.int64) << 42)
        | (sessions.day.astype(np.int64) << 32)
        | sessions.event.astype(np.int64)
    )
    order = np.argsort(key, kind="stable")
    del key
    bounds = np.searchsorted(file[order], np.arange(len(layout.files) + 1))
    stash: dict[int, pa.Table] = {}
    written: list[dict[str, object]] = []
    for f, log_file in enumerate(layout.files):
        rows = order[bounds[f] : bounds[f + 1]]
        rng = stage_rng(seed, RENDER, f)
        table = render(rng, sessions.take(rows), fault[rows], log_file.style, tables)
        if log_file.supplement_of < 0 and np.any(is_resent[rows]):
            stash[f] = table.take(pa.array(np.flatnonzero(is_resent[rows])))
        table = with_repeats(table, np.flatnonzero(is_repeated[rows]), rng)
        if log_file.supplement_of in stash:
            table = pa.concat_tables([stash.pop(log_file.supplement_of), table])
        if table.num_rows == 0:
            continue
        style = log_file.style
        title = None
        if style.title_row:
            sender = layout.sender_names[log_file.sender]
            title = _quarter_title(cal.quarter_labels[log_file.quarter], sender)
        write_csv(
            table,
            out / log_file.path,
            style.encoding,
            eol=style.eol,
            delimiter=style.delimiter,
            quoting=style.quoting,
            title=title,
        )
        written.append(
            {
                "path": log_file.path,
                "kind": "activity",
                "rows": table.num_rows,
                "encoding": style.encoding,
                "template": style.template,
            }
        )
    log.info("%d activity logs written", len(written))
    return written
