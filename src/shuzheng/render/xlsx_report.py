"""The progress workbook (openpyxl, imported inside render): 总表, one 排名 sheet per plan, 滞后与逾期, 数据质量,
and a native Excel bar chart per plan of each headline target's completion against the pace expected by now.

Numbers are numbers (completion and pace as fractions under a percent format), the light is a conditional
fill on its own column, the header is frozen and filtered, and column widths count a CJK character as two.
The report holds one date's totals, not a time series, so the chart is completion vs pace, not a burn-up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from wcwidth import wcswidth

from ..core.i18n import _
from ..core.report import Report, TargetRow
from . import bulletin
from .briefing import worst_first
from .numbers import plain

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
    """The light column's fill comes from a conditional format on its text (绿/黄/红)."""
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
        _("方案"),
        _("任务"),
        _("指标"),
        _("名称"),
        _("范围"),
        _("单位"),
        _("目标值"),
        _("完成值"),
        _("完成率"),
        _("序时进度"),
        _("状态"),
        _("灯"),
        _("期限"),
        _("牵头部门"),
        _("牵头领导"),
    ]


def _target_row(plan_id: str, t: TargetRow) -> list[Any]:
    pace = t.expected if bulletin.gap(t) is not None else None
    return [
        plan_id,
        t.task,
        t.indicator,
        t.name,
        t.scope,
        t.unit,
        _number(t.value),
        _number(t.actual),
        _number(t.ratio),
        _number(pace),
        bulletin.status_label(t.status),
        bulletin.light_label(bulletin._light_of(t)),
        t.deadline,
        t.lead_department,
        t.lead_leader,
    ]


def _targets_sheet(ws: Any, report: Report, rows: list[tuple[str, TargetRow]]) -> None:
    data = [_target_row(plan_id, t) for plan_id, t in rows]
    _table(ws, target_headers(), data, {7: NUMBER, 8: NUMBER, 9: PERCENT, 10: PERCENT, 13: "yyyy-mm-dd"})
    _lights(ws, 12, len(data) + 1)


def _ranking_sheet(ws: Any, plan: Any) -> None:
    headers = [
        _("指标"),
        _("名称"),
        _("上级范围"),
        _("排名"),
        _("范围"),
        _("目标值"),
        _("完成值"),
        _("完成率"),
        _("灯"),
    ]
    data = []
    for head, members in bulletin.rank_groups(plan):
        for rank, (_index, t) in enumerate(members, 1):
            data.append(
                [
                    t.indicator,
                    t.name,
                    head.scope if head else "—",
                    rank,
                    t.scope,
                    _number(t.value),
                    _number(t.actual),
                    _number(t.ratio),
                    bulletin.light_label(bulletin._light_of(t)),
                ]
            )
    _table(ws, headers, data, {6: NUMBER, 7: NUMBER, 8: PERCENT})
    _lights(ws, 9, len(data) + 1)


def _attention_sheet(ws: Any, report: Report) -> None:
    rows = [(plan.id, t) for plan in report.plans for t in worst_first(plan.targets)]
    _targets_sheet(ws, report, rows)


def _quality_sheet(ws: Any, report: Report) -> None:
    headers = [_("类别"), _("文件"), _("行"), _("代码"), _("原因")]
    data: list[list[Any]] = [[_("未计入"), r.file, r.line, r.code, r.reason] for r in report.rejected]
    data += [
        [
            _("重复"),
            d.file,
            d.line,
            "duplicate-ref",
            _("编号{ref}（指标{indicator}）已在{first}:{line}计入，本行不重复计入").format(
                ref=d.ref, indicator=d.indicator, first=d.first_file, line=d.first_line
            ),
        ]
        for d in report.duplicates
    ]
    data += [
        [
            _("更正"),
            c.file,
            c.line,
            "correction",
            _("负数更正{n}（指标{indicator}，{area}），已计入").format(
                n=plain(c.quantity), indicator=c.indicator, area=c.area
            ),
        ]
        for c in report.corrections
    ]
    _table(ws, headers, data, {})


def _chart_sheet(ws: Any, plan: Any) -> None:
    """One bar per headline target: its completion next to the pace expected by now, both as percent."""
    from openpyxl.chart import BarChart, Reference

    heads = [t for t in bulletin.headline_targets(plan) if t.ratio is not None and t.comparator != "at_most"]
    headers = [_("目标"), _("完成率"), _("序时进度")]
    data = [[f"{t.indicator} {t.name}（{t.scope}）", _number(t.ratio), _number(t.expected)] for t in heads]
    _table(ws, headers, data, {2: PERCENT, 3: PERCENT})
    if not data:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _("{plan}：完成率与序时进度").format(plan=plan.title)
    chart.y_axis.title = _("完成率")
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


def render(report: Report, **options: Any) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    taken: set[str] = set()
    ws = wb.active
    ws.title = sheet_name(_("总表"), taken)
    _targets_sheet(ws, report, [(plan.id, t) for plan in report.plans for t in plan.targets])
    for plan in report.plans:
        _ranking_sheet(wb.create_sheet(sheet_name(_("排名") + f"-{plan.id}", taken)), plan)
    _attention_sheet(wb.create_sheet(sheet_name(_("滞后与逾期"), taken)), report)
    _quality_sheet(wb.create_sheet(sheet_name(_("数据质量"), taken)), report)
    for plan in report.plans:
        _chart_sheet(wb.create_sheet(sheet_name(_("图表") + f"-{plan.id}", taken)), plan)
    wb.properties.title = bulletin.title(report)
    wb.properties.creator = str(options.get("office") or "shuzheng")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
