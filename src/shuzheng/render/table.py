"""The progress table for a terminal: grouped by plan and task, CJK-aligned, fitted to the width.

Nothing is ever wrapped by the terminal: numbers, statuses, bars and percentages are never cut;
long names and areas are shortened with an ellipsis; the bar narrows, then goes; below the width
a table can take, each target is printed as a block of `key: value` lines. The 牵头 (lead) column
is shown with `wide`, otherwise the leads are listed below each task's table. Every label is in the
output's language (render/labels.py); English labels are longer, and the widths are measured, never
assumed.

Every cell passes through one sanitiser (core.findings.one_line): an escape sequence in a plan's
text is shown as `\\x1b[2J`, never sent to the terminal. `ascii` draws with ASCII only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from wcwidth import wcwidth

from ..core.findings import one_line
from ..core.i18n import _
from ..core.report import PlanReport, Report, Status, TargetRow
from .labels import as_of, expected_line, header, listed, status_label
from .numbers import actual_text, percent, target_text, with_unit

STATUS_STYLE = {  # SGR colours
    Status.MET: "32",
    Status.ON_TRACK: "36",
    Status.BEHIND: "33",
    Status.OVERDUE: "31",
    Status.VIOLATED: "1;31",
    Status.NO_DATA: "35",
    Status.NO_TARGET: "2",
}
BAR_WIDTHS = (10, 5, 0)  # tried in turn until the table fits
GAP = "  "
READABLE_NAME = 16  # columns of a name (eight characters) worth a narrower bar
ASCII = str.maketrans(
    {"█": "#", "░": ".", "─": "-", "…": "...", "—": "-", "≥": ">=", "≤": "<=", "≈": "~", "約": "~", "约": "~"}
)


@dataclass(frozen=True)
class Column:
    key: str  # also the key of its header in render/labels.py
    right: bool = False  # right-aligned (numbers)
    shrink: int = 0  # 0: never shortened; else the narrowest it may become

    @property
    def header(self) -> str:
        return header(self.key)


COLUMNS = (
    Column("indicator"),
    Column("name", shrink=8),
    Column("scope", shrink=6),
    Column("target", right=True),
    Column("actual", right=True),
    Column("completion"),
    Column("expected", right=True),
    Column("status"),
)
LEAD = Column("lead", shrink=6)


def width(text: str) -> int:
    """Columns a terminal gives `text` (CJK two each); unprintable characters were escaped before."""
    return sum(max(wcwidth(c), 0) for c in text)


def clip(text: str, room: int, ellipsis: str = "…") -> str:
    """`text` shortened to `room` columns, ending in an ellipsis when anything was cut."""
    if width(text) <= room:
        return text
    out, used, limit = [], 0, room - width(ellipsis)
    for char in text:
        if used + width(char) > limit:
            break
        out.append(char)
        used += width(char)
    return "".join(out) + ellipsis


def pad(text: str, room: int, right: bool = False) -> str:
    space = " " * max(room - width(text), 0)
    return space + text if right else text + space


def bar(ratio: Decimal | None, cells: int = 10, full: str = "█", empty: str = "░") -> str:
    if ratio is None or cells == 0:
        return ""
    filled = int(min(max(ratio, Decimal(0)), Decimal(1)) * cells)
    return full * filled + empty * (cells - filled)


class _Style:
    def __init__(self, color: bool, ascii: bool):
        self.color, self.ascii = color, ascii
        self.ellipsis = "..." if ascii else "…"

    def text(self, raw: str | None) -> str:
        """The one sanitiser for the terminal: escapes shown as text, then ASCII if asked."""
        clean = one_line(raw or "")
        return clean.translate(ASCII) if self.ascii else clean

    def sgr(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text


@dataclass
class _Row:
    cells: dict[str, str]
    ratio: Decimal | None
    status: Status


def _row(t: TargetRow, style: _Style) -> _Row:
    cells = {
        "indicator": t.indicator,
        "name": t.name,
        "scope": t.scope,
        "target": with_unit(target_text(t), t.unit if t.value is not None else None),
        "actual": actual_text(t),
        "percent": percent(t.ratio) if t.ratio is not None else "—",
        "expected": percent(t.expected) if t.expected is not None else "",
        "status": light_mark(t.light) + status_label(t.status),
        "lead": t.lead,
    }
    return _Row({k: style.text(v) for k, v in cells.items()}, t.ratio, t.status)


@dataclass(frozen=True)
class _Layout:
    columns: tuple[Column, ...]
    widths: dict[str, int]
    bar: int
    percent: int  # the width of the percentages inside the completion column


def _completion(row: _Row, layout: _Layout, style: _Style) -> str:
    if layout.bar == 0:
        return pad(row.cells["percent"], layout.percent, right=True)
    if row.ratio is None:
        return row.cells["percent"]
    full, empty = ("#", ".") if style.ascii else ("█", "░")
    return f"{bar(row.ratio, layout.bar, full, empty)} {pad(row.cells['percent'], layout.percent, right=True)}"


def _fit(rows: list[_Row], room: int, columns: tuple[Column, ...], style: _Style) -> _Layout | None:
    """Column widths that fit `room`, trying the bar widths in turn; None when even the narrowest does not.
    The shortened columns share what is left evenly, each up to what it needs."""
    natural = {
        c.key: max([width(c.header)] + [width(r.cells[c.key]) for r in rows if c.key in r.cells]) for c in columns
    }
    pct = max([width(r.cells["percent"]) for r in rows] or [1])
    gaps = width(GAP) * (len(columns) - 1)
    shrinkable = [c for c in columns if c.shrink]
    fitted = None
    for cells in BAR_WIDTHS:
        probe = _Layout(columns, natural, cells, pct)
        natural["completion"] = max([width(header("completion"))] + [width(_completion(r, probe, style)) for r in rows])
        spare = room - gaps - sum(natural[c.key] for c in columns if not c.shrink)
        widths = dict(natural) | {c.key: min(c.shrink, natural[c.key]) for c in shrinkable}
        spare -= sum(widths[c.key] for c in shrinkable)
        if spare < 0:
            continue
        while spare > 0 and (growing := [c for c in shrinkable if widths[c.key] < natural[c.key]]):
            for c in growing[:spare]:
                widths[c.key] += 1
                spare -= 1
        fitted = _Layout(columns, widths, cells, pct)
        if widths["name"] >= min(natural["name"], READABLE_NAME):
            return fitted  # names keep enough to be read: a narrower bar would not help
    return fitted


def _line(parts: Iterable[str]) -> str:
    return GAP.join(parts).rstrip()


def _table(rows: list[_Row], layout: _Layout, style: _Style) -> list[str]:
    header = _line(pad(c.header, layout.widths[c.key], c.right) for c in layout.columns)
    full = sum(layout.widths[c.key] for c in layout.columns) + width(GAP) * (len(layout.columns) - 1)
    lines = [style.sgr(header, "1"), ("-" if style.ascii else "─") * full]
    for row in rows:
        parts = []
        for c in layout.columns:
            room = layout.widths[c.key]
            text = _completion(row, layout, style) if c.key == "completion" else row.cells[c.key]
            text = clip(text, room, style.ellipsis) if c.shrink else text
            padded = pad(text, room, c.right)
            if c.key == "status":
                padded = style.sgr(text, STATUS_STYLE[row.status]) + padded[len(text) :]
            parts.append(padded)
        lines.append(_line(parts))
    return lines


def _leads(rows: list[_Row], room: int, style: _Style) -> list[str]:
    """The 牵头 of a task's rows below its table: one name, or each with the indicators it leads."""
    by_lead: dict[str, list[str]] = {}
    for row in rows:
        if row.cells["lead"]:
            ids = by_lead.setdefault(row.cells["lead"], [])
            if row.cells["indicator"] not in ids:
                ids.append(row.cells["indicator"])
    if not by_lead:
        return []
    if len(by_lead) == 1:
        items = list(by_lead)
    else:
        # Translators: a lead with the indicators it leads: 城管执法局（1.1、1.2）
        items = [_("{lead} ({indicators})").format(lead=lead, indicators=listed(ids)) for lead, ids in by_lead.items()]
    # Translators: the leads of a task's targets, below its table: 牵头：分管副市长
    prefix = style.text(_("Lead: {leads}").format(leads=""))
    indent = " " * width(prefix)
    separator = style.text(_("; "))
    lines, current = [], prefix
    for index, item in enumerate(items):
        piece = item + (separator if index < len(items) - 1 else "")
        if width(current) + width(piece.rstrip()) > room and current not in (prefix, indent):
            lines.append(current)
            current = indent
        current += piece
    lines.append(current)
    return [clip(line.rstrip(), room, style.ellipsis).rstrip() for line in lines]


