"""`python -m export`: see `export.cli`."""

from export.cli import main
from kernel.errors import run_cli

run_cli(main)
