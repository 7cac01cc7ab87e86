"""The Streamlit dashboard: an entry script that routes, one file per page, one query
module over the published snapshot, pure chart builders and one translation table.
"""
