"""Ledger rows → per-area aggregates → one TargetRow per target (DOMAIN §5, §6).

Rows are folded into small per-(indicator, area) cells as they stream in, so memory
grows with areas and distinct keys, not with rows; targets then roll the cells up
over the areas their scope covers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from .checks import PlanContext
from .ledger import Row
from .names import fold
from .quantity import Comparator
from .report import CorrectionRow, DuplicateRow, PlanReport, RejectedRow, Status, TargetRow
from .targets import ResolvedTarget
from .views import annotate

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
    """The rows of one plan's ledgers that exist at the as-of date, accumulated.

    Rows come one by one through add(), or already summed per cell through merge() from
    the columnar reader; either way the cells hold the same sums, latest rows and keys.
    """

    def __init__(self, ctx: PlanContext, as_of: date):
        self.ctx = ctx
        self.as_of = as_of
        self.cells: dict[str, dict[str, Cell]] = defaultdict(dict)
        self.rejected: list[RejectedRow] = []
        self.duplicates: list[DuplicateRow] = []
        self.corrections: list[CorrectionRow] = []
        self.measures = {ind.id: ind.measure for _, ind in ctx.plan.indicators()}
        self._keys = {ind.id: ind.distinct_key for _, ind in ctx.plan.indicators()}
        self._refs: dict[tuple[str, str], tuple[str, int]] = {}
        # 編號 the columnar reader counted: (indicator, folded ref) → first (file, line)
        self.counted_refs: Callable[[str, str], tuple[str, int] | None] | None = None
        self.columnar_state: object = None  # the columnar reader's own record of those refs
        self._seq = 0

    def reject(self, file: str, line: int, code: str, reason: str) -> None:
        self.rejected.append(RejectedRow(file, line, code, reason, self.ctx.plan.id))

    def first_use(self, indicator: str, ref_key: str) -> tuple[str, int] | None:
        found = self._refs.get((indicator, ref_key))
        if found is None and self.counted_refs is not None:
            found = self.counted_refs(indicator, ref_key)
        return found

    def refs(self) -> list[tuple[tuple[str, str], tuple[str, int]]]:
        return list(self._refs.items())

    def add(self, row: Row) -> None:
        if row.date > self.as_of:
            return  # rows after the as-of date do not exist for this report
        if row.ref is not None:
            key = (row.indicator, fold(row.ref))
            first = self.first_use(*key)
            if first is not None:
                self.duplicates.append(DuplicateRow(row.file, row.line, first[0], first[1], row.ref, row.indicator))
                return
            self._refs[key] = (row.file, row.line)
        if row.quantity < 0:
            self.corrections.append(CorrectionRow(row.file, row.line, row.indicator, row.area, row.quantity))
        self._seq += 1
        note = (row.date, self._seq, row.note) if row.note else None
        self.merge(row.indicator, row.area, 1, row.quantity, row.base, (row.date, self._seq, row.quantity), note)
        measure = self.measures[row.indicator]
        if measure == "distinct":
            self.cell(row.indicator, row.area).keys.add(self.key_of(row.indicator, row.item, row.date, fold))
        elif measure == "milestone" and row.item is not None:
            self.merge_item(row.indicator, row.area, row.item, row.date)

    def reserve(self, count: int) -> int:
        """Sequence numbers for `count` rows read in bulk, after every row so far."""
        base = self._seq
        self._seq += count
        return base

    def cell(self, indicator: str, area: str) -> Cell:
        cells = self.cells[indicator]
        found = cells.get(area)
        if found is None:
            found = cells[area] = Cell()
        return found

    def merge(
        self,
        indicator: str,
        area: str,
        rows: int,
        total: Decimal,
        base: Decimal | None,
        latest: tuple[date, int, Decimal],
        note: tuple[date, int, str] | None,
    ) -> None:
        cell = self.cell(indicator, area)
        cell.rows += rows
        cell.total += total
        if base is not None:
            cell.base += base
        if cell.latest is None or latest[:2] >= cell.latest[:2]:
            cell.latest = latest
        if note is not None and (cell.note is None or note[:2] >= cell.note[:2]):
            cell.note = note

    def key_parts(self, indicator: str) -> tuple[str, ...]:
        """What a distinct key holds besides its area (cells are per area already): "date", or
        anything else for the folded item."""
        return tuple(part for part in self._keys[indicator] if part != "area")

    def key_of(self, indicator: str, item: str | None, day: date, fold_name: Callable[[str], str]) -> tuple:
        """The distinct key of a row, without its area."""
        return tuple(day if part == "date" else fold_name(item or "") for part in self.key_parts(indicator))

    def merge_keys(self, indicator: str, area: str, keys: Iterable[tuple]) -> None:
        self.cell(indicator, area).keys.update(keys)

    def merge_item(self, indicator: str, area: str, item: str, day: date) -> None:
        items = self.cell(indicator, area).items
        first_done = items.get(item)
        if first_done is None or day < first_done:
            items[item] = day


def expected_pace(start: date, end: date, as_of: date) -> Decimal:
    """Share of the pace period elapsed at as_of, whole days with both ends in, clamped to [0, 1]."""
    total = (end - start).days + 1
    elapsed = (as_of - start).days + 1
    return min(max(Decimal(elapsed) / Decimal(total), ZERO), Decimal(1))


def reconcile(ledger: Ledger) -> PlanReport:
    ctx, as_of = ledger.ctx, ledger.as_of
    plan = ctx.plan
    expected = expected_pace(*plan.pace_period, as_of)
    rows = tuple(_target_row(ctx, t, _cells_of(ledger, t), as_of, expected) for t in ctx.targets)
    return PlanReport(plan.id, plan.title, plan.period.start, plan.period.end, expected, rows)


def _cells_of(ledger: Ledger, t: ResolvedTarget) -> list[tuple[str, Cell]]:
    """The (area, cell) pairs a target is measured over: its indicator's own, and for a `sum`
    indicator with components the cells of every component below it too (each indicator
    once, however often it is listed or reached, so each row counts once)."""
    own = ledger.cells.get(t.indicator.id, {})
    if t.indicator.measure != "sum" or not t.indicator.components:
        return list(own.items())
    components = {ind.id: ind.components for _, ind in ledger.ctx.plan.indicators()}
    seen: set[str] = set()
    pending = [t.indicator.id]
    found: list[tuple[str, Cell]] = []
    while pending:
        indicator = pending.pop()
        if indicator in seen:
            continue
        seen.add(indicator)
        found += ledger.cells.get(indicator, {}).items()
        pending += [c for c in components.get(indicator, ()) if c not in seen]
    return found


@dataclass
class _Actual:
    value: Decimal | None
    rows: int
    base: Decimal = ZERO
    missing: tuple[str, ...] = ()
    note: str | None = None


def _measure(t: ResolvedTarget, cells: list[tuple[str, Cell]]) -> _Actual:
    inside = [(area, cell) for area, cell in cells if area in t.scope.areas]
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
        # the item's place in the key: the declared key without "area" (cells drop it), area first
        parts = ("area",) * with_area + tuple(p for p in t.indicator.distinct_key if p != "area")
        item_at = parts.index("item") if "item" in parts else None
        missing = _missing(t, {key[item_at] for key in keys}) if t.items and item_at is not None else ()
        return _Actual(Decimal(len(keys)), rows, missing=missing, note=note)
    if measure == "milestone":
        done = {item for _, c in inside for item in c.items}
        declared = [item.name for item in t.items]
        return _Actual(
            Decimal(sum(name in done for name in declared)),
            rows,
            missing=tuple(n for n in declared if n not in done),
            note=note,
        )
    return _Actual(Decimal(rows), rows, note=note)  # qualitative: how many rows, and the latest note


def measure_over(ledger: Ledger, t: ResolvedTarget, areas: frozenset[str]) -> _Actual:
    """The target's measure over part of its scope (an area below it, a department's rows):
    the same rule as the target's own figure, so the parts agree with the whole."""
    return _measure(replace(t, scope=replace(t.scope, areas=t.scope.areas & areas)), _cells_of(ledger, t))


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


def _completion(t: ResolvedTarget, actual: _Actual) -> Decimal | None:
    """actual / value: how much of the target is done. None where that says nothing: no value
    or actual, qualitative, or an at_most ceiling (being at 99.8% of a ceiling is not 'almost done')."""
    if (
        actual.value is None
        or not t.value
        or t.indicator.measure == "qualitative"
        or t.comparator == Comparator.AT_MOST
    ):
        return None
    return actual.value / t.value


def _target_row(
    ctx: PlanContext, t: ResolvedTarget, cells: list[tuple[str, Cell]], as_of: date, expected: Decimal
) -> TargetRow:
    actual = _measure(t, cells)
    ratio = _completion(t, actual)
    lead = ctx.plan.lead_of(t.task)
    quantity = t.target.value
    row = TargetRow(
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
        numerator=sum((c.total for a, c in cells if a in t.scope.areas), ZERO)
        if t.indicator.measure == "ratio"
        else None,
        base=actual.base if t.indicator.measure == "ratio" else None,
    )
    return annotate(row, ctx.plan, as_of, ctx.plan.pace_period[0])
