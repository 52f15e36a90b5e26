"""Plan text in the output's script: a report whose titles, names, areas, items, units and leads
read in the chosen language's script (Simplified for zh-Hans, Traditional for zh-Hant), for the
formats people read. JSON and plain CSV keep the plan's own spelling: tools match it."""

from __future__ import annotations

from dataclasses import replace

from ..core.i18n import language, plan_text, plan_texts
from ..core.report import PlanReport, Report, TargetRow


def in_output_script(report: Report) -> Report:
    if language() == "en":
        return report
    return replace(report, plans=tuple(_plan(p) for p in report.plans))


def _plan(plan: PlanReport) -> PlanReport:
    return replace(plan, title=plan_text(plan.title), targets=tuple(_target(t) for t in plan.targets))


def _target(target: TargetRow) -> TargetRow:
    return replace(
        target,
        task_title=plan_text(target.task_title),
        name=plan_text(target.name),
        scope=plan_text(target.scope),
        unit=plan_text(target.unit) if target.unit else target.unit,
        value_text=plan_text(target.value_text) if target.value_text else target.value_text,
        lead=plan_text(target.lead),
        lead_department=plan_text(target.lead_department) if target.lead_department else None,
        lead_leader=plan_text(target.lead_leader) if target.lead_leader else None,
        missing_items=plan_texts(target.missing_items),
        unreported=plan_texts(target.unreported),
        latest_note=plan_text(target.latest_note) if target.latest_note else None,
    )
