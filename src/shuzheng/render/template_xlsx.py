"""A reporting unit's blank ledger (台账模板): a workbook that is hard to fill wrongly.

Sheets: 台账 (the header, frozen and protected; data cells unlocked by column style, so the
file holds no empty rows the reader would warn about), 说明 (how to fill it, the unit's
targets, where to send it) and 清单 (hidden: the lists the dropdowns refer to).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ..core.i18n import _
from ..core.model import Plan
from ..core.reporting import Duty, due_date, period_of, reporting_of

DATA_ROWS = 2000  # rows 2 … DATA_ROWS + 1 carry the validations
EXCEL_EPOCH = date(1899, 12, 30)


def header() -> list[str]:
    return [
        _("序号"),
        _("日期"),
        _("指标编号"),
        _("指标名称"),
        _("区"),
        _("数量"),
        _("单位"),
        _("项目"),
        _("编号"),
        _("责任单位"),
        _("备注"),
    ]


SHEET_LEDGER = "台账"
SHEET_HELP = "说明"
SHEET_LISTS = "清单"


@dataclass(frozen=True)
class TemplateInfo:
    plan: Plan
    duty: Duty
    send_to: str  # where the filled file goes


def _serial(day: date) -> int:
    return (day - EXCEL_EPOCH).days


def _lists(info: TemplateInfo) -> dict[str, list[str]]:
    items: list[str] = []
    units: list[str] = []
    for _task, indicator in info.duty.indicators:
        items += [item.name for item in indicator.items]
        if indicator.unit:
            units.append(indicator.unit)
    return {
        "id": [ind.id for _t, ind in info.duty.indicators],
        "name": [ind.name for _t, ind in info.duty.indicators],
        "area": list(info.duty.areas),
        "item": list(dict.fromkeys(items)),
        "unit": list(dict.fromkeys(units)),
        "department": [info.duty.unit.name],
    }


LIST_COLUMNS = ("id", "name", "area", "item", "unit", "department")
LIST_TITLES = {
    "id": "指标编号",
    "name": "指标名称",
    "area": "区",
    "item": "项目",
    "unit": "单位",
    "department": "责任单位",
}


def render_xlsx(info: TemplateInfo) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    plan, duty = info.plan, info.duty
    book = Workbook()
    sheet = book.active
    sheet.title = _(SHEET_LEDGER)
    labels = header()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, label in enumerate(labels, start=1):
        cell = sheet.cell(row=1, column=col, value=label)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        cell.protection = Protection(locked=True)
    sheet.freeze_panes = "A2"
    widths = (6, 12, 10, 28, 12, 12, 10, 28, 16, 16, 24)
    for col, width in enumerate(widths, start=1):
        dim = sheet.column_dimensions[get_column_letter(col)]
        dim.width = width
        dim.protection = Protection(locked=False)  # every cell below the header is free
    sheet.column_dimensions["B"].number_format = "yyyy-mm-dd"
    sheet.column_dimensions["F"].number_format = "General"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may be changed
    sheet.protection.insertRows = False
    sheet.protection.deleteRows = False
    sheet.protection.sort = False
    sheet.protection.autoFilter = False

    lists = _lists(info)
    store = book.create_sheet(_(SHEET_LISTS))
    refs: dict[str, str] = {}
    for col, key in enumerate(LIST_COLUMNS, start=1):
        store.cell(row=1, column=col, value=_(LIST_TITLES[key]))
        for row, value in enumerate(lists[key], start=2):
            store.cell(row=row, column=col, value=value)
        if lists[key]:
            letter = get_column_letter(col)
            refs[key] = f"'{_(SHEET_LISTS)}'!${letter}$2:${letter}${len(lists[key]) + 1}"
    store.sheet_state = "hidden"
    store.protection.sheet = True

    last = DATA_ROWS + 1

    def column(letter: str) -> str:
        return f"{letter}2:{letter}{last}"

    def choose(key: str, letter: str, strict: bool, prompt: str) -> None:
        if key not in refs:
            return
        check = DataValidation(type="list", formula1=refs[key], allow_blank=True)
        check.errorStyle = "stop" if strict else "warning"
        check.error = _("choose a value from the list")
        check.errorTitle = _(LIST_TITLES[key])
        check.prompt = prompt
        check.promptTitle = _(LIST_TITLES[key])
        check.showErrorMessage = True
        check.showInputMessage = True
        check.add(column(letter))
        sheet.add_data_validation(check)

    start, end = plan.period.start, _last_day(plan)
    dates = DataValidation(type="date", operator="between", formula1=str(_serial(start)), formula2=str(_serial(end)))
    dates.error = _("a date from {start} to {end}").format(start=start, end=end)
    dates.errorTitle = _("日期")
    dates.prompt = _("the day the work was done, e.g. {day}").format(day=start)
    dates.showErrorMessage = dates.showInputMessage = True
    dates.add(column("B"))
    sheet.add_data_validation(dates)
    amounts = DataValidation(type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000")
    amounts.error = _("a number; a negative number corrects an earlier row")
    amounts.errorTitle = _("数量")
    amounts.prompt = _("a number in the indicator's unit; negative to correct an earlier row")
    amounts.showErrorMessage = amounts.showInputMessage = True
    amounts.add(column("F"))
    sheet.add_data_validation(amounts)
    choose("id", "C", True, _("the indicator's number, from the list"))
    choose("name", "D", False, _("the indicator's name, for the reader; the number counts"))
    choose("area", "E", True, _("the area the work was done in"))
    choose("item", "H", False, _("the project or site; declared items are in the list"))
    choose("unit", "G", False, _("leave blank for the indicator's own unit"))
    choose("department", "J", True, _("this template's unit: {unit}").format(unit=duty.unit.name))

    _help_sheet(book.create_sheet(_(SHEET_HELP), 1), info)
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _last_day(plan: Plan) -> date:
    deadlines = [t.deadline for _t, i in plan.indicators() for t in i.targets if t.deadline]
    deadlines += [i.deadline for _t, i in plan.indicators() if i.deadline]
    return max([plan.period.end, *deadlines])


def _help_sheet(sheet, info: TemplateInfo) -> None:  # noqa: ANN001 - an openpyxl worksheet
    from openpyxl.styles import Alignment, Font

    plan, duty = info.plan, info.duty
    reporting = reporting_of(plan)
    today = period_of(plan.period.start, reporting.cadence)
    lines: list[list[object]] = [
        [_("{title}: ledger of {unit}").format(title=plan.title, unit=duty.unit.name)],
        [],
        [_("How to fill it")],
        [_("1. One row per piece of work on the 台账 sheet; do not change the header row.")],
        [_("2. 日期: the day it was done (a date). 指标编号 and 区: choose from the list.")],
        [_("3. 数量: a number in the indicator's unit; a negative number corrects an earlier row.")],
        [_("4. 项目: the project or site; for indicators that count items, one of the declared items.")],
        [_("5. 编号: the ledger number of the case, if it has one (a number is counted once).")],
        [_("6. 责任单位: {unit}.").format(unit=duty.unit.name)],
        [
            _("7. Save as {unit}_<period>.xlsx (reported {cadence}, e.g. {example}) and send it to {to}.").format(
                unit=duty.unit.name, cadence=reporting.cadence, example=today.label, to=info.send_to
            )
        ],
        [
            _("   Due: {rule}.").format(
                rule=_("day {day} of the next period").format(day=reporting.due_day)
                if reporting.due_day and reporting.cadence != "daily"
                else _("the last day of each period (first due {day})").format(day=due_date(today, reporting))
            )
        ],
        [],
        [_("Targets of {unit}").format(unit=duty.unit.name)],
        [_("指标编号"), _("指标名称"), _("范围"), _("目标"), _("单位"), _("期限")],
    ]
    for indicator, target in duty.targets:
        value = target.value.text if target.value is not None else _("(qualitative)")
        deadline = target.deadline or indicator.deadline or plan.period.end
        lines.append([indicator.id, indicator.name, target.scope_label, value, indicator.unit or "", deadline])
    for row, values in enumerate(lines, start=1):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    for row in (1, 3, 13, 14):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 30
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 16
    for row in sheet.iter_rows(min_row=4, max_row=11):
        row[0].alignment = Alignment(wrap_text=False)
    sheet.protection.sheet = True


def render_csv(info: TemplateInfo) -> bytes:
    """The same header as a GB18030 CSV, 责任单位 left for the unit to fill (no rows)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(header())
    return out.getvalue().encode("gb18030")
