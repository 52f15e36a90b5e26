"""Use cases that join readers and core, shared by every command (no printing)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .core.checks import PlanContext, check_plan
from .core.findings import Finding, Findings, Found, Severity, ShuzhengError, each
from .core.i18n import _, ngettext
from .core.reconcile import reconcile
from .core.report import UNCOUNTABLE, Report
from .core.rules import LedgerRules
from .core.selection import district_areas  # noqa: F401 - moved to core; kept here for old callers
from .core.tally import Intake, RowCounts, Tally
from .read.ledgers import LedgerReader, ReaderMode, ReadProgress
from .read.workspace import LoadedPlan, assign_ledgers, ledger_files, load_plans, shown, stray_ledgers


@dataclass
class PlanRun:
    loaded: LoadedPlan
    ctx: PlanContext
    tally: Tally
    plan_findings: list[Finding]
    findings: list[Finding] = field(default_factory=list)  # about its ledger files and rows
    counts: RowCounts = field(default_factory=RowCounts)
    paths: list[Path] = field(default_factory=list)  # the ledger files read
    columnar: int = 0


def run_plans(
    names: list[str] | None,
    ledgers: list[str] | None,
    as_of: date | None,
    progress: ReadProgress | None = None,
    reader: ReaderMode = ReaderMode.AUTO,
) -> tuple[list[PlanRun], list[Finding], list[Finding]]:
    """Load plans, then read each plan's ledgers into it: (runs, plan files that do not load,
    findings about the ledgers/ folder itself). `as_of` None reads every row, whatever its date."""
    runs: list[PlanRun] = []
    unloadable: list[Finding] = []
    plans = load_plans(names)
    ids = [p.plan.id if p.plan else p.path.stem for p in plans]
    # --ledger files go to the plan their folder names (a usage error when that is unclear)
    shares = assign_ledgers(ledgers, ids) if ledgers else None
    workspace = [] if ledgers else stray_ledgers(ids)
    for index, loaded in enumerate(plans):
        if loaded.plan is None:
            unloadable += loaded.diagnostics
            continue
        ctx, found = check_plan(loaded.plan)
        files, problems = shares[index] if shares is not None else ledger_files(loaded)
        run = read_plan_ledgers(ctx, [(path, shown(path)) for path in files], as_of, reader, progress)
        problems = list(problems)
        if not files and not problems and not any(f.is_error for f in found):
            problems.append(
                Finding(
                    "no-ledgers",
                    _("plan {plan} has no ledger file (looked in ledgers/{plan}/ and the plan's own paths)").format(
                        plan=ctx.plan.id
                    ),
                    loaded.diagnostics[0].where if loaded.diagnostics else _plan_location(loaded),
                )
            )
        run.loaded, run.plan_findings = loaded, found
        run.findings = _of_plan(problems + run.findings, ctx.plan.id)
        runs.append(run)
    return runs, unloadable, workspace


def read_plan_ledgers(
    ctx: PlanContext,
    files: list[tuple[Path, str]],
    as_of: date | None,
    reader: ReaderMode = ReaderMode.AUTO,
    progress: ReadProgress | None = None,
) -> PlanRun:
    """One plan's ledger files (path, as shown) into its tally, every row accounted for."""
    intake = Intake(ctx, as_of)
    read = LedgerReader(LedgerRules(ctx.plan, ctx.tree, ctx.targets), intake, reader, progress).read_all(files)
    tally = intake.finish()
    counts = RowCounts()
    counts.add(read.counts)
    counts.add(intake.counts)
    findings = _of_plan(read.findings + intake.findings, ctx.plan.id)
    return PlanRun(None, ctx, tally, [], findings, counts, read.paths, read.columnar)  # type: ignore[arg-type]


def _of_plan(findings: list[Found], plan: str) -> list[Found]:
    """The findings, each naming the plan (a copy only of those that do not yet: at a million rows
    there are a hundred thousand findings, and a dataclass copy costs)."""
    return [f if f.plan == plan else replace(f, plan=plan) for f in findings]


def _plan_location(loaded: LoadedPlan):  # noqa: ANN202
    from .core.findings import Location

    return Location(loaded.display)


@dataclass
class CheckResult:
    plans: list[str] = field(default_factory=list)
    diagnostics: list[Finding] = field(default_factory=list)
    ledger_files: int = 0
    ledger_rows: int = 0
    counts: RowCounts = field(default_factory=RowCounts)


def check_workspace(
    names: list[str] | None, ledgers: list[str] | None, reader: ReaderMode = ReaderMode.AUTO
) -> CheckResult:
    """Every finding about plans and ledgers; every row is checked, whatever its date."""
    result = CheckResult()
    runs, unloadable, workspace = run_plans(names, ledgers, None, reader=reader)
    result.diagnostics += unloadable + workspace
    result.plans += [d.where.path for d in unloadable if d.where]
    for run in runs:
        result.plans.append(run.ctx.plan.id)
        result.diagnostics += run.plan_findings + [f for f in each(run.findings) if f.severity != Severity.INFO]
        result.ledger_files += len(run.paths)
        result.ledger_rows += run.counts.read
        result.counts.add(run.counts)
    result.plans = list(dict.fromkeys(result.plans))
    return result


@dataclass
class ProgressResult:
    report: Report
    diagnostics: list[Finding]  # inputs that could not be read at all
    contexts: list[PlanContext] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)  # every plan and ledger file read
    runs: list[PlanRun] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.severity == Severity.ERROR for d in self.diagnostics)


def build_report(
    names: list[str] | None,
    ledgers: list[str] | None,
    as_of: date,
    progress: ReadProgress | None = None,
    reader: ReaderMode = ReaderMode.AUTO,
) -> ProgressResult:
    runs, unloadable, workspace = run_plans(names, ledgers, as_of, progress, reader)
    if unloadable:
        raise PlanLoadError(unloadable)
    counts = RowCounts()
    findings: list[Found] = list(workspace)
    for run in runs:
        counts.add(run.counts)
        findings += run.findings
    report = Report(
        as_of=as_of,
        plans=tuple(reconcile(run.ctx, run.tally, as_of) for run in runs),
        findings=Findings(findings),
        rows=counts,
    )
    problems = [f for f in report.findings.coded(UNCOUNTABLE.__contains__) if f.is_error]
    inputs = [run.loaded.path for run in runs] + [path for run in runs for path in run.paths]
    return ProgressResult(report, problems, [run.ctx for run in runs], inputs, runs)


class PlanLoadError(ShuzhengError):
    """Plans with errors of their own: nothing can be reconciled against them."""

    def __init__(self, diagnostics: list[Finding]):
        super().__init__(
            ngettext(
                "{count} error in plan files; run `shuzheng check` for details",
                "{count} errors in plan files; run `shuzheng check` for details",
                len(diagnostics),
            ).format(count=len(diagnostics)),
            "plan-error",
        )
        self.diagnostics = diagnostics
