"""Plan files: YAML → Plan, with every schema error at its node's path:line:col."""

from __future__ import annotations

import difflib
import re
import stat
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from ..core import model
from ..core.findings import Finding, Location, ShuzhengError
from ..core.i18n import N_, _, ngettext
from .text import decode_utf8, os_reason
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
                    _("is not a regular file (a pipe or a device); name the plan file itself"),
                    Location(shown),
                )
            ]
        size = info.st_size
        if size > MAX_PLAN_BYTES:
            return None, [
                Finding(
                    "file-too-large",
                    _("plan is {size} bytes; plans are at most {limit}").format(size=size, limit=MAX_PLAN_BYTES),
                    Location(shown),
                )
            ]
        data = path.read_bytes()
        text = decode_utf8(data, shown)
    except ShuzhengError as exc:
        return None, [exc.finding()]
    except IsADirectoryError:
        return None, [Finding("not-a-file", _("is a folder, not a plan file"), Location(shown))]
    except OSError as exc:
        return None, [Finding("unreadable", _("cannot read: {why}").format(why=os_reason(exc)), Location(shown))]
    return plan_from_text(text, shown)


def plan_from_text(text: str, shown: str) -> tuple[model.Plan | None, list[Finding]]:
    tree = parse_yaml(text, shown, _KEY_SET)
    if tree.diagnostics:
        return None, tree.diagnostics
    if tree.data is None:
        return None, [
            Finding("empty-plan", _("the plan file is empty; start from docs/plan-format.md"), Location(shown, 1, 1))
        ]
    if not isinstance(tree.data, dict):
        return None, [
            Finding(
                "schema", _("a plan is a mapping of keys (id:, title:, …), not a list or a value"), tree.positions[()]
            )
        ]
    try:
        plan = model.Plan.model_validate(tree.data)
    except ValidationError as exc:
        return None, _schema_diagnostics(exc, tree, shown)
    plan.attach_source(shown, tree.positions)
    return plan, []


def _schema_diagnostics(exc: ValidationError, tree: Tree, shown: str) -> list[Finding]:
    found: dict[Location, tuple[Finding, bool]] = {}  # and whether it only says the kind is wrong
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _known_path(loc, tree)
        kind = err["type"]
        field = next((str(part) for part in reversed(path) if isinstance(part, str)), "plan")
        if kind == "extra_forbidden":
            where = tree.key_positions.get(path) or _where(path, tree, shown)
            hint = difflib.get_close_matches(field, _KNOWN_KEYS, n=1)
            said = _("unknown key {key!r}; did you mean {near!r}?") if hint else _("unknown key {key!r}")
            diagnostic = Finding("unknown-key", said.format(key=field, near=hint[0] if hint else ""), where)
        elif kind == "missing":
            diagnostic = Finding(
                "missing-key", _("missing key {key!r}").format(key=field), _where(path[:-1], tree, shown)
            )
        else:
            code = kind if "-" in kind else "schema"  # our own codes carry a dash
            diagnostic = Finding(code, schema_message(err, field), _where(path, tree, shown))
        # a union reports one value once for each member: the member of the value's own kind says why
        if diagnostic.where not in found or (kind not in _WRONG_KIND and found[diagnostic.where][1]):
            found[diagnostic.where] = (diagnostic, kind in _WRONG_KIND)
    return [diagnostic for diagnostic, _wrong in found.values()]


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


# --- pydantic's errors in the plan author's words --------------------------------------------------

_PYDANTIC_TYPES = frozenset(typing.get_args(ErrorType))  # any other type is one of our own, with our message
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")

