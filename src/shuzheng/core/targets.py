"""Targets as the reconciler sees them: value in the indicator's unit, comparator,
tolerance, deadline and the areas the scope covers, each resolved once by the plan's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .areas import AreaTree, Scope
from .findings import Finding, ParseError
from .i18n import _
from .model import Baseline, Indicator, Item, Plan, Target, Task
from .quantity import Comparator, Unit, convert, parse_unit


@dataclass(frozen=True, slots=True)
class ResolvedBaseline:
    """A stock's starting point, its value in the indicator's unit."""

    value: Decimal
    date: date


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
    deadline: date  # its own, else its indicator's, else the plan's `due`, else the period end
    items: tuple[Item, ...]  # declared items inside the scope (distinct, milestone)
    baseline: ResolvedBaseline | None = None  # `latest` only, as the plan declares it

    @property
    def quantified(self) -> bool:
        return self.value is not None and self.indicator.measure != "qualitative"

    def item_deadline(self, item: Item) -> date:
        """An item is due by its own deadline, else by the target's."""
        return item.deadline or self.deadline

    @property
    def item_deadlines(self) -> dict[str, date]:
        """Each declared item in scope by name, with the date it is due."""
        return {item.name: self.item_deadline(item) for item in self.items}


def deadline_of(plan: Plan, indicator: Indicator, target: Target) -> date:
    """A target's deadline: its own, else its indicator's, else the plan's `due`, else the period end."""
    return target.deadline or indicator.deadline or plan.due or plan.period.end


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
            baseline = None
            if target.baseline is not None:
                try:
                    baseline = _baseline(plan, indicator, unit, target.baseline)
                except _BaselineError as exc:
                    problems.append(Finding(exc.code, exc.message, plan.where(*here, "baseline", exc.field)))
            try:
                resolved.append(_resolve(plan, tree, task, indicator, unit, target, here, baseline))
            except ParseError as exc:
                field = "scope" if exc.code in ("unknown-area", "ambiguous-area") else "value"
                problems.append(Finding(exc.code, exc.message, plan.where(*here, field)))
            if target.value is not None and target.value.is_open:
                message = _("{id} {scope}: the source leaves the value open ({text}); reported as no_target")
                problems.append(
                    Finding(
                        "open-value",
                        message.format(id=indicator.id, scope=target.scope_label, text=target.value.text),
                        plan.where(*here, "value"),
                    )
                )
    return resolved, problems


def _resolve(
    plan: Plan,
    tree: AreaTree,
    task: Task,
    indicator: Indicator,
    unit: Unit | None,
    target: Target,
    at: tuple,
    baseline: ResolvedBaseline | None,
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
                raise ParseError(
                    "unit-mismatch", _("{id} has no unit; write the value without one").format(id=indicator.id)
                )
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
    deadline = deadline_of(plan, indicator, target)
    return ResolvedTarget(
        task, indicator, target, at, scope, unit, value, comparator, tolerance, deadline, items, baseline
    )


class _BaselineError(ParseError):
    """A baseline that cannot be used, and which of its keys (value, date) is wrong."""

    def __init__(self, code: str, message: str, field: str = "value"):
        super().__init__(code, message)
        self.field = field


def _baseline(plan: Plan, indicator: Indicator, unit: Unit | None, declared: Baseline) -> ResolvedBaseline:
    """The declared baseline in the indicator's unit, at a date no later than the period's end."""
    if indicator.measure != "latest":
        message = _("{id} is a {measure} indicator; only a latest (stock) target takes a baseline")
        raise _BaselineError("schema", message.format(id=indicator.id, measure=indicator.measure))
    quantity = declared.value
    if quantity.amount is None:
        raise _BaselineError("invalid-number", _("a baseline needs a value, not {text}").format(text=quantity.text))
    if quantity.amount < 0:
        raise _BaselineError("invalid-number", _("a baseline cannot be negative"))
    value = quantity.amount
    if quantity.unit is not None:
        if unit is None:
            message = _("{id} has no unit; write the baseline without one")
            raise _BaselineError("unit-mismatch", message.format(id=indicator.id))
        try:
            value = convert(value, quantity.unit, unit)
        except ParseError as exc:
            raise _BaselineError(exc.code, exc.message) from None
    if declared.date > plan.period.end:
        message = _("baseline date {day} is after the period ends ({end}); a baseline is where the stock started")
        raise _BaselineError("out-of-period", message.format(day=declared.date, end=plan.period.end), "date")
    return ResolvedBaseline(value, declared.date)
