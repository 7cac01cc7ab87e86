"""`python -m ingest`: see `ingest.cli`. The command's process never imports pandas
(`ingest.arrow`)."""

from ingest.arrow import skip_pandas

skip_pandas()

from ingest.cli import main  # noqa: E402  (after skip_pandas: nothing imports pandas first)
from kernel.errors import run_cli  # noqa: E402

run_cli(main)
