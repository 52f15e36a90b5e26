"""Targets as the reconciler sees them: value in the indicator's unit, comparator,
tolerance, deadline and the areas the scope covers, each resolved once by the plan's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .areas import AreaTree, Scope
from .findings import Finding, ParseError
from .model import Indicator, Item, Plan, Target, Task
from .quantity import Comparator, Unit, convert, parse_unit


@dataclass(frozen=True)
class ResolvedTarget:
    task: Task
    indicator: Indicator
    target: Target
    at: tuple  # the target's path in the plan file, for plan.where()
    scope: Scope
    unit: Unit | None
    value: Decimal | None  # None: open in the source, or unquantified
    comparator: Comparator
    tolerance: Decimal
    deadline: date
    items: tuple[Item, ...]  # declared items inside the scope (distinct, milestone)

    @property
    def quantified(self) -> bool:
        return self.value is not None and self.indicator.measure != "qualitative"


def indicator_unit(indicator: Indicator) -> Unit | None:
    return parse_unit(indicator.unit) if indicator.unit else None


def resolve_targets(plan: Plan, tree: AreaTree) -> tuple[list[ResolvedTarget], list[Finding]]:
    """Every target of the plan that can be resolved, and why the others cannot."""
    resolved: list[ResolvedTarget] = []
    problems: list[Finding] = []
    for at, task, indicator in plan.indicators_at():
        try:
            unit = indicator_unit(indicator)
        except ParseError as exc:
            problems.append(Finding(exc.code, exc.message, plan.where(*at, "unit")))
            continue
        for index, target in enumerate(indicator.targets):
            here = (*at, "targets", index)
            try:
                resolved.append(_resolve(plan, tree, task, indicator, unit, target, here))
            except ParseError as exc:
                field = "scope" if exc.code in ("unknown-area", "ambiguous-area") else "value"
                problems.append(Finding(exc.code, exc.message, plan.where(*here, field)))
            if target.value is not None and target.value.is_open:
                problems.append(
                    Finding(
                        "open-value",
                        f"{indicator.id} {target.scope_label}: the source leaves the value open ({target.value.text}); reported as no_target",
                        plan.where(*here, "value"),
                    )
                )
    return resolved, problems


def _resolve(
    plan: Plan, tree: AreaTree, task: Task, indicator: Indicator, unit: Unit | None, target: Target, at: tuple
) -> ResolvedTarget:
    scope = tree.scope(target.scope)
    items = tuple(
        item
        for item in indicator.items
        if item.area is None or tree.find(item.area) is None or tree.find(item.area) in scope.areas
    )
    value: Decimal | None = None
    quantity = target.value
    if quantity is not None and quantity.amount is not None:
        value = quantity.amount
        if quantity.unit is not None:
            if unit is None:
                raise ParseError("unit-mismatch", f"{indicator.id} has no unit; write the value without one")
            value = convert(value, quantity.unit, unit)
    elif quantity is None and indicator.measure == "milestone":
        value = Decimal(len(items))
    comparator = target.comparator or (quantity.comparator if quantity else None) or Comparator.AT_LEAST
    tolerance = (
        target.tolerance
        if target.tolerance is not None
        else indicator.tolerance
        if indicator.tolerance is not None
        else plan.tolerance
    )
    deadline = target.deadline or indicator.deadline or plan.period.end
    return ResolvedTarget(task, indicator, target, at, scope, unit, value, comparator, tolerance, deadline, items)
