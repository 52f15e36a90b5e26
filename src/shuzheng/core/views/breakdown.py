"""A target broken down over units: the areas directly below its scope, or the ledgers' 責任單位.

Each unit's contribution is the target's own measure over the unit's part (reconcile.measure_over),
so the parts of a `sum` target add up to its actual exactly. Units are ranked (排名) by their own
completion where the plan gives every one of them a target for the same indicator, else by
contribution; equal figures share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..areas import AreaTree
from ..i18n import N_, _
from ..report import Status, TargetRow

# Units that are no area or department of the plan: marks here, shown by unit_label in the
# output's language (a UnitRow holds the shown name).
OWN_LEVEL = N_("(own level)")  # rows recorded at the scope's own area, not below it
NO_DEPARTMENT = N_("(no department given)")  # rows whose 責任單位 is empty


def unit_label(unit: str) -> str:
    """A unit as a breakdown shows it: a plan's name as it is, the two marks in the output's language."""
    return _(unit) if unit in (OWN_LEVEL, NO_DEPARTMENT) else unit


@dataclass(frozen=True)
class Contribution:
    unit: str
    actual: Decimal | None
    base: Decimal  # a ratio's base: the unit's weight in the whole
    rows: int
    own: TargetRow | None  # the unit's own target for the indicator, where the plan gives one


@dataclass(frozen=True)
class UnitRow:
    unit: str
    actual: Decimal | None
    share: Decimal | None  # of the whole's actual (a ratio: of its base)
    rows: int
    value: Decimal | None = None  # the unit's own target
    ratio: Decimal | None = None
    status: Status | None = None
    light: str | None = None
    rank: int | None = None
    rank_change: int | None = None  # places gained since an earlier date (+2 is ↑2)


@dataclass(frozen=True)
class Breakdown:
    target: TargetRow
    by: str  # "area" | "department"
    ranked_by: str  # "completion" | "contribution"
    units: tuple[UnitRow, ...]


def children_of(tree: AreaTree, scope: str | list[str], areas: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
    """The units directly below a scope, each with the areas it covers: a group's members, a list's
    areas, an area's children; rows at the scope's own area (above every child) are OWN_LEVEL."""
    names = scope if isinstance(scope, list) else [scope]
    units: list[str] = []
    if len(names) > 1:
        units = [tree.find(n) or n for n in names]
    else:
        name = tree.find(names[0]) or names[0]
        if name in tree.groups:
            group = next((g for g in tree_groups(tree) if g[0] == name), None)
            units = list(group[1]) if group else []
        else:
            units = list(tree.children.get(name, ()))
    found = [(u, tree.below(u) & areas) for u in units if u in tree.parent or u in tree.groups]
    covered = frozenset().union(*(a for _, a in found)) if found else frozenset()
    rest = areas - covered
    if rest:
        found.append((OWN_LEVEL, rest))
    return found


def tree_groups(tree: AreaTree) -> list[tuple[str, list[str]]]:
    """Groups with their members in the plan's order (a group's areas are a set; its members are not)."""
    members = getattr(tree, "members", None)
    if members:
        return list(members.items())
    # members in tree order: the areas of the group that have no ancestor inside it
    found = []
    for name, covered in tree.groups.items():
        top = [a for a in tree.parent if a in covered and tree.parent.get(a) not in covered]
        found.append((name, top))
    return found


def breakdown(target: TargetRow, by: str, parts: list[Contribution]) -> Breakdown:
    whole = target.base if target.measure == "ratio" else target.actual
    ranked_by = "completion" if parts and all(p.own is not None and p.own.ratio is not None for p in parts) else ""
    ranked_by = ranked_by or "contribution"
    rows = []
    for p in parts:
        weight = p.base if target.measure == "ratio" else p.actual
        share = weight / whole if whole and weight is not None else None
        own = p.own
        rows.append(
            UnitRow(
                unit_label(p.unit),
                p.actual,
                share,
                p.rows,
                own.value if own else None,
                own.ratio if own else None,
                own.status if own else None,
                own.light if own else None,
            )
        )
    keys = [(r.ratio if ranked_by == "completion" else r.actual) for r in rows]
    ranks = _ranks([None if p.unit == OWN_LEVEL else key for p, key in zip(parts, keys, strict=True)])
    rows = [_with_rank(r, ranks[i]) for i, r in enumerate(rows)]
    order = sorted(range(len(rows)), key=lambda i: (rows[i].rank is None, rows[i].rank or 0, i))
    return Breakdown(target, by, ranked_by, tuple(rows[i] for i in order))


def _ranks(keys: list[Decimal | None]) -> list[int | None]:
    """Competition ranks, highest first; units without a figure (and the own-level rest) are not ranked."""
    ranked = sorted(((k, i) for i, k in enumerate(keys) if k is not None), key=lambda p: -p[0])
    ranks: list[int | None] = [None] * len(keys)
    for place, (key, index) in enumerate(ranked):
        same = place and ranked[place - 1][0] == key
        ranks[index] = ranks[ranked[place - 1][1]] if same else place + 1
    return ranks


def _with_rank(row: UnitRow, rank: int | None) -> UnitRow:
    return replace(row, rank=rank)


def with_rank_changes(now: Breakdown, then: Breakdown | None) -> Breakdown:
    """Places each unit gained (+) or lost (−) since the earlier breakdown of the same target."""
    if then is None:
        return now

    before = {u.unit: u.rank for u in then.units}
    units = tuple(
        replace(u, rank_change=before[u.unit] - u.rank) if u.rank is not None and before.get(u.unit) is not None else u
        for u in now.units
    )
    return replace(now, units=units)
