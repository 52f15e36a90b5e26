"""Ledger rows → per-area aggregates → one TargetRow per target (DOMAIN §5, §6).

Rows are folded into small per-(indicator, area) cells as they stream in, so memory
grows with areas and distinct keys, not with rows; targets then roll the cells up
over the areas their scope covers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .checks import PlanContext
from .ledger import Row
from .names import fold
from .quantity import Comparator
from .report import CorrectionRow, DuplicateRow, PlanReport, RejectedRow, Status, TargetRow
from .targets import ResolvedTarget

ZERO = Decimal(0)
BEHIND_MARGIN = Decimal("0.10")


@dataclass(slots=True)
class Cell:
    """Everything the measures need about one indicator in one area."""

    rows: int = 0
    total: Decimal = ZERO
    base: Decimal = ZERO
    latest: tuple[date, int, Decimal] | None = None
    note: tuple[date, int, str] | None = None
    keys: set = field(default_factory=set)
    items: dict[str, date] = field(default_factory=dict)


class Ledger:
    """The rows of one plan's ledgers that exist at the as-of date, accumulated."""

    def __init__(self, ctx: PlanContext, as_of: date):
        self.ctx = ctx
        self.as_of = as_of
        self.cells: dict[str, dict[str, Cell]] = defaultdict(dict)
        self.rejected: list[RejectedRow] = []
        self.duplicates: list[DuplicateRow] = []
        self.corrections: list[CorrectionRow] = []
        self._refs: dict[tuple[str, str], tuple[str, int]] = {}
        self._keys = {ind.id: ind.distinct_key for _, ind in ctx.plan.indicators()}
        self._seq = 0

    def reject(self, file: str, line: int, code: str, reason: str) -> None:
        self.rejected.append(RejectedRow(file, line, code, reason, self.ctx.plan.id))

    def add(self, row: Row) -> None:
        if row.date > self.as_of:
            return  # rows after the as-of date do not exist for this report
        if row.ref is not None:
            key = (row.indicator, fold(row.ref))
            first = self._refs.get(key)
            if first is not None:
                self.duplicates.append(DuplicateRow(row.file, row.line, first[0], first[1], row.ref, row.indicator))
                return
            self._refs[key] = (row.file, row.line)
        if row.quantity < 0:
            self.corrections.append(CorrectionRow(row.file, row.line, row.indicator, row.area, row.quantity))
        self._seq += 1
        cells = self.cells[row.indicator]
        cell = cells.get(row.area)
        if cell is None:
            cell = cells[row.area] = Cell()
        cell.rows += 1
        cell.total += row.quantity
        if row.base is not None:
            cell.base += row.base
        if cell.latest is None or (row.date, self._seq) >= cell.latest[:2]:
            cell.latest = (row.date, self._seq, row.quantity)
        if row.note and (cell.note is None or (row.date, self._seq) >= cell.note[:2]):
            cell.note = (row.date, self._seq, row.note)
        key_parts = self._keys[row.indicator]
        cell.keys.add(tuple(row.date if part == "date" else fold(row.item or "") for part in key_parts if part != "area"))
        if row.item is not None:
            first_done = cell.items.get(row.item)
            if first_done is None or row.date < first_done:
                cell.items[row.item] = row.date


def expected_pace(start: date, end: date, as_of: date) -> Decimal:
    """Share of the pace period elapsed at as_of, whole days with both ends in, clamped to [0, 1]."""
    total = (end - start).days + 1
    elapsed = (as_of - start).days + 1
    return min(max(Decimal(elapsed) / Decimal(total), ZERO), Decimal(1))


def reconcile(ledger: Ledger) -> PlanReport:
    ctx, as_of = ledger.ctx, ledger.as_of
    plan = ctx.plan
    expected = expected_pace(*plan.pace_period, as_of)
    rows = tuple(_target_row(ctx, t, ledger.cells.get(t.indicator.id, {}), as_of, expected) for t in ctx.targets)
    return PlanReport(plan.id, plan.title, plan.period.start, plan.period.end, expected, rows)


@dataclass
class _Actual:
    value: Decimal | None
    rows: int
    base: Decimal = ZERO
    missing: tuple[str, ...] = ()
    note: str | None = None


