"""The dashboard's SQL, kept in ``sql/*.sql`` files that SQLFluff lints.

A file is a Jinja template: the macros of ``macros/*.sql`` (the parameters and the
filtered CTEs every query starts from) are available in it, as SQLFluff's Jinja
templater makes them available when it lints (``.sqlfluff`` beside this module).
Templates take only constant structure from Python (which CTEs, which grouping);
every value a reader chooses is a parameter, written ``{{ bind("name") }}``: a ``?``
that DuckDB binds when the statement runs, in the order the ``bind`` calls appear
(``selection.params`` gives the filters' values in that order). SQLFluff's config
renders ``bind`` as ``:name`` so that it parses the statement with its parameters.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2

HERE = Path(__file__).resolve().parent
SQL = HERE / "sql"
MACROS = HERE / "macros"


def bind(name: str) -> str:
    """A parameter's place in a statement: DuckDB's positional ``?`` (``name`` says
    which value goes there, for the reader and for SQLFluff)."""
    return "?"


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    environment.globals["bind"] = bind
    for path in sorted(MACROS.glob("*.sql")):
        module = environment.get_template(f"macros/{path.name}").module
        environment.globals.update(
            {name: getattr(module, name) for name in module.__dict__ if not name.startswith("_")}
        )
    return environment


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return tuple(value) if isinstance(value, list) else value


@functools.lru_cache(maxsize=256)
def _render(name: str, context: tuple[tuple[str, Any], ...]) -> str:
    return _environment().get_template(f"sql/{name}.sql").render(dict(context))


def sql(name: str, **context: Any) -> str:
    """The statement ``sql/<name>.sql`` rendered with ``context`` (constant structure
    only, never a reader's input), cached per name and context."""
    return _render(name, tuple(sorted((key, _freeze(value)) for key, value in context.items())))
