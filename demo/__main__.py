"""`python -m demo`: see `demo.cli`."""

from demo.cli import main
from kernel.errors import run_cli

run_cli(main)
