"""`python -m publish`: see `publish.cli`."""

from kernel.errors import run_cli
from publish.cli import main

run_cli(main)
