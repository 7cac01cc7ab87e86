"""Build and publish: run ``dbt build``, then publish its marts as a read-only snapshot.

What other packages may use of publish (they import nothing else of it): bringing a
warehouse an earlier release wrote up to date before reading it
(``migrate_unless_building``)."""

from publish.migrate import migrate_unless_building

__all__ = ["migrate_unless_building"]
