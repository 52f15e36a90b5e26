"""The data the views need beyond one report: the ledger rows themselves, and reports at several dates.

Everything here reads through three small functions, `plan_rows`, `reports_at` and `ledger_at`, so
that the ledger seam can later feed them from one read with several cuts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .core.checks import PlanContext, check_plan
from .core.names import fold
from .core.reconcile import measure_over, reconcile
from .core.report import PlanReport, Report, TargetRow
from .core.rules import LedgerRules, Row
from .core.tally import Intake, Tally
from .core.targets import ResolvedTarget
from .core.views.breakdown import NO_DEPARTMENT, OWN_LEVEL, Breakdown, Contribution, breakdown, children_of
from .core.views.since import Change, changes


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One valid ledger row, as counted: the checked row, its file's place in path order, its unit."""

    plan: str
    row: Row
    unit: str | None  # the indicator's unit, which the quantity is in
    order: int = 0

    @property
    def department(self) -> str | None:
        return self.row.department

    @property
    def file(self) -> str:
        return self.row.file

    @property
    def line(self) -> int:
        return self.row.line


@dataclass
class PlanRows:
    ctx: PlanContext
    rows: list[LedgerRow]  # every valid row of the plan's ledgers, in reading order (duplicates too)


def plan_rows(names: list[str] | None, ledgers: list[str] | None) -> list[PlanRows]:
    """Every plan's valid ledger rows, whatever their date, read once through the intake."""
    from .read.ledgers import LedgerReader, ReaderMode
    from .read.workspace import assign_ledgers, ledger_files, load_plans, shown

    plans = [p for p in load_plans(names) if p.plan is not None]
    shares = assign_ledgers(ledgers, [p.plan.id for p in plans if p.plan]) if ledgers else None
    found: list[PlanRows] = []
    for index, loaded in enumerate(plans):
        assert loaded.plan is not None
        ctx, _ = check_plan(loaded.plan)
        rules = LedgerRules(ctx.plan, ctx.tree, ctx.targets)
        files, _ = shares[index] if shares is not None else ledger_files(loaded)
        intake = Intake(ctx, None, keep=True)
        LedgerReader(rules, intake, ReaderMode.ROWS).read_all([(path, shown(path)) for path in files])
        rows = []
        for order, row in intake.handed:
            unit = rules.indicator(row.indicator).unit  # the quantity is converted to it
            rows.append(LedgerRow(ctx.plan.id, row, unit.name if unit else None, order))
        found.append(PlanRows(ctx, rows))
    return found


def ledger_at(plan: PlanRows, as_of: date) -> tuple[Tally, list[LedgerRow]]:
    """The plan's tally at `as_of` from its rows, and the rows it counted (repeated 編號 left out)."""
    return ledger_of(plan.ctx, as_of, plan.rows)


def ledger_of(ctx: PlanContext, as_of: date, rows: Iterable[LedgerRow]) -> tuple[Tally, list[LedgerRow]]:
    """The same intake as every report: the first use of a 編號 and the scopes decide what counts."""
    intake = Intake(ctx, as_of, keep=True)
    by_key: dict[tuple[int, int], LedgerRow] = {}
    for entry in rows:
        if entry.row.date > as_of:
            continue
        by_key[(entry.order, entry.line)] = entry
        intake.row(entry.row, entry.order)
    tally = intake.finish()
    counted = [by_key[(order, row.line)] for order, row in intake.counted_rows]
    counted.sort(key=lambda e: (e.order, e.line))
    return tally, counted


def reports_at(names: list[str] | None, ledgers: list[str] | None, dates: Iterable[date]) -> dict[date, Report]:
    """The report (targets only: no rejected or duplicate lists) at each date, from one read."""
    plans = plan_rows(names, ledgers)
    return {
        day: Report(day, tuple(reconcile(p.ctx, ledger_at(p, day)[0], day) for p in plans))
        for day in sorted(set(dates))
    }


def counted_rows(
    names: list[str] | None, ledgers: list[str] | None, as_of: date, indicator: str | None = None
) -> list[LedgerRow]:
    """The ledger rows that count at `as_of` (valid, not after it, not a repeated 編號), in reading order."""
    found: list[LedgerRow] = []
    for plan in plan_rows(names, ledgers):
        found += [r for r in ledger_at(plan, as_of)[1] if indicator is None or _same_id(r.row.indicator, indicator)]
    return found


def _same_id(a: str, b: str) -> bool:
    return a.strip().rstrip(".") == b.strip().rstrip(".")


def _resolved(ctx: PlanContext, row: TargetRow) -> ResolvedTarget | None:
    for t in ctx.targets:
        if t.task.id == row.task and t.indicator.id == row.indicator and t.scope.label == row.scope:
            return t
    return None


