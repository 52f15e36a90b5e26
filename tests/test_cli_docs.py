"""Every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command

from shuzheng.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = get_command(app).commands  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help_and_is_in_the_readme(name: str) -> None:
    command = COMMANDS[name]
    assert (command.help or "").strip(), f"{name} has no help text"
    for option in command.params:
        if option.param_type_name == "option":
            assert (option.help or "").strip(), f"{name} {option.opts} has no help text"
    assert f"shuzheng {name}" in README


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first_block == [
        "python3 -m pip install . && shuzheng progress --as-of 2024-09-15",
        "python3 -m pip install -q -e '.[test]' && python3 -m pytest",
    ]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert first_block[1] in ci
