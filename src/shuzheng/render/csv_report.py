"""Target rows as CSV: the same rows as the tables, safe to open in Excel."""

from __future__ import annotations

import csv
import io
import re

from ..core.report import Report
from .json_report import actual_number, fraction, number

COLUMNS = (
    "plan",
    "task",
    "indicator",
    "name",
    "scope",
    "unit",
    "measure",
    "comparator",
    "value",
    "actual",
    "ratio",
    "expected",
    "status",
    "status_label",
    "deadline",
    "lead",
    "missing_items",
    "light",
)
_REAL_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """OWASP: a cell that starts like a formula is prefixed with ' so Excel shows it as text."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _REAL_NUMBER.fullmatch(text):
        return "'" + text
    return text


def render(report: Report, excel: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(COLUMNS)
    for plan in report.plans:
        for t in plan.targets:
            writer.writerow(
                safe_cell(v)
                for v in (
                    plan.id,
                    t.task,
                    t.indicator,
                    t.name,
                    t.scope,
                    t.unit,
                    t.measure,
                    t.comparator,
                    number(t.value),
                    actual_number(t),
                    fraction(t.ratio),
                    fraction(t.expected),
                    t.status,
                    t.status.label,
                    t.deadline.isoformat(),
                    t.lead,
                    "、".join(t.missing_items),
                    t.light,
                )
            )
    text = out.getvalue()
    return "\ufeff" + text if excel else text
