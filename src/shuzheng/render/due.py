"""The 催报 list as text: table, md, json, and a short text to paste into a chat message.

The people's formats say their words in the output's language and the plan's (names, scopes,
units, leads, titles) in its script; JSON keeps the plan's own spelling and the enum values."""

from __future__ import annotations

import json

from ..core.due import NEAR_DAYS, DueList, Grade, PlanDue, TargetDue, UnitDue
from ..core.i18n import N_, _, ngettext, plan_text
from .labels import clauses, headers, listed, status_label
from .markdown import cell, inline, table, width
from .numbers import percent

GRADE_LABEL = {Grade.RED: N_("red"), Grade.YELLOW: N_("yellow"), Grade.BLUE: N_("blue")}  # 三色督办, shown through _()
CADENCE_LABEL = {
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
}


def grade_label(grade: Grade) -> str:
    return _(GRADE_LABEL[Grade(grade)])


def cadence_label(cadence: str) -> str:
    return _(CADENCE_LABEL[cadence]) if cadence in CADENCE_LABEL else cadence


def _unit_state(u: UnitDue, as_of) -> str:  # noqa: ANN001
    if u.received is None:
        n = (as_of - u.due).days
        return ngettext("missing, {n} day past due", "missing, {n} days past due", n).format(n=n)
    n = (u.received.date() - u.due).days
    return ngettext("received {day}, {n} day late", "received {day}, {n} days late", n).format(
        day=u.received.date(), n=n
    )


def _overdue(n: int) -> str:
    return ngettext("{n} day overdue", "{n} days overdue", n).format(n=n)


def _due_in(n: int) -> str:
    return ngettext("due in {n} day", "due in {n} days", n).format(n=n)


def _target_state(t: TargetDue) -> str:
    return _overdue(-t.days_left) if t.days_left < 0 else _due_in(t.days_left)


def _unit_rows(plan: PlanDue, as_of) -> list[list[str]]:  # noqa: ANN001
    return [[grade_label(u.grade), plan_text(u.unit), u.period, str(u.due), _unit_state(u, as_of)] for u in plan.units]


def _target_rows(plan: PlanDue) -> list[list[str]]:
    return [
        [
            grade_label(t.grade),
            t.indicator,
            plan_text(t.name),
            plan_text(t.scope),
            str(t.deadline),
            percent(t.ratio) if t.ratio is not None else "—",
            status_label(t.status),
            _target_state(t),
            plan_text(t.lead),
        ]
        for t in plan.targets
    ]


def unit_header() -> tuple[str, ...]:
    # Translators: the columns of the reports due: grade (色), reporting unit, period, due date, state
    return (_("Grade"), _("Reporting unit"), _("Period"), _("Due"), _("State"))


def target_header() -> tuple[str, ...]:
    return (
        _("Grade"),
        *headers("indicator", "name", "scope", "deadline", "completion", "status"),
        _("State"),
        *headers("lead"),
    )


def _plain(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells) -> str:  # noqa: ANN001
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def _plan_heading(plan: PlanDue) -> str:
    if plan.period is None:
        return _("{title} [{id}]: no report due yet ({cadence})").format(
            title=plan_text(plan.title), id=plan.plan, cadence=cadence_label(plan.cadence)
        )
    return _("{title} [{id}]: report for {period} due {due} ({cadence})").format(
        title=plan_text(plan.title), id=plan.plan, period=plan.period, due=plan.due, cadence=cadence_label(plan.cadence)
    )


def _heading(due: DueList) -> str:
    # Translators: the title of `shuzheng due` (催报 / 督办)
    return _("Reports due and targets to chase, as of {day}").format(day=due.as_of)


def _all_reported() -> str:
    return _("every unit has reported")


def _none_late() -> str:
    return ngettext(
        "no target overdue, behind, or due within {n} day",
        "no target overdue, behind, or due within {n} days",
        NEAR_DAYS,
    ).format(n=NEAR_DAYS)


def render_table(due: DueList) -> str:
    out = [_heading(due), ""]
    for plan in due.plans:
        out.append(_plan_heading(plan))
        out.append("")
        if plan.units:
            out.append(_plain(unit_header(), _unit_rows(plan, due.as_of)))
        else:
            out.append(_all_reported() + "\n")
        if plan.targets:
            out.append(_plain(target_header(), _target_rows(plan)))
        else:
            out.append(_none_late() + "\n")
    return "\n".join(out)


