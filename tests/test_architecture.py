"""The shape of the codebase, as docs/architecture.md draws it: a kernel every package
may import and that imports none of them; packages that use each other only through
what their ``__init__`` exports; no import circles; no module over 600 lines; the
environment read in one module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kernel", "ingest", "publish", "export", "dashboard", "demo")
# which project packages each package may import (besides itself); kernel: none
ALLOWED = {
    "kernel": set(),
    "ingest": {"kernel"},
    "publish": {"kernel", "ingest"},
    "export": {"kernel", "publish"},
    "dashboard": {"kernel", "export", "publish"},
    "demo": {"kernel"},
}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, module) of every project import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from ingest import reference` imports the module ingest.reference
            found += [
                (node.lineno, f"{module}.{alias.name}")
                for alias in node.names
                if f"{module}.{alias.name}" in MODULES
            ]
    return [(line, module) for line, module in found if module.split(".")[0] in PACKAGES]


def test_packages_import_only_what_they_may_and_only_through_the_package_itself() -> None:
    wrong = []
    for name, path in MODULES.items():
        own = name.split(".")[0]
        for line, module in _imports(name, path):
            other = module.split(".")[0]
            if other == own:
                continue
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            if other not in ALLOWED[own]:
                wrong.append(f"{where}: {own} may not import {other}")
            elif other != "kernel" and module != other:
                wrong.append(f"{where}: use what `{other}` exports, not its insides")
    assert wrong == []


def test_the_picture_in_docs_architecture_draws_exactly_the_allowed_imports() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = re.findall(r"^\s*(\w+) --> (\w+)\s*$", text, flags=re.MULTILINE)
    allowed = sorted((package, other) for package, others in ALLOWED.items() for other in others)
    assert sorted(drawn) == allowed


def test_there_are_no_import_circles() -> None:
    edges = {
        name: {m for _, m in _imports(name, path) if m in MODULES and m != name}
        for name, path in MODULES.items()
    }
    # a package's __init__ re-exporting a submodule is not a circle with it
    for name in edges:
        edges[name] = {m for m in edges[name] if not name.startswith(m + ".")}
    circles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    assert circles == []


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in [*MODULES.values(), *sorted((ROOT / "bench").glob("*.py"))]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_settings_module_reads_the_environment(name: str) -> None:
    if name == "kernel.settings":
        return
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    reads = []
    for node in ast.walk(tree):
        # os.environ.get(...), os.getenv(...), os.environ[...] read, `in os.environ`
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target in ("os.environ.get", "os.getenv", "environ.get"):
                reads.append(node.lineno)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if ast.unparse(node.value) in ("os.environ", "environ"):
                reads.append(node.lineno)
        elif isinstance(node, ast.Compare) and any(
            ast.unparse(c) in ("os.environ", "environ") for c in node.comparators
        ):
            reads.append(node.lineno)
    assert reads == [], (
        f"{MODULES[name].relative_to(ROOT)} reads the environment; use kernel.settings"
    )


def test_the_kernel_imports_no_third_party_heavyweight_at_import_time() -> None:
    """The kernel is what every command imports first: duckdb at most, never pandas,
    Streamlit, dbt or pyarrow."""
    heavy = {"pandas", "streamlit", "dbt", "pyarrow", "plotly", "reportlab"}
    found = []
    for name, path in MODULES.items():
        if not name.startswith("kernel"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{name}: {m}" for m in modules if m.split(".")[0] in heavy]
    assert found == []
