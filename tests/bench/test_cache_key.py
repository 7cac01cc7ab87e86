"""The bench's cached demo inbox is keyed by the demo's code (``bench.inputs.demo_digest``).

A change to any ``.py`` of the generator, or a new one, gives another key, so
``make bench`` writes the inbox again instead of measuring an old demo's files;
other files (notes, caches) do not count.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from bench.inputs import DEMO, demo_digest, demo_inbox


def copy_of_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_digest_is_over_the_paths_and_bytes_of_the_python_files(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    (demo / "sub").mkdir(parents=True)
    (demo / "a.py").write_bytes(b"A = 1\n")
    (demo / "sub" / "b.py").write_bytes(b"B = 2\n")
    (demo / "notes.txt").write_bytes(b"not code")
    expected = hashlib.sha256(b"a.py\0A = 1\n\0sub/b.py\0B = 2\n\0").hexdigest()
    assert demo_digest(demo) == expected


def test_a_changed_demo_file_changes_the_key(tmp_path: Path) -> None:
    demo = copy_of_demo(tmp_path)
    before = demo_digest(demo)
    assert before == demo_digest(DEMO)  # the copy is the demo
    generate = demo / "generate.py"
    generate.write_text(generate.read_text(encoding="utf-8") + "\n# changed\n", "utf-8")
    changed = demo_digest(demo)
    assert changed != before
    (demo / "README.txt").write_text("not code", encoding="utf-8")
    (demo / "__pycache__").mkdir(exist_ok=True)
    (demo / "__pycache__" / "generate.cpython-311.pyc").write_bytes(b"\0")
    assert demo_digest(demo) == changed
    (demo / "new_stage.py").write_text("X = 1\n", encoding="utf-8")
    assert demo_digest(demo) not in (before, changed)


def test_the_inbox_of_this_demo_is_reused_and_older_ones_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    current = cache / f"inbox-5000-7-{demo_digest()[:12]}"
    current.mkdir(parents=True)
    manifest = {"rows": 5000, "seed": 7, "complete": True, "files": []}
    (current / ".demo_manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    encoded = cache / f"{current.name}-encoded"  # its UTF-8 and GB18030 copies: kept
    encoded.mkdir()
    stale = [cache / "inbox-5000-7", cache / "inbox-5000-7-000000000000"]
    stale.append(cache / "inbox-5000-7-000000000000-encoded")
    for folder in stale:
        folder.mkdir()
    other = cache / "inbox-6000-7-000000000000"  # another size: kept
    other.mkdir()
    # cached: returned without running the demo (no command could run in this env)
    assert demo_inbox(5000, 7, cache, {"PATH": ""}) == current
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [current.name, encoded.name, other.name]
    )
