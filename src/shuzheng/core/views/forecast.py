"""What is left of a target, the rate it needs, the rate it has, and when it will be done at that rate.

For a quantified target counted up to its value (`sum`, `distinct`, milestone; at_least or approx)
that is not met:

- remaining = value − actual (the plan's figure, also for approx);
- required_per_month = remaining / months left, months left = the days after the as-of date up
  to and including the deadline / MONTH_DAYS; None once the deadline has passed;
- achieved_per_month = actual / months elapsed, months elapsed = the days of the pace window up
  to and including the as-of date / MONTH_DAYS (the same days as the expected pace);
- forecast = as-of + ⌈remaining / achieved per day⌉ days, given only when the rate is positive and
  that date is no later than the deadline + HORIZON_DAYS: never a past or unreachable date;
- projected_ratio = (actual + achieved per day × days left) / value: the completion at the
  deadline at the current rate (「按當前進度，期末預計完成 82%」); None once the deadline has passed.

Every other row gets None everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from ..report import Status, TargetRow

MONTH_DAYS = Decimal("30.4375")  # 365.25 / 12
HORIZON_DAYS = 365


@dataclass(frozen=True)
class Forecast:
    remaining: Decimal | None = None
    required_per_month: Decimal | None = None
    achieved_per_month: Decimal | None = None
    forecast: date | None = None
    projected_ratio: Decimal | None = None


def forecast_of(row: TargetRow, as_of: date, pace_start: date) -> Forecast:
    if (
        row.value is None
        or row.value <= 0
        or row.actual is None
        or row.measure not in ("sum", "distinct", "milestone")
        or row.comparator == "at_most"
        or row.status in (Status.MET, Status.NO_TARGET)
    ):
        return Forecast()
    remaining = row.value - row.actual
    if remaining <= 0:
        return Forecast()
    elapsed = (as_of - pace_start).days + 1
    left = (row.deadline - as_of).days
    per_day = row.actual / Decimal(elapsed) if elapsed > 0 else None
    required = remaining / (Decimal(left) / MONTH_DAYS) if left > 0 else None
    achieved = per_day * MONTH_DAYS if per_day is not None else None
    when = None
    if per_day is not None and per_day > 0:
        days = (remaining / per_day).to_integral_value(rounding=ROUND_CEILING)
        horizon = (row.deadline - as_of).days + HORIZON_DAYS
        if days <= horizon:
            when = as_of + timedelta(days=max(int(days), 1))
    projected = (row.actual + (per_day or 0) * left) / row.value if left >= 0 and per_day is not None else None
    return Forecast(remaining, required, achieved, when, projected)
