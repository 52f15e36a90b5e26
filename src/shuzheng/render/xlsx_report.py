"""The progress workbook (openpyxl, imported inside render): 总表 (Summary), one 排名 (Ranking) sheet per plan,
滞后与逾期, 数据质量, and per plan a native Excel bar chart of each headline target's completion against the pace
expected by now and a native burn-up chart per headline target; with `since`, a sheet of what changed since.

Numbers are numbers (completion and pace as fractions under a percent format), the light is a conditional
fill on its own column, the header is frozen and filtered, and column widths count a CJK character as two.
Sheet names, headers and labels are in the chosen language; plan text in the output's script.

The views come as options from the command line (views_service, the same as `progress --by area`, `--since`
and `chart`): `breakdowns` (per plan id the areas below each target, ranked), `burnups` (per plan id, per
bulletin.key, the target's points at each cut date) and `since` (a bulletin.Since). Without `breakdowns` the
排名 sheet ranks sibling targets of one indicator (bulletin.rank_groups).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from wcwidth import wcswidth

from ..core.i18n import _, plan_text
from ..core.report import PlanReport, Report, TargetRow
from ..core.views.breakdown import OWN_LEVEL, Breakdown
from . import bulletin
from .briefing import worst_first
from .numbers import uses_wan

PERCENT = "0.0%"
NUMBER = "#,##0.00"
INTEGER = "#,##0"
HEAD_FILL = "D9D9D9"
BAD_SHEET = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _number(value: Decimal | None) -> float | int | None:
    """A Decimal as Excel holds it (a double); integers stay integers."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    width = wcswidth(text)
    return width if width >= 0 else len(text) * 2


def sheet_name(text: str, taken: set[str]) -> str:
    name = text.translate(BAD_SHEET)[:31]
    base, n = name, 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _table(ws: Any, headers: Sequence[str], rows: Sequence[Sequence[Any]], formats: dict[int, str]) -> None:
    """Header row in bold on grey, frozen, filtered; cells with their number formats; widths that fit."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEAD_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(list(row))
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt if fmt != NUMBER or isinstance(cell.value, float) else INTEGER
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for col in range(1, len(headers) + 1):
        cells = [headers[col - 1], *(row[col - 1] for row in rows)]
        shown = [
            f"{v:,.1%}" if col in formats and formats[col] == PERCENT and isinstance(v, float | int) else v
            for v in cells
        ]
        ws.column_dimensions[get_column_letter(col)].width = min(max(display_width(v) for v in shown) + 2, 60)


def _lights(ws: Any, col: int, last_row: int) -> None:
    """The light column's fill comes from a conditional format on its text (绿/黄/红, Green/Yellow/Red)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(col)
    ref = f"{letter}2:{letter}{max(last_row, 2)}"
    for light in bulletin.LIGHTS:
        fill = PatternFill("solid", start_color=bulletin.LIGHT_FILL[light], end_color=bulletin.LIGHT_FILL[light])
        rule = CellIsRule(operator="equal", formula=[f'"{bulletin.light_label(light)}"'], fill=fill)
        ws.conditional_formatting.add(ref, rule)


def target_headers() -> list[str]:
    return [
        _("Plan"),
        _("Task"),
        _("Indicator ID"),
        _("Name"),
        _("Scope"),
        _("Unit"),
        _("Target value"),
        _("Actual"),
        _("Completion"),
        _("Expected pace"),
        _("Status"),
        _("Light"),
        _("Deadline"),
        _("Lead department"),
        _("Leader in charge"),
    ]


def _target_row(plan_id: str, t: TargetRow) -> list[Any]:
    pace = t.expected if bulletin.gap(t) is not None else None
    return [
        plan_id,
        t.task,
        t.indicator,
        plan_text(t.name),
        plan_text(t.scope),
        bulletin.unit_of(t),
        _number(t.value),
        _number(t.actual),
        _number(t.ratio),
        _number(pace),
        bulletin.status_label(t.status),
        bulletin.light_label(bulletin._light_of(t)),
        t.deadline,
        plan_text(t.lead_department or "") or None,
        plan_text(t.lead_leader or "") or None,
    ]


