"""Who is late (催报, 督办单), pure: reports missing or late, deadlines near, targets overdue.

Graded as the 三色督办 convention does:
- red (overdue): a report not received after its due date; a target past its deadline and not met;
- yellow (behind): a report received after its due date; a target behind the expected pace;
- blue (near): a target not met whose deadline falls within the next NEAR_DAYS days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .i18n import N_, _
from .model import Plan
from .names import fold
from .report import PlanReport, Status, TargetRow
from .reporting import ReportPeriod, due_date, last_due_period, reporting_of

NEAR_DAYS = 14


class Grade(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    BLUE = "blue"

    @property
    def label(self) -> str:
        """The grade as a 督办单 shows it, in the output's language (red, 红)."""
        return _(GRADE_LABELS[self])


GRADE_LABELS = {Grade.RED: N_("red"), Grade.YELLOW: N_("yellow"), Grade.BLUE: N_("blue")}
GRADE_ORDER = (Grade.RED, Grade.YELLOW, Grade.BLUE)


@dataclass(frozen=True)
class UnitDue:
    plan: str
    unit: str
    period: str
    due: dt.date
    received: dt.datetime | None  # None: missing
    grade: Grade


@dataclass(frozen=True)
class TargetDue:
    plan: str
    indicator: str
    name: str
    scope: str
    deadline: dt.date
    status: Status
    ratio: Decimal | None  # completion, None when not measured
    lead: str
    grade: Grade
    days_left: int  # negative: days overdue


@dataclass(frozen=True)
class PlanDue:
    plan: str
    title: str
    cadence: str
    period: str | None  # the period whose report was last due, None before any
    due: dt.date | None
    units: tuple[UnitDue, ...]
    targets: tuple[TargetDue, ...]


@dataclass(frozen=True)
class DueList:
    as_of: dt.date
    plans: tuple[PlanDue, ...]


def late_units(
    plan: Plan, as_of: dt.date, received: dict[tuple[str, str], dt.datetime]
) -> tuple[ReportPeriod | None, list[UnitDue]]:
    """Units whose report for the last due period is missing (red) or came after the due date (yellow)."""
    reporting = reporting_of(plan)
    day = min(as_of, plan.period.end + dt.timedelta(days=1))
    period = last_due_period(day, reporting, plan.period.start)
    if period is None:
        return None, []
    due = due_date(period, reporting)
    found: list[UnitDue] = []
    for unit in reporting.units:
        when = received.get((fold(unit), period.label))
        if when is not None and when.date() > as_of:
            when = None  # received after the as-of date: not yet, as of then
        if when is not None and when.date() <= due:
            continue
        found.append(UnitDue(plan.id, unit, period.label, due, when, Grade.RED if when is None else Grade.YELLOW))
    return period, found


def flagged_targets(report: PlanReport, as_of: dt.date) -> list[TargetDue]:
    found: list[TargetDue] = []
    for t in report.targets:
        grade = _grade(t, as_of)
        if grade is None:
            continue
        found.append(
            TargetDue(
                report.id,
                t.indicator,
                t.name,
                t.scope,
                t.deadline,
                t.status,
                t.ratio,
                t.lead,
                grade,
                (t.deadline - as_of).days,
            )
        )
    order = {g: n for n, g in enumerate(GRADE_ORDER)}
    return sorted(found, key=lambda d: (order[d.grade], d.deadline, _id_key(d.indicator), d.scope))


def _grade(t: TargetRow, as_of: dt.date) -> Grade | None:
    if t.status in (Status.OVERDUE, Status.VIOLATED):
        return Grade.RED
    if t.status == Status.BEHIND:
        return Grade.YELLOW
    if t.status in (Status.MET, Status.NO_TARGET):
        return None
    if as_of <= t.deadline <= as_of + dt.timedelta(days=NEAR_DAYS):
        return Grade.BLUE
    return None


def _id_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in text.split("."))


def due_list(
    as_of: dt.date,
    plans: list[tuple[Plan, PlanReport]],
    received: dict[str, dict[tuple[str, str], dt.datetime]],
) -> DueList:
    out: list[PlanDue] = []
    for plan, report in plans:
        period, units = late_units(plan, as_of, received.get(plan.id, {}))
        reporting = reporting_of(plan)
        out.append(
            PlanDue(
                plan.id,
                plan.title,
                reporting.cadence,
                period.label if period else None,
                due_date(period, reporting) if period else None,
                tuple(units),
                tuple(flagged_targets(report, as_of)),
            )
        )
    return DueList(as_of, tuple(out))
