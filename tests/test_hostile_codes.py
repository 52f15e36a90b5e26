"""The error-code contract: every code the source emits is in core.codes.CODES, every code
there is emitted somewhere, docs/errors.md is exactly what the registry renders, and every
example in it looks like the line shuzheng really prints."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import shuzheng
from shuzheng.core.codes import CODES
from shuzheng.render.codes import render

SRC = Path(shuzheng.__file__).resolve().parent
DOCS = SRC.parent.parent / "docs" / "errors.md"
CODE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# callable name → position of its code argument
CODE_ARGUMENT = {
    "Finding": 0,
    "ParseError": 0,
    "HeaderProblem": 0,
    "PydanticCustomError": 0,
    "ShuzhengError": 1,
    "UsageError": 1,
    "BadRecord": 1,
    "refuse": 1,  # read/yaml_tree.py: refuse(event, code, message)
}


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literals(node: ast.AST) -> Iterator[str]:
    """String constants a code expression can evaluate to ("a" if x else "b" gives both)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and CODE_NAME.fullmatch(sub.value):
            yield sub.value


def emitted() -> dict[str, list[tuple[str, int, str]]]:
    """code → [(file, line, callable)] for every code literal handed to something that reports it."""
    found: dict[str, list[tuple[str, int, str]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        shown = str(path.relative_to(SRC.parent))
        for node in ast.walk(ast.parse(path.read_text("utf-8"), shown)):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            arguments: list[ast.AST] = []
            if name in CODE_ARGUMENT and len(node.args) > CODE_ARGUMENT[name]:
                arguments.append(node.args[CODE_ARGUMENT[name]])
            elif (
                name == "__init__"
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Call)
                and _name(node.func.value) == "super"
                and len(node.args) > 1
            ):
                arguments.append(node.args[1])  # class X(ShuzhengError): super().__init__(message, code)
            arguments += [kw.value for kw in node.keywords if kw.arg == "code"]
            for argument in arguments:
                for code in _literals(argument):
                    found.setdefault(code, []).append((shown, node.lineno, name or "?"))
    return found


EMITTED = emitted()


def test_the_scan_finds_the_codes_it_should() -> None:
    """A guard on the scanner itself: a few codes from each kind of call."""
    for code in (
        "yaml-alias",
        "plan-error",
        "nul-byte",
        "blank-header",
        "invalid-number",
        "unknown-plan",
        "output-error",
        "missing-key",
    ):
        assert code in EMITTED, code


def test_every_emitted_code_is_registered() -> None:
    missing = {code: places for code, places in EMITTED.items() if code not in CODES}
    assert not missing, f"codes emitted but not in core/codes.py (add them with meaning, example and fix): {missing}"


def test_every_registered_code_is_emitted() -> None:
    stale = [code for code in CODES if code not in EMITTED]
    assert not stale, f"codes in core/codes.py that nothing emits (remove them, or emit them): {stale}"


def test_severities_agree_with_the_registry() -> None:
    """Finding(code, …) and Finding(code, …) with a literal code say what the registry says."""
    for code, places in EMITTED.items():
        for file, line, name in places:
            if name in ("error", "warning"):
                assert CODES[code].severity == name, (
                    f"{file}:{line}: {name}({code!r}) but the registry says {CODES[code].severity}"
                )


def test_the_error_reference_is_generated_from_the_registry() -> None:
    assert DOCS.read_text("utf-8") == render(), "docs/errors.md is stale: run python3 scripts/make_error_docs.py"


def test_every_code_is_documented_with_example_and_fix() -> None:
    text = DOCS.read_text("utf-8")
    for code in CODES.values():
        assert f"### `{code.name}` ({code.severity})" in text
        assert code.example in text and code.meaning and code.fix


EXAMPLE = re.compile(
    r"(?P<where>shuzheng|[^\s:][^:]*?(?::\d+(?::\d+)?)?): "
    r"(?P<severity>error|warning|info): (?P<message>.+) \[(?P<code>[a-z0-9-]+)\]"
)


@pytest.mark.parametrize("name", sorted(CODES))
def test_each_example_is_a_line_as_shuzheng_prints_it(name: str) -> None:
    """`path:line:col: error: message [code]` for findings, `shuzheng: error: message [code]` for
    command-line errors: the example starts with a location or 'shuzheng:' and ends with its code."""
    code = CODES[name]
    assert CODE_NAME.fullmatch(name)
    assert code.severity in ("error", "warning", "info")
    assert {part.strip() for part in code.where.split(",")} <= {"plan", "ledger", "file", "usage"}
    match = EXAMPLE.fullmatch(code.example)
    assert match, code.example
    assert match["code"] == name
    assert match["severity"] == code.severity
    assert "\n" not in code.example
    if match["where"] != "shuzheng":
        # a file (a workbook's sheet), a folder under ledgers/, or plans/
        where = r"\.(ya?ml|csv|xlsx?|txt)(\[[^\]]+\])?(:\d+)*$|^plans$|^ledgers/[^/.]+$"
        assert re.search(where, match["where"]), match["where"]
