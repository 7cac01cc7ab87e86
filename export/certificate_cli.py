"""``python -m export certificate`` and ``python -m export verify``: their options
(``add_commands``, for ``export.cli``'s parser) and what each does."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import duckdb

from export.certificate import (
    CertificateError,
    certify,
    find_person,
    person_period,
    read_certificate,
    verify,
    write_pdf,
)
from kernel.cli import CommandParser, add_warehouse_option
from kernel.errors import UsageError
from kernel.paths import load_secret, warehouse_paths
from kernel.settings import settings
from kernel.snapshot import SnapshotInfo, connect_current, pin

DEFAULT_ISSUER = "教育局"


def _open(
    warehouse: Path | None, snapshot: Path | None
) -> tuple[duckdb.DuckDBPyConnection, SnapshotInfo]:
    if snapshot is None:
        return connect_current(warehouse_paths(warehouse))
    if not snapshot.is_file():
        raise CertificateError(f"--snapshot {snapshot}: no such snapshot file")
    try:
        con = duckdb.connect(str(snapshot), read_only=True)
    except duckdb.Error:
        raise CertificateError(f"--snapshot {snapshot}: not a published snapshot") from None
    try:
        as_of, built_at, digest = con.execute(
            "select strftime(as_of, '%Y-%m-%dT%H:%M:%S.%f'), "
            "strftime(built_at, '%Y-%m-%dT%H:%M:%S.%f'), digest from _snapshot"
        ).fetchall()[0]
    except duckdb.Error:
        con.close()
        raise CertificateError(f"--snapshot {snapshot}: not a published snapshot") from None
    return con, SnapshotInfo(snapshot, as_of, built_at, digest)


def run_certificate(args: argparse.Namespace) -> int:
    """``python -m export certificate``: write one person's certificate PDF."""
    if not args.person:
        raise UsageError("give the person: PERSON=… (person number, ID or phone number)")
    try:
        issued_on = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UsageError(f"--date {args.date!r} is not a date; write it as 2025-03-31") from None
    paths = warehouse_paths(args.warehouse)
    con, snapshot = connect_current(paths)
    try:
        person = find_person(con, load_secret(paths), args.person)
        period = person_period(con, person.key, args.first, args.last)
        payload = certify(con, snapshot, person, period, args.issuer, issued_on)
    finally:
        con.close()
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{payload['number']}.pdf"
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        write_pdf(payload, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    # keep the snapshot it was issued from, so `verify --snapshot` can always use it
    pin(paths, snapshot.path, f"certificate {payload['number']}")
    print(
        f"wrote {target}: {payload['name']} {payload['identifier']}, "
        f"{period.first} to {period.last}, {payload['total_hours']} hours "
        f"(digest {payload['digest'][:12]})"
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """``python -m export verify``: exit 0 when the certificate is valid, 1 when not."""
    payload, text = read_certificate(args.file)
    con, snapshot = _open(args.warehouse, args.snapshot)
    try:
        verdict = verify(con, snapshot, payload, text)
    finally:
        con.close()
    number = payload.get("number", "?")
    if verdict.valid:
        same = snapshot.digest == payload.get("snapshot", {}).get("digest")
        source = "the snapshot it was issued from" if same else "a later snapshot"
        print(
            f"valid: certificate {number} for {payload.get('name')}, "
            f"{payload['period']['from']} to {payload['period']['to']}, "
            f"{payload.get('total_hours')} hours; the figures match {source} "
            f"({snapshot.digest[:12]}, as_of {snapshot.as_of})"
        )
        return 0
    print(f"invalid: certificate {number}: " + "; ".join(verdict.reasons))
    return 1


def add_commands(parser: CommandParser) -> None:
    """The ``certificate`` and ``verify`` commands of ``python -m export``."""
    cert = parser.add_command(
        "certificate",
        help="write a certificate PDF for one person",
        description="Write <out>/<number>.pdf for the person whose number is given. "
        "The number may be the person number, the ID number or the phone number; "
        "it is never written in clear (PERSON= in the environment keeps it off the "
        "command line). Volunteer-hours certificates: 志愿服务时长证明.",
    )
    cert.add_argument(
        "--person",
        default=settings().person,
        help="person number, ID or phone number (default: $PERSON)",
    )
    cert.add_argument(
        "--from",
        dest="first",
        default=settings().period_from,
        help="first month, YYYY-MM (default: the person's first)",
    )
    cert.add_argument(
        "--to",
        dest="last",
        default=settings().period_to,
        help="last month, YYYY-MM (default: the person's last)",
    )
    cert.add_argument(
        "--out",
        type=Path,
        default=settings().out_cert or Path("certificates"),
        help="folder (default: $OUT_CERT or certificates/)",
    )
    cert.add_argument(
        "--issuer",
        default=settings().issuer or DEFAULT_ISSUER,
        help=f"issuing unit (default: $ISSUER or {DEFAULT_ISSUER})",
    )
    cert.add_argument("--date", default=None, help="issue date, YYYY-MM-DD (default: today)")
    add_warehouse_option(cert)
    checking = parser.add_command(
        "verify",
        help="say whether a certificate is valid against the warehouse",
        description="Recompute a certificate's digest and figures; exit 0 valid, 1 invalid.",
    )
    checking.add_argument("file", type=Path, help="the certificate PDF")
    checking.add_argument(
        "--snapshot",
        type=Path,
        default=None,
        help="a snapshot file (default: the current snapshot)",
    )
    add_warehouse_option(checking)
