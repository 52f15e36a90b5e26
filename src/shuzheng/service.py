"""Use cases that join readers and core, shared by every command (no printing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .core.checks import check_plan
from .core.diagnostics import Diagnostic
from .read.workspace import load_plans


@dataclass
class CheckResult:
    plans: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ledger_files: int = 0
    ledger_rows: int = 0


def check_workspace(names: list[str] | None, ledgers: list[str] | None) -> CheckResult:
    result = CheckResult()
    for loaded in load_plans(names):
        result.plans.append(loaded.plan.id if loaded.plan else loaded.display)
        result.diagnostics += loaded.diagnostics
        if loaded.plan is None:
            continue
        _, found = check_plan(loaded.plan)
        result.diagnostics += found
    return result