# error type → (message for a text the author wrote, message for a list or mapping written instead)
_WORDS: dict[str, tuple[str, str]] = {
    "string_type": (N_("{field}: expected text"), N_("{field}: expected text, not a list or a mapping")),
    "int_type": (N_("{field}: expected a whole number, such as 2024"),) * 2,
    "int_parsing": (N_("{field}: {value} is not a whole number (write e.g. 2024)"),) * 2,
    "int_from_float": (N_("{field}: {value} is not a whole number (write e.g. 2024)"),) * 2,
    "int_parsing_size": (N_("{field}: the number is far too large"),) * 2,
    "float_type": (N_("{field}: expected a number"),) * 2,
    "float_parsing": (N_("{field}: {value} is not a number"),) * 2,
    "decimal_type": (N_("{field}: expected a number"),) * 2,
    "decimal_parsing": (N_("{field}: {value} is not a number"),) * 2,
    "decimal_max_digits": (N_("{field}: the number has too many digits"),) * 2,
    "decimal_max_places": (N_("{field}: the number has too many decimal places"),) * 2,
    "decimal_whole_digits": (N_("{field}: the number has too many digits"),) * 2,
    "finite_number": (N_("{field}: expected a finite number, not NaN or infinity"),) * 2,
    "bool_type": (N_("{field}: expected true or false"),) * 2,
    "bool_parsing": (N_("{field}: {value} is neither true nor false"),) * 2,
    "date_type": (N_("{field}: expected a date like 2024-03-05"),) * 2,
    "date_parsing": (N_("{field}: {value} is not a date (write 2024-03-05)"),) * 2,
    "date_from_datetime_parsing": (N_("{field}: {value} is not a date (write 2024-03-05)"),) * 2,
    "date_from_datetime_inexact": (N_("{field}: {value} is not a date (write 2024-03-05)"),) * 2,
    "list_type": (N_("{field}: expected a list (its items each on a line after '- ', or [a, b])"),) * 2,
    "dict_type": (N_("{field}: expected a mapping of keys (key: value lines indented under it)"),) * 2,
    "model_type": (N_("{field}: expected a mapping of keys (key: value lines indented under it)"),) * 2,
    "model_attributes_type": (N_("{field}: expected a mapping of keys (key: value lines indented under it)"),) * 2,
    "literal_error": (N_("{field}: {value} is not one of {choices}"), N_("{field}: expected one of {choices}")),
    "enum": (N_("{field}: {value} is not one of {choices}"), N_("{field}: expected one of {choices}")),
    "greater_than": (N_("{field}: must be greater than {limit}"),) * 2,
    "greater_than_equal": (N_("{field}: must be at least {limit}"),) * 2,
    "less_than": (N_("{field}: must be less than {limit}"),) * 2,
    "less_than_equal": (N_("{field}: must be at most {limit}"),) * 2,
    "string_pattern_mismatch": (
        N_("{field}: {value} may hold only ASCII letters, digits, '_' and '-'"),
        N_("{field}: expected text"),
    ),
}
# the value is of another kind altogether (text for a list): in a union, the other member's error is the one
_WRONG_KIND = frozenset(
    {"string_type", "int_type", "float_type", "decimal_type", "bool_type", "date_type", "list_type", "dict_type"}
    | {"model_type", "model_attributes_type"}
)
_LIMITS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def schema_message(err: ErrorDetails, field: str) -> str:
    """One pydantic error as the plan author reads it, in the output's language: our validators'
    own messages as they are, pydantic's common ones in our words, any other naming the field."""
    kind, ctx = err["type"], err.get("ctx") or {}
    value = err.get("input")
    if kind not in _PYDANTIC_TYPES:
        return _("{field}: {message}").format(field=field, message=err["msg"])
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return _("{field}: {message}").format(field=field, message=str(ctx["error"]))
    counted = _counted(kind, ctx, field)
    if counted is not None:
        return counted
    words = _WORDS.get(kind)
    if words is None:
        return _("{field}: invalid value ({detail})").format(field=field, detail=err["msg"])
    said = words[0] if isinstance(value, str) else words[1]
    if kind == "string_pattern_mismatch" and ctx.get("pattern") != r"^[A-Za-z0-9_-]+$":
        said = N_("{field}: {value} does not have the form {pattern}")
    choices = ", ".join(repr(c) for c in _QUOTED.findall(str(ctx.get("expected", ""))))
    limit = ctx.get(_LIMITS.get(kind, ""), "")
    return _(said).format(
        field=field, value=_shown(value), choices=choices, limit=limit, pattern=ctx.get("pattern", "")
    )


def _counted(kind: str, ctx: dict[str, Any], field: str) -> str | None:
    """The length errors, whose words depend on a count."""
    messages: dict[str, Callable[[int], str]] = {
        "too_short": lambda n: ngettext("{field}: needs at least {n} item", "{field}: needs at least {n} items", n),
        "too_long": lambda n: ngettext("{field}: holds at most {n} item", "{field}: holds at most {n} items", n),
        "string_too_long": lambda n: ngettext("{field}: at most {n} character", "{field}: at most {n} characters", n),
    }
    if kind == "string_too_short":
        n = int(ctx.get("min_length", 1))
        if n <= 1:
            return _("{field}: must not be empty").format(field=field)
        return ngettext("{field}: at least {n} character", "{field}: at least {n} characters", n).format(
            field=field, n=n
        )
    if kind not in messages:
        return None
    n = int(ctx.get("min_length" if kind == "too_short" else "max_length", 0))
    return messages[kind](n).format(field=field, n=n)


def _shown(value: object) -> str:
    """A value the author wrote, quoted, and cut short when it is long."""
    if not isinstance(value, str):
        return repr(value)
    return repr(value if len(value) <= 40 else value[:40] + "…")
