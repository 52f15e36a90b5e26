"""Use cases that join readers and core, shared by every command (no printing)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .core.checks import PlanContext, check_plan
from .core.findings import Finding, Location, Severity, ShuzhengError
from .core.ledger import LedgerRules
from .core.reconcile import Ledger, reconcile
from .core.report import DuplicateRow, RejectedRow, Report
from .core.selection import district_areas  # noqa: F401 - moved to core; kept here for old callers
from .read.ledger import LedgerReader, ReadProgress
from .read.workspace import LoadedPlan, assign_ledgers, ledger_files, load_plans, shown


@dataclass
class PlanRun:
    loaded: LoadedPlan
    ctx: PlanContext
    ledger: Ledger
    plan_diagnostics: list[Finding]
    file_diagnostics: list[Finding] = field(default_factory=list)
    rows: int = 0
    paths: list[Path] = field(default_factory=list)  # the ledger files read


def run_plans(
    names: list[str] | None, ledgers: list[str] | None, as_of: date, progress: ReadProgress | None = None
) -> tuple[list[PlanRun], list[Finding]]:
    """Load plans, then read each plan's ledgers into it. Plans that do not load are diagnostics."""
    runs: list[PlanRun] = []
    unloadable: list[Finding] = []
    plans = load_plans(names)
    # --ledger files go to the plan their folder names (a usage error when that is unclear)
    shares = assign_ledgers(ledgers, [p.plan.id if p.plan else p.path.stem for p in plans]) if ledgers else None
    for index, loaded in enumerate(plans):
        if loaded.plan is None:
            unloadable += loaded.diagnostics
            continue
        ctx, found = check_plan(loaded.plan)
        run = PlanRun(loaded, ctx, Ledger(ctx, as_of), found)
        files, missing = shares[index] if shares is not None else ledger_files(loaded)
        run.file_diagnostics += missing
        reader = LedgerReader(
            LedgerRules(ctx.plan, ctx.tree), run.ledger, os.environ.get("SHUZHENG_READER", "auto"), progress
        )
        for path in files:
            result = reader.read(path, shown(path))
            run.file_diagnostics += result.diagnostics
            run.paths.append(path)
            run.rows += result.rows
        runs.append(run)
    return runs, unloadable


@dataclass
class CheckResult:
    plans: list[str] = field(default_factory=list)
    diagnostics: list[Finding] = field(default_factory=list)
    ledger_files: int = 0
    ledger_rows: int = 0


def check_workspace(names: list[str] | None, ledgers: list[str] | None) -> CheckResult:
    """Every finding about plans and ledgers; every row is checked, whatever its date."""
    result = CheckResult()
    runs, unloadable = run_plans(names, ledgers, date.max)
    result.diagnostics += unloadable
    result.plans += [d.where.path for d in unloadable if d.where]
    for run in runs:
        result.plans.append(run.ctx.plan.id)
        result.diagnostics += run.plan_diagnostics + run.file_diagnostics
        result.diagnostics += [Finding(r.code, r.reason, Location(r.file, r.line)) for r in run.ledger.rejected]
        result.diagnostics += [_duplicate(d) for d in run.ledger.duplicates]
        result.ledger_files += len(run.paths)
        result.ledger_rows += run.rows
    result.plans = list(dict.fromkeys(result.plans))
    return result


def _duplicate(d: DuplicateRow) -> Finding:
    first = f"line {d.first_line}" if d.first_file == d.file else f"{d.first_file}:{d.first_line}"
    return Finding(
        "duplicate-ref",
        f"編號 {d.ref!r} of {d.indicator} was already counted at {first}; this row is not counted again",
        Location(d.file, d.line),
    )


@dataclass
class ProgressResult:
    report: Report
    diagnostics: list[Finding]  # inputs that could not be read at all
    contexts: list[PlanContext] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)  # every plan and ledger file read

    @property
    def failed(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.diagnostics)


def build_report(
    names: list[str] | None, ledgers: list[str] | None, as_of: date, progress: ReadProgress | None = None
) -> ProgressResult:
    runs, unloadable = run_plans(names, ledgers, as_of, progress)
    if unloadable:
        raise PlanLoadError(unloadable)
    rejected: list[RejectedRow] = []
    problems: list[Finding] = []
    plans = []
    for run in runs:
        plans.append(reconcile(run.ledger))
        rejected += run.ledger.rejected
        for d in run.file_diagnostics:
            if d.severity == Severity.ERROR and d.where is not None:
                # a file (or its header) that cannot be counted is listed with the rejected rows
                rejected.append(RejectedRow(d.where.path, d.where.line or 1, d.code, d.message, run.ctx.plan.id))
                problems.append(d)
    report = Report(
        as_of=as_of,
        plans=tuple(plans),
        rejected=tuple(rejected),
        duplicates=tuple(d for run in runs for d in run.ledger.duplicates),
        corrections=tuple(c for run in runs for c in run.ledger.corrections),
    )
    inputs = [run.loaded.path for run in runs] + [path for run in runs for path in run.paths]
    return ProgressResult(report, problems, [run.ctx for run in runs], inputs)


class PlanLoadError(ShuzhengError):
    """Plans with errors of their own: nothing can be reconciled against them."""

    def __init__(self, diagnostics: list[Finding]):
        super().__init__(f"{len(diagnostics)} error(s) in plan files; run `shuzheng check` for details", "plan-error")
        self.diagnostics = diagnostics
