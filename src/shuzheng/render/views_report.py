"""The views (periods, change since a date, breakdowns, ledger rows) drawn as table, md, csv or json.

Each view is turned once into grids (titled tables of text cells, for people: table and md) and
once into flat records (for machines: csv and json); the four renderers only draw those.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.i18n import _
from ..core.report import TargetRow
from ..core.views.breakdown import Breakdown
from ..core.views.periods import PeriodRow
from ..core.views.since import Change
from .json_report import fraction, number, target_json
from .lights import LIGHT_LABEL, LIGHT_STYLE, LIGHT_SYMBOL, light_text  # noqa: F401 - shown by the views
from .numbers import amount, percent, plain, target_text, with_unit


@dataclass
class Grid:
    title: str
    headers: Sequence[str]
    align: str  # one letter per column: l or r
    rows: list[list[str]] = field(default_factory=list)
    light_column: int | None = None  # the column holding light_text, coloured in a terminal
    note: str = ""


@dataclass
class View:
    heading: str  # the first line: what and as of when
    grids: list[Grid]
    records: list[dict[str, Any]]  # flat, for csv
    data: dict[str, Any]  # structured, for json


def _scope(t: TargetRow) -> str:
    return f"{t.indicator} {t.name}（{t.scope}）"


def _figure(value: Decimal | None, t: TargetRow) -> str:
    if t.measure == "ratio":
        return "—" if value is None else f"{plain(value, 1)}{'%' if t.unit == '%' else ''}"
    return amount(value, t)


def _target(t: TargetRow) -> str:
    return with_unit(target_text(t), t.unit if t.value is not None else None)


def _record_keys(plan_id: str, t: TargetRow) -> dict[str, Any]:
    """The columns that say which target a csv record is about."""
    return {
        "plan": plan_id,
        "task": t.task,
        "indicator": t.indicator,
        "scope": t.scope,
        "unit": t.unit,
        "measure": t.measure,
    }


def status_change(c: Change) -> str:
    if c.then is None:
        return _("new target")
    if not c.changed:
        return "—"
    text = f"{c.then.status.label} → {c.now.status.label}"
    if c.newly_met:
        return f"{text}（新完成）"
    if c.newly_violated:
        return f"{text}（新突破）"
    return text


def rank_change(change: int | None) -> str:
    if change is None:
        return ""
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "—"


# --- periods -------------------------------------------------------------------------------------


def periods_view(as_of: date, by: str, plans: list[tuple[str, str, list[PeriodRow]]]) -> View:
    grids, records, data = [], [], []
    for plan_id, title, rows in plans:
        labels = [c.period.label for c in rows[0].cells] if rows else []
        grid = Grid(
            f"{title} [{plan_id}]",
            ["指標", "範圍", *labels, "累計", "完成", "狀態", "燈"],
            "ll" + "r" * (len(labels) + 2) + "ll",
            light_column=len(labels) + 5,
        )
        plan_data = {"id": plan_id, "title": title, "targets": []}
        for row in rows:
            t = row.target
            grid.rows.append(
                [
                    t.indicator,
                    t.scope,
                    *(_figure(c.amount, t) for c in row.cells),
                    _figure(t.actual, t),
                    percent(t.ratio) if t.ratio is not None else "—",
                    t.status.label,
                    light_text(t.light),
                ]
            )
            cells = [
                {
                    "period": c.period.label,
                    "start": c.period.start.isoformat(),
                    "end": c.period.end.isoformat(),
                    "amount": number(c.amount) if t.measure != "ratio" else fraction(c.amount),
                    "cumulative": number(c.cumulative) if t.measure != "ratio" else fraction(c.cumulative),
                    "items": list(c.items),
                }
                for c in row.cells
            ]
            plan_data["targets"].append({**target_json(t), "periods": cells})
            for cell in cells:
                records.append(
                    {
                        **_record_keys(plan_id, t),
                        **{k: v for k, v in cell.items() if k != "items"},
                        "items": "、".join(cell["items"]),
                        "status": str(t.status),
                        "light": t.light,
                    }
                )
        grids.append(grid)
        data.append(plan_data)
    heading = f"截至 {as_of.isoformat()}  按{ {'day': '日', 'week': '週', 'month': '月', 'quarter': '季'}[by] }"
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "by": by, "plans": data})


# --- since ---------------------------------------------------------------------------------------


def since_view(as_of: date, since: date, plans: list[tuple[str, str, list[Change]]]) -> View:
    grids, records, data = [], [], []
    for plan_id, title, changes in plans:
        grid = Grid(
            f"{title} [{plan_id}]",
            ["指標", "範圍", "本期新增", "上期實際", "實際", "上期狀態", "狀態", "變化", "燈"],
            "llrrrllll",
            light_column=8,
        )
        items = []
        for c in changes:
            t = c.now
            then = c.then
            grid.rows.append(
                [
                    f"{t.indicator} {t.name}",
                    t.scope,
                    _figure(c.done, t),
                    _figure(then.actual, t) if then else "—",
                    _figure(t.actual, t),
                    then.status.label if then else "—",
                    t.status.label,
                    status_change(c),
                    light_text(t.light),
                ]
            )
            record = {
                **_record_keys(plan_id, t),
                "since": since.isoformat(),
                "done": number(c.done) if t.measure != "ratio" else fraction(c.done),
                "actual_then": number(then.actual) if then else None,
                "actual": number(t.actual),
                "status_then": str(then.status) if then else None,
                "status": str(t.status),
                "changed": c.changed,
                "newly_met": c.newly_met,
                "newly_violated": c.newly_violated,
                "new_items": list(c.new_items),
                "light": t.light,
            }
            items.append(record)
            records.append({**record, "new_items": "、".join(c.new_items)})
        grid.note = since_paragraph(since, changes)
        grids.append(grid)
        data.append({"id": plan_id, "title": title, "targets": items})
    heading = f"截至 {as_of.isoformat()}  與 {since.isoformat()} 相比"
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "since": since.isoformat(), "plans": data})


def since_paragraph(since: date, changes: list[Change]) -> str:
    """The briefing's 「與上期相比」 paragraph: what moved since the earlier report."""
    if not changes:
        return ""
    met = [c for c in changes if c.newly_met]
    violated = [c for c in changes if c.newly_violated]
    better = [c for c in changes if c.improved and not c.newly_met]
    worse = [c for c in changes if c.improved is False and not c.newly_violated]
    parts = [f"與上期（{since.year}年{since.month}月{since.day}日）相比："]

    def names(found: list[Change]) -> str:
        return "、".join(f"{c.now.indicator} {c.now.name}（{c.now.scope}）" for c in found)

    if met:
        parts.append(f"新完成 {len(met)} 項：{names(met)}；")
    if violated:
        parts.append(f"新突破 {len(violated)} 項：{names(violated)}；")
    for label, found in (("狀態好轉", better), ("狀態轉差", worse)):
        if found:
            moves = "、".join(f"{c.now.indicator}（{c.now.scope}）{status_change(c)}" for c in found)
            parts.append(f"{label} {len(found)} 項：{moves}；")
    if len(parts) == 1:
        parts.append("各項目標狀態均無變化；")
    moving = [c for c in changes if c.done and c.now.measure in ("sum", "distinct", "milestone")]
    parts.append(f"本期有新增完成量的目標 {len(moving)} 項。")
    return "".join(parts)


