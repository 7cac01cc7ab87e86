"""`python -m ingest`: see `ingest.cli`."""

from ingest.cli import main
from kernel.errors import run_cli

run_cli(main)