def _targets_sheet(ws: Any, rows: list[tuple[str, TargetRow]]) -> None:
    data = [_target_row(plan_id, t) for plan_id, t in rows]
    _table(ws, target_headers(), data, {7: NUMBER, 8: NUMBER, 9: PERCENT, 10: PERCENT, 13: "yyyy-mm-dd"})
    _lights(ws, 12, len(data) + 1)


def _unit_name(unit: str) -> str:
    return _("(own level)") if unit == OWN_LEVEL else plan_text(unit)


def _ranking_sheet(ws: Any, plan: PlanReport, breakdowns: list[Breakdown] | None) -> None:
    """Per target, the areas directly below its scope (`progress --by area`): rank, contribution, share, rows,
    and the area's own target where the plan gives one. Without the views: sibling targets by completion."""
    if breakdowns is None:
        _sibling_ranking(ws, plan)
        return
    headers = [
        _("Indicator ID"),
        _("Name"),
        _("Scope"),
        _("Ranked by"),
        _("Rank"),
        _("Unit"),
        _("Contribution"),
        _("Share"),
        _("Rows"),
        _("Target value"),
        _("Completion"),
        _("Light"),
    ]
    data = []
    for b in breakdowns:
        t = b.target
        by = _("completion") if b.ranked_by == "completion" else _("contribution")
        for u in b.units:
            data.append(
                [
                    t.indicator,
                    plan_text(t.name),
                    plan_text(t.scope),
                    by,
                    u.rank,
                    _unit_name(u.unit),
                    _number(u.actual),
                    _number(u.share),
                    u.rows,
                    _number(u.value),
                    _number(u.ratio),
                    bulletin.light_label(u.light) if u.light else None,
                ]
            )
    _table(ws, headers, data, {7: NUMBER, 8: PERCENT, 10: NUMBER, 11: PERCENT})
    _lights(ws, 12, len(data) + 1)


def _sibling_ranking(ws: Any, plan: PlanReport) -> None:
    headers = [
        _("Indicator ID"),
        _("Name"),
        _("Scope above"),
        _("Rank"),
        _("Scope"),
        _("Target value"),
        _("Actual"),
        _("Completion"),
        _("Light"),
    ]
    data = []
    for head, members in bulletin.rank_groups(plan):
        for rank, (_index, t) in enumerate(members, 1):
            data.append(
                [
                    t.indicator,
                    plan_text(t.name),
                    plan_text(head.scope) if head else bulletin.NONE,
                    rank,
                    plan_text(t.scope),
                    _number(t.value),
                    _number(t.actual),
                    _number(t.ratio),
                    bulletin.light_label(bulletin._light_of(t)),
                ]
            )
    _table(ws, headers, data, {6: NUMBER, 7: NUMBER, 8: PERCENT})
    _lights(ws, 9, len(data) + 1)


def _attention_sheet(ws: Any, report: Report) -> None:
    _targets_sheet(ws, [(plan.id, t) for plan in report.plans for t in worst_first(plan.targets)])


def _quality_sheet(ws: Any, report: Report) -> None:
    """Every row not counted as it stands (and every correction): category, file, line, code, reason."""
    data = [[q.kind, q.file, q.line, q.code, q.reason] for q in bulletin.quality_rows(report)]
    _table(ws, bulletin.quality_headers(), data, {})