# --- breakdowns ----------------------------------------------------------------------------------


def breakdown_view(as_of: date, by: str, plans: list[tuple[str, str, list[Breakdown]]]) -> View:
    unit_header = "地區" if by == "area" else "責任單位"
    grids, records, data = [], [], []
    for plan_id, title, found in plans:
        targets = []
        for b in found:
            t = b.target
            show_changes = any(u.rank_change is not None for u in b.units)
            show_own = any(u.value is not None for u in b.units)  # some unit has a target of its own
            headers = ["排名", *(["變化"] * show_changes), unit_header, "貢獻", "佔比", "記錄"]
            headers += ["目標", "完成", "狀態", "燈"] if show_own else []
            grid = Grid(
                f"{title} [{plan_id}]  {_scope(t)}  目標 {_target(t)}  實際 {_figure(t.actual, t)}",
                headers,
                "l" + "r" * show_changes + "lrrr" + "rrll" * show_own,
                light_column=len(headers) - 1 if show_own else None,
                note="按完成率排名" if b.ranked_by == "completion" else "按貢獻排名",
            )
            units = []
            for u in b.units:
                cells = [
                    str(u.rank) if u.rank is not None else "",
                    *([rank_change(u.rank_change)] * show_changes),
                    u.unit,
                    _figure(u.actual, t),
                    percent(u.share) if u.share is not None else "—",
                    str(u.rows),
                ]
                if show_own:
                    cells += [
                        with_unit(amount(u.value, t), t.unit) if u.value is not None else "—",
                        percent(u.ratio) if u.ratio is not None else "—",
                        u.status.label if u.status else "—",
                        light_text(u.light),
                    ]
                grid.rows.append(cells)
                unit = {
                    "unit": u.unit,
                    "rank": u.rank,
                    "rank_change": u.rank_change,
                    "actual": number(u.actual) if t.measure != "ratio" else fraction(u.actual),
                    "share": fraction(u.share),
                    "value": number(u.value),
                    "ratio": fraction(u.ratio),
                    "status": str(u.status) if u.status else None,
                    "light": u.light,
                    "rows": u.rows,
                }
                units.append(unit)
                records.append(
                    {"plan": plan_id, "task": t.task, "indicator": t.indicator, "scope": t.scope, "by": by, **unit}
                )
            grids.append(grid)
            targets.append({**target_json(t), "ranked_by": b.ranked_by, "units": units})
        data.append({"id": plan_id, "title": title, "targets": targets})
    heading = f"截至 {as_of.isoformat()}  按{unit_header}"
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "by": by, "plans": data})


