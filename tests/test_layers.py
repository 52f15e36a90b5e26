"""core is pure: it imports no reader, renderer, CLI, service, typer or rich."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import shuzheng.core

CORE_DIR = Path(shuzheng.core.__file__).parent
FORBIDDEN = ("shuzheng.read", "shuzheng.render", "shuzheng.cli", "shuzheng.service", "typer", "rich")
CORE_MODULES = sorted(
    "shuzheng.core" if path.name == "__init__.py" else f"shuzheng.core.{path.stem}" for path in CORE_DIR.glob("*.py")
)


def _is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN)


def imported_modules(path: Path, module: str) -> set[str]:
    """Every module an import statement in the file names, relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from .. import read`
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in (
            "import_module",
            "__import__",
        ):
            found.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return found


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
        "from ..read import plan\nfrom .. import render\nimport typer\nfrom rich.console import Console\nfrom . import names\n"
    )
    found = imported_modules(source, "shuzheng.core.probe")
    assert {"shuzheng.read", "shuzheng.render", "typer", "rich.console", "shuzheng.core.names"} <= found
    assert [name for name in found if _is_forbidden(name)]
    assert not _is_forbidden("shuzheng.core.names") and not _is_forbidden("richtext")


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
