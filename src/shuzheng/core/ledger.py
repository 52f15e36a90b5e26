"""One ledger row, checked against its plan: a Row to count, or a ParseError saying why not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ParamSpec, TypeVar

from .areas import AreaTree
from .dates import parse_date
from .findings import ParseError
from .model import Indicator, Plan
from .names import NameIndex, fold
from .quantity import Unit, parse_amount, parse_unit
from .targets import indicator_unit

ONE = Decimal(1)
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(slots=True)
class Row:
    indicator: str  # the plan's id
    area: str  # the plan's spelling
    date: date
    quantity: Decimal
    base: Decimal | None
    item: str | None  # the plan's spelling for declared items, else as written
    ref: str | None
    note: str | None
    file: str
    line: int


@dataclass(frozen=True)
class _IndicatorRules:
    indicator: Indicator
    unit: Unit | None
    start: date
    end: date  # the period end, or a later deadline of this indicator
    items: NameIndex[str] | None  # declared items, or None when any item goes

    @property
    def needs_item(self) -> bool:
        m = self.indicator
        return m.measure == "milestone" or (m.measure == "distinct" and "item" in m.distinct_key)


class LedgerRules:
    """What a plan accepts in a ledger row. Values repeat a lot, so each is parsed once."""

    def __init__(self, plan: Plan, tree: AreaTree):
        self.plan = plan
        self.tree = tree
        self._indicators: dict[str, _IndicatorRules] = {}
        for _, indicator in plan.indicators():
            try:
                unit = indicator_unit(indicator)
            except ParseError:
                unit = None  # the plan check reports it
            deadlines = [t.deadline for t in indicator.targets if t.deadline] + [indicator.deadline or plan.period.end]
            items: NameIndex[str] | None = None
            if indicator.items and indicator.measure in ("milestone", "distinct"):
                items = NameIndex()
                for item in indicator.items:
                    items.add(item.name, item.name)
            end = max([plan.period.end, *deadlines])
            self._indicators.setdefault(
                _id_key(indicator.id), _IndicatorRules(indicator, unit, plan.period.start, end, items)
            )
        self._areas: dict[str, str | ParseError] = {}

    def indicator(self, text: str) -> _IndicatorRules:
        found = self._indicators.get(_id_key(text))
        if found is None:
            raise ParseError("unknown-indicator", f"指標: {text!r} is not an indicator of plan {self.plan.id}")
        return found

    def indicator_rules(self) -> list[_IndicatorRules]:
        return list(self._indicators.values())

    def area(self, text: str) -> str:
        found = self._areas.get(text)
        if found is None:
            try:
                name = self.tree.resolve(text)
                if name in self.tree.groups:
                    raise ParseError("unknown-area", f"地區: {text!r} is a group; record the row in one of its areas")
            except ParseError as exc:
                # a bad name repeats too, and its hint costs a fuzzy search: keep the answer
                name = exc if exc.message.startswith("地區:") else ParseError(exc.code, f"地區: {exc.message}")
            found = self._areas[text] = name
        if isinstance(found, ParseError):
            raise ParseError(found.code, found.message)
        return found

    def row(self, fields: dict[str, str], file: str, line: int) -> Row:
        """Check one row's fields (already stripped text); ParseError names the field and the rule."""
        rules = self.indicator(_required(fields, "indicator", "指標"))
        indicator = rules.indicator
        area = self.area(_required(fields, "area", "地區"))
        day = _labelled("日期", parse_date, _required(fields, "date", "日期"))
        if not rules.start <= day <= rules.end:
            raise ParseError(
                "out-of-period", f"日期: {day} is outside plan {self.plan.id}'s period {rules.start} … {rules.end}"
            )
        row_unit = _labelled("單位", parse_unit, fields["unit"]) if fields.get("unit") else None
        if (
            row_unit is not None
            and rules.unit is not None
            and indicator.measure != "ratio"
            and row_unit.dimension != rules.unit.dimension
        ):
            # checked even where no quantity is converted (distinct, milestone rows)
            raise ParseError(
                "unit-mismatch", f"單位: {row_unit.name} cannot be counted in {indicator.id}'s unit {rules.unit.name}"
            )
        quantity_text = fields.get("quantity")
        if quantity_text:
            # a ratio's quantity and base are counts of one kind; their unit is not the indicator's %
            target_unit = None if indicator.measure == "ratio" else rules.unit
            quantity = _labelled("數量", parse_amount, quantity_text, target_unit, row_unit)
        elif indicator.measure in ("milestone", "distinct", "qualitative"):
            quantity = ONE
        else:
            raise ParseError("missing-cell", f"數量: {indicator.id} is counted by quantity; this row has none")
        base: Decimal | None = None
        if indicator.measure == "ratio":
            base_text = _required(
                fields, "base", "基數", f"{indicator.id} is a ratio; give the base (基數) the quantity is a share of"
            )
            base = _labelled("基數", parse_amount, base_text, None, row_unit)
        item = fields.get("item") or None
        if rules.needs_item and not item:
            raise ParseError("missing-cell", f"項目: {indicator.id} counts items; name the item")
        if item and rules.items is not None:
            declared = rules.items.get(item)
            if declared is None:
                raise ParseError(
                    "unknown-item", f"項目: {item!r} is not an item of {indicator.id}{rules.items.hint(item)}"
                )
            item = declared
        return Row(
            indicator.id,
            area,
            day,
            quantity,
            base,
            item,
            fields.get("ref") or None,
            fields.get("note") or None,
            file,
            line,
        )


def _labelled(label: str, parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """parse(...), with a ParseError that names the column (日期: not a date …)."""
    try:
        return parse(*args, **kwargs)
    except ParseError as exc:
        raise ParseError(exc.code, f"{label}: {exc.message}") from None


def _id_key(text: str) -> str:
    return fold(text).rstrip(".")


def _required(fields: dict[str, str], field: str, label: str, why: str | None = None) -> str:
    value = fields.get(field)
    if not value:
        raise ParseError("missing-cell", f"{label}: {why or 'empty; this column is required'}")
    return value
