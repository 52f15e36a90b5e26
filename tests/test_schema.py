"""The committed JSON Schema is what `shuzheng schema` prints, and the shipped plans follow it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from check_cases import write_case

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = REPO_ROOT / "schema" / "plan.schema.json"
PLANS = sorted((REPO_ROOT / "plans").glob("*.yaml"))
FIRST_LINE = "# yaml-language-server: $schema=../schema/plan.schema.json"


def _dates_as_text(node: Any) -> Any:
    """The schema types dates as strings; YAML's safe loader reads 2024-01-01 as a date."""
    if isinstance(node, dict):
        return {key: _dates_as_text(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_dates_as_text(value) for value in node]
    if isinstance(node, date):
        return node.isoformat()
    return node


def load_yaml(path: Path) -> Any:
    return _dates_as_text(YAML(typ="safe", pure=True).load(path.read_text("utf-8")))


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    return cls(schema)


def test_committed_schema_is_what_the_command_prints(cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout_bytes == SCHEMA_PATH.read_bytes(), (
        "schema/plan.schema.json is stale: run `shuzheng schema > schema/plan.schema.json`"
    )


def test_there_are_shipped_plans() -> None:
    assert [p.stem for p in PLANS] == ["city", "hailing", "huairou"]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_starts_with_the_schema_comment(path: Path) -> None:
    assert path.read_text("utf-8").splitlines()[0] == FIRST_LINE
    assert (path.parent / "../schema/plan.schema.json").resolve() == SCHEMA_PATH


def schema_errors(path: Path, validator: jsonschema.protocols.Validator) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load_yaml(path))]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_validates_against_the_schema(path: Path, validator: jsonschema.protocols.Validator) -> None:
    assert schema_errors(path, validator) == []


@pytest.mark.parametrize(
    ("case", "complaint"),
    [("misspelled-key", "'measrue' was unexpected"), ("missing-key", "'title' is a required property")],
)
def test_schema_rejects_what_check_rejects(
    case: str, complaint: str, validator: jsonschema.protocols.Validator, tmp_path: Path
) -> None:
    """So an editor flags the same mistakes as `shuzheng check`."""
    data = load_yaml(write_case(case, tmp_path))
    messages = [e.message for e in validator.iter_errors(data)]
    assert any(complaint in m for m in messages), messages
