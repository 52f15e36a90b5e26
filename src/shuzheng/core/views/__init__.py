"""Views of one report (periods, change since a date, breakdowns, lights, forecasts): plain data, no I/O."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..report import TargetRow
from .forecast import forecast_of
from .lights import light_of, thresholds


def annotate(row: TargetRow, plan: object, as_of: date, pace_start: date) -> TargetRow:
    """The row with its traffic light and forecast filled in (the fields reconcile leaves None)."""
    yellow, red = thresholds(plan)
    f = forecast_of(row, as_of, pace_start)
    return replace(
        row,
        light=light_of(row, yellow, red),
        remaining=f.remaining,
        required_per_month=f.required_per_month,
        achieved_per_month=f.achieved_per_month,
        forecast=f.forecast,
        projected_ratio=f.projected_ratio,
    )
