"""``python -m bench.transcode IN SCRATCH``: what ingest spends on encodings alone.

For every file under ``IN``, exactly the steps ``ingest.reading`` takes before DuckDB
reads a file: ``detect_encoding(head_only=True)`` (a BOM, else a strict decode of the
first megabyte as UTF-8; a file that is not UTF-8 there is decoded whole, UTF-8 then
GB18030), then ``transcode_to_utf8`` (a streamed decode and re-encode to a scratch
copy, deleted afterwards as the loader does). Prints the bytes read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingest.reading import detect_encoding, transcode_to_utf8


def transcode(inbox: Path, scratch: Path) -> int:
    total = 0
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        encoding = detect_encoding(path, head_only=True)
        copy = transcode_to_utf8(path, encoding, scratch)
        if copy != path:
            copy.unlink()
        total += path.stat().st_size
    return total


if __name__ == "__main__":
    print(transcode(Path(sys.argv[1]), Path(sys.argv[2])))