def _since_sheet(ws: Any, report: Report, since: bulletin.Since) -> None:
    """Per target, what changed since the earlier date: done since; actual, completion, status and light, then
    and now."""
    headers = [
        _("Plan"),
        _("Indicator ID"),
        _("Name"),
        _("Scope"),
        _("Unit"),
        _("Done since"),
        _("Actual then"),
        _("Actual"),
        _("Completion then"),
        _("Completion"),
        _("Status then"),
        _("Status"),
        _("Light then"),
        _("Light"),
    ]
    data = []
    for plan in report.plans:
        for c in since.changes.get(plan.id, []):
            t, then = c.now, c.then
            data.append(
                [
                    plan.id,
                    t.indicator,
                    plan_text(t.name),
                    plan_text(t.scope),
                    bulletin.unit_of(t),
                    _number(c.done) if t.measure != "ratio" else None,
                    _number(then.actual) if then else None,
                    _number(t.actual),
                    _number(then.ratio) if then else None,
                    _number(t.ratio),
                    bulletin.status_label(then.status) if then else None,
                    bulletin.status_label(t.status),
                    bulletin.light_label(then.light) if then else None,
                    bulletin.light_label(t.light),
                ]
            )
    _table(ws, headers, data, {6: NUMBER, 7: NUMBER, 8: NUMBER, 9: PERCENT, 10: PERCENT})
    _lights(ws, 14, len(data) + 1)


def _chart_sheet(ws: Any, plan: PlanReport) -> None:
    """One bar per headline target: its completion next to the pace expected by now, both as percent."""
    from openpyxl.chart import BarChart, Reference

    heads = [t for t in bulletin.headline_targets(plan) if t.ratio is not None and t.comparator != "at_most"]
    headers = [_("Target"), _("Completion"), _("Expected pace")]
    data = [[bulletin.label(t), _number(t.ratio), _number(t.expected)] for t in heads]
    _table(ws, headers, data, {2: PERCENT, 3: PERCENT})
    if not data:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _("{plan}: completion and expected pace").format(plan=plan_text(plan.title))
    chart.y_axis.title = _("Completion")
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # the plan's order from the top
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    values = Reference(ws, min_col=2, max_col=3, min_row=1, max_row=len(data) + 1)
    names = Reference(ws, min_col=1, min_row=2, max_row=len(data) + 1)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(names)
    chart.gapWidth = 40
    chart.height = max(8, 0.8 * len(data) + 3)
    chart.width = 24
    ws.add_chart(chart, "E2")


# The burn-up charts' grid on their sheet: two across, each this big (cm) and this many rows and columns apart.
BURNUP_W, BURNUP_H, BURNUP_ROWS, BURNUP_COLS = 16, 8, 17, 10


def _axis_unit(row: TargetRow, scale: float) -> str:
    unit = bulletin.unit_of(row) or ""
    return _("×10,000 {unit}").format(unit=unit).strip() if scale > 1 else unit


def _series_name(row: TargetRow, series: str, scale: float) -> str:
    unit = _axis_unit(row, scale)
    name = _("{target}: {series}").format(target=bulletin.short_label(row), series=series)
    return _("{name} ({unit})").format(name=name, unit=unit) if unit else name


