"""Build and publish: run ``dbt build``, then publish its marts as a read-only snapshot."""