def _kept(plan: PlanRows, report: Report) -> list[tuple[TargetRow, ResolvedTarget]] | None:
    """The plan's targets the report keeps, each with its resolved target; None if the report has no such plan."""
    shown = _plan(report, plan.ctx.plan.id)
    if shown is None:
        return None
    pairs = [(row, _resolved(plan.ctx, row)) for row in shown.targets]
    return [(row, t) for row, t in pairs if t is not None]


def area_breakdowns(plans: list[PlanRows], report: Report, full: Report) -> dict[str, list[Breakdown]]:
    """Per plan id, each kept target of `report` over the areas directly below its scope.
    `full` is the unfiltered report: a unit's own target is looked up there."""
    found: dict[str, list[Breakdown]] = {}
    for plan in plans:
        kept = _kept(plan, report)
        if kept is None:
            continue
        ledger, _ = ledger_at(plan, report.as_of)
        own = _plan(full, plan.ctx.plan.id) or _plan(report, plan.ctx.plan.id)
        assert own is not None
        result = []
        for row, t in kept:
            units = children_of(plan.ctx.tree, t.target.scope, t.scope.areas)
            parts = [
                Contribution(
                    name,
                    *_figures(measure_over(plan.ctx, ledger, t, areas)),
                    _own_target(own, row, areas) if name != OWN_LEVEL else None,
                )
                for name, areas in units
            ]
            parts = [p for p in parts if p.unit != OWN_LEVEL or p.rows]
            result.append(breakdown(row, "area", parts))
        found[plan.ctx.plan.id] = result
    return found


def department_breakdowns(plans: list[PlanRows], report: Report) -> dict[str, list[Breakdown]]:
    """Per plan id, each kept target of `report` over the ledgers' 責任單位."""
    found: dict[str, list[Breakdown]] = {}
    for plan in plans:
        kept = _kept(plan, report)
        if kept is None:
            continue
        _, counted = ledger_at(plan, report.as_of)
        by_name: dict[str, list[LedgerRow]] = {}
        labels: dict[str, str] = {}
        for entry in counted:  # one 責任單位 however it is spelled (朝陽區城管執法局, 朝阳区城管执法局)
            name = fold(entry.department) if entry.department else ""
            labels.setdefault(name, entry.department or NO_DEPARTMENT)
            by_name.setdefault(name, []).append(entry)
        ledgers = {labels[k]: ledger_of(plan.ctx, report.as_of, rows)[0] for k, rows in by_name.items()}
        result = []
        for row, t in kept:
            parts = []
            for department, ledger in ledgers.items():
                actual = measure_over(plan.ctx, ledger, t, t.scope.areas)
                if actual.rows:
                    parts.append(Contribution(department, *_figures(actual), None))
            result.append(breakdown(row, "department", parts))
        found[plan.ctx.plan.id] = result
    return found


def district_contributions(
    plans: list[PlanRows], report: Report, areas: dict[str, frozenset[str]], label: str
) -> dict[str, list[Breakdown]]:
    """An area with no target of its own: its part in every target whose scope contains it."""
    found: dict[str, list[Breakdown]] = {}
    for plan in plans:
        inside = areas.get(plan.ctx.plan.id)
        kept = _kept(plan, report)
        if inside is None or kept is None:
            continue
        ledger, _ = ledger_at(plan, report.as_of)
        result = []
        for row, t in kept:
            if not inside <= t.scope.areas:
                continue
            actual = measure_over(plan.ctx, ledger, t, inside)
            name = plan.ctx.tree.find(label) or label  # the plan's spelling
            result.append(breakdown(row, "area", [Contribution(name, *_figures(actual), None)]))
        found[plan.ctx.plan.id] = result
    return found


def since_changes(now: Report, then: Report) -> dict[str, list[Change]]:
    found: dict[str, list[Change]] = {}
    for plan in now.plans:
        before = _plan(then, plan.id)
        found[plan.id] = changes(plan, before)
    return found


def _figures(actual: object) -> tuple[Decimal | None, Decimal, int]:
    return actual.value, actual.base, actual.rows  # type: ignore[attr-defined]


def _own_target(plan: PlanReport, row: TargetRow, areas: frozenset[str]) -> TargetRow | None:
    for t in plan.targets:
        if t.indicator == row.indicator and t.scope_areas == areas and t.value is not None:
            return t
    return None


def _plan(report: Report, plan_id: str) -> PlanReport | None:
    return next((p for p in report.plans if p.id == plan_id), None)


def files_of(rows: list[LedgerRow]) -> list[Path]:
    return [Path(f) for f in dict.fromkeys(r.file for r in rows)]
