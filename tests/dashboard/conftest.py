"""Dashboard test helpers: the `browser` marker and a fixture warehouse for the app."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: starts the dashboard with streamlit run and drives Debian's chromium"
    )
