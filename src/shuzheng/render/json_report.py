"""The §9 JSON report. Decimals become JSON numbers; absent values are null."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..core.report import Report, TargetRow
from .numbers import rounded


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def four_places(value: Decimal) -> Decimal:
    return rounded(value, 4)


def fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(four_places(value))


def actual_number(t: TargetRow) -> int | float | None:
    """The actual as a JSON number; a ratio measure's share to 4 places (66.6667, not 66.66666…)."""
    if t.actual is not None and t.measure == "ratio":
        return number(four_places(t.actual))
    return number(t.actual)


def json_rate(value: Decimal | None) -> int | float | None:
    """A rate per month to 2 places (a third of a 處 a month is 0.33, not 0.3333333…)."""
    return None if value is None else number(rounded(value, 2))


def target_json(t: TargetRow) -> dict[str, Any]:
    return {
        "task": t.task,
        "indicator": t.indicator,
        "name": t.name,
        "scope": t.scope,
        "unit": t.unit,
        "measure": t.measure,
        "comparator": t.comparator,
        "value": number(t.value),
        "actual": actual_number(t),
        "ratio": fraction(t.ratio),
        "expected": fraction(t.expected),
        "status": str(t.status),
        "deadline": t.deadline.isoformat(),
        "lead": t.lead,
        "missing_items": list(t.missing_items),
        **({"unreported": list(t.unreported)} if t.measure == "latest" else {}),
        "light": t.light,
        "remaining": number(t.remaining),
        "required_per_month": json_rate(t.required_per_month),
        "achieved_per_month": json_rate(t.achieved_per_month),
        "forecast": t.forecast.isoformat() if t.forecast else None,
        "projected_ratio": fraction(t.projected_ratio),
        "numerator": number(t.numerator),
        "base": number(t.base),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "plans": [
            {
                "id": plan.id,
                "title": plan.title,
                "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
                "expected": fraction(plan.expected),
                "targets": [target_json(t) for t in plan.targets],
            }
            for plan in report.plans
        ],
        "rejected": [{"file": r.file, "line": r.line, "reason": r.reason, "code": r.code} for r in report.rejected],
        "duplicates": [
            {
                "file": d.file,
                "line": d.line,
                "first_line": d.first_line,
                "ref": d.ref,
                "first_file": d.first_file,
                "indicator": d.indicator,
            }
            for d in report.duplicates
        ],
        "corrections": [
            {"file": c.file, "line": c.line, "indicator": c.indicator, "area": c.area, "quantity": number(c.quantity)}
            for c in report.corrections
        ],
        "conflicts": [
            {
                "file": d.file,
                "line": d.line,
                "first_file": d.first_file,
                "first_line": d.first_line,
                "ref": d.ref,
                "indicator": d.indicator,
                "code": "conflicting-ref",
            }
            for d in report.conflicts
        ],
        "outside_scope": [
            {"file": r.file, "line": r.line, "code": r.code, "reason": r.reason} for r in report.outside_scope
        ],
        "files": [
            {"file": f.where.file if f.where else None, "code": f.code, "reason": f.message} for f in report.files
        ],
        "rows": report.rows.to_json(),
    }


def render(report: Report) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
