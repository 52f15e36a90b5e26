"""The 催报 list as text: table, md, json, and a short text to paste into a chat message."""

from __future__ import annotations

import json

from ..core.due import DueList, PlanDue, TargetDue, UnitDue
from ..core.i18n import _
from .markdown import cell, table, width
from .numbers import percent


def _unit_state(u: UnitDue, as_of) -> str:  # noqa: ANN001
    if u.received is None:
        return _("missing, {n} days past due").format(n=(as_of - u.due).days)
    return _("received {day}, {n} days late").format(day=u.received.date(), n=(u.received.date() - u.due).days)


def _target_state(t: TargetDue) -> str:
    if t.days_left < 0:
        return _("{n} days overdue").format(n=-t.days_left)
    return _("due in {n} days").format(n=t.days_left)


def _unit_rows(plan: PlanDue, as_of) -> list[list[str]]:  # noqa: ANN001
    return [[u.grade.label, u.unit, u.period, str(u.due), _unit_state(u, as_of)] for u in plan.units]


def _target_rows(plan: PlanDue) -> list[list[str]]:
    return [
        [
            t.grade.label,
            t.indicator,
            t.name,
            t.scope,
            str(t.deadline),
            percent(t.ratio) if t.ratio is not None else "—",
            t.status.label,
            _target_state(t),
            t.lead,
        ]
        for t in plan.targets
    ]


UNIT_HEADER = ("色", "报送单位", "期别", "应报日", "情况")
TARGET_HEADER = ("色", "指标", "名称", "范围", "期限", "完成", "状态", "情况", "牵头")


def _plain(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells) -> str:  # noqa: ANN001
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def _plan_heading(plan: PlanDue) -> str:
    if plan.period is None:
        return _("{title} [{id}]: no report due yet ({cadence})").format(
            title=plan.title, id=plan.plan, cadence=plan.cadence
        )
    return _("{title} [{id}]: report for {period} due {due} ({cadence})").format(
        title=plan.title, id=plan.plan, period=plan.period, due=plan.due, cadence=plan.cadence
    )


def render_table(due: DueList) -> str:
    out = [_("催报 / 督办 as of {day}").format(day=due.as_of), ""]
    for plan in due.plans:
        out.append(_plan_heading(plan))
        out.append("")
        if plan.units:
            out.append(_plain(UNIT_HEADER, _unit_rows(plan, due.as_of)))
        else:
            out.append(_("every unit has reported") + "\n")
        if plan.targets:
            out.append(_plain(TARGET_HEADER, _target_rows(plan)))
        else:
            out.append(_("no target overdue, behind, or due within 14 days") + "\n")
    return "\n".join(out)


def render_md(due: DueList) -> str:
    out = ["# " + cell(_("催报 / 督办 as of {day}").format(day=due.as_of)), ""]
    for plan in due.plans:
        out += ["## " + cell(_plan_heading(plan)), ""]
        if plan.units:
            out += [table(UNIT_HEADER, _unit_rows(plan, due.as_of)).rstrip("\n"), ""]
        else:
            out += [_("every unit has reported"), ""]
        if plan.targets:
            out += [table(TARGET_HEADER, _target_rows(plan)).rstrip("\n"), ""]
        else:
            out += [_("no target overdue, behind, or due within 14 days"), ""]
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


def _names(names: list[str], sep: str = "、") -> str:
    if len(names) <= TEXT_LIMIT:
        return sep.join(names)
    return _("{names} and {n} more").format(names=sep.join(names[:TEXT_LIMIT]), n=len(names) - TEXT_LIMIT)


def _chat(t: TargetDue) -> str:
    """1.1 城六區 56.1%; 11.1 懷柔區 逾期199天; 0.1 海陵區 5天後到期."""
    if t.days_left < 0:
        state = _("{status}, {n} days overdue").format(status=t.status.label, n=-t.days_left)
    elif t.grade.value == "blue":
        state = _("due in {n} days").format(n=t.days_left)
    else:
        state = t.status.label + (f" {percent(t.ratio)}" if t.ratio is not None else "")
    return f"{t.indicator} {t.scope} {state}"


def render_text(due: DueList) -> str:
    """A few lines per plan, short enough for a chat message."""
    out = [_("【催报】截至{day}").format(day=due.as_of)]
    for plan in due.plans:
        lines: list[str] = []
        missing = [u.unit for u in plan.units if u.received is None]
        late = [u.unit for u in plan.units if u.received is not None]
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
            lines.append(f"{mark} {label} ({len(targets)}): {_names([_chat(t) for t in targets], '；')}")
        if lines:
            out.append(f"[{plan.plan}]")
            out += lines
    if len(out) == 1:
        out.append(_("nothing late"))
    return "\n".join(out) + "\n"


def render(due: DueList, fmt: str) -> str:
    return {"md": render_md, "json": render_json, "text": render_text}.get(fmt, render_table)(due)