def _measure(t: ResolvedTarget, cells: dict[str, Cell]) -> _Actual:
    inside = [(area, cell) for area, cell in cells.items() if area in t.scope.areas]
    rows = sum(cell.rows for _, cell in inside)
    notes = [cell.note for _, cell in inside if cell.note]
    note = max(notes)[2] if notes else None
    measure = t.indicator.measure
    if measure == "sum":
        return _Actual(sum((c.total for _, c in inside), ZERO), rows, note=note)
    if measure == "latest":
        latest = [c.latest[2] for _, c in inside if c.latest]
        return _Actual(sum(latest, ZERO) if latest else None, rows, note=note)
    if measure == "ratio":
        total = sum((c.total for _, c in inside), ZERO)
        base = sum((c.base for _, c in inside), ZERO)
        if base == 0:
            return _Actual(None, rows, base, note=note)
        share = total / base * (100 if t.unit is not None and t.unit.dimension == "percent" else 1)
        return _Actual(share, rows, base, note=note)
    if measure == "distinct":
        with_area = "area" in t.indicator.distinct_key
        keys = {(area, *key) if with_area else key for area, c in inside for key in c.keys}
        missing = _missing(t, {key[-1] for key in keys}) if t.items else ()
        return _Actual(Decimal(len(keys)), rows, missing=missing, note=note)
    if measure == "milestone":
        done = {item for _, c in inside for item in c.items}
        declared = [item.name for item in t.items]
        return _Actual(Decimal(sum(name in done for name in declared)), rows, missing=tuple(n for n in declared if n not in done), note=note)
    return _Actual(Decimal(rows), rows, note=note)  # qualitative: how many rows, and the latest note


def _missing(t: ResolvedTarget, seen: set) -> tuple[str, ...]:
    return tuple(item.name for item in t.items if fold(item.name) not in seen)


def _status(t: ResolvedTarget, actual: _Actual, ratio: Decimal | None, as_of: date, expected: Decimal) -> Status:
    measure, comparator, value = t.indicator.measure, t.comparator, t.value
    if measure == "qualitative" or value is None:
        return Status.NO_TARGET
    if (measure == "latest" and actual.rows == 0) or (measure == "ratio" and actual.base == 0):
        return Status.NO_DATA
    amount = actual.value if actual.value is not None else ZERO
    zero_growth = measure == "sum" and comparator == Comparator.AT_MOST
    if zero_growth and amount > value:
        return Status.VIOLATED
    if comparator == Comparator.AT_LEAST:
        holds = amount >= value
    elif comparator == Comparator.APPROX:
        holds = amount >= value * (1 - t.tolerance)
    else:
        holds = amount <= value
    if holds and not (zero_growth and as_of <= t.deadline):
        return Status.MET
    if as_of > t.deadline:
        return Status.OVERDUE
    if measure in ("ratio", "latest"):
        return Status.BEHIND
    if comparator != Comparator.AT_MOST and ratio is not None and ratio < expected - BEHIND_MARGIN:
        return Status.BEHIND
    return Status.ON_TRACK


def _target_row(ctx: PlanContext, t: ResolvedTarget, cells: dict[str, Cell], as_of: date, expected: Decimal) -> TargetRow:
    actual = _measure(t, cells)
    ratio = actual.value / t.value if actual.value is not None and t.value and t.indicator.measure != "qualitative" else None
    lead = ctx.plan.lead_of(t.task)
    quantity = t.target.value
    return TargetRow(
        task=t.task.id,
        task_title=t.task.title,
        indicator=t.indicator.id,
        name=t.indicator.name,
        scope=t.scope.label,
        unit=t.unit.name if t.unit else None,
        measure=t.indicator.measure,
        comparator=str(t.comparator),
        value=t.value if t.quantified else None,
        value_text=quantity.text if quantity is not None else None,
        actual=actual.value,
        ratio=ratio,
        expected=expected,
        status=_status(t, actual, ratio, as_of, expected),
        deadline=t.deadline,
        lead=lead.label(),
        lead_department=lead.department,
        lead_leader=lead.leader,
        missing_items=actual.missing,
        rows=actual.rows,
        latest_note=actual.note,
        scope_areas=t.scope.areas,
    )
