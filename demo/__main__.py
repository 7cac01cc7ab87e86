"""`python -m demo`: see `demo.cli`."""

from demo.cli import run

run()