def _pair(key: str, value: str) -> str:
    # Translators: a label and its value in a target's block of lines (narrow terminals): 目标：≥ 1,000平方米
    return _("{label}: {value}").format(label=key, value=value)


def _blocks(rows: list[_Row], room: int, style: _Style) -> list[str]:
    """One target per block of `key: value` lines, for widths no table fits; numbers are never cut."""
    lines: list[str] = []
    for row in rows:
        lines.append(clip(f"{row.cells['indicator']} {row.cells['name']}", room, style.ellipsis))
        completion = row.cells["percent"] + (f" / {row.cells['expected']}" if row.cells["expected"] else "")
        # Translators: the completion and the expected pace of a target: 完成/应达
        done = _("Done/Pace")
        for label, value, clipped in (
            (header("scope"), row.cells["scope"], True),
            (header("target"), row.cells["target"], False),
            (header("actual"), row.cells["actual"], False),
            (done, completion, False),
            (header("status"), style.sgr(row.cells["status"], STATUS_STYLE[row.status]), False),
            (header("lead"), row.cells["lead"], True),
        ):
            if not value:
                continue
            key = style.text(_pair(label, ""))
            if clipped:
                value = clip(value, max(room - width(key), 4), style.ellipsis)
            if width(key) + width(value) <= room:
                lines.append(f"{key}{value}")
            else:  # a number is never cut: it goes whole on a line of its own
                lines += [key.rstrip(), f"  {value}" if width(value) + 2 <= room else value]
        lines.append("")
    return lines


