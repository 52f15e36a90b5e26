"""The tally's cells → one TargetRow per target: measures, pace and status.

docs/reconciliation.md states every rule here with a worked example; the order of the status
rules is the order of `_status`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from .areas import AreaTree
from .checks import PlanContext
from .names import fold
from .quantity import Comparator
from .report import PlanReport, Status, TargetRow
from .tally import Cell, Tally
from .targets import ResolvedTarget
from .views import annotate

ZERO = Decimal(0)
BEHIND_MARGIN = Decimal("0.10")
STOCK_MARGIN = Decimal("0.10")  # a stock is behind when above its expected level by 10 % of the cut
NON_COUNT_DIMENSIONS = frozenset({"area", "length", "percent"})


def expected_pace(start: date, end: date, as_of: date) -> Decimal:
    """Share of the pace window elapsed at as_of, whole days with both ends in, clamped to [0, 1]."""
    total = (end - start).days + 1
    if total <= 0:
        return Decimal(1)
    elapsed = (as_of - start).days + 1
    return min(max(Decimal(elapsed) / Decimal(total), ZERO), Decimal(1))


def pace_start(ctx: PlanContext) -> date:
    return ctx.plan.pace_period[0]


def plan_deadline(ctx: PlanContext) -> date:
    return getattr(ctx.plan, "due", None) or ctx.plan.period.end


def window(ctx: PlanContext, deadline: date) -> tuple[date, date]:
    """The pace window of a target: the pace phase's start (else the period's) to its deadline; a
    deadline before that start counts from the period start instead."""
    start = pace_start(ctx)
    if deadline < start:
        start = ctx.plan.period.start
    return start, deadline


def reconcile(ctx: PlanContext, tally: Tally, as_of: date) -> PlanReport:
    plan = ctx.plan
    expected = expected_pace(*window(ctx, plan_deadline(ctx)), as_of)
    rows = tuple(_target_row(ctx, t, _cells_of(ctx, tally, t), as_of) for t in ctx.targets)
    return PlanReport(plan.id, plan.title, plan.period.start, plan.period.end, expected, rows)


def _cells_of(ctx: PlanContext, tally: Tally, t: ResolvedTarget) -> dict[str, list[Cell]]:
    """area → the cells a target is measured over there: its indicator's own, and for a `sum`
    indicator with components the cells of every component below it too (each indicator once,
    however often it is listed or reached, so each row counts once)."""
    found: dict[str, list[Cell]] = {}
    indicators = [t.indicator.id]
    if t.indicator.measure == "sum" and t.indicator.components:
        components = {ind.id: ind.components for _, ind in ctx.plan.indicators()}
        seen: set[str] = set()
        pending = [t.indicator.id]
        indicators = []
        while pending:
            indicator = pending.pop()
            if indicator in seen:
                continue
            seen.add(indicator)
            indicators.append(indicator)
            pending += [c for c in components.get(indicator, ()) if c not in seen]
    for indicator in indicators:
        for area, cell in tally.of(indicator).items():
            if area in t.scope.areas:
                found.setdefault(area, []).append(cell)
    return found


@dataclass
class _Actual:
    value: Decimal | None
    rows: int
    base: Decimal = ZERO
    missing: tuple[str, ...] = ()
    note: str | None = None
    done_items: frozenset[str] = frozenset()  # folded names of the declared items done
    baseline: tuple[date, Decimal] | None = None  # a stock's first report, when the plan gives none
    unreported: tuple[str, ...] = ()


def scope_roots(tree: AreaTree, areas: frozenset[str]) -> list[str]:
    """The scope's own areas: those whose parent lies outside it (a group's members)."""
    return sorted(a for a in areas if tree.parent.get(a) not in areas)


def _units(tree: AreaTree, areas: frozenset[str]) -> list[str]:
    """The areas directly below a scope: a group's members, else the single area's children."""
    roots = scope_roots(tree, areas)
    if len(roots) == 1 and tree.children.get(roots[0]):
        return [c for c in tree.children[roots[0]] if c in areas]
    return roots


def stock(tree: AreaTree, latest: dict[str, tuple], areas: frozenset[str]) -> Decimal | None:
    """A stock over a scope: at every level the freshest report wins. An area's own latest row
    stands when no area below it reported later; otherwise the area is the sum of its children.
    `latest` maps area → ((date, order, line), quantity)."""
    if not latest:
        return None
    below: dict[str, date | None] = {}

    def freshest_below(area: str, depth: int = 0) -> date | None:
        if area in below:
            return below[area]
        below[area] = None  # guards a cyclic tree, which the plan check reports
        best: date | None = None
        for child in tree.children.get(area, ()):
            own = latest.get(child)
            for day in (own[0][0] if own else None, freshest_below(child, depth + 1)):
                if day is not None and (best is None or day > best):
                    best = day
        below[area] = best
        return best

    visiting: set[str] = set()

    def of(area: str) -> Decimal | None:
        if area in visiting:
            return None
        own = latest.get(area)
        fresher = freshest_below(area)
        if own is not None and (fresher is None or own[0][0] >= fresher):
            return own[1]
        if fresher is None:
            return None
        visiting.add(area)
        parts = [of(child) for child in tree.children.get(area, ())]
        visiting.discard(area)
        known = [p for p in parts if p is not None]
        return sum(known, ZERO) if known else None

    parts = [of(root) for root in scope_roots(tree, areas)]
    known = [p for p in parts if p is not None]
    return sum(known, ZERO) if known else None


def _measure(ctx: PlanContext, t: ResolvedTarget, cells: dict[str, list[Cell]]) -> _Actual:
    inside = [cell for group in cells.values() for cell in group]
    rows = sum(cell.rows for cell in inside)
    notes = [cell.note for cell in inside if cell.note]
    note = max(notes)[1] if notes else None
    measure = t.indicator.measure
    if measure == "sum":
        return _Actual(sum((c.total for c in inside), ZERO), rows, note=note)
    if measure == "latest":
        latest = {area: max((c.latest for c in group if c.latest), default=None) for area, group in cells.items()}
        latest = {a: v for a, v in latest.items() if v is not None}
        value = stock(ctx.tree, latest, t.scope.areas)
        baseline = None
        openings = [c.opening for c in inside if c.opening]
        if openings:
            first_day = min(o[0][0] for o in openings)
            opening = {}
            for area, group in cells.items():
                on_first = [c.opening for c in group if c.opening and c.opening[0][0] == first_day]
                if on_first:
                    opening[area] = max(on_first)
            start = stock(ctx.tree, opening, t.scope.areas)
            if start is not None:
                baseline = (first_day, start)
        reported = set(latest)
        unreported = tuple(u for u in _units(ctx.tree, t.scope.areas) if not (ctx.tree.below(u) & reported))
        return _Actual(value, rows, note=note, baseline=baseline, unreported=unreported)
    if measure == "ratio":
        total = sum((c.total for c in inside), ZERO)
        base = sum((c.base for c in inside), ZERO)
        if base == 0:
            return _Actual(None, rows, base, note=note)
        share = total / base * (100 if t.unit is not None and t.unit.dimension == "percent" else 1)
        return _Actual(share, rows, base, note=note)
    if measure == "distinct":
        with_area = "area" in t.indicator.distinct_key
        keys = {(area, *key) if with_area else key for area, group in cells.items() for c in group for key in c.keys}
        # the item's place in the key: the declared key without "area" (cells drop it), area first
        parts = ("area",) * with_area + tuple(p for p in t.indicator.distinct_key if p != "area")
        item_at = parts.index("item") if "item" in parts else None
        seen = frozenset(key[item_at] for key in keys) if item_at is not None else frozenset()
        missing = (
            tuple(item.name for item in t.items if fold(item.name) not in seen)
            if t.items and item_at is not None
            else ()
        )
        return _Actual(Decimal(len(keys)), rows, missing=missing, note=note, done_items=seen)
    if measure == "milestone":
        done = {item for c in inside for item in c.items}
        declared = [item.name for item in t.items]
        missing = tuple(n for n in declared if n not in done)
        folded = frozenset(fold(n) for n in done)
        return _Actual(Decimal(len(declared) - len(missing)), rows, missing=missing, note=note, done_items=folded)
    return _Actual(Decimal(rows), rows, note=note)  # qualitative: how many rows, and the latest note


def _baseline(t: ResolvedTarget, actual: _Actual) -> tuple[date, Decimal] | None:
    """Where a stock started: the plan's own `baseline`, else the scope's first report."""
    declared = t.baseline
    if declared is not None:
        return (declared.date, declared.value)
    return actual.baseline


def measure_over(ctx: PlanContext, tally: Tally, t: ResolvedTarget, areas: frozenset[str]) -> _Actual:
    """The target's measure over part of its scope (an area below it, a department's rows):
    the same rule as the target's own figure, so the parts agree with the whole."""
    part = replace(t, scope=replace(t.scope, areas=t.scope.areas & areas))
    return _measure(ctx, part, _cells_of(ctx, tally, part))


