"""The command line: options → readers → core → renderers → stdout/stderr. Nothing else."""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer

from .core.diagnostics import ShuzhengError

app = typer.Typer(
    name="shuzheng",
    help="Plans and ledgers (台賬) of a 疏解整治促提升 campaign: validate, reconcile, brief.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def user_errors(command: F) -> F:
    """The one boundary: a user's error becomes a message and its exit code; a bug a one-line report."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ShuzhengError as exc:
            _err(f"shuzheng: {exc.diagnostic()}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _err("shuzheng: interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug, not the user's fault
            if os.environ.get("SHUZHENG_DEBUG"):
                traceback.print_exc()
            else:
                _err(f"shuzheng: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran (SHUZHENG_DEBUG=1 shows the traceback)")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


PlanArg = Annotated[list[str] | None, typer.Argument(help="Plans by id (huairou) or path; default: every plan under plans/.", show_default=False)]
LedgerOpt = Annotated[
    list[str] | None,
    typer.Option("--ledger", help="Ledger file or folder (repeatable); replaces ledgers/<plan id>/ and the plan's own paths.", show_default=False),
]


@app.command()
@user_errors
def check(
    plans: PlanArg = None,
    ledger: LedgerOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    format: Annotated[CheckFormat, typer.Option("--format", help="text: compiler-style lines on stderr; json: all findings on stdout.")] = CheckFormat.text,
) -> None:
    """Validate plans and their ledgers; print every problem as path:line:col: error|warning: text."""
    from .core.diagnostics import Severity, sort_key
    from .render.diagnostics import render_json, render_text, summary
    from .service import check_workspace

    result = check_workspace(plans, ledger)
    diagnostics = sorted(result.diagnostics, key=sort_key)
    checked = f"{len(result.plans)} plan{'s' * (len(result.plans) != 1)}, {result.ledger_rows} ledger rows in {result.ledger_files} files"
    if format == CheckFormat.json:
        sys.stdout.write(render_json(diagnostics, {"plans": result.plans, "ledger_files": result.ledger_files, "ledger_rows": result.ledger_rows}))
    else:
        sys.stderr.write(render_text(diagnostics))
        _err(summary(diagnostics, checked))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diagnostics):
        raise typer.Exit(1)


@app.command()
@user_errors
def schema() -> None:
    """Print the JSON Schema of a plan file (for editors' YAML language servers)."""
    from .core.model import Plan

    sys.stdout.write(json.dumps(Plan.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console entry point; the last guard, for anything raised outside a command."""
    try:
        app()
    except Exception as exc:  # pragma: no cover - every command has its own boundary
        if os.environ.get("SHUZHENG_DEBUG"):
            raise
        _err(f"shuzheng: internal error ({type(exc).__name__}); please report it")
        sys.exit(1)