def _plan(plan: PlanReport, room: int, wide: bool, style: _Style) -> list[str]:
    title = f"{style.text(plan.title)} [{style.text(plan.id)}]"
    start = style.text(_("{start} …").format(start=plan.start))
    expected = style.text(expected_line(plan.expected))
    lines = [clip(title, room, style.ellipsis)]
    for gap, part in (("  ", start), (" ", str(plan.end)), ("  ", expected)):  # joined while they fit
        joined = f"{lines[-1]}{gap}{part}"
        lines[-1:] = [joined] if width(joined) <= room else [lines[-1], part]
    lines = [style.sgr(line, "1") for line in lines]
    tasks: dict[str, list[TargetRow]] = {}
    for t in plan.targets:
        tasks.setdefault(f"{t.task} {t.task_title}", []).append(t)
    if not tasks:
        return [*lines, "  " + _("(no targets match)")]
    rows = {title: [_row(t, style) for t in targets] for title, targets in tasks.items()}
    every = [r for group in rows.values() for r in group]
    # 应达 is a column only where targets differ in it (deadlines of their own); else the plan line says it
    same = all(r.cells["expected"] in ("", style.text(percent(plan.expected))) for r in every)
    columns = tuple(c for c in COLUMNS if not (same and c.key == "expected")) + ((LEAD,) if wide else ())
    layout = _fit(every, room, columns, style)
    for task, group in rows.items():
        lines.append("")
        lines.append(style.sgr(clip(style.text(task), room, style.ellipsis), "1"))
        if layout is None:
            lines += _blocks(group, room, style)
            continue
        lines += _table(group, layout, style)
        if not wide:
            lines += _leads(group, room, style)
    return lines


def render(report: Report, color: bool = False, width: int = 160, ascii: bool = False, wide: bool = False) -> str:
    style = _Style(color, ascii)
    lines = [style.sgr(style.text(as_of(report.as_of)), "1")]
    for plan in report.plans:
        lines.append("")
        lines += _plan(plan, width, wide, style)
    lines.append("")
    lines += _wrap(style.text(footer(report)), width)
    return "".join(line.rstrip() + "\n" for line in lines)


def _wrap(text: str, room: int) -> list[str]:
    """Prose broken between words (after a space, ；, ，or ：) to `room` columns; a word longer than that
    stays whole."""
    lines, current = [], ""
    for word in re.findall(r"(?:`[^`]*`|[^ ；，：`])+[ ；，：]*", text):  # a `command` is one word
        if current and width(current) + width(word.rstrip()) > room:
            lines.append(current.rstrip())
            current = ""
        current += word
    return [*lines, current.rstrip()]


def light_mark(light: str | None) -> str:
    """The traffic light as a symbol before the status (● ▲ ■): it survives NO_COLOR and print."""
    from .lights import LIGHT_SYMBOL

    return f"{LIGHT_SYMBOL[light]} " if light else ""


def footer(report: Report) -> str:
    """Every row read, in its class (render/accounting.py says it once for the table and the briefing)."""
    from .accounting import footer as accounted

    return accounted(report)
