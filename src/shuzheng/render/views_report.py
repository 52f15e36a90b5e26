"""The views (periods, change since a date, breakdowns, ledger rows) drawn as table, md, csv or json.

Each view is turned once into grids (titled tables of text cells, for people: table and md) and
once into flat records (for machines: csv and json); the four renderers only draw those. The grids
say their words in the output's language and the plan's words in its script (plan_text); the
records keep the plan's own spelling and the enum values.
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

from ..core.i18n import N_, _, ngettext, plan_text
from ..core.report import TargetRow
from ..core.views.breakdown import Breakdown
from ..core.views.periods import PeriodRow
from ..core.views.since import Change
from .json_report import fraction, number, target_json
from .labels import as_of as as_of_line
from .labels import clauses, day, header, headers, listed, status_label
from .lights import LIGHT_LABEL, LIGHT_STYLE, LIGHT_SYMBOL, light_text  # noqa: F401 - shown by the views
from .numbers import amount, percent, plain, target_text, with_unit

# The first line of a view, by what it is broken down by (shown through _()).
BY_HEADING = {
    "day": N_("As of {day}, by day"),
    "week": N_("As of {day}, by week"),
    "month": N_("As of {day}, by month"),
    "quarter": N_("As of {day}, by quarter"),
    "area": N_("As of {day}, by area"),
    "department": N_("As of {day}, by department"),
}


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
    # Translators: a target named by its indicator and scope: 1.1 拆除违法建设（城六区）
    text = _("{indicator} {name} ({scope})")
    return text.format(indicator=t.indicator, name=plan_text(t.name), scope=plan_text(t.scope))


def _named(t: TargetRow) -> str:
    return f"{t.indicator} {plan_text(t.name)}"


def _figure(value: Decimal | None, t: TargetRow) -> str:
    if t.measure == "ratio":
        return "—" if value is None else f"{plain(value, 1)}{'%' if t.unit == '%' else ''}"
    return amount(value, t)


def _target(t: TargetRow) -> str:
    return with_unit(target_text(t), plan_text(t.unit) if t.unit and t.value is not None else None)


def _title(title: str, plan_id: str) -> str:
    return f"{plan_text(title)} [{plan_id}]"


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
    text = f"{status_label(c.then.status)} → {status_label(c.now.status)}"
    if c.newly_met:
        return _("{change} (newly met)").format(change=text)
    if c.newly_violated:
        return _("{change} (newly violated)").format(change=text)
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
            _title(title, plan_id),
            [*headers("indicator", "scope"), *labels, _("Cumulative"), *headers("completion", "status", "light")],
            "ll" + "r" * (len(labels) + 2) + "ll",
            light_column=len(labels) + 5,
        )
        plan_data = {"id": plan_id, "title": title, "targets": []}
        for row in rows:
            t = row.target
            grid.rows.append(
                [
                    t.indicator,
                    plan_text(t.scope),
                    *(_figure(c.amount, t) for c in row.cells),
                    _figure(t.actual, t),
                    percent(t.ratio) if t.ratio is not None else "—",
                    status_label(t.status),
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
    heading = _(BY_HEADING[by]).format(day=as_of.isoformat())
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "by": by, "plans": data})


# --- since ---------------------------------------------------------------------------------------


def since_view(as_of: date, since: date, plans: list[tuple[str, str, list[Change]]]) -> View:
    grids, records, data = [], [], []
    for plan_id, title, changes in plans:
        grid = Grid(
            _title(title, plan_id),
            [
                *headers("indicator_name", "scope"),
                # Translators: what was done since the earlier date (本期新增)
                _("Since"),
                _("Actual then"),
                header("actual"),
                _("Status then"),
                header("status"),
                _("Change"),
                header("light"),
            ],
            "llrrrllll",
            light_column=8,
        )
        items = []
        for c in changes:
            t = c.now
            then = c.then
            grid.rows.append(
                [
                    _named(t),
                    plan_text(t.scope),
                    _figure(c.done, t),
                    _figure(then.actual, t) if then else "—",
                    _figure(t.actual, t),
                    status_label(then.status) if then else "—",
                    status_label(t.status),
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
    heading = _("As of {day}, compared with {since}").format(day=as_of.isoformat(), since=since.isoformat())
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "since": since.isoformat(), "plans": data})


def since_paragraph(since: date, changes: list[Change]) -> str:
    """The briefing's 「与上期相比」 paragraph: what moved since the earlier report."""
    if not changes:
        return ""
    met = [c for c in changes if c.newly_met]
    violated = [c for c in changes if c.newly_violated]
    better = [c for c in changes if c.improved and not c.newly_met]
    worse = [c for c in changes if c.improved is False and not c.newly_violated]

    def names(found: list[Change]) -> str:
        return listed(_scope(c.now) for c in found)

    def moves(found: list[Change]) -> str:
        # Translators: a target whose status moved: 1.1（城六区）正常推进 → 滞后
        text = _("{indicator} ({scope}) {change}")
        return listed(
            text.format(indicator=c.now.indicator, scope=plan_text(c.now.scope), change=status_change(c)) for c in found
        )

    said = [
        text(len(found)).format(n=len(found), names=describe(found))
        for found, describe, text in (
            (met, names, lambda n: ngettext("{n} target newly met: {names}", "{n} targets newly met: {names}", n)),
            (
                violated,
                names,
                lambda n: ngettext("{n} target newly violated: {names}", "{n} targets newly violated: {names}", n),
            ),
            (better, moves, lambda n: ngettext("{n} target better: {names}", "{n} targets better: {names}", n)),
            (worse, moves, lambda n: ngettext("{n} target worse: {names}", "{n} targets worse: {names}", n)),
        )
        if found
    ]
    if not said:
        said.append(_("no target's status changed"))
    moving = [c for c in changes if c.done and c.now.measure in ("sum", "distinct", "milestone")]
    said.append(
        ngettext("{n} target with new progress", "{n} targets with new progress", len(moving)).format(n=len(moving))
    )
    # Translators: {changes} are the clauses of what changed, separated by ；
    return _("Compared with the last report ({day}): {changes}.").format(day=day(since), changes=clauses(said))


