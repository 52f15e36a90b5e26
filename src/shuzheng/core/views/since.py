"""What changed since an earlier date: per target, what was done since (本期新增) and its status then and now.

done since: `sum`, `distinct`, milestone: the actual now − the actual then; qualitative: the rows
added; `latest`: the change of the stock (negative when it fell); `ratio`: the rate over the rows
added since (Δ quantity / Δ base), None when no base was added. Milestone and declared distinct
items that were missing then and are not now are `new_items`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..report import PlanReport, Status, TargetRow


@dataclass(frozen=True)
class Change:
    now: TargetRow
    then: TargetRow | None
    done: Decimal | None
    new_items: tuple[str, ...] = ()

    @property
    def status_then(self) -> Status | None:
        return self.then.status if self.then is not None else None

    @property
    def changed(self) -> bool:
        return self.then is not None and self.then.status != self.now.status

    @property
    def newly_met(self) -> bool:
        return self.changed and self.now.status == Status.MET

    @property
    def newly_violated(self) -> bool:
        return self.changed and self.now.status == Status.VIOLATED

    @property
    def improved(self) -> bool | None:
        """Whether the status moved to a better one (滯後 → 正常推進); None when it did not move."""
        if not self.changed or self.then is None:
            return None
        return BETTER.index(self.now.status) < BETTER.index(self.then.status)


# best first, for "improved": a target that is met is better off than one on track, and so on
BETTER = (
    Status.MET,
    Status.ON_TRACK,
    Status.NO_TARGET,
    Status.NO_DATA,
    Status.BEHIND,
    Status.OVERDUE,
    Status.VIOLATED,
)


def key(row: TargetRow) -> tuple[str, str, str]:
    return (row.task, row.indicator, row.scope)


def done_since(now: TargetRow, then: TargetRow | None) -> Decimal | None:
    if now.measure == "qualitative":
        return Decimal(now.rows - (then.rows if then else 0))
    if now.measure == "ratio":
        num, base = now.numerator, now.base
        if then is not None and then.numerator is not None and then.base is not None and num is not None:
            num, base = num - then.numerator, (base or 0) - then.base
        if num is None or not base:
            return None
        return num / base * (100 if now.unit == "%" else 1)
    if now.actual is None:
        return None
    before = then.actual if then is not None and then.actual is not None else Decimal(0)
    return now.actual - before


def changes(now: PlanReport, then: PlanReport | None) -> list[Change]:
    earlier = {key(t): t for t in then.targets} if then is not None else {}
    found = []
    for row in now.targets:
        old = earlier.get(key(row))
        items = tuple(i for i in (old.missing_items if old else ()) if i not in row.missing_items)
        found.append(Change(row, old, done_since(row, old), items))
    return found
