"""Volunteer-hours certificates: issued from the snapshot, verified, and refused once a
figure in them is changed. Figures are hand-worked from the first-slice inbox."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from export.certificate import PAYLOAD_MARK, candidates, payload_digest
from tests.conftest import Warehouse

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def issued(first_slice: Warehouse) -> Path:
    """张三 (T001), typed in lower case, for 2025-01..2025-03, issued on 2025-04-01."""
    out = first_slice.exports.parent / "certificates"
    result = first_slice.run(
        "export",
        "certificate",
        "--person",
        " t001 ",
        "--from",
        "2025-01",
        "--to",
        "2025-03",
        "--date",
        "2025-04-01",
        "--issuer",
        "城东协作区教育办",
        "--out",
        str(out),
    )
    (path,) = sorted(out.glob("VH-20250401-*.pdf"))
    assert result.stdout.startswith(f"wrote {path}: 张三 T001, 2025-01 to 2025-03, 6.00 hours")
    return path


def _payload(path: Path) -> dict:
    subject = PdfReader(str(path)).metadata["/Subject"]
    assert subject.startswith(PAYLOAD_MARK)
    return json.loads(subject[len(PAYLOAD_MARK) :])


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def test_the_certificate_states_the_hand_worked_hours(issued: Path) -> None:
    payload = _payload(issued)
    # T001's approved sessions: 2025-01-10 activity day 2 h at B011, 2025-02-14 双报到
    # 3 h at B011, 2025-03-06 activity day 1 h at S02 (named 第二小学): 3 sessions,
    # 6 h, of which volunteer service (双报到) 3 h; roster unit B011.
    assert payload["by_type"] == [
        {"code": "activity_day", "name_zh": "党员活动日", "sessions": 2, "hours": "3.00"},
        {"code": "community_report", "name_zh": "双报到", "sessions": 1, "hours": "3.00"},
    ]
    assert (payload["sessions"], payload["total_hours"], payload["volunteer_service_hours"]) == (
        3,
        "6.00",
        "3.00",
    )
    assert (payload["name"], payload["identifier"], payload["unit"]) == (
        "张三",
        "T001",
        "第一中学语文组党支部",
    )
    assert payload["issuer"] == "城东协作区教育办"
    assert payload["issued_on"] == "2025-04-01"
    assert payload["number"] == issued.stem
    text = _text(issued)
    for part in (
        "志愿服务时长证明",
        "张三（T001）",
        "2025年1月至2025年3月",
        "第一中学语文组党支部",
        "共3人次、6.00小时",
        "其中志愿服务3.00小时",
        "党员活动日23.00",
        "双报到13.00",
        "合计36.00",
        "出具单位：城东协作区教育办",
        "出具日期：2025-04-01",
        payload["number"],
        payload["digest"],
    ):
        assert part in text, part


def test_the_certificate_says_in_words_how_it_is_checked(issued: Path) -> None:
    """Written for its reader, in Chinese: the digests named 快照摘要 and 证明摘要 (not
    ``digest``), how to have it checked in a sentence, and the command only in a line
    of its own for the issuing unit (not "python -m export verify 本文件")."""
    payload = _payload(issued)
    text = _text(issued)
    for part in (
        f"数据截至{payload['snapshot']['as_of']}，快照摘要{payload['snapshot']['digest']}",
        f"证明摘要：{payload['digest']}",
        "如何核验：请将本证明（PDF文件）交出具单位，由其从数据仓库按证明编号重新计算上述"
        "人次、时长和证明摘要；全部一致即为有效，证明上任何数字被改动都会被发现。",
        "出具单位的核验命令：makeverifyCERT=证明文件",
    ):
        assert part in text, part
    for word in ("digest", "as_of", "python", "本文件"):
        assert word not in text, word


def test_the_digest_covers_the_figures_and_the_snapshot(
    issued: Path, first_slice: Warehouse
) -> None:
    payload = _payload(issued)
    manifest = json.loads((first_slice.exports / "manifest.json").read_text(encoding="utf-8"))
    assert payload["snapshot"] == {"as_of": manifest["as_of"], "digest": manifest["digest"]}
    body = {k: v for k, v in payload.items() if k != "digest"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert payload["digest"] == hashlib.sha256(canonical.encode()).hexdigest()


def test_a_certificate_verifies(first_slice: Warehouse, issued: Path) -> None:
    result = first_slice.run("export", "verify", str(issued))
    assert result.stdout.startswith(
        f"valid: certificate {issued.stem} for 张三, 2025-01 to 2025-03, 6.00 hours; "
        "the figures match the snapshot it was issued from"
    )
    # the snapshot it was issued from is pinned, so later builds never prune it (the
    # session's other tests may publish the same data again: same digest, newer file)
    digest = _payload(issued)["snapshot"]["digest"]
    pins = first_slice.root / "snapshots" / "pins"
    # a pin is one file per referrer: the snapshot's name, then who refers to it
    markers = [marker.read_text(encoding="utf-8").splitlines() for marker in pins.iterdir()]
    pinned = [name for name, by in markers if by == f"certificate {issued.stem}"]
    assert len(pinned) == 1 and pinned[0].endswith(f"-{digest[:12]}.duckdb")
    snapshot = first_slice.root / "snapshots" / pinned[0]
    named = first_slice.run("export", "verify", str(issued), "--snapshot", str(snapshot))
    # the same verdict as without --snapshot: that one was found from the pin
    assert named.stdout == result.stdout


def _rewrite(source: Path, target: Path, payload: dict) -> None:
    writer = PdfWriter(clone_from=str(source))
    writer.add_metadata({"/Subject": PAYLOAD_MARK + json.dumps(payload, sort_keys=True)})
    with target.open("wb") as handle:
        writer.write(handle)


def test_changing_one_figure_makes_it_invalid(
    first_slice: Warehouse, issued: Path, tmp_path: Path
) -> None:
    payload = _payload(issued)
    payload["total_hours"] = "7.00"
    altered = tmp_path / "altered.pdf"
    _rewrite(issued, altered, payload)
    result = first_slice.run("export", "verify", str(altered), check=False)
    assert result.returncode == 1
    assert result.stdout.startswith(f"invalid: certificate {issued.stem}: ")
    assert "its contents do not give its digest: the certificate was altered" in result.stdout
    assert "the printed certificate does not show 7.00" in result.stdout
    assert "total_hours is 7.00 on the certificate but 6.00 in snapshot" in result.stdout


def test_a_forged_digest_does_not_help(
    first_slice: Warehouse, issued: Path, tmp_path: Path
) -> None:
    payload = _payload(issued)
    payload["by_type"][1]["hours"] = "4.00"  # 双报到 3.00 -> 4.00, digest recomputed
    payload["digest"] = payload_digest(payload)
    forged = tmp_path / "forged.pdf"
    _rewrite(issued, forged, payload)
    result = first_slice.run("export", "verify", str(forged), check=False)
    assert result.returncode == 1
    assert "the certificate was altered" not in result.stdout
    assert (
        "by_type is activity_day 2x 3.00 h; community_report 1x 4.00 h on the certificate "
        "but activity_day 2x 3.00 h; community_report 1x 3.00 h in snapshot"
    ) in result.stdout


def test_a_phone_number_finds_its_person_and_is_never_written(
    first_slice: Warehouse, tmp_path: Path
) -> None:
    # line 23 of s01: a phone not on the roster, 60 min 文体娱乐 at S02 in March
    number = "13900139000"
    env = {**first_slice.env, "PERSON": "+86 139-0013-9000"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "export",
            "certificate",
            "--out",
            str(tmp_path),
            "--date",
            "2025-04-01",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "路人甲 139****9000, 2025-03 to 2025-03, 1.00 hours "
        f"(digest {_payload(next(tmp_path.glob('*.pdf')))['digest'][:12]})\n"
    )
    (path,) = tmp_path.glob("*.pdf")
    text = _text(path)
    assert "路人甲（139****9000）" in text
    # the one 1-hour session the CLI's output names, in the certificate's sentence
    assert "经审核认定共1人次、1.00小时" in text
    for blob in (text, path.read_bytes().decode("latin-1"), result.stdout, result.stderr):
        assert number not in blob


def test_an_unknown_number_is_refused_masked(first_slice: Warehouse, tmp_path: Path) -> None:
    result = first_slice.run(
        "export",
        "certificate",
        "--person",
        "110105198001019999",
        "--out",
        str(tmp_path),
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == (
        "error: no one in the snapshot has the number 1101**********9999; check it, or use "
        "the person number (人员编号) on the roster\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_typed_number_is_normalized_like_ingest() -> None:
    assert candidates(" ４１０１０３２００８０６１２０４３x ") == [
        ("person_id", "41010320080612043X", "4101**********043X"),
        ("id_number", "41010320080612043X", "4101**********043X"),
    ]
    assert candidates("+86 138-0013-8005") == [
        ("person_id", "+86 138-0013-8005", "138****8005"),
        ("phone", "13800138005", "138****8005"),
    ]
    assert candidates("t001") == [("person_id", "T001", "T001")]


def test_a_file_that_is_no_certificate_is_refused(first_slice: Warehouse, tmp_path: Path) -> None:
    report = first_slice.exports / "reports" / "D01.pdf"
    result = first_slice.run("export", "verify", str(report), check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: {report}: not a certificate written by `make certificate`\n"
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"not a pdf\n")
    result = first_slice.run("export", "verify", str(damaged), check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {damaged}: not a readable certificate (")
    assert result.stderr.count("\n") == 1  # one line, no traceback
