"""Two inbox files with the same name in different folders (a district's quarterly
exports, logs/2025Q2/D05.csv and logs/2025Q3/D05.csv) are read side by side when a load
runs two files at a time. Their UTF-8 copies in the scratch folder must not collide: CI
caught a load where one worker's copy was removed under the other."""

from __future__ import annotations

import shutil

from ingest.encoding import transcode_to_utf8
from tests.conftest import FIXTURES

GB18030 = FIXTURES / "valid" / "first_slice_inbox" / "logs" / "s02_2025q1_gb18030.csv"


def test_same_named_files_get_their_own_utf8_copies(tmp_path) -> None:
    sources = []
    for quarter in ("2025Q2", "2025Q3"):
        folder = tmp_path / "inbox" / "logs" / quarter
        folder.mkdir(parents=True)
        sources.append(shutil.copy(GB18030, folder / "D05.csv"))
    scratch = tmp_path / "scratch"
    copies = [transcode_to_utf8(source, "gb18030", scratch) for source in sources]
    assert copies[0] != copies[1]
    expected = GB18030.read_bytes().decode("gb18030")
    assert [copy.read_bytes().decode("utf-8") for copy in copies] == [expected, expected]
    # removing one copy (its load finished) leaves the other's in place
    copies[0].unlink()
    assert copies[1].read_bytes().decode("utf-8") == expected
