"""Dashboard tests: the `browser` marker (the warehouse is `first_slice`, tests/conftest.py)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: starts the dashboard with streamlit run and drives Debian's chromium"
    )
