"""The data the views need beyond one report: the ledger rows themselves, and reports at several dates.

Everything here reads through three small functions, `plan_rows`, `reports_at` and `ledger_at`, so
that the ledger seam can later feed them from one read with several cuts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .core.checks import PlanContext, check_plan
from .core.columns import Header, match_header
from .core.findings import ShuzhengError
from .core.ledger import LedgerRules, Row
from .core.names import fold
from .core.reconcile import Ledger, measure_over, reconcile
from .core.report import PlanReport, Report, TargetRow
from .core.targets import ResolvedTarget
from .core.views.breakdown import NO_DEPARTMENT, OWN_LEVEL, Breakdown, Contribution, breakdown, children_of
from .core.views.since import Change, changes

TITLE_SCAN = 10


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One valid ledger row, as counted: the checked row plus the columns reports never keep."""

    plan: str
    row: Row
    unit: str | None  # the indicator's unit, which the quantity is in
    department: str | None

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
    """Every plan's valid ledger rows, read with the row reader (rejected rows are `check`'s business)."""
    from .read.ledger import FileResult, csv_records, process_record, xlsx_records
    from .read.workspace import assign_ledgers, ledger_files, load_plans, shown

    plans = [p for p in load_plans(names) if p.plan is not None]
    shares = assign_ledgers(ledgers, [p.plan.id for p in plans if p.plan]) if ledgers else None
    found: list[PlanRows] = []
    for index, loaded in enumerate(plans):
        assert loaded.plan is not None
        ctx, _ = check_plan(loaded.plan)
        rules = LedgerRules(ctx.plan, ctx.tree)
        files, _ = shares[index] if shares is not None else ledger_files(loaded)
        rows: list[LedgerRow] = []
        for path in files:
            text = shown(path)
            try:
                records = xlsx_records(path, text) if path.suffix.lower() == ".xlsx" else csv_records(path, text)
                rows += _file_rows(ctx.plan.id, records, text, rules, process_record, FileResult)
            except (ShuzhengError, OSError):
                continue  # an unreadable file: progress and check say so
        found.append(PlanRows(ctx, rows))
    return found


def _file_rows(plan: str, records: Iterable, shown: str, rules: LedgerRules, process: Callable, result: type) -> list:
    header: Header | None = None
    scanned = 0
    rows: list[LedgerRow] = []
    for record in records:
        if not isinstance(record, tuple):
            continue  # a broken record: never counted
        line, cells = record
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            candidate = match_header(cells)
            if candidate.complete:
                if not candidate.usable:
                    return []
                header = candidate
                continue
            scanned += 1
            if scanned >= TITLE_SCAN:
                return []
            continue
        outcome = process(line, cells, header, shown, rules, result(), date.max)
        if isinstance(outcome, Row):
            unit = rules.indicator(outcome.indicator).unit  # the quantity is converted to it
            rows.append(LedgerRow(plan, outcome, unit.name if unit else None, _cell(cells, header, "department")))
    return rows


def _cell(cells: list[str], header: Header, field: str) -> str | None:
    index = header.fields.get(field)
    if index is None or index >= len(cells):
        return None
    return cells[index].strip() or None


def ledger_at(plan: PlanRows, as_of: date) -> tuple[Ledger, list[LedgerRow]]:
    """The plan's Ledger at `as_of` from its rows, and the rows it counted (repeated 編號 left out)."""
    return ledger_of(plan.ctx, as_of, plan.rows)


def ledger_of(ctx: PlanContext, as_of: date, rows: Iterable[LedgerRow]) -> tuple[Ledger, list[LedgerRow]]:
    ledger = Ledger(ctx, as_of)
    counted: list[LedgerRow] = []
    for entry in rows:
        if entry.row.date > as_of:
            continue
        duplicates = len(ledger.duplicates)
        ledger.add(entry.row)
        if len(ledger.duplicates) == duplicates:
            counted.append(entry)
    return ledger, counted


def reports_at(names: list[str] | None, ledgers: list[str] | None, dates: Iterable[date]) -> dict[date, Report]:
    """The report (targets only: no rejected or duplicate lists) at each date, from one read."""
    plans = plan_rows(names, ledgers)
    return {day: Report(day, tuple(reconcile(ledger_at(p, day)[0]) for p in plans)) for day in sorted(set(dates))}


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
                    *_figures(measure_over(ledger, t, areas)),
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
                actual = measure_over(ledger, t, t.scope.areas)
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
            actual = measure_over(ledger, t, inside)
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
