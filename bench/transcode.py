"""``python -m bench.transcode IN SCRATCH``: what ingest spends on encodings alone.

For every file under ``IN``, exactly the steps ``ingest.reading`` takes before DuckDB
reads a file: ``detect_and_transcode`` (a BOM, else a strict decode of the first
megabyte as UTF-8; a file that is not UTF-8 there is decoded whole, UTF-8 then
GB18030, the GB18030 reading written to a scratch UTF-8 copy as it is decoded; any
other encoding but UTF-8 transcoded to such a copy), the copy deleted afterwards as
the loader does. Prints the bytes read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingest.reading import detect_and_transcode


def transcode(inbox: Path, scratch: Path) -> int:
    total = 0
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        _, copy = detect_and_transcode(path, scratch)
        if copy != path:
            copy.unlink()
        total += path.stat().st_size
    return total


if __name__ == "__main__":
    print(transcode(Path(sys.argv[1]), Path(sys.argv[2])))
