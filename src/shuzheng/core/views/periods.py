"""A target period by period (like `hledger balance --budget -M`): what was done in each period.

Periods are calendar days, ISO weeks (Monday to Sunday), months or quarters, from the plan's
period start (or --begin) to the as-of date (or --end, if earlier); the first and last are cut
at those dates. From the target's figures at each period's end (report_at):

- `sum`, `distinct`, milestone, qualitative: the amount is the cumulative figure at the period's
  end minus that at the end of the period before (the day before the first one starts), so the
  amounts add up to the cumulative figure less what was done before the first period; milestone
  and declared distinct items that came in are listed;
- `latest`: the stock at the period's end (a stock is not added up);
- `ratio`: the period's own rate, Δ quantity / Δ base; the cumulative rate is the target's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..report import TargetRow
from .since import done_since, key

BY = ("day", "week", "month", "quarter")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class PeriodCell:
    period: Period
    amount: Decimal | None  # done in the period (a stock: the stock at its end; a ratio: its rate)
    cumulative: Decimal | None  # the target's actual at the period's end
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeriodRow:
    target: TargetRow  # at the as-of date: cumulative figure and status
    cells: tuple[PeriodCell, ...]


def periods(start: date, end: date, by: str) -> list[Period]:
    """Calendar periods covering start … end, the first and last cut at them; none when end < start."""
    if by not in BY:
        raise ValueError(by)
    found: list[Period] = []
    day = start
    while day <= end:
        first, last, label = _calendar(day, by)
        found.append(Period(label, max(first, start), min(last, end)))
        day = last + timedelta(days=1)
    return found


def _calendar(day: date, by: str) -> tuple[date, date, str]:
    if by == "day":
        return day, day, day.isoformat()
    if by == "week":
        first = day - timedelta(days=day.weekday())
        year, week, _ = first.isocalendar()
        return first, first + timedelta(days=6), f"{year}-W{week:02d}"
    if by == "month":
        first = day.replace(day=1)
        return first, _next_month(first) - timedelta(days=1), f"{day.year}-{day.month:02d}"
    quarter = (day.month - 1) // 3
    first = date(day.year, quarter * 3 + 1, 1)
    last = _next_month(date(day.year, quarter * 3 + 3, 1)) - timedelta(days=1)
    return first, last, f"{day.year}Q{quarter + 1}"


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def cut_dates(spans: list[Period]) -> list[date]:
    """The dates a report is needed at: the day before the first period, and every period's end."""
    if not spans:
        return []
    return [spans[0].start - timedelta(days=1), *(p.end for p in spans)]


def period_row(target: TargetRow, spans: list[Period], at: Callable[[date], TargetRow | None]) -> PeriodRow:
    """`at(day)` is the same target's row in the report at that day (None if it has none)."""
    cells = []
    before = at(spans[0].start - timedelta(days=1)) if spans else None
    for span in spans:
        now = at(span.end)
        if now is None:
            cells.append(PeriodCell(span, None, None))
            before = None
            continue
        amount = now.actual if now.measure == "latest" else done_since(now, before)
        items = tuple(i for i in (before.missing_items if before else ()) if i not in now.missing_items)
        cells.append(PeriodCell(span, amount, now.actual, items))
        before = now
    return PeriodRow(target, tuple(cells))


def period_rows(
    targets: tuple[TargetRow, ...], spans: list[Period], reports: Callable[[date], dict[tuple, TargetRow]]
) -> list[PeriodRow]:
    """Every target period by period; `reports(day)` maps key(row) → row in the report at that day."""
    return [period_row(t, spans, lambda day, t=t: reports(day).get(key(t))) for t in targets]