def _is_count(t: ResolvedTarget) -> bool:
    if t.indicator.measure in ("distinct", "milestone"):
        return True
    return t.unit is not None and t.unit.dimension not in NON_COUNT_DIMENSIONS


def paced(t: ResolvedTarget) -> bool:
    """Pace means nothing for ratios, ceilings without a baseline, and targets without a value."""
    if t.indicator.measure in ("qualitative", "ratio") or t.value is None:
        return False
    return not (t.comparator == Comparator.AT_MOST and t.indicator.measure != "latest")


def _status(ctx: PlanContext, t: ResolvedTarget, actual: _Actual, as_of: date, expected: Decimal | None) -> Status:
    measure, comparator, value = t.indicator.measure, t.comparator, t.value
    if measure == "qualitative" or value is None:
        return Status.NO_TARGET
    amount = actual.value if actual.value is not None else ZERO
    zero_growth = measure == "sum" and comparator == Comparator.AT_MOST
    if zero_growth and amount > value:
        return Status.VIOLATED
    no_data = (measure == "latest" and actual.value is None) or (measure == "ratio" and actual.base == 0)
    if measure == "milestone":
        holds = not actual.missing and amount >= value
    elif comparator == Comparator.AT_LEAST:
        holds = amount >= value
    elif comparator == Comparator.APPROX:
        holds = amount >= value * (1 - t.tolerance)
    else:
        holds = amount <= value
    if no_data:
        holds = False
    if holds and not (zero_growth and as_of <= t.deadline):
        return Status.MET
    if as_of > t.deadline:
        return Status.OVERDUE
    if any(
        item.deadline is not None and item.deadline < as_of and fold(item.name) not in actual.done_items
        for item in t.items
        if measure in ("milestone", "distinct")
    ):
        return Status.OVERDUE
    if no_data:
        return Status.NO_DATA
    if measure == "ratio":
        return Status.BEHIND
    if measure == "latest":
        baseline = _baseline(t, actual)
        if comparator != Comparator.AT_MOST or baseline is None or expected is None:
            return Status.BEHIND
        start_value = baseline[1]
        cut = start_value - value
        level = start_value - cut * expected
        return Status.BEHIND if amount > level + STOCK_MARGIN * max(cut, ZERO) else Status.ON_TRACK
    if comparator == Comparator.AT_MOST or expected is None:
        return Status.ON_TRACK
    threshold = value * (expected - BEHIND_MARGIN)
    if _is_count(t):
        threshold = threshold.to_integral_value(rounding=ROUND_FLOOR)
    return Status.BEHIND if amount < threshold else Status.ON_TRACK


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


