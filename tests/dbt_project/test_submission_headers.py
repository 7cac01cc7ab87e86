"""dq_submissions reads a rejected row's unit and date from its values as written,
under the headers ingest accepts for them: the model's lists must be ingest's
(ingest/schema.py ALIASES, and the canonical name), or a reject under a new alias
would silently go unplaced."""

from __future__ import annotations

import ast
import re

from ingest.schema import ALIASES
from tests.conftest import REPO

MODEL = REPO / "dbt_project" / "models" / "marts" / "data_quality" / "dq_submissions.sql"


def test_the_headers_read_are_ingests_aliases() -> None:
    text = MODEL.read_text(encoding="utf-8")
    found = re.search(r"\{% set raw_headers = (\{.*?\}) %\}", text, re.S)
    assert found is not None
    headers = ast.literal_eval(found[1])
    assert headers == {
        column: [column, *ALIASES[column]] for column in ("org_code", "org_name", "activity_date")
    }
