"""A reporting unit's blank ledger (台账模板): a workbook that is hard to fill wrongly.

Sheets: 台账 (the header, frozen and protected; data cells unlocked by column style, so the
file holds no empty rows the reader would warn about), 说明 (how to fill it, the unit's
targets, where to send it) and 清单 (hidden: the lists the dropdowns refer to).

Everything is in the chosen language (in English: Ledger, Instructions, Lists), and so is the
header: each label is one the ledger reader knows (core/columns.py: 日期/日期, 指标编号, 区 …, or
the field's own English name: Date, Indicator, Area …), so a filled template reads back in any
language. The plan's words (indicators, areas, items, units) are shown in the output's script.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ..core.i18n import N_, _, plan_text
from ..core.model import Plan
from ..core.reporting import Duty, due_date, period_of, reporting_of

DATA_ROWS = 2000  # rows 2 … DATA_ROWS + 1 carry the validations
EXCEL_EPOCH = date(1899, 12, 30)


# The header's labels. In English each is its ledger field's own name (core/columns.py reads it), in Chinese one
# of the field's aliases; 序号 and 指标名称 are for the clerk, and the reader passes them by.
COLUMNS = (
    N_("No."),
    N_("Date"),
    N_("Indicator ID"),
    N_("Indicator name"),
    N_("Area"),
    N_("Quantity"),
    N_("Unit"),
    N_("Item"),
    N_("Ref"),
    N_("Department"),
    N_("Note"),
)


def header() -> list[str]:
    return [_(label) for label in COLUMNS]


SHEET_LEDGER = N_("Ledger")
SHEET_HELP = N_("Instructions")
SHEET_LISTS = N_("Lists")
CADENCES = {
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
}


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
        "name": [plan_text(ind.name) for _t, ind in info.duty.indicators],
        "area": [plan_text(a) for a in info.duty.areas],
        "item": list(dict.fromkeys(plan_text(i) for i in items)),
        "unit": list(dict.fromkeys(plan_text(u) for u in units)),
        "department": [plan_text(info.duty.unit.name)],
    }


LIST_COLUMNS = ("id", "name", "area", "item", "unit", "department")
LIST_TITLES = {
    "id": N_("Indicator ID"),
    "name": N_("Indicator name"),
    "area": N_("Area"),
    "item": N_("Item"),
    "unit": N_("Unit"),
    "department": N_("Department"),
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
    dates.errorTitle = _("Date")
    dates.prompt = _("the day the work was done, e.g. {day}").format(day=start)
    dates.showErrorMessage = dates.showInputMessage = True
    dates.add(column("B"))
    sheet.add_data_validation(dates)
    amounts = DataValidation(type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000")
    amounts.error = _("a number; a negative number corrects an earlier row")
    amounts.errorTitle = _("Quantity")
    amounts.prompt = _("a number in the indicator's unit; negative to correct an earlier row")
    amounts.showErrorMessage = amounts.showInputMessage = True
    amounts.add(column("F"))
    sheet.add_data_validation(amounts)
    choose("id", "C", True, _("the indicator's number, from the list"))
    choose("name", "D", False, _("the indicator's name, for the reader; the number counts"))
    choose("area", "E", True, _("the area the work was done in"))
    choose("item", "H", False, _("the project or site; declared items are in the list"))
    choose("unit", "G", False, _("leave blank for the indicator's own unit"))
    choose("department", "J", True, _("this template's unit: {unit}").format(unit=plan_text(duty.unit.name)))

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
    unit = plan_text(duty.unit.name)
    cadence = _(CADENCES[reporting.cadence]) if reporting.cadence in CADENCES else reporting.cadence
    lines: list[list[object]] = [
        [_("{title}: ledger of {unit}").format(title=plan_text(plan.title), unit=unit)],
        [],
        [_("How to fill it")],
        [
            _("1. One row per piece of work on the {sheet} sheet; do not change the header row.").format(
                sheet=_(SHEET_LEDGER)
            )
        ],
        [
            _("2. {date}: the day it was done (a date). {indicator} and {area}: choose from the list.").format(
                date=_("Date"), indicator=_("Indicator ID"), area=_("Area")
            )
        ],
        [
            _("3. {quantity}: a number in the indicator's unit; a negative number corrects an earlier row.").format(
                quantity=_("Quantity")
            )
        ],
        [
            _("4. {item}: the project or site; for indicators that count items, one of the declared items.").format(
                item=_("Item")
            )
        ],
        [_("5. {ref}: the ledger number of the case, if it has one (a number is counted once).").format(ref=_("Ref"))],
        [_("6. {department}: {unit}.").format(department=_("Department"), unit=unit)],
        [
            _("7. Save as {unit}_<period>.xlsx (reported {cadence}, e.g. {example}) and send it to {to}.").format(
                unit=unit, cadence=cadence, example=today.label, to=plan_text(info.send_to)
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
        [_("Targets of {unit}").format(unit=unit)],
        [_("Indicator ID"), _("Indicator name"), _("Scope"), _("Target"), _("Unit"), _("Deadline")],
    ]
    for indicator, target in duty.targets:
        value = target.value.text if target.value is not None else _("(qualitative)")
        deadline = target.deadline or indicator.deadline or plan.period.end
        lines.append(
            [
                indicator.id,
                plan_text(indicator.name),
                plan_text(target.scope_label),
                plan_text(value),
                plan_text(indicator.unit or ""),
                deadline,
            ]
        )
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
