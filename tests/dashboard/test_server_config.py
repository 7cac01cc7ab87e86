"""The dashboard's Streamlit settings (``.streamlit/config.toml``) as ``make dashboard``
gets them: Streamlit started from the repository reads the file."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

OPTIONS = {
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.headless": True,
    "runner.postScriptGC": False,
    "browser.gatherUsageStats": False,
    # a reader's toolbar: no Deploy, Rerun or Clear cache, even on localhost
    "client.toolbarMode": "viewer",
}


def test_streamlit_started_from_the_repository_reads_the_served_settings() -> None:
    """In a new interpreter whose working folder is the repository (``make dashboard``
    runs ``streamlit run`` from there), the options have the file's values, not
    Streamlit's defaults (auto, false, false, true, true, auto)."""
    script = (
        "import json, streamlit.config as c; c.get_config_options(force_reparse=True); "
        f"print(json.dumps({{k: c.get_option(k) for k in {list(OPTIONS)!r}}}))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == OPTIONS
