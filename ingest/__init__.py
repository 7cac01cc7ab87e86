"""Ingest: read inbox files, map headers, validate rows, pseudonymize and land batches.

What other packages may use of ingest (they import nothing else of it): the lake's
layout and schema files (``ensure_lake``) and the migration of a lake an earlier
release wrote (``migrate_lake``)."""

from ingest.landing import ensure_lake
from ingest.migrate import migrate_lake

__all__ = ["ensure_lake", "migrate_lake"]