def _expected(ctx: PlanContext, t: ResolvedTarget, actual: _Actual, as_of: date) -> Decimal | None:
    if not paced(t):
        return None
    if t.indicator.measure == "latest" and t.comparator == Comparator.AT_MOST:
        baseline = _baseline(t, actual)
        if baseline is None:
            return None
        start = min(baseline[0], t.deadline)
        return expected_pace(start, t.deadline, as_of)
    return expected_pace(*window(ctx, t.deadline), as_of)


def _unit_as_written(t: ResolvedTarget) -> str | None:
    """The unit as the plan spells it where that is the unit's name in another script (处 for 處),
    so JSON and plain CSV keep the plan's spelling; else the unit's own name (m2 is 平方米)."""
    if t.unit is None:
        return None
    written = unicodedata.normalize("NFKC", t.indicator.unit or "").strip()
    return written if written and fold(written) == fold(t.unit.name) else t.unit.name


def _target_row(ctx: PlanContext, t: ResolvedTarget, cells: dict[str, list[Cell]], as_of: date) -> TargetRow:
    actual = _measure(ctx, t, cells)
    ratio = _completion(t, actual)
    expected = _expected(ctx, t, actual, as_of)
    lead = ctx.plan.lead_of(t.task)
    quantity = t.target.value
    row = TargetRow(
        task=t.task.id,
        task_title=t.task.title,
        indicator=t.indicator.id,
        name=t.indicator.name,
        scope=t.scope.label,
        unit=_unit_as_written(t),
        measure=t.indicator.measure,
        comparator=str(t.comparator),
        value=t.value if t.quantified else None,
        value_text=quantity.text if quantity is not None else None,
        actual=actual.value,
        ratio=ratio,
        expected=expected,
        status=_status(ctx, t, actual, as_of, expected),
        deadline=t.deadline,
        lead=lead.label(),
        lead_department=lead.department,
        lead_leader=lead.leader,
        missing_items=actual.missing,
        rows=actual.rows,
        latest_note=actual.note,
        scope_areas=t.scope.areas,
        unreported=actual.unreported,
        numerator=sum((c.total for group in cells.values() for c in group), ZERO)
        if t.indicator.measure == "ratio"
        else None,
        base=actual.base if t.indicator.measure == "ratio" else None,
    )
    return annotate(row, ctx.plan, as_of, ctx.plan.pace_period[0])
