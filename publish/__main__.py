"""``python -m publish``: see ``publish.build``."""

import sys

from publish.build import main

sys.exit(main())
