"""Traffic lights (紅黃綠燈) against the expected pace (序時進度), as every 督辦 system shows them.

"Behind by" is measured in points of the target (a share from 0 to 1):

- `sum`, `distinct`, milestone with at_least/approx: gap = expected − completion (actual / value),
  the points of pace the target trails by; ≤ yellow → green, ≤ red → yellow, > red → red.
  So with the defaults 0.10/0.30 green is exactly 正常推進's margin.
- `ratio` and `latest` at_least/approx, which have no pace: the shortfall 1 − actual / value;
  green only when met, yellow while the shortfall is ≤ red, red beyond it.
- ceilings (at_most): green while they hold (met, on_track); behind (a stock still above its
  ceiling, how far cannot be said in points) → yellow; broken (violated) → red.
- overdue and violated are red whatever the gap; met is green; no_data (nothing reported) is
  yellow; no_target (qualitative, or an open value) has no light: None.
"""

from __future__ import annotations

from decimal import Decimal

from ..report import Status, TargetRow

GREEN, YELLOW, RED = "green", "yellow", "red"
LIGHTS = (GREEN, YELLOW, RED)
DEFAULT_YELLOW = Decimal("0.10")
DEFAULT_RED = Decimal("0.30")


def thresholds(plan: object) -> tuple[Decimal, Decimal]:
    """The plan's `lights: {yellow, red}`, else 0.10 and 0.30 (a plan without the field has the defaults)."""
    lights = getattr(plan, "lights", None)
    if lights is None:
        return DEFAULT_YELLOW, DEFAULT_RED
    get = lights.get if isinstance(lights, dict) else lambda name, default: getattr(lights, name, default)
    yellow, red = get("yellow", None), get("red", None)
    return (
        Decimal(str(yellow)) if yellow is not None else DEFAULT_YELLOW,
        Decimal(str(red)) if red is not None else DEFAULT_RED,
    )


def gap(row: TargetRow) -> Decimal | None:
    """How far behind the row is, in points of its target (see the module's rules); None where
    no such figure exists (ceilings, no value, no actual)."""
    if row.value is None or not row.value or row.actual is None or row.comparator == "at_most":
        return None
    completion = row.actual / row.value
    if row.measure in ("sum", "distinct", "milestone"):
        return row.expected - completion
    if row.measure in ("ratio", "latest"):
        return 1 - completion
    return None


def light_of(row: TargetRow, yellow: Decimal = DEFAULT_YELLOW, red: Decimal = DEFAULT_RED) -> str | None:
    status = row.status
    if status == Status.NO_TARGET:
        return None
    if status in (Status.OVERDUE, Status.VIOLATED):
        return RED
    if status == Status.MET:
        return GREEN
    if status == Status.NO_DATA:
        return YELLOW
    behind = gap(row)
    if behind is None:
        return GREEN if status == Status.ON_TRACK else YELLOW
    if row.measure in ("ratio", "latest"):
        return YELLOW if behind <= red else RED
    if behind <= yellow:
        return GREEN
    return YELLOW if behind <= red else RED
