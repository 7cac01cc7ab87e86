"""SQL string literals for the values DuckDB takes only inline (COPY paths, labels)."""


def quote(text: str) -> str:
    """A single-quoted SQL literal with quotes doubled: safe for any path or header."""
    return "'" + str(text).replace("'", "''") + "'"
