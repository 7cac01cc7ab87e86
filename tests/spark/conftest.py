"""The Spark tests need the spark extra and Java: without them they are skipped.

`make setup-spark` installs both; CI runs it before `make test`.
"""

from __future__ import annotations

import pytest

from publish.spark import SparkUnavailable, check_installed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    try:
        check_installed()
    except SparkUnavailable as missing:
        skip = pytest.mark.skip(reason=f"Spark is not installed: {missing}")
        for item in items:
            if "spark" in item.keywords:
                item.add_marker(skip)
