"""Plan files: YAML → Plan, with every schema error at its node's path:line:col."""

from __future__ import annotations

import difflib
import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core import model
from ..core.findings import Finding, Location, ShuzhengError
from .text import decode_utf8
from .yaml_tree import Tree, parse_yaml

MAX_PLAN_BYTES = 5_000_000

_KNOWN_KEYS = sorted(
    {
        name
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
    }
)
_KEY_SET = frozenset(_KNOWN_KEYS)


def read_plan(path: Path, display: str | None = None) -> tuple[model.Plan | None, list[Finding]]:
    """Read and validate one plan file; the plan is None when it has errors of its own."""
    shown = display or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a pipe would wait for a writer forever
            return None, [
                Finding(
                    "not-a-file",
                    "is not a regular file (a pipe or a device); name the plan file itself",
                    Location(shown),
                )
            ]
        size = info.st_size
        if size > MAX_PLAN_BYTES:
            return None, [
                Finding("file-too-large", f"plan is {size} bytes; plans are at most {MAX_PLAN_BYTES}", Location(shown))
            ]
        data = path.read_bytes()
        text = decode_utf8(data, shown)
    except ShuzhengError as exc:
        return None, [exc.finding()]
    except IsADirectoryError:
        return None, [Finding("not-a-file", "is a folder, not a plan file", Location(shown))]
    except OSError as exc:
        return None, [Finding("unreadable", f"cannot read: {exc.strerror or exc}", Location(shown))]
    return plan_from_text(text, shown)


def plan_from_text(text: str, shown: str) -> tuple[model.Plan | None, list[Finding]]:
    tree = parse_yaml(text, shown, _KEY_SET)
    if tree.diagnostics:
        return None, tree.diagnostics
    if tree.data is None:
        return None, [
            Finding("empty-plan", "the plan file is empty; start from docs/plan-format.md", Location(shown, 1, 1))
        ]
    if not isinstance(tree.data, dict):
        return None, [
            Finding("schema", "a plan is a mapping of keys (id:, title:, …), not a list or a value", tree.positions[()])
        ]
    try:
        plan = model.Plan.model_validate(tree.data)
    except ValidationError as exc:
        return None, _schema_diagnostics(exc, tree, shown)
    plan.attach_source(shown, tree.positions)
    return plan, []


def _schema_diagnostics(exc: ValidationError, tree: Tree, shown: str) -> list[Finding]:
    found: dict[Location, Finding] = {}
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _known_path(loc, tree)
        kind = err["type"]
        field = next((str(part) for part in reversed(path) if isinstance(part, str)), "plan")
        if kind == "extra_forbidden":
            where = tree.key_positions.get(path) or _where(path, tree, shown)
            hint = difflib.get_close_matches(field, _KNOWN_KEYS, n=1)
            tail = f"; did you mean {hint[0]!r}?" if hint else ""
            diagnostic = Finding("unknown-key", f"unknown key {field!r}{tail}", where)
        elif kind == "missing":
            diagnostic = Finding("missing-key", f"missing key {field!r}", _where(path[:-1], tree, shown))
        else:
            code = kind if "-" in kind else "schema"  # our own codes carry a dash
            diagnostic = Finding(code, f"{field}: {err['msg']}", _where(path, tree, shown))
        found.setdefault(diagnostic.where, diagnostic)  # a union reports one value several times
    return list(found.values())


def _known_path(loc: tuple, tree: Tree) -> tuple:
    """The loc without pydantic's own segments (union members, validator names)."""
    path: list[Any] = []
    for part in loc:
        candidate = (*path, part)
        if candidate in tree.positions or candidate in tree.key_positions:
            path.append(part)
        elif isinstance(part, str) and part.isidentifier() and not any(c in part for c in "[]"):
            path.append(part)  # a missing or misspelled key: not in the file, still the field
    return tuple(path)


def _where(path: tuple, tree: Tree, shown: str) -> Location:
    for end in range(len(path), -1, -1):
        found = tree.positions.get(tuple(path[:end]))
        if found:
            return found
    return Location(shown, 1, 1)