# --- breakdowns ----------------------------------------------------------------------------------


def breakdown_view(as_of: date, by: str, plans: list[tuple[str, str, list[Breakdown]]]) -> View:
    grids, records, data = [], [], []
    for plan_id, title, found in plans:
        targets = []
        for b in found:
            t = b.target
            show_changes = any(u.rank_change is not None for u in b.units)
            show_own = any(u.value is not None for u in b.units)  # some unit has a target of its own
            heads = [_("Rank"), *([_("Change")] * show_changes), header("area" if by == "area" else "department")]
            # Translators: a unit's part of the target's actual (贡献)
            heads += [_("Contribution"), header("share"), header("rows")]
            heads += headers("target", "completion", "status", "light") if show_own else []
            grid = Grid(
                # Translators: a breakdown's title: the plan, the target, its value and its actual
                _("{plan}  {target}  target {value}  actual {actual}").format(
                    plan=_title(title, plan_id), target=_scope(t), value=_target(t), actual=_figure(t.actual, t)
                ),
                heads,
                "l" + "r" * show_changes + "lrrr" + "rrll" * show_own,
                light_column=len(heads) - 1 if show_own else None,
                note=_("Ranked by completion") if b.ranked_by == "completion" else _("Ranked by contribution"),
            )
            units = []
            for u in b.units:
                cells = [
                    str(u.rank) if u.rank is not None else "",
                    *([rank_change(u.rank_change)] * show_changes),
                    plan_text(u.unit),
                    _figure(u.actual, t),
                    percent(u.share) if u.share is not None else "—",
                    str(u.rows),
                ]
                if show_own:
                    cells += [
                        with_unit(amount(u.value, t), plan_text(t.unit or "")) if u.value is not None else "—",
                        percent(u.ratio) if u.ratio is not None else "—",
                        status_label(u.status) if u.status else "—",
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
    heading = _(BY_HEADING[by]).format(day=as_of.isoformat())
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "by": by, "plans": data})


def district_view(as_of: date, plans: list[tuple[str, str, list[Breakdown]]]) -> View:
    """An area with no target of its own: one line per target that contains it, with its part."""
    grids, records, data = [], [], []
    name = next((b.units[0].unit for _, _, found in plans for b in found if b.units), "")
    for plan_id, title, found in plans:
        grid = Grid(
            _title(title, plan_id),
            [
                *headers("indicator_name", "scope", "target", "actual"),
                # Translators: the column of an area's part of each target's actual: 朝阳区贡献
                _("{area}'s part").format(area=plan_text(name)),
                *headers("share", "rows", "status", "light"),
            ],
            "lllrrrrll",
            light_column=8,
        )
        targets = []
        for b in found:
            t, u = b.target, b.units[0]
            grid.rows.append(
                [
                    _named(t),
                    plan_text(t.scope),
                    _target(t),
                    _figure(t.actual, t),
                    _figure(u.actual, t),
                    percent(u.share) if u.share is not None else "—",
                    str(u.rows),
                    status_label(t.status),
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
    heading = _("As of {day}: {name} has no target of its own; its part in the targets that contain it").format(
        day=as_of.isoformat(), name=plan_text(name)
    )
    return View(heading, grids, records, {"as_of": as_of.isoformat(), "area": name, "plans": data})


# --- ledger rows ---------------------------------------------------------------------------------


def rows_view(as_of: date, rows: list[Any]) -> View:
    """`rows`: the ledger rows behind a figure, like `hledger register`, with a running total per
    indicator (a total across indicators of different units would mean nothing)."""
    grid = Grid(
        "",
        [
            *headers("where", "date", "indicator", "area", "quantity", "unit"),
            # Translators: the running total of an indicator's rows (累计)
            _("Running total"),
            *headers("item", "ref", "department", "note"),
        ],
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
                plan_text(r.area),
                plain(r.quantity),
                plan_text(entry.unit or ""),
                plain(running[key]),
                plan_text(r.item or ""),
                r.ref or "",
                plan_text(entry.department or ""),
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
    # Translators: an indicator's total in the `rows` listing: 1.1 合计 5,000
    totals = [_("{indicator} total {total}").format(indicator=ind, total=plain(v)) for (_k, ind), v in running.items()]
    grid.note = clauses([ngettext("{n} row", "{n} rows", len(rows)).format(n=len(rows)), *totals])
    return View(as_of_line(as_of), [grid], records, {"as_of": as_of.isoformat(), "rows": records})


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
        for heading, a in zip(grid.headers, grid.align, strict=False):
            table.add_column(heading, justify="right" if a == "r" else "left", overflow="fold")
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
