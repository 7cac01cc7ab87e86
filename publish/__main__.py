"""`python -m publish`: see `publish.build`."""

from kernel.errors import run_cli
from publish.build import main

run_cli(main)
