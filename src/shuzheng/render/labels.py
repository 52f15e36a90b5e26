"""The fixed words the text renderers share, in the output's language: statuses, column headers,
list separators, dates. Each is a function (or a table of N_-marked English msgids shown through
_()), never a text built at import time: the language is chosen after the modules are imported."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ..core.i18n import N_, _, language
from ..core.report import Status
from .numbers import percent

# The words of a target row, shared by the terminal table, the Markdown tables and the briefing.
HEADER = {
    # Translators: the column of indicator ids (1.1, 2.5)
    "indicator": N_("ID"),
    # Translators: the column of an indicator's id and name (1.1 拆除违法建设)
    "indicator_name": N_("Indicator"),
    "name": N_("Name"),
    "scope": N_("Scope"),
    "target": N_("Target"),
    "actual": N_("Actual"),
    # Translators: the column of completion percentages
    "completion": N_("Done"),
    # Translators: the expected pace (序时进度) a target should have reached by the as-of date
    "expected": N_("Pace"),
    "status": N_("Status"),
    "lead": N_("Lead"),
    "light": N_("Light"),
    "deadline": N_("Deadline"),
    "where": N_("Where"),
    "reason": N_("Reason"),
    "ref": N_("Ref"),
    "area": N_("Area"),
    "department": N_("Department"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "date": N_("Date"),
    "item": N_("Item"),
    "note": N_("Note"),
    "rows": N_("Rows"),
    "share": N_("Share"),
    "plan": N_("Plan"),
    "task": N_("Task"),
}
MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def status_label(status: Status | str) -> str:
    """正常推进 / On track: how a person reads a status (the enum value stays in JSON and plain CSV)."""
    return Status(status).label  # the one table of status words: core/report.py


def header(key: str) -> str:
    return _(HEADER[key])


def headers(*keys: str) -> tuple[str, ...]:
    return tuple(header(k) for k in keys)


def listed(items: Iterable[str]) -> str:
    """Names in a list: 甲、乙、丙 / a, b, c."""
    # Translators: the separator between the names of a list (、 in Chinese)
    return _(", ").join(items)


def clauses(items: Iterable[str]) -> str:
    """Clauses of one sentence: 甲；乙 / a; b."""
    # Translators: the separator between the clauses of a sentence (； in Chinese)
    return _("; ").join(items)


def sentences(items: Iterable[str]) -> str:
    """Whole sentences one after another: Chinese runs them on, English puts a space between."""
    return (" " if language() == "en" else "").join(items)


def day(d: date) -> str:
    """2024年9月15日 / 15 September 2024: a date in a sentence."""
    # Translators: a date in a sentence; {month} is the month's name (September → 9月)
    return _("{day} {month} {year}").format(day=d.day, month=_(MONTHS[d.month - 1]), year=d.year)


def as_of(d: date) -> str:
    """截至 2024-09-15 / As of 2024-09-15: the first line of a table."""
    return _("As of {day}").format(day=d.isoformat())


def expected_line(expected: Decimal) -> str:
    """应达进度 70.8%: the pace every target of a plan should have reached."""
    return _("Expected pace {expected}").format(expected=percent(expected))
