"""The shape of the package: imports flow one way, modules stay small and say what they are."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "uprooted"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module of ours that ``path`` imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "uprooted")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "uprooted":
                continue
            # "from . import components" imports a module, not a name of the package.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _path_of(candidate) else target)
    return {m for m in found if _path_of(m)}


def _path_of(module: str) -> Path | None:
    rel = Path(*module.split(".")[1:])
    for path in (SRC / rel.with_suffix(".py"), SRC / rel / "__init__.py"):
        if path.is_file():
            return path
    return None


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) - {_module_name(p)} for p in SRC.rglob("*.py")}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` (a package importing its own modules excepted), or []."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):  # a package's __init__ re-exporting its own modules
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_package_has_no_import_cycle() -> None:
    """Stages import the leaf modules and never the loader; a cycle means a stage reached up."""
    assert _cycle(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_leaf_reader_imports_nothing_of_ours_but_errors() -> None:
    assert _imports(SRC / "datafiles.py") == {"uprooted.errors"}


def test_no_stage_imports_the_loader_or_the_pipeline() -> None:
    # Entry points: the store's ingest and the web workspace's paste box run the pipeline as the command
    # line and the API do, and so do the store's Dask workers.
    top = {"uprooted.resources", "uprooted.pipeline", "uprooted.api", "uprooted.cli", "uprooted.store.cli",
           "uprooted.store.ingest", "uprooted.store.cluster", "uprooted.web.extract", "uprooted.web.app",
           "uprooted.web.cli"}
    graph = _graph()
    reaching_up = {m: sorted(graph[m] & top) for m in graph if m not in top | {"uprooted"} and graph[m] & top}
    assert reaching_up == {}


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_module_is_small_and_says_what_it_is(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and len(docstring.split()) >= 5
