"""Target rows as CSV: the same rows as the tables, safe to open in Excel.

Plain CSV is for tools: machine headers (plan, task, …), the plan's own spelling, enum values and
ratios as fractions (0.679). `--excel` is the file a clerk opens: headers in the output's
language, the plan's words in its script (render/script.py), statuses, lights, measures and
comparators in words, percentages as percentages (67.9%); the same columns in the same order but
the status value, which its label says. The one column for people in plain CSV, status_label, is
in the output's language."""

from __future__ import annotations

import csv
import io
import re

from ..core.i18n import N_, _
from ..core.report import Report, TargetRow
from .json_report import actual_number, fraction, number
from .labels import HEADER, listed, status_label
from .lights import light_label
from .numbers import comparator_sign, percent, qualitative

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
# The headers of --excel (shown through _()); the words render/labels.py has, and a few of its own.
EXCEL_HEADER = {
    "plan": HEADER["plan"],
    "task": HEADER["task"],
    "indicator": HEADER["indicator_name"],
    "name": HEADER["name"],
    "scope": HEADER["scope"],
    "unit": HEADER["unit"],
    "measure": N_("Measure"),
    # Translators: the column of ≥, ≤ or 约 before a target
    "comparator": N_("Comparison"),
    "value": HEADER["target"],
    "actual": HEADER["actual"],
    "ratio": N_("Completion"),
    "expected": N_("Expected pace"),
    "status_label": HEADER["status"],
    "deadline": HEADER["deadline"],
    "lead": HEADER["lead"],
    "missing_items": N_("Items still missing"),
    "light": HEADER["light"],
}
MEASURE_LABEL = {
    "sum": N_("Sum"),
    "latest": N_("Latest value"),
    "ratio": N_("Rate"),
    "distinct": N_("Distinct count"),
    "milestone": N_("Milestones"),
}
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


def measure_label(measure: str) -> str:
    return qualitative() if measure == "qualitative" else _(MEASURE_LABEL.get(measure, measure))


def _values(plan_id: str, t: TargetRow, excel: bool) -> tuple[object, ...]:
    return (
        plan_id,
        t.task,
        t.indicator,
        t.name,
        t.scope,
        t.unit,
        measure_label(t.measure) if excel else t.measure,
        (comparator_sign(t.comparator) if t.value is not None else "") if excel else t.comparator,
        number(t.value),
        actual_number(t),
        (percent(t.ratio) if t.ratio is not None else "") if excel else fraction(t.ratio),
        (percent(t.expected) if t.expected is not None else "") if excel else fraction(t.expected),
        t.status,
        status_label(t.status),
        t.deadline.isoformat(),
        t.lead,
        listed(t.missing_items) if excel else "、".join(t.missing_items),
        (light_label(t.light) if t.light else "") if excel else t.light,
    )


def render(report: Report, excel: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    shown = [i for i, c in enumerate(COLUMNS) if c in EXCEL_HEADER] if excel else range(len(COLUMNS))
    writer.writerow(_(EXCEL_HEADER[COLUMNS[i]]) if excel else COLUMNS[i] for i in shown)
    for plan in report.plans:
        for t in plan.targets:
            values = _values(plan.id, t, excel)
            writer.writerow(safe_cell(values[i]) for i in shown)
    text = out.getvalue()
    return "\ufeff" + text if excel else text