def district_view(as_of: date, plans: list[tuple[str, str, list[Breakdown]]]) -> View:
    """An area with no target of its own: one line per target that contains it, with its part."""
    grids, records, data = [], [], []
    name = next((b.units[0].unit for _, _, found in plans for b in found if b.units), "")
    for plan_id, title, found in plans:
        grid = Grid(
            f"{title} [{plan_id}]",
            ["指標", "範圍", "目標", "實際", f"{name}貢獻", "佔比", "記錄", "狀態", "燈"],
            "lllrrrrll",
            light_column=8,
        )
        targets = []
        for b in found:
            t, u = b.target, b.units[0]
            grid.rows.append(
                [
                    f"{t.indicator} {t.name}",
                    t.scope,
                    _target(t),
                    _figure(t.actual, t),
                    _figure(u.actual, t),
                    percent(u.share) if u.share is not None else "—",
                    str(u.rows),
                    t.status.label,
                    light_text(t.light),
                ]
            )
            part = {
                "area": u.unit,
                "actual": number(u.actual) if t.measure != "ratio" else fraction(u.actual),
                "share": fraction(u.share),
                "rows": u.rows,
            }
            targets.append({**target_json(t), "contribution": part})
            records.append({**_record_keys(plan_id, t), "actual_of_scope": number(t.actual), **part})
        grids.append(grid)
        data.append({"id": plan_id, "title": title, "targets": targets})
    heading = f"截至 {as_of.isoformat()}  " + _(
        "{name} has no target of its own: its part in the targets that contain it"
    ).format(name=name)
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "area": name, "plans": data})


# --- ledger rows ---------------------------------------------------------------------------------