def _burnup_sheets(data_ws: Any, chart_ws: Any, plan: PlanReport, series: dict[tuple[str, str, str], Any]) -> None:
    """Per headline target a native line chart: the cumulative actual at each cut date, the amount the pace
    expects by then and the target; its figures in columns of the data sheet (in 万 where the plan counts in 万)."""
    from openpyxl.chart import LineChart, Reference
    from openpyxl.chart.axis import DateAxis
    from openpyxl.chart.series import SeriesLabel
    from openpyxl.utils import get_column_letter

    rows = [(t, series[bulletin.key(t)]) for t in bulletin.burnup_targets(plan) if series.get(bulletin.key(t))]
    if not rows:
        return
    days = sorted({p.day for _t, points in rows for p in points})
    headers: list[str] = [_("Date")]
    table: list[list[Any]] = [[d] for d in days]
    for t, points in rows:
        scale = 10000.0 if uses_wan(t) else 1.0
        value = float(t.value or 0) / scale
        at = {p.day: p for p in points}
        headers += [_series_name(t, s, scale) for s in (_("Done"), _("Expected pace"), _("Target"))]
        for line, d in zip(table, days, strict=True):
            p = at.get(d)
            actual = float(p.actual) / scale if p is not None and p.actual is not None else None
            pace = value * float(p.expected) if p is not None and p.expected is not None else None
            line += [actual, pace, value]
    _table(data_ws, headers, table, {1: "yyyy-mm-dd", **{c: NUMBER for c in range(2, len(headers) + 1)}})
    chart_ws.page_setup.orientation = "landscape"  # printed: two charts across an A4 page, as on the screen
    chart_ws.page_setup.paperSize = chart_ws.PAPERSIZE_A4
    chart_ws.sheet_properties.pageSetUpPr.fitToPage = True
    chart_ws.page_setup.fitToWidth, chart_ws.page_setup.fitToHeight = 1, 0
    for n, (t, _points) in enumerate(rows):
        chart = LineChart()
        chart.title = bulletin.label(t)
        chart.style = 2
        chart.height, chart.width = BURNUP_H, BURNUP_W
        chart.y_axis.title = _axis_unit(t, 10000.0 if uses_wan(t) else 1.0) or None
        chart.y_axis.numFmt = "General"
        chart.y_axis.majorGridlines = None
        chart.y_axis.delete = False
        chart.x_axis = DateAxis(crossAx=100)
        chart.x_axis.number_format = "yyyy-mm"
        chart.x_axis.majorUnit = 1
        chart.x_axis.majorTimeUnit = "months"
        chart.x_axis.delete = False
        first = 2 + 3 * n
        chart.add_data(
            Reference(data_ws, min_col=first, max_col=first + 2, min_row=1, max_row=len(days) + 1),
            titles_from_data=True,
        )
        chart.set_categories(Reference(data_ws, min_col=1, min_row=2, max_row=len(days) + 1))
        names = (_("Done"), _("Expected pace"), _("Target"))  # short in the legend; the columns say whose
        styles = zip(chart.series, names, ("1F5FA8", "000000", "C00000"), (None, "dash", None), strict=True)
        for s, name, colour, dash in styles:
            s.tx = SeriesLabel(v=name)
            s.smooth = False
            s.marker.symbol = "none"
            s.graphicalProperties.line.solidFill = colour
            s.graphicalProperties.line.width = 28575  # 2.25 pt
            if dash:
                s.graphicalProperties.line.dashStyle = dash
        chart.legend.position = "b"
        cell = f"{get_column_letter(1 + (n % 2) * BURNUP_COLS)}{1 + (n // 2) * BURNUP_ROWS}"
        chart_ws.add_chart(chart, cell)


def render(report: Report, **options: Any) -> bytes:
    """The workbook as .xlsx bytes. Options: office; breakdowns, burnups and since from the views."""
    from openpyxl import Workbook

    breakdowns: dict[str, list[Breakdown]] | None = options.get("breakdowns")
    burnups: dict[str, dict] = options.get("burnups") or {}
    since = options.get("since") if isinstance(options.get("since"), bulletin.Since) else None
    wb = Workbook()
    taken: set[str] = set()
    ws = wb.active
    ws.title = sheet_name(_("Summary"), taken)
    _targets_sheet(ws, [(plan.id, t) for plan in report.plans for t in plan.targets])
    for plan in report.plans:
        found = breakdowns.get(plan.id, []) if breakdowns is not None else None
        _ranking_sheet(wb.create_sheet(sheet_name(_("Ranking-{plan}").format(plan=plan.id), taken)), plan, found)
    _attention_sheet(wb.create_sheet(sheet_name(_("Behind and overdue"), taken)), report)
    _quality_sheet(wb.create_sheet(sheet_name(_("Data quality"), taken)), report)
    if since is not None:
        name = _("Since {date}").format(date=since.day.isoformat())
        _since_sheet(wb.create_sheet(sheet_name(name, taken)), report, since)
    for plan in report.plans:
        _chart_sheet(wb.create_sheet(sheet_name(_("Charts-{plan}").format(plan=plan.id), taken)), plan)
        if burnups.get(plan.id):
            charts = wb.create_sheet(sheet_name(_("Burn-ups-{plan}").format(plan=plan.id), taken))
            data = wb.create_sheet(sheet_name(_("Burn-up data-{plan}").format(plan=plan.id), taken))
            _burnup_sheets(data, charts, plan, burnups[plan.id])
    wb.properties.title = bulletin.title(report)
    wb.properties.creator = plan_text(str(options.get("office") or "")) or "shuzheng"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
