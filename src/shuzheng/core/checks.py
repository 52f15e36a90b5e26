"""Plan-level checks: each a function plan → diagnostics, listed in PLAN_CHECKS."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from .areas import area_nodes
from .compiled import CompiledPlan
from .findings import Finding, ParseError
from .i18n import _
from .model import Plan
from .names import AmbiguousName, NameIndex, fold, id_key
from .quantity import Comparator
from .targets import ResolvedTarget

# The old name of CompiledPlan, kept while other modules still import it from here.
PlanContext = CompiledPlan


def check_unique_ids(ctx: CompiledPlan) -> list[Finding]:
    """Ids and names are unique by their fold (１.１ is 1.1), ids also without a trailing dot (1.1.)."""
    plan, found = ctx.plan, []

    def unique(entries: list[tuple[str, tuple]], message: str, key=fold, **names: str) -> None:  # type: ignore[no-untyped-def]
        first: dict[str, tuple] = {}
        for name, at in entries:
            folded = key(name)
            if folded in first:
                line = plan.where(*first[folded]).line
                found.append(Finding("duplicate-id", message.format(name=name, line=line, **names), plan.where(*at)))
            else:
                first[folded] = at

    tasks = [(t.id, ("tasks", i, "id")) for i, t in enumerate(plan.tasks)]
    unique(tasks, _("duplicate task id {name!r} (first at line {line})"), id_key)
    indicators = [(ind.id, (*at, "id")) for at, _task, ind in plan.indicators_at()]
    unique(indicators, _("duplicate indicator id {name!r} (first at line {line})"), id_key)
    areas = [(node.area.name, (*node.at, "name")) for node in area_nodes(plan.areas) if not node.cycle]
    groups = [(g.name, ("groups", gi, "name")) for gi, g in enumerate(plan.groups)]
    unique(areas + groups, _("duplicate area or group name {name!r} (first at line {line})"))
    for at, _task, ind in plan.indicators_at():
        items = [(item.name, (*at, "items", n)) for n, item in enumerate(ind.items)]
        unique(items, _("duplicate item {name!r} of {id} (first at line {line})"), id=ind.id)
    phases = [(p.name, ("phases", i, "name")) for i, p in enumerate(plan.phases)]
    unique(phases, _("duplicate phase name {name!r} (first at line {line})"))
    return found


def check_cycles(ctx: CompiledPlan) -> list[Finding]:
    """An area inside itself, a group that contains itself, an indicator that is its own component:
    each an error where the file closes the circle. The tree and the reconciler never loop on them."""
    plan, found = ctx.plan, []
    for node in area_nodes(plan.areas):
        if node.cycle:
            line = plan.where(*(node.first or ()), "name").line
            message = _("area {name!r} is inside itself (first at line {line}); an area appears once in the tree")
            found.append(
                Finding("area-cycle", message.format(name=node.area.name, line=line), plan.where(*node.at, "name"))
            )
    for gi, mi in ctx.tree.group_cycles:
        group = plan.groups[gi]
        message = _("group {group!r} would contain itself through its member {member!r}")
        found.append(
            Finding(
                "group-cycle",
                message.format(group=group.name, member=group.members[mi]),
                plan.where("groups", gi, "members", mi),
            )
        )
    found += _component_cycles(plan)
    return found


def _component_cycles(plan: Plan) -> list[Finding]:
    """Each component entry that leads back to an indicator already on the way (1.1 → 1.2 → 1.1)."""
    where = {ind.id: at for at, _task, ind in plan.indicators_at()}
    components = {ind.id: ind.components for _task, ind in plan.indicators()}
    found: list[Finding] = []
    done: set[str] = set()
    for start in components:
        if start in done:
            continue
        path = [start]
        stack = [(start, 0)]
        while stack:
            name, n = stack[-1]
            parts = components[name]
            if n == len(parts):
                stack.pop()
                path.pop()
                done.add(name)
                continue
            stack[-1] = (name, n + 1)
            part = parts[n]
            if part == name or part not in components:
                continue  # itself, or unknown: check_references says so
            if part in path:
                circle = " → ".join([*path[path.index(part) :], part])
                message = _("component {part} of {id} leads back to {part} ({circle}); components form no circle")
                found.append(
                    Finding(
                        "component-cycle",
                        message.format(part=part, id=name, circle=circle),
                        plan.where(*where[name], "components", n),
                    )
                )
            elif part not in done:
                path.append(part)
                stack.append((part, 0))
    return found


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
                        _("component {component!r} is not another indicator of this plan").format(component=component),
                        plan.where(*at, "components", n),
                    )
                )
            elif fold(other.unit or "") != fold(ind.unit or ""):
                found.append(
                    Finding(
                        "unit-mismatch",
                        _("component {component} is in {unit}, {id} in {own}").format(
                            component=component, unit=other.unit, id=ind.id, own=ind.unit
                        ),
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
                Finding(
                    "unit-mismatch",
                    _("{id} is a ratio; its unit is %, not {unit}").format(id=ind.id, unit=ind.unit),
                    plan.where(*at, "unit"),
                )
            )
        if ind.measure == "milestone" and not ind.items:
            found.append(
                Finding(
                    "missing-items",
                    _("{id} is a milestone; list its items").format(id=ind.id),
                    plan.where(*at, "measure"),
                )
            )
        if ind.key is not None and ind.measure != "distinct":
            found.append(
                Finding(
                    "schema",
                    _("{id}: key applies only to distinct indicators").format(id=ind.id),
                    plan.where(*at, "key"),
                )
            )
        if not ind.targets:
            found.append(
                Finding(
                    "missing-target",
                    _("{id} has no target; give it at least a scope").format(id=ind.id),
                    plan.where(*at),
                )
            )
    for target in ctx.targets:
        if target.value is not None and target.value < 0:
            found.append(
                Finding(
                    "invalid-number",
                    _("{id} {scope}: a target cannot be negative").format(
                        id=target.indicator.id, scope=target.scope.label
                    ),
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
                    _("{id} {scope} is {value} but {parts} = {total}").format(
                        id=whole.indicator.id,
                        scope=whole.scope.label,
                        value=_num(whole.value),
                        parts=sum_text,
                        total=_num(total),
                    ),
                    ctx.plan.where(*whole.at, "value"),
                )
            )
    return found


def check_dates(ctx: CompiledPlan) -> list[Finding]:
    plan, found = ctx.plan, []
    start, end = plan.period.start, plan.period.end
    if start > end:
        found.append(
            Finding(
                "out-of-period",
                _("the period ends ({end}) before it starts ({start})").format(end=end, start=start),
                plan.where("period", "end"),
            )
        )
    paces = [i for i, p in enumerate(plan.phases) if p.pace]
    for extra in paces[1:]:
        found.append(Finding("schema", _("only one phase can be the pace period"), plan.where("phases", extra, "pace")))
    for i, phase in enumerate(plan.phases):
        if phase.start > phase.end:
            found.append(
                Finding(
                    "out-of-period",
                    _("phase {name} ends before it starts").format(name=phase.name),
                    plan.where("phases", i, "end"),
                )
            )
        outside = (
            ("start", phase.start, _("phase {name} starts on {day}, outside the period {start} … {end}")),
            ("end", phase.end, _("phase {name} ends on {day}, outside the period {start} … {end}")),
        )
        for field, day, message in outside:
            if not start <= day <= end:
                found.append(
                    Finding(
                        "out-of-period",
                        message.format(name=phase.name, day=day, start=start, end=end),
                        plan.where("phases", i, field),
                    )
                )
    if plan.due is not None and plan.due < start:
        message = _("the plan's due date {day} is before the plan starts ({start})")
        found.append(Finding("out-of-period", message.format(day=plan.due, start=start), plan.where("due")))
    for at, _task, ind in plan.indicators_at():
        deadlines = [((*at, "deadline"), ind.deadline)]
        deadlines += [((*at, "targets", n, "deadline"), t.deadline) for n, t in enumerate(ind.targets)]
        deadlines += [((*at, "items", n, "deadline"), item.deadline) for n, item in enumerate(ind.items)]
        for where, day in deadlines:
            if day is not None and day < start:
                found.append(
                    Finding(
                        "out-of-period",
                        _("{id}: deadline {day} is before the plan starts ({start})").format(
                            id=ind.id, day=day, start=start
                        ),
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
                Finding(
                    "blank-owner",
                    _("{role} is left blank").format(role=leader.role),
                    plan.where("organisation", "leaders", i, "name"),
                )
            )
    for i, dept in enumerate(plan.organisation.departments):
        head = ("organisation", "departments", i, "head")
        if plan.written(*head) and not (dept.head or "").strip():
            message = _("the head (負責人) of {department} is left blank").format(department=dept.name)
            found.append(Finding("blank-owner", message, plan.where(*head)))
    return found


def check_leads(ctx: CompiledPlan) -> list[Finding]:
    """A lead department is one the plan lists under organisation.departments (by its fold). A plan
    that lists no departments (the source names none) has nothing to check a lead against."""
    plan, found = ctx.plan, []
    if not plan.organisation.departments:
        return found
    declared: NameIndex[str] = NameIndex()
    for dept in plan.organisation.departments:
        declared.add(dept.name, dept.name)
    leads = [(("organisation", "lead"), plan.organisation.lead)]
    leads += [(("tasks", i, "lead"), task.lead) for i, task in enumerate(plan.tasks)]
    for at, lead in leads:
        if lead is None or not (lead.department or "").strip():
            continue
        try:
            known = declared.get(lead.department)
        except AmbiguousName:
            known = lead.department
        if known is None:
            message = _("lead department {name!r} is not among organisation.departments{hint}")
            found.append(
                Finding(
                    "unknown-department",
                    message.format(name=lead.department, hint=declared.hint(lead.department)),
                    plan.where(*at, "department"),
                )
            )
    return found


def check_settings(ctx: CompiledPlan) -> list[Finding]:
    """lights: yellow comes before red; reporting: a due day that its cadence has."""
    plan, found = ctx.plan, []
    if plan.lights.yellow > plan.lights.red:
        message = _("lights: yellow ({yellow}) is above red ({red}); yellow is the smaller share")
        found.append(
            Finding("schema", message.format(yellow=plan.lights.yellow, red=plan.lights.red), plan.where("lights"))
        )
    reporting = plan.reporting
    if reporting is not None and reporting.due_day is not None:
        if reporting.cadence == "daily":
            message = _("reporting: a daily cadence has no due day; remove due_day")
            found.append(Finding("schema", message, plan.where("reporting", "due_day")))
        elif reporting.cadence == "weekly" and reporting.due_day > 7:
            message = _("reporting: a weekly due day is 1 (Monday) to 7 (Sunday), not {day}")
            found.append(Finding("schema", message.format(day=reporting.due_day), plan.where("reporting", "due_day")))
    return found


PLAN_CHECKS: tuple[Callable[[CompiledPlan], list[Finding]], ...] = (
    check_unique_ids,
    check_cycles,
    check_references,
    check_measures,
    check_nested_targets,
    check_components,
    check_dates,
    check_owners,
    check_leads,
    check_settings,
)


def check_plan(plan: Plan) -> tuple[CompiledPlan, list[Finding]]:
    ctx = CompiledPlan(plan)
    found: list[Finding] = []
    for check in PLAN_CHECKS:
        found += check(ctx)
    return ctx, found


def _num(value: Decimal) -> str:
    return f"{value:,f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:,f}"
