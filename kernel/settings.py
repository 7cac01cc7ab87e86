"""Every setting the project takes from the environment, read in this one module.

``settings()`` returns one frozen ``Settings`` built from ``os.environ``. It is built
again only when one of the variables it reads has changed (a test's ``monkeypatch``,
``ingest.rotate`` loading with a new key), so a command reads its environment once
and every module sees the same values. No other module reads ``os.environ``
(``tests/test_architecture.py`` checks).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The variables, with what each means; the README and the Makefile name them too.
VARIABLES = {
    "WAREHOUSE_DIR": "the warehouse's folder (default warehouse/)",
    "WAREHOUSE_SECRET": "the pseudonymization secret (default: WAREHOUSE_DIR/secret.key)",
    "WAREHOUSE_SECRET_NEW": "the new secret of `make rotate-secret`",
    "INGEST_MAX_FILE_BYTES": "the largest inbox file a load reads (default 8 GiB)",
    "INGEST_MEMORY_LIMIT": "DuckDB's memory limit during a load (default 1GB)",
    "BUILD_MEMORY_LIMIT": "DuckDB's memory limit during a build (default: sized from the lake)",
    "DEBUG": "1: an unexpected error shows its traceback",
    "VERBOSE": "1: ingest and build print every file and every dbt node, not only a summary",
    "DBT_PARSE_CACHE": "where builds keep dbt's parse (default dbt_project/.parse-cache)",
    "AS_OF": "the data cut-off of a build (default: now)",
    "FULL_REFRESH": "1: rebuild every incremental model",
    "KEEP_SNAPSHOTS": "how many of the newest snapshots pruning keeps (default 5)",
    "JAVA_HOME": "the Java of the Spark target",
    "FROM": "the first month of an export or certificate (YYYY-MM)",
    "TO": "the last month of an export or certificate (YYYY-MM)",
    "OUT": "the export folder (default exports/)",
    "SUPPRESS": "the smallest count an export shows",
    "BRIEFING_TEMPLATES": "the briefings' wording folder (default export/briefing_templates)",
    "PERSON": "the ID number a certificate is for",
    "OUT_CERT": "the certificates' folder (default certificates/)",
    "ISSUER": "who issues a certificate",
    "DASHBOARD_USERS": "the dashboard's users file",
    "DASHBOARD_PASSWORD": "the password of `make user` without a terminal",
    "DASHBOARD_OPEN": "1: the dashboard opens to everyone while no users file exists",
}

MAX_FILE_BYTES = 8 * 1024**3
INGEST_MEMORY_LIMIT = "1GB"
KEEP_SNAPSHOTS = 5


def _text(environ: Mapping[str, str], name: str) -> str | None:
    """The variable's value, stripped; None when unset or blank."""
    value = environ.get(name, "").strip()
    return value or None


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip() not in ("", "0")


@dataclass(frozen=True)
class Settings:
    """The environment of one command, as typed values."""

    warehouse_dir: Path
    secret: str | None
    secret_new: str | None
    max_file_bytes: int
    ingest_memory_limit: str
    build_memory_limit: str | None
    debug: bool
    verbose: bool
    dbt_parse_cache: Path | None
    as_of: str | None
    full_refresh: bool
    keep_snapshots: int
    java_home: str | None
    period_from: str | None
    period_to: str | None
    out: Path | None
    suppress: str | None
    person: str | None
    out_cert: Path | None
    issuer: str | None
    dashboard_users: Path | None
    dashboard_password: str | None
    dashboard_open: bool
    briefing_templates: Path | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        def path(name: str) -> Path | None:
            value = _text(environ, name)
            return Path(value) if value else None

        max_bytes = _text(environ, "INGEST_MAX_FILE_BYTES")
        try:
            keep = max(1, int(_text(environ, "KEEP_SNAPSHOTS") or KEEP_SNAPSHOTS))
        except ValueError:
            keep = KEEP_SNAPSHOTS
        return cls(
            warehouse_dir=Path(environ.get("WAREHOUSE_DIR") or "warehouse"),
            # the secret is taken as written: spaces may be part of it
            secret=environ.get("WAREHOUSE_SECRET") or None,
            secret_new=environ.get("WAREHOUSE_SECRET_NEW") or None,
            max_file_bytes=int(max_bytes) if max_bytes else MAX_FILE_BYTES,
            ingest_memory_limit=environ.get("INGEST_MEMORY_LIMIT") or INGEST_MEMORY_LIMIT,
            build_memory_limit=_text(environ, "BUILD_MEMORY_LIMIT"),
            debug=bool(environ.get("DEBUG")),
            verbose=_flag(environ, "VERBOSE"),
            dbt_parse_cache=path("DBT_PARSE_CACHE"),
            as_of=_text(environ, "AS_OF"),
            full_refresh=_flag(environ, "FULL_REFRESH"),
            keep_snapshots=keep,
            java_home=_text(environ, "JAVA_HOME"),
            period_from=_text(environ, "FROM"),
            period_to=_text(environ, "TO"),
            out=path("OUT"),
            suppress=_text(environ, "SUPPRESS"),
            person=_text(environ, "PERSON"),
            out_cert=path("OUT_CERT"),
            issuer=_text(environ, "ISSUER"),
            dashboard_users=path("DASHBOARD_USERS"),
            dashboard_password=environ.get("DASHBOARD_PASSWORD") or None,
            dashboard_open=environ.get("DASHBOARD_OPEN", "").strip() == "1",
            briefing_templates=path("BRIEFING_TEMPLATES"),
        )


@lru_cache(maxsize=8)
def _settings(values: tuple[str | None, ...]) -> Settings:
    return Settings.from_environ(
        {name: value for name, value in zip(VARIABLES, values, strict=True) if value is not None}
    )


def settings() -> Settings:
    """This process's settings: read from the environment, again only when it changed."""
    return _settings(tuple(os.environ.get(name) for name in VARIABLES))
