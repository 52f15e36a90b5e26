"""What a plan accepts in a ledger row: one row's fields → a Row to count, or a ParseError saying
why not. Every ledger rule lives here, and both readers ask it (the columnar reader asks it once
per distinct value); a new rule is one more check in LedgerRules.row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ParamSpec, TypeVar

from .areas import AreaTree
from .dates import parse_date
from .findings import Finding, Location, ParseError
from .i18n import N_, _
from .model import Indicator, Plan
from .names import NameIndex, fold
from .quantity import Unit, parse_amount, parse_unit
from .targets import ResolvedTarget, indicator_unit

ONE = Decimal(1)
P = ParamSpec("P")
T = TypeVar("T")

# The column a message names, per field (marked here, translated where a message is made).
LABELS = {
    "date": N_("date"),
    "indicator": N_("indicator"),
    "area": N_("area"),
    "quantity": N_("quantity"),
    "base": N_("base"),
    "unit": N_("unit"),
    "item": N_("item"),
    "ref": N_("ref"),
    "department": N_("department"),
    "note": N_("note"),
}


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
    where: Location
    department: str | None = None
    warnings: tuple[Finding, ...] = ()  # counted, but said: an implausible quantity

    @property
    def file(self) -> str:
        return self.where.file

    @property
    def line(self) -> int:
        return self.where.line or 0

    def content(self) -> tuple:
        """What makes two uses of one 編號 the same record (a duplicate) or two records (a conflict):
        the same indicator, area, quantity, base and item; a later date or another note is the same
        record reported again."""
        return (self.indicator, self.area, self.quantity, self.base, fold(self.item or ""))


@dataclass(frozen=True)
class IndicatorRules:
    indicator: Indicator
    unit: Unit | None
    start: date
    end: date  # the period end, or a later deadline of this indicator
    items: NameIndex[str] | None  # declared items, or None when any item goes
    item_areas: dict[str, str]  # declared item → the area it must be recorded in
    largest: Decimal | None  # the largest target value: a single row above it is implausible

    @property
    def needs_item(self) -> bool:
        m = self.indicator
        return m.measure == "milestone" or (m.measure == "distinct" and "item" in m.distinct_key)

    @property
    def quantity_optional(self) -> bool:
        """Rows of these measures count 1 when their quantity is empty."""
        return self.indicator.measure in ("milestone", "distinct", "qualitative")


def id_key(text: str) -> str:
    """An indicator id as rows and plans are matched: 1.1, １.１ and 1.1. are one id."""
    return fold(text).rstrip(".")


class LedgerRules:
    """What a plan accepts in a ledger row. Values repeat a lot, so each is parsed once."""

    def __init__(self, plan: Plan, tree: AreaTree, targets: Iterable[ResolvedTarget] = ()):
        self.plan = plan
        self.tree = tree
        largest: dict[str, Decimal] = {}
        for t in targets:
            if t.value is not None and t.value > 0:
                largest[t.indicator.id] = max(largest.get(t.indicator.id, t.value), t.value)
        self._indicators: dict[str, IndicatorRules] = {}
        for _task, indicator in plan.indicators():
            try:
                unit = indicator_unit(indicator)
            except ParseError:
                unit = None  # the plan check reports it
            deadlines = [t.deadline for t in indicator.targets if t.deadline]
            deadlines.append(indicator.deadline or plan.period.end)
            items: NameIndex[str] | None = None
            item_areas: dict[str, str] = {}
            if indicator.items and indicator.measure in ("milestone", "distinct"):
                items = NameIndex()
                for item in indicator.items:
                    items.add(item.name, item.name)
                    area = tree.find(item.area) if item.area else None
                    if area is not None:
                        item_areas[item.name] = area
            end = max([plan.period.end, *deadlines])
            self._indicators.setdefault(
                id_key(indicator.id),
                IndicatorRules(indicator, unit, plan.period.start, end, items, item_areas, largest.get(indicator.id)),
            )
        self._areas: dict[str, str | ParseError] = {}

    def indicator(self, text: str) -> IndicatorRules:
        found = self._indicators.get(id_key(text))
        if found is None:
            raise _field(
                "indicator",
                ParseError(
                    "unknown-indicator",
                    _("{text!r} is not an indicator of plan {plan}").format(text=text, plan=self.plan.id),
                ),
            )
        return found

    def indicator_rules(self) -> list[IndicatorRules]:
        return list(self._indicators.values())

    def area(self, text: str) -> str:
        found = self._areas.get(text)
        if found is None:
            try:
                name = self.tree.resolve(text)
                if name in self.tree.groups:
                    raise ParseError(
                        "unknown-area", _("{text!r} is a group; record the row in one of its areas").format(text=text)
                    )
            except ParseError as exc:
                # a bad name repeats too, and its hint costs a search: keep the answer
                name = exc
            found = self._areas[text] = name
        if isinstance(found, ParseError):
            raise _field("area", found)
        return found

    def item_area_error(self, rules: IndicatorRules, item: str, area: str) -> ParseError | None:
        """The error of a declared item recorded outside the area the plan binds it to, or None."""
        home = rules.item_areas.get(item)
        if home is None or area in self.tree.below(home):
            return None
        return _field(
            "area",
            ParseError(
                "item-area",
                _("{item} is an item of {home}; this row records it at {area}").format(item=item, home=home, area=area),
            ),
        )

    @staticmethod
    def implausible(rules: IndicatorRules, text: str, quantity: Decimal) -> str | None:
        """What a counted row whose quantity is above every target of its indicator is warned of (both
        readers say it, the columnar one once for each distinct cell)."""
        if rules.largest is None or quantity <= rules.largest or rules.indicator.measure != "sum":
            return None
        unit_name = rules.unit.name if rules.unit else ""
        return _(
            "{text} is {quantity}{unit}, more than {indicator}'s largest target ({largest}{unit}); "
            "counted, but check the cell and its unit"
        ).format(text=text, quantity=quantity, unit=unit_name, indicator=rules.indicator.id, largest=rules.largest)

    def row(self, fields: dict[str, str], where: Location, units: Mapping[str, str] | None = None) -> Row:
        """Check one row's fields (already stripped text); a ParseError names the field and the rule.
        `units`: field → the unit its header names (完成量（平方米）), the unit of that column's filled cells."""
        rules = self.indicator(_required(fields, "indicator"))
        indicator = rules.indicator
        area = self.area(_required(fields, "area"))
        day = _labelled("date", parse_date, _required(fields, "date"))
        if not rules.start <= day <= rules.end:
            raise _field(
                "date",
                ParseError(
                    "out-of-period",
                    _("{day} is outside plan {plan}'s period {start} … {end}").format(
                        day=day, plan=self.plan.id, start=rules.start, end=rules.end
                    ),
                ),
            )
        row_unit = _labelled("unit", parse_unit, fields["unit"]) if fields.get("unit") else None
        header_units = {name: parse_unit(text) for name, text in (units or {}).items() if fields.get(name)}
        for name, header_unit in header_units.items():
            if row_unit is not None and not row_unit.same(header_unit):
                raise _field(
                    "unit",
                    ParseError(
                        "unit-mismatch",
                        _("{unit} disagrees with the unit {header_unit} in the header of {column}").format(
                            unit=row_unit.name, header_unit=header_unit.name, column=_(LABELS[name])
                        ),
                    ),
                )
        # the row's 單位, else the quantity header's unit
        quantity_unit = row_unit or header_units.get("quantity")
        if (
            quantity_unit is not None
            and rules.unit is not None
            and indicator.measure != "ratio"
            and quantity_unit.dimension != rules.unit.dimension
        ):
            # checked even where no quantity is converted (distinct, milestone rows)
            raise _field(
                "unit" if row_unit is not None else "quantity",
                ParseError(
                    "unit-mismatch",
                    _("{unit} cannot be counted in {indicator}'s unit {own}").format(
                        unit=quantity_unit.name, indicator=indicator.id, own=rules.unit.name
                    ),
                ),
            )
        quantity_text = fields.get("quantity")
        if quantity_text:
            # a ratio's quantity and base are counts of one kind; their unit is not the indicator's %
            target_unit = None if indicator.measure == "ratio" else rules.unit
            quantity = _labelled("quantity", parse_amount, quantity_text, target_unit, quantity_unit)
        elif rules.quantity_optional:
            quantity = ONE
        else:
            raise _field(
                "quantity",
                ParseError(
                    "missing-cell",
                    _("{indicator} is counted by quantity; this row has none").format(indicator=indicator.id),
                ),
            )
        base: Decimal | None = None
        if indicator.measure == "ratio":
            why = _("{indicator} is a ratio; give the base (基數) the quantity is a share of").format(
                indicator=indicator.id
            )
            base = _labelled("base", parse_amount, _required(fields, "base", why), None, row_unit)
            if base <= 0:
                raise _field(
                    "base",
                    ParseError("invalid-base", _("the base must be more than 0, not {base}").format(base=base)),
                )
            if quantity > base:
                raise _field(
                    "quantity",
                    ParseError(
                        "above-base",
                        _("{quantity} handled of a base of {base}: the quantity cannot exceed its base").format(
                            quantity=quantity, base=base
                        ),
                    ),
                )
        item = fields.get("item") or None
        if rules.needs_item and not item:
            raise _field(
                "item",
                ParseError("missing-cell", _("{indicator} counts items; name the item").format(indicator=indicator.id)),
            )
        if item and rules.items is not None:
            declared = rules.items.get(item)
            if declared is None:
                raise _field(
                    "item",
                    ParseError(
                        "unknown-item",
                        _("{item!r} is not an item of {indicator}{hint}").format(
                            item=item, indicator=indicator.id, hint=rules.items.hint(item)
                        ),
                    ),
                )
            item = declared
            misplaced = self.item_area_error(rules, declared, area)
            if misplaced is not None:
                try:
                    raise misplaced
                finally:  # a local naming the error its traceback's frame holds: a cycle for each such row
                    del misplaced
        implausible = self.implausible(rules, quantity_text or "", quantity)
        warnings = () if implausible is None else (Finding("implausible-quantity", implausible, where, self.plan.id),)
        return Row(
            indicator.id,
            area,
            day,
            quantity,
            base,
            item,
            fields.get("ref") or None,
            fields.get("note") or None,
            where,
            fields.get("department") or None,
            warnings,
        )


def _field(field: str, exc: ParseError) -> ParseError:
    """A new error, its message led by the column's label (date: …) and knowing its field; one
    that already names its field is as it was."""
    if getattr(exc, "field", None) == field:
        return exc
    message = _("{column}: {message}").format(column=_(LABELS[field]), message=exc.message)
    found = ParseError(exc.code, message)
    found.field = field  # type: ignore[attr-defined]
    return found


def _labelled(field: str, parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """parse(...), with a ParseError that names the column (日期: not a date …)."""
    try:
        return parse(*args, **kwargs)
    except ParseError as exc:
        raise _field(field, exc) from None


def _required(fields: dict[str, str], field: str, why: str | None = None) -> str:
    value = fields.get(field)
    if not value:
        raise _field(field, ParseError("missing-cell", why or _("empty; this column is required")))
    return value
