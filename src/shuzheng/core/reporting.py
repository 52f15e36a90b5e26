"""Who reports what, and when (pure): the plan's `reporting:` block read as rules.

Which unit reports which indicators:
- a department (a unit that is not an area of the plan) reports every indicator of the tasks it
  leads (`plan.lead_of(task).department`); a department that leads no task reports them all;
- an area reports every indicator one of whose targets' scopes contains it (朝陽區 reports 1.1
  because 城六區 and 北京市 contain it), in its own area and the areas below it.

A report is due per period of the cadence: the period `2024-09` (monthly), `2024-W37` (weekly,
ISO weeks), `2024-Q3` (quarterly) or `2024-09-11` (daily). With `due_day` it is due on that day
of the next period (monthly and quarterly: that day of the next month; weekly: that weekday,
1 = Monday, of the next week); without, on the period's own last day. A daily report is due
on its own day whatever due_day says.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .areas import AreaTree
from .findings import ParseError
from .i18n import N_, _
from .model import Indicator, Plan, Reporting, Target
from .names import fold

# The receipts register kept beside the accepted ledgers; the ledger scan must skip it.
REGISTER_NAME = "收文登记.csv"
# Earlier submissions moved aside by `collect --replace` (a hidden folder and a non-ledger suffix).
SUPERSEDED_DIR = ".superseded"
SUPERSEDED_SUFFIX = ".superseded"


def is_register(name: str) -> bool:
    """A file name that is the receipts register, in any spelling (收文登记.csv, 收文登記.CSV)."""
    return fold(name) == fold(REGISTER_NAME)


@dataclass(frozen=True)
class Unit:
    name: str
    area: str | None  # the plan's area when the unit is one, else None (a department)


@dataclass(frozen=True)
class Duty:
    """What one unit reports: its indicators and the areas it may write."""

    unit: Unit
    indicators: tuple[tuple[str, Indicator], ...]  # (task id, indicator)
    areas: tuple[str, ...]
    targets: tuple[tuple[Indicator, Target], ...] = ()  # the unit's own: an area's are those that contain it


def reporting_of(plan: Plan) -> Reporting:
    return plan.reporting or Reporting(cadence="monthly")


def units_of(plan: Plan, tree: AreaTree) -> list[Unit]:
    """The reporting units the plan names; without a `reporting:` block, the lead departments."""
    names = list(reporting_of(plan).units)
    if not names:
        names = list(dict.fromkeys(d for t in plan.tasks if (d := plan.lead_of(t).department)))
    return [Unit(name, tree.find(name) if tree.find(name) in tree.parent else None) for name in names]


def find_unit(plan: Plan, tree: AreaTree, text: str) -> Unit | None:
    key = fold(text)
    for unit in units_of(plan, tree):
        if fold(unit.name) == key or (unit.area is not None and tree.find(text) == unit.area):
            return unit
    return None


def duty_of(plan: Plan, tree: AreaTree, unit: Unit) -> Duty:
    found: list[tuple[str, Indicator]] = []
    if unit.area is not None:
        targets: list[tuple[Indicator, Target]] = []
        for task in plan.tasks:
            for indicator in task.indicators:
                own = [t for t in indicator.targets if unit.area in _covered(tree, t.scope)]
                if own:
                    found.append((task.id, indicator))
                    targets += [(indicator, t) for t in own]
        areas = tuple(a for a in tree.parent if a in tree.below(unit.area))
        return Duty(unit, tuple(found), areas, tuple(targets))
    led = [t for t in plan.tasks if plan.lead_of(t).department and fold(plan.lead_of(t).department) == fold(unit.name)]
    for task in led or plan.tasks:
        found += [(task.id, indicator) for indicator in task.indicators]
    targets = tuple((indicator, t) for _task, indicator in found for t in indicator.targets)
    return Duty(unit, tuple(found), tuple(tree.parent), targets)


def _covered(tree: AreaTree, scope: str | list[str]) -> frozenset[str]:
    try:
        return tree.scope(scope).areas
    except ParseError:
        return frozenset()  # the plan check reports it


# Periods


@dataclass(frozen=True, order=True)
class ReportPeriod:
    start: date
    end: date
    label: str


def period_of(day: date, cadence: str) -> ReportPeriod:
    if cadence == "daily":
        return ReportPeriod(day, day, day.isoformat())
    if cadence == "weekly":
        start = day - timedelta(days=day.weekday())
        year, week, _weekday = day.isocalendar()
        return ReportPeriod(start, start + timedelta(days=6), f"{year}-W{week:02d}")
    if cadence == "quarterly":
        quarter = (day.month - 1) // 3
        start = date(day.year, quarter * 3 + 1, 1)
        return ReportPeriod(start, _month_end(date(day.year, quarter * 3 + 3, 1)), f"{day.year}-Q{quarter + 1}")
    start = day.replace(day=1)
    return ReportPeriod(start, _month_end(start), f"{day.year}-{day.month:02d}")


# A cadence as a message names it (the plan's reporting: cadence is the English word).
CADENCE_WORDS = {
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
}


def cadence_word(cadence: str) -> str:
    word = CADENCE_WORDS.get(cadence)
    return _(word) if word is not None else cadence


_LABELS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "daily"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "weekly"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarterly"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "monthly"),
)


def parse_period(text: str, cadence: str) -> ReportPeriod:
    """`2024-09`, `2024-W37`, `2024-Q3` or `2024-09-11`, as the plan's cadence counts them."""
    text = text.strip()
    for pattern, kind in _LABELS:
        match = pattern.match(text)
        if not match:
            continue
        if kind != cadence:
            message = _("period {text!r} is {kind}, but the plan reports {cadence}; write it like {example}")
            raise ParseError(
                "invalid-period",
                message.format(
                    text=text, kind=cadence_word(kind), cadence=cadence_word(cadence), example=_example(cadence)
                ),
            )
        numbers = [int(g) for g in match.groups()]
        try:
            if kind == "daily":
                day = date(*numbers)
            elif kind == "weekly":
                day = date.fromisocalendar(numbers[0], numbers[1], 1)
            elif kind == "quarterly":
                day = date(numbers[0], numbers[1] * 3 - 2, 1)
            else:
                day = date(numbers[0], numbers[1], 1)
        except ValueError:
            break
        return period_of(day, cadence)
    message = _("period {text!r} is not a period; write it like {example}")
    raise ParseError("invalid-period", message.format(text=text, example=_example(cadence)))


def _example(cadence: str) -> str:
    return {"daily": "2024-09-11", "weekly": "2024-W37", "quarterly": "2024-Q3"}.get(cadence, "2024-09")


def due_date(period: ReportPeriod, reporting: Reporting) -> date:
    if reporting.cadence == "daily" or reporting.due_day is None:
        return period.end
    if reporting.cadence == "weekly":
        return period.end + timedelta(days=min(max(reporting.due_day, 1), 7))
    following = period.end + timedelta(days=1)
    return following.replace(
        day=min(max(reporting.due_day, 1), calendar.monthrange(following.year, following.month)[1])
    )


def last_due_period(as_of: date, reporting: Reporting, start: date) -> ReportPeriod | None:
    """The latest period whose report was due before `as_of` (None before the first was due)."""
    period = period_of(as_of, reporting.cadence)
    for _step in range(400):
        if due_date(period, reporting) < as_of:
            return period if period.end >= start else None
        period = period_of(period.start - timedelta(days=1), reporting.cadence)
    return None


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
