"""Plan-level checks (DOMAIN §8): each a function plan → diagnostics, listed in PLAN_CHECKS."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from .compiled import CompiledPlan
from .findings import Finding, ParseError
from .i18n import _
from .model import Area, Plan
from .names import fold
from .quantity import Comparator
from .targets import ResolvedTarget

# The old name of CompiledPlan, kept while other modules still import it from here.
PlanContext = CompiledPlan


def check_unique_ids(ctx: CompiledPlan) -> list[Finding]:
    plan, found = ctx.plan, []

    def unique(entries: list[tuple[str, tuple]], what: str) -> None:
        first: dict[str, tuple] = {}
        for name, at in entries:
            key = fold(name)
            if key in first:
                line = plan.where(*first[key]).line
                found.append(
                    Finding("duplicate-id", f"duplicate {what} {name!r} (first at line {line})", plan.where(*at))
                )
            else:
                first[key] = at

    unique([(t.id, ("tasks", i, "id")) for i, t in enumerate(plan.tasks)], "task id")
    unique([(ind.id, (*at, "id")) for at, _task, ind in plan.indicators_at()], "indicator id")
    groups = [(g.name, ("groups", gi, "name")) for gi, g in enumerate(plan.groups)]
    unique(_area_names(plan.areas, ("areas",)) + groups, "area or group name")
    for at, _task, ind in plan.indicators_at():
        unique([(item.name, (*at, "items", n)) for n, item in enumerate(ind.items)], f"item of {ind.id}")
    unique([(p.name, ("phases", i, "name")) for i, p in enumerate(plan.phases)], "phase name")
    return found


def _area_names(area: Area, at: tuple) -> list[tuple[str, tuple]]:
    names = [(area.name, (*at, "name"))]
    for n, child in enumerate(area.children):
        names += _area_names(child, (*at, "children", n))
    return names


def check_references(ctx: CompiledPlan) -> list[Finding]:
    """Scopes, group members, item areas and components name things the plan has."""
    plan, tree, found = ctx.plan, ctx.tree, list(ctx.target_problems)
    for gi, group in enumerate(plan.groups):
        for mi, member in enumerate(group.members):
            try:
                tree.resolve(member)
            except ParseError as exc:
                found.append(Finding(exc.code, exc.message, plan.where("groups", gi, "members", mi)))
    ids = {ind.id: ind for _task, ind in plan.indicators()}
    for at, _task, ind in plan.indicators_at():
        for n, item in enumerate(ind.items):
            if item.area:
                try:
                    tree.resolve(item.area)
                except ParseError as exc:
                    found.append(Finding(exc.code, exc.message, plan.where(*at, "items", n, "area")))
        for n, component in enumerate(ind.components):
            other = ids.get(component)
            if other is None or other is ind:
                found.append(
                    Finding(
                        "unknown-indicator",
                        f"component {component!r} is not another indicator of this plan",
                        plan.where(*at, "components", n),
                    )
                )
            elif fold(other.unit or "") != fold(ind.unit or ""):
                found.append(
                    Finding(
                        "unit-mismatch",
                        f"component {component} is in {other.unit}, {ind.id} in {ind.unit}",
                        plan.where(*at, "components", n),
                    )
                )
    return found


def check_measures(ctx: CompiledPlan) -> list[Finding]:
    """Each measure gets what it needs: ratio in %, milestone with items, key only on distinct."""
    plan, found = ctx.plan, []
    for at, _task, ind in plan.indicators_at():
        if ind.measure == "ratio" and ind.unit not in (None, "%", "％"):
            found.append(
                Finding("unit-mismatch", f"{ind.id} is a ratio; its unit is %, not {ind.unit}", plan.where(*at, "unit"))
            )
        if ind.measure == "milestone" and not ind.items:
            found.append(
                Finding("missing-items", f"{ind.id} is a milestone; list its items", plan.where(*at, "measure"))
            )
        if ind.key is not None and ind.measure != "distinct":
            found.append(
                Finding("schema", f"{ind.id}: key applies only to distinct indicators", plan.where(*at, "key"))
            )
        if not ind.targets:
            found.append(
                Finding("missing-target", f"{ind.id} has no target; give it at least a scope", plan.where(*at))
            )
    for target in ctx.targets:
        if target.value is not None and target.value < 0:
            found.append(
                Finding(
                    "invalid-number",
                    f"{target.indicator.id} {target.scope.label}: a target cannot be negative",
                    plan.where(*target.at, "value"),
                )
            )
    return found


def _nested_pairs(targets: list[ResolvedTarget]) -> list[tuple[ResolvedTarget, ResolvedTarget]]:
    """(inner, outer) for targets of one indicator whose scope lies strictly inside another's,
    outer being the smallest enclosing scope."""
    pairs = []
    by_indicator: dict[str, list[ResolvedTarget]] = defaultdict(list)
    for t in targets:
        by_indicator[t.indicator.id].append(t)
    for group in by_indicator.values():
        for inner in group:
            outers = [o for o in group if inner.scope.areas < o.scope.areas]
            if outers:
                pairs.append((inner, min(outers, key=lambda o: len(o.scope.areas))))
    return pairs


def check_nested_targets(ctx: CompiledPlan) -> list[Finding]:
    """其中城六區…: a part's target is not above the whole's (additive measures only)."""
    found = []
    for inner, outer in _nested_pairs(ctx.targets):
        if inner.indicator.measure not in ("sum", "distinct", "latest", "milestone"):
            continue
        if inner.value is None or outer.value is None or inner.comparator == Comparator.AT_MOST:
            continue
        if inner.value > outer.value:
            found.append(
                Finding(
                    "nested-target",
                    _(
                        "{id}: target for {inner} ({inner_value}) is above the target for {outer} ({outer_value}),"
                        " which contains it"
                    ).format(
                        id=inner.indicator.id,
                        inner=inner.scope.label,
                        inner_value=_num(inner.value),
                        outer=outer.scope.label,
                        outer_value=_num(outer.value),
                    ),
                    ctx.plan.where(*inner.at, "value"),
                )
            )
    return found


def check_components(ctx: CompiledPlan) -> list[Finding]:
    """A whole with declared components equals their sum wherever they all have a target."""
    found = []
    by_key = {(t.indicator.id, t.scope.areas): t for t in ctx.targets}
    for whole in ctx.targets:
        parts = whole.indicator.components
        if not parts or whole.value is None:
            continue
        matches = [by_key.get((part, whole.scope.areas)) for part in parts]
        if any(m is None or m.value is None for m in matches):
            continue
        total = sum((m.value for m in matches), Decimal(0))
        if total != whole.value:
            sum_text = " + ".join(f"{m.indicator.id} ({_num(m.value)})" for m in matches)
            found.append(
                Finding(
                    "components-sum",
                    f"{whole.indicator.id} {whole.scope.label} is {_num(whole.value)} but {sum_text} = {_num(total)}",
                    ctx.plan.where(*whole.at, "value"),
                )
            )
    return found


def check_dates(ctx: CompiledPlan) -> list[Finding]:
    plan, found = ctx.plan, []
    start, end = plan.period.start, plan.period.end
    if start > end:
        found.append(
            Finding("out-of-period", f"the period ends ({end}) before it starts ({start})", plan.where("period", "end"))
        )
    paces = [i for i, p in enumerate(plan.phases) if p.pace]
    for extra in paces[1:]:
        found.append(Finding("schema", "only one phase can be the pace period", plan.where("phases", extra, "pace")))
    for i, phase in enumerate(plan.phases):
        if phase.start > phase.end:
            found.append(
                Finding("out-of-period", f"phase {phase.name} ends before it starts", plan.where("phases", i, "end"))
            )
        for field, day in (("start", phase.start), ("end", phase.end)):
            if not start <= day <= end:
                found.append(
                    Finding(
                        "out-of-period",
                        f"phase {phase.name} {field}s on {day}, outside the period {start} … {end}",
                        plan.where("phases", i, field),
                    )
                )
    for at, _task, ind in plan.indicators_at():
        deadlines = [((*at, "deadline"), ind.deadline)]
        deadlines += [((*at, "targets", n, "deadline"), t.deadline) for n, t in enumerate(ind.targets)]
        deadlines += [((*at, "items", n, "deadline"), item.deadline) for n, item in enumerate(ind.items)]
        for where, day in deadlines:
            if day is not None and day < start:
                found.append(
                    Finding(
                        "out-of-period",
                        f"{ind.id}: deadline {day} is before the plan starts ({start})",
                        plan.where(*where),
                    )
                )
    return found


def check_owners(ctx: CompiledPlan) -> list[Finding]:
    """Blank names are kept, as the source has them, and warned about: someone must own the work."""
    plan, found = ctx.plan, []
    for i, leader in enumerate(plan.organisation.leaders):
        if not (leader.name or "").strip():
            found.append(
                Finding("blank-owner", f"{leader.role} is left blank", plan.where("organisation", "leaders", i, "name"))
            )
    for i, dept in enumerate(plan.organisation.departments):
        head = ("organisation", "departments", i, "head")
        if plan.written(*head) and not (dept.head or "").strip():
            found.append(Finding("blank-owner", f"{dept.name} 負責人 is left blank", plan.where(*head)))
    return found


PLAN_CHECKS: tuple[Callable[[CompiledPlan], list[Finding]], ...] = (
    check_unique_ids,
    check_references,
    check_measures,
    check_nested_targets,
    check_components,
    check_dates,
    check_owners,
)


def check_plan(plan: Plan) -> tuple[CompiledPlan, list[Finding]]:
    ctx = CompiledPlan(plan)
    found: list[Finding] = []
    for check in PLAN_CHECKS:
        found += check(ctx)
    return ctx, found


def _num(value: Decimal) -> str:
    return f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,f}"
