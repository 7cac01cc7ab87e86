"""`python -m demo`: see `demo.cli`."""

from demo.cli import main
from ingest.errors import run_cli

run_cli(main)
