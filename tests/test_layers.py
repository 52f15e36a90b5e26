"""Layers: core is pure (it imports no reader, renderer, CLI, service, typer or rich), and no
module of src/shuzheng takes part in an import cycle."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import shuzheng.core

CORE_DIR = Path(shuzheng.core.__file__).parent
SRC_DIR = CORE_DIR.parent.parent

# Import cycles known today and being removed: the only exception test_no_import_cycle_in_src
# makes. Each entry must still be a cycle (the test says when one is gone); once it is broken,
# delete the entry (leaving `set()`), or this constant and its two uses in that test.
FORBIDDEN = ("shuzheng.read", "shuzheng.render", "shuzheng.cli", "shuzheng.service", "typer", "rich")
CORE_MODULES = sorted(
    "shuzheng.core" if path.name == "__init__.py" else f"shuzheng.core.{path.stem}" for path in CORE_DIR.glob("*.py")
)


def _is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN)


def import_statements(path: Path, module: str) -> list[tuple[str, tuple[str, ...], int]]:
    """(module, names taken from it, line) for every import in the file, relative imports resolved.

    Every import counts, wherever it stands: at the top, inside a function, under
    `if TYPE_CHECKING:`, or as a call to importlib.import_module / __import__.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, tuple[str, ...], int]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((target, tuple(alias.name for alias in node.names), node.lineno))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in (
            "import_module",
            "__import__",
        ):
            strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            found += [(name, (), node.lineno) for name in strings]
    return found


def imported_modules(path: Path, module: str) -> set[str]:
    """Every module an import in the file names; for `from x import y` both x and x.y."""
    found: set[str] = set()
    for target, names, _ in import_statements(path, module):
        found.add(target)
        found.update(f"{target}.{name}" for name in names)  # `from .. import read`
    return found


def modules_under(root: Path, package: str) -> dict[str, Path]:
    """Module name → file, for every .py file of the package folder root/<package path>."""
    found = {}
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(modules: dict[str, Path], root: Path) -> dict[str, dict[str, str]]:
    """module → {module of `modules` it imports: 'file:line' of its first such import}.

    `from x import y` leads to x.y when that is a module (`from . import names`), else to x.
    """
    graph: dict[str, dict[str, str]] = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for target, names, line in sorted(import_statements(path, module), key=lambda s: s[2]):
            for dest in [f"{target}.{n}" if f"{target}.{n}" in modules else target for n in names] or [target]:
                if dest in modules and dest != module:
                    edges.setdefault(dest, f"{path.relative_to(root).as_posix()}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, str]]) -> list[list[str]]:
    """One cycle [a, b, …, a] through each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_round(group, graph) for group in groups]


def _path_round(group: set[str], graph: dict[str, dict[str, str]]) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node]):
                if nxt == start:
                    return paths[node] + [start]
                if nxt in group and nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no way round {sorted(group)}")  # a strongly connected group always has one


def describe(cycle: list[str], graph: dict[str, dict[str, str]]) -> str:
    return "\n".join(f"  {a} → {b}  ({graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False))


def test_core_modules_are_found() -> None:
    assert {"shuzheng.core.model", "shuzheng.core.names", "shuzheng.core.quantity", "shuzheng.core.checks"} <= set(
        CORE_MODULES
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_source_imports_nothing_outer(module: str) -> None:
    path = CORE_DIR / ("__init__.py" if module == "shuzheng.core" else f"{module.rpartition('.')[2]}.py")
    bad = sorted(name for name in imported_modules(path, module) if _is_forbidden(name))
    assert bad == [], f"{module} imports {bad}"


def test_the_import_scan_sees_relative_and_absolute_imports(tmp_path: Path) -> None:
    """The scan itself: each of these spellings must be caught."""
    source = tmp_path / "probe.py"
    source.write_text(
        "from ..read import plan\nfrom .. import render\nimport typer\n"
        "from rich.console import Console\nfrom . import names\n"
    )
    found = imported_modules(source, "shuzheng.core.probe")
    assert {"shuzheng.read", "shuzheng.render", "typer", "rich.console", "shuzheng.core.names"} <= found
    assert [name for name in found if _is_forbidden(name)]
    assert not _is_forbidden("shuzheng.core.names") and not _is_forbidden("richtext")


@pytest.mark.slow
def test_importing_core_loads_nothing_outer() -> None:
    """In a fresh interpreter, importing every core module pulls in no outer layer."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    loaded = json.loads(done.stdout)
    assert set(CORE_MODULES) <= set(loaded)
    assert [name for name in loaded if _is_forbidden(name)] == []


# ---------------------------------------------------------------- import cycles


def test_no_import_cycle_in_src() -> None:
    modules = modules_under(SRC_DIR, "shuzheng")
    assert {"shuzheng", "shuzheng.cli", "shuzheng.core.names", "shuzheng.read.plan"} <= set(modules)
    graph = import_graph(modules, SRC_DIR.parent)  # edges shown as src/shuzheng/…:line
    found = cycles(graph)
    assert not found, "import cycle(s) in src/:\n" + "\n\n".join(describe(cycle, graph) for cycle in found)


def test_the_cycle_scan_finds_cycles_through_functions_and_packages(tmp_path: Path) -> None:
    """The scan itself, on a small package: a → b (top) → c (inside a function) → a; d ↔ its package."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import thing\n")
    (package / "b.py").write_text("import os\nthing = 1\ndef later():\n    from pkg import c\n")
    (package / "c.py").write_text("from . import a, e\n")
    (package / "e.py").write_text("from .sub import helper\n")
    (package / "sub" / "__init__.py").write_text("from . import d\nhelper = 1\n")
    (package / "sub" / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import sub\n"
    )
    graph = import_graph(modules_under(tmp_path, "pkg"), tmp_path)
    assert graph["pkg.c"] == {"pkg.a": "pkg/c.py:1", "pkg.e": "pkg/c.py:1"}
    assert graph["pkg.b"] == {"pkg.c": "pkg/b.py:4"}
    found = cycles(graph)
    assert sorted(found) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"], ["pkg.sub", "pkg.sub.d", "pkg.sub"]]
    assert describe(found[0] if found[0][0] == "pkg.a" else found[1], graph).splitlines() == [
        "  pkg.a → pkg.b  (pkg/a.py:1)",
        "  pkg.b → pkg.c  (pkg/b.py:4)",
        "  pkg.c → pkg.a  (pkg/c.py:1)",
    ]
    (package / "c.py").write_text("from . import e\n")
    (package / "sub" / "d.py").write_text("")
    assert cycles(import_graph(modules_under(tmp_path, "pkg"), tmp_path)) == []
