"""What a return to a school holds (``export/returns.py``): one file in effect, its
rejected rows, the copies not kept and the labels the build could not place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kernel import reasons


@dataclass(frozen=True)
class Reject:
    """One rejected row: its line, reason code, column and masked value."""

    line: int
    code: str
    column: str
    value: str

    @property
    def message(self) -> str:
        return reasons.message(self.code, self.column, self.value, "zh")

    @property
    def fix(self) -> str:
        return reasons.fix(self.code)


@dataclass(frozen=True)
class Duplicate:
    """A row not kept: its line, and the file and line of the copy kept."""

    line: int
    kept_file: str
    kept_line: int


@dataclass(frozen=True)
class Finding:
    """A label as written that the build could not place, with its rows."""

    label: str
    label_name: str
    sessions: int
    lines: tuple[int, ...]
    reason: str


@dataclass
class FileReturn:
    """What one file in effect has to fix."""

    batch_id: str
    source_file: str
    batch_kind: str
    loaded_at: dt.datetime
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rejects: list[Reject] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    status: str = "in_effect"  # or failed: a file that loaded nothing (dq_failed_files)
    failure: str = ""  # why it failed, in Chinese (digit runs masked by ingest)

    def count(self, finding: str) -> int:
        """Rows with a finding of this kind."""
        return sum(item.sessions for item in self.findings.get(finding, []))

    @property
    def has_something_to_fix(self) -> bool:
        return bool(self.failure or self.rejects or self.duplicates or any(self.findings.values()))
