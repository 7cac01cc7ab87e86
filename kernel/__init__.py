"""The kernel every package may import: settings, paths, errors (with their exit codes)
and the command lines' shared parser, pseudonymization, the lake's manifest, reason
codes and the snapshot reader.

It imports no other package of the project, and nothing heavy at import time
(no dbt, no Streamlit, no pandas), so a CLI starts fast and a test can import it alone.
"""
