"""The views behind `progress --by/--since/--begin/--end`, `progress --district` for an area with no
target of its own, and the `rows` and `chart` commands: options in, text out (cli.py only calls these)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .core.findings import UsageError
from .core.i18n import _, ngettext, plan_text
from .core.report import PlanReport, Report, Selection, TargetRow, select
from .core.views.since import key
from .service import ProgressResult

BY_PERIOD = ("day", "week", "month", "quarter")
BY_UNIT = ("area", "department")


def parse_day(option: str, text: str | None) -> date | None:
    from .core.dates import parse_date
    from .core.findings import ParseError

    if text is None:
        return None
    try:
        return parse_date(text)
    except ParseError as exc:
        raise UsageError(_("{option}: {message}").format(option=option, message=exc.message), exc.code) from None


def progress_view(
    result: ProgressResult,
    selection: Selection,
    plans: list[str] | None,
    ledgers: list[str] | None,
    by: str | None,
    since: str | None,
    begin: str | None,
    end: str | None,
    district: str | None,
    format: str,
    color: bool = False,
    width: int = 160,
) -> str | None:
    """The text of a view, or None when no view option applies (the plain completion table)."""
    from . import views_service as vs
    from .render import views_report as vr

    since_day, begin_day, end_day = parse_day("--since", since), parse_day("--begin", begin), parse_day("--end", end)
    report = select(result.report, selection)
    as_of = report.as_of
    if since_day is not None and since_day >= as_of:
        raise UsageError(
            _("--since {since} is not before the as-of date {as_of}").format(since=since_day, as_of=as_of), "usage"
        )
    if (begin_day or end_day) and by not in BY_PERIOD:
        raise UsageError(_("--begin and --end limit the periods of --by day|week|month|quarter"), "usage")
    if by in BY_PERIOD:
        return vr.render(_periods(report, plans, ledgers, by, begin_day, end_day), format, color, width)
    if by in BY_UNIT:
        rows = vs.plan_rows(plans, ledgers)
        if by == "area":
            found = vs.area_breakdowns(rows, report, result.report)
            if since_day is not None:
                then = select(vs.reports_at(plans, ledgers, [since_day])[since_day], selection)
                earlier = vs.area_breakdowns(rows, then, then)  # cut at the since date
                found = _with_changes(found, earlier)
        else:
            found = vs.department_breakdowns(rows, report)
        return vr.render(vr.breakdown_view(as_of, by, _titled(report, found)), format, color, width)
    if since_day is not None:
        then = vs.reports_at(plans, ledgers, [since_day])[since_day]
        return vr.render(vr.since_view(as_of, since_day, _titled(report, vs.since_changes(report, then))), format)
    if district is not None and not any(p.targets for p in report.plans):
        return _district(result, selection, plans, ledgers, district, format, color, width)
    return None


def since_text(result: ProgressResult, plans: list[str] | None, ledgers: list[str] | None, since: str | None) -> str:
    """The briefing's section on what changed since the --since date, for export --since ('' without it)."""
    from . import views_service as vs
    from .render.views_report import since_paragraph

    day = parse_day("--since", since)
    if day is None:
        return ""
    then = vs.reports_at(plans, ledgers, [day])[day]
    changes = [c for found in vs.since_changes(result.report, then).values() for c in found]
    return "## " + _("Compared with the last report") + "\n\n" + since_paragraph(day, changes) + "\n"


def _periods(report: Report, plans, ledgers, by: str, begin: date | None, end: date | None):
    from . import views_service as vs
    from .core.views.periods import cut_dates, period_rows, periods
    from .render import views_report as vr

    spans = {}
    for plan in report.plans:
        last = min(report.as_of, end or report.as_of, max([plan.end, *(t.deadline for t in plan.targets)]))
        spans[plan.id] = periods(max(begin or plan.start, plan.start), last, by)
    dates = {d for found in spans.values() for d in cut_dates(found)}
    cuts = vs.reports_at(plans, ledgers, dates)
    index = {(day, p.id): {key(t): t for t in p.targets} for day, r in cuts.items() for p in r.plans}
    shown = [
        (p.id, p.title, period_rows(p.targets, spans[p.id], lambda day, p=p: index.get((day, p.id), {})))
        for p in report.plans
    ]
    return vr.periods_view(report.as_of, by, shown)


def _with_changes(now: dict, then: dict) -> dict:
    from .core.views.breakdown import with_rank_changes

    found = {}
    for plan_id, breakdowns in now.items():
        earlier = {key(b.target): b for b in then.get(plan_id, [])}
        found[plan_id] = [with_rank_changes(b, earlier.get(key(b.target))) for b in breakdowns]
    return found


def _titled(report: Report, found: dict) -> list:
    return [(p.id, p.title, found.get(p.id, [])) for p in report.plans if p.id in found]


def _district(result, selection: Selection, plans, ledgers, district: str, format: str, color, width) -> str:
    """An area with no target of its own: its contribution to every target that contains it."""
    from . import views_service as vs
    from .render import views_report as vr
    from .service import district_areas

    areas = district_areas(result.contexts, district)
    wider = select(result.report, replace(selection, areas=None))
    wider = replace(wider, plans=tuple(p for p in wider.plans if p.id in areas))
    found = vs.district_contributions(vs.plan_rows(plans, ledgers), wider, areas, district)
    return vr.render(vr.district_view(wider.as_of, _titled(wider, found)), format, color, width)