def rows_view(as_of: date, rows: list[Any]) -> View:
    """`rows`: the ledger rows behind a figure, like `hledger register`, with a running total per
    indicator (a total across indicators of different units would mean nothing)."""
    grid = Grid(
        "",
        ["位置", "日期", "指標", "地區", "數量", "單位", "累計", "項目", "編號", "責任單位", "備註"],
        "llllrlrllll",
    )
    records = []
    running: dict[tuple[str, str], Decimal] = {}
    for entry in rows:
        r = entry.row
        key = (entry.plan, r.indicator)
        running[key] = running.get(key, Decimal(0)) + r.quantity
        grid.rows.append(
            [
                f"{r.file}:{r.line}",
                r.date.isoformat(),
                r.indicator,
                r.area,
                plain(r.quantity),
                entry.unit or "",
                plain(running[key]),
                r.item or "",
                r.ref or "",
                entry.department or "",
                r.note or "",
            ]
        )
        records.append(
            {
                "plan": entry.plan,
                "file": r.file,
                "line": r.line,
                "date": r.date.isoformat(),
                "indicator": r.indicator,
                "area": r.area,
                "quantity": number(r.quantity),
                "base": number(r.base),
                "unit": entry.unit,
                "item": r.item,
                "ref": r.ref,
                "department": entry.department,
                "note": r.note,
            }
        )
    totals = "；".join(f"{ind} 合計 {plain(v)}" for (_, ind), v in running.items())
    grid.note = f"{len(rows)} 條記錄" + (f"；{totals}" if totals else "")
    return View(f"截至 {as_of.isoformat()}", [grid], records, {"as_of": as_of.isoformat(), "rows": records})


# --- drawing -------------------------------------------------------------------------------------


def render(view: View, format: str, color: bool = False, width: int = 160, excel: bool = False) -> str:
    if format == "json":
        return json.dumps(view.data, ensure_ascii=False, indent=2) + "\n"
    if format == "csv":
        return render_csv(view, excel)
    if format == "md":
        return render_md(view)
    return render_table(view, color, width)


def render_csv(view: View, excel: bool = False) -> str:
    from .csv_report import safe_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    if view.records:
        columns = list(view.records[0])
        writer.writerow(columns)
        for record in view.records:
            writer.writerow(safe_cell(_csv_value(record.get(c))) for c in columns)
    text = out.getvalue()
    return "\ufeff" + text if excel else text


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def render_md(view: View) -> str:
    from .markdown import inline, table

    parts = [f"# {inline(view.heading)}\n"]
    for grid in view.grids:
        head = f"## {inline(grid.title)}\n\n" if grid.title else ""
        note = f"\n{inline(grid.note)}\n" if grid.note else ""
        body = table([inline(h) for h in grid.headers], [[inline(c) for c in r] for r in grid.rows], grid.align)
        parts.append(head + (body if grid.rows else _("(nothing to show)") + "\n") + note)
    return "\n".join(parts)


def render_table(view: View, color: bool = False, width: int = 160) -> str:
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    console = console_on(out, color, width)
    console.print(view.heading, style="bold", markup=False)
    for grid in view.grids:
        console.print()
        if grid.title:
            console.print(grid.title, style="bold", markup=False)
        if not grid.rows:
            console.print("  " + _("(nothing to show)"), markup=False)
            continue
        table = Table(show_lines=False, expand=False, pad_edge=True)
        for header, a in zip(grid.headers, grid.align, strict=False):
            table.add_column(header, justify="right" if a == "r" else "left", overflow="fold")
        for row in grid.rows:
            cells: list[Any] = list(row)
            if grid.light_column is not None:
                light = next((k for k, v in LIGHT_SYMBOL.items() if row[grid.light_column].startswith(v)), None)
                cells[grid.light_column] = Text(row[grid.light_column], style=LIGHT_STYLE.get(light or "", ""))
            table.add_row(*cells)
        console.print(table)
        if grid.note:
            console.print(grid.note, markup=False)
    return out.getvalue()


def console_on(out: io.StringIO, color: bool, width: int):  # noqa: ANN201 - a rich Console
    """A console writing to `out`: ANSI colour only when asked, at a fixed width."""
    from rich.console import Console

    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
    )