def _md_table(heads: tuple[str, ...], rows: list[list[str]]) -> str:
    return table(heads, [[inline(c) for c in r] for r in rows]).rstrip("\n")


def render_md(due: DueList) -> str:
    out = ["# " + cell(_heading(due)), ""]
    for plan in due.plans:
        out += ["## " + cell(_plan_heading(plan)), ""]
        if plan.units:
            out += [_md_table(unit_header(), _unit_rows(plan, due.as_of)), ""]
        else:
            out += [_all_reported(), ""]
        if plan.targets:
            out += [_md_table(target_header(), _target_rows(plan)), ""]
        else:
            out += [_none_late(), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_json(due: DueList) -> str:
    data = {
        "as_of": due.as_of.isoformat(),
        "plans": [
            {
                "id": p.plan,
                "title": p.title,
                "cadence": p.cadence,
                "period": p.period,
                "due": p.due.isoformat() if p.due else None,
                "units": [
                    {
                        "unit": u.unit,
                        "period": u.period,
                        "due": u.due.isoformat(),
                        "received": u.received.isoformat(sep=" ") if u.received else None,
                        "grade": u.grade.value,
                    }
                    for u in p.units
                ],
                "targets": [
                    {
                        "indicator": t.indicator,
                        "name": t.name,
                        "scope": t.scope,
                        "deadline": t.deadline.isoformat(),
                        "status": t.status.value,
                        "ratio": float(round(t.ratio, 4)) if t.ratio is not None else None,
                        "days_left": t.days_left,
                        "lead": t.lead,
                        "grade": t.grade.value,
                    }
                    for t in p.targets
                ],
            }
            for p in due.plans
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


TEXT_LIMIT = 8  # names per line before 等N个


def _names(names: list[str], join=listed) -> str:  # noqa: ANN001 - listed or clauses
    if len(names) <= TEXT_LIMIT:
        return join(names)
    return _("{names} and {n} more").format(names=join(names[:TEXT_LIMIT]), n=len(names) - TEXT_LIMIT)


def _chat(t: TargetDue) -> str:
    """1.1 城六区 滞后 56.1%; 11.1 怀柔区 逾期，逾期 199 天; 0.1 海陵区 5 天后到期."""
    if t.days_left < 0:
        n = -t.days_left
        state = ngettext("{status}, {n} day overdue", "{status}, {n} days overdue", n).format(
            status=status_label(t.status), n=n
        )
    elif t.grade.value == "blue":
        state = _due_in(t.days_left)
    else:
        state = status_label(t.status) + (f" {percent(t.ratio)}" if t.ratio is not None else "")
    return f"{t.indicator} {plan_text(t.scope)} {state}"


def render_text(due: DueList) -> str:
    """A few lines per plan, short enough for a chat message."""
    # Translators: the first line of the chat message of `shuzheng due --format text`
    out = [_("[Reminder] as of {day}").format(day=due.as_of)]
    for plan in due.plans:
        lines: list[str] = []
        missing = [plan_text(u.unit) for u in plan.units if u.received is None]
        late = [plan_text(u.unit) for u in plan.units if u.received is not None]
        if missing:
            lines.append(
                _("🔴 {period} not received ({n}): {names}").format(
                    period=plan.period, n=len(missing), names=_names(missing)
                )
            )
        if late:
            lines.append(_("🟡 {period} received late: {names}").format(period=plan.period, names=_names(late)))
        for grade, mark in (("red", "🔴"), ("yellow", "🟡"), ("blue", "🔵")):
            targets = [t for t in plan.targets if t.grade.value == grade]
            if not targets:
                continue
            label = {"red": _("overdue or violated"), "yellow": _("behind"), "blue": _("due soon")}[grade]
            # Translators: one grade's targets in the chat message: 🔴 逾期或突破（2 项）：…
            lines.append(
                _("{mark} {label} ({n}): {names}").format(
                    mark=mark, label=label, n=len(targets), names=_names([_chat(t) for t in targets], clauses)
                )
            )
        if lines:
            out.append(f"[{plan.plan}]")
            out += lines
    if len(out) == 1:
        out.append(_("nothing late"))
    return "\n".join(out) + "\n"


def render(due: DueList, fmt: str) -> str:
    return {"md": render_md, "json": render_json, "text": render_text}.get(fmt, render_table)(due)