def rows_text(
    plans: list[str] | None,
    ledgers: list[str] | None,
    indicator: str | None,
    district: str | None,
    as_of: date,
    format: str,
    color: bool = False,
    width: int = 160,
) -> str:
    """`shuzheng rows`: the counted ledger rows behind a figure. With --district, the rows inside the
    area or group (a target's scope: 城六區), so they add up to that target's actual."""
    from . import views_service as vs
    from .render import views_report as vr

    found = []
    for plan in vs.plan_rows(plans, ledgers):
        inside = None
        if district is not None:
            name = plan.ctx.tree.find(district)
            if name is None:
                continue
            inside = plan.ctx.tree.below(name)
        _, counted = vs.ledger_at(plan, as_of)
        found += [
            r
            for r in counted
            if (indicator is None or vs._same_id(r.row.indicator, indicator))
            and (inside is None or r.row.area in inside)
        ]
    if district is not None and not found:
        from .service import build_report, district_areas

        district_areas(build_report(plans, ledgers, as_of).contexts, district)  # an unknown name: exit 2, with hints
    return vr.render(vr.rows_view(as_of, found), format, color, width)


def chart_text(
    result: ProgressResult,
    plans: list[str] | None,
    ledgers: list[str] | None,
    indicator: str,
    scope: str | None,
    width: int = 100,
    height: int = 24,
    color: bool = False,
) -> str:
    """`shuzheng chart`: the burn-up of one target, cumulative actual against the pace line and the target."""
    from . import views_service as vs
    from .core.views.periods import periods

    target, plan = _one_target(result.report, indicator, scope)
    start, as_of = plan.start, result.report.as_of
    end = min(as_of, max(plan.end, target.deadline))
    days = periods(start, end, "day" if (end - start).days <= 120 else "week")
    cuts = vs.reports_at(plans, ledgers, [d.end for d in days])
    series = []
    for span in days:
        found = next((p for p in cuts[span.end].plans if p.id == plan.id), None)
        row = next((t for t in found.targets if key(t) == key(target)), None) if found else None
        series.append((span.end, float(row.actual) if row is not None and row.actual is not None else 0.0))
    return _plot(target, plan, series, width, height, color)


def _one_target(report: Report, indicator: str, scope: str | None) -> tuple[TargetRow, PlanReport]:
    from .core.names import fold

    found = [
        (t, p)
        for p in report.plans
        for t in p.targets
        if t.indicator == indicator.strip().rstrip(".") and (scope is None or fold(t.scope) == fold(scope))
    ]
    if not found and scope is not None:  # 城六区 for 城六區, 朝阳 for 朝陽區
        found = [
            (t, p) for p in report.plans for t in p.targets if t.indicator == indicator and fold(scope) in fold(t.scope)
        ]
    if not found:
        raise UsageError(_("no target of indicator {indicator} matches").format(indicator=indicator), "usage")
    if len(found) > 1 and scope is None:
        # Translators: the separator between names in a list (、 in Chinese)
        scopes = _(", ").join(plan_text(t.scope) for t, _p in found)
        raise UsageError(
            ngettext(
                "indicator {indicator} has {n} target ({scopes}); choose one with --scope",
                "indicator {indicator} has {n} targets ({scopes}); choose one with --scope",
                len(found),
            ).format(indicator=indicator, n=len(found), scopes=scopes),
            "usage",
        )
    return found[0]


def _plot(
    target: TargetRow, plan: PlanReport, series: list[tuple[date, float]], width: int, height: int, color: bool
) -> str:
    """Drawn with plotext (imported here only): the actual as a line of points, the pace line from
    the plan's start (0) to the deadline (the value), and the value as a horizontal line."""
    import datetime as dt

    import plotext

    def moment(day: date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day)

    scale = 10000.0 if "萬" in (target.value_text or "") else 1.0  # the plan counts in 萬: so does the axis
    series = [(d, v / scale) for d, v in series]
    figure = plotext.figure
    figure.clear()
    figure.plot_size(width, height)
    figure.theme("default" if color else "colorless")
    figure.date().activate()
    actual = figure.signal([moment(d) for d, _v in series], [v for _d, v in series], marker="•")
    actual.label(_("Actual"))
    figure.draw(actual)
    if target.value is not None and target.comparator != "at_most":
        value = float(target.value) / scale
        first, last = plan.start, target.deadline
        total = (last - first).days + 1
        days = [*range(0, total - 1, max(total // width, 1)), total - 1]
        pace = figure.signal(
            [moment(first + timedelta(days=n)) for n in days], [value * (n + 1) / total for n in days], marker="·"
        )
        pace.label(_("Expected pace"))
        figure.draw(pace)
        figure.line(value, "horizontal")  # drawn at once
        note = figure.text(moment(last), value, _("Target {value}").format(value=f"{value:,.10g}"), alignment="right")
        figure.draw(note)
    figure.title(
        _("{indicator} {name} ({scope})").format(
            indicator=target.indicator, name=plan_text(target.name), scope=plan_text(target.scope)
        )
    )
    figure.label(_("Date"), "x")
    figure.label(plan_text(("萬" if scale > 1 else "") + (target.unit or "")), "y")  # the plan's unit
    built = figure.build()
    text = str(built) if color else plotext.uncolorize(built)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
