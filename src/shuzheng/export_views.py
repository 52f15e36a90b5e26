"""The views the office's documents carry beyond the report (`export --format docx|xlsx|html`): what changed
since an earlier date (`--since`, as `progress --since` and the md briefing's 「与上期相比」), the areas below
each target ranked (the workbook's 排名 sheets, as `progress --by area`) and each headline target's burn-up
series (as `shuzheng chart`). The same views_service calls as those commands; cli.py `export` hands the
result to the renderer as options (render/bulletin.py holds their shapes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .core.findings import UsageError
from .core.i18n import _
from .service import ProgressResult


def office_views(
    result: ProgressResult, plans: list[str] | None, ledgers: list[str] | None, since: str | None, format: str
) -> dict[str, Any]:
    """Options for the docx, xlsx or html renderer: since (docx, xlsx, html), burnups (xlsx, html),
    breakdowns (xlsx)."""
    from . import views_service as vs
    from .core.views.periods import periods
    from .core.views.since import key
    from .render import bulletin
    from .views_cli import parse_day

    report = result.report
    since_day = parse_day("--since", since)
    if since_day is not None and since_day >= report.as_of:
        raise UsageError(
            _("--since {since} is not before the as-of date {as_of}").format(since=since_day, as_of=report.as_of),
            "usage",
        )
    cut_days: dict[str, list[date]] = {}
    if format in ("xlsx", "html"):  # a point a week from the plan's start to the as-of date
        for plan in report.plans:
            if plan.start <= report.as_of and bulletin.burnup_targets(plan):
                cut_days[plan.id] = [plan.start, *(p.end for p in periods(plan.start, report.as_of, "week"))]
    dates = {d for days in cut_days.values() for d in days} | ({since_day} if since_day else set())
    cuts = vs.reports_at(plans, ledgers, dates) if dates else {}
    options: dict[str, Any] = {}
    if since_day is not None:
        options["since"] = bulletin.Since(since_day, vs.since_changes(report, cuts[since_day]))
    if cut_days:
        burnups: dict[str, dict[tuple[str, str, str], tuple[bulletin.Point, ...]]] = {}
        for plan in report.plans:
            if plan.id not in cut_days:
                continue
            at = {d: _rows(cuts[d], plan.id, key) for d in cut_days[plan.id]}
            burnups[plan.id] = {
                bulletin.key(t): tuple(
                    bulletin.Point(d, row.actual, row.expected)
                    for d in cut_days[plan.id]
                    if (row := at[d].get(key(t))) is not None
                )
                for t in bulletin.burnup_targets(plan)
            }
        options["burnups"] = burnups
    if format == "xlsx":
        options["breakdowns"] = vs.area_breakdowns(vs.plan_rows(plans, ledgers), report, report)
    return options


def _rows(report: Any, plan_id: str, key: Any) -> dict:
    plan = next((p for p in report.plans if p.id == plan_id), None)
    return {key(t): t for t in plan.targets} if plan is not None else {}
