"""The progress table for a terminal: grouped by plan and task, CJK-aligned, status in colour."""

from __future__ import annotations

import io
from decimal import Decimal

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from ..core.report import Report, Status, TargetRow
from .numbers import actual_text, percent, target_text, with_unit

STATUS_STYLE = {
    Status.MET: "green",
    Status.ON_TRACK: "cyan",
    Status.BEHIND: "yellow",
    Status.OVERDUE: "red",
    Status.VIOLATED: "bold red",
    Status.NO_DATA: "magenta",
    Status.NO_TARGET: "dim",
}
BAR_WIDTH = 10
COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("指標", "left"),
    ("名稱", "left"),
    ("範圍", "left"),
    ("目標", "right"),
    ("實際", "right"),
    ("完成", "left"),
    ("應達", "right"),
    ("狀態", "left"),
    ("牽頭", "left"),
)


def bar(ratio: Decimal | None) -> str:
    if ratio is None:
        return ""
    filled = int(min(max(ratio, Decimal(0)), Decimal(1)) * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _row(t: TargetRow) -> list[Text | str]:
    completion = f"{bar(t.ratio)} {percent(t.ratio)}" if t.ratio is not None else "—"
    status = light_cell(t.light) + Text(f"{t.status.label} {t.status}", style=STATUS_STYLE[t.status])
    return [
        t.indicator,
        t.name,
        t.scope,
        with_unit(target_text(t), t.unit if t.value is not None else None),
        actual_text(t),
        completion,
        percent(t.expected) if t.expected is not None else "",
        status,
        t.lead,
    ]


def light_cell(light: str | None) -> Text:
    """The traffic light as a coloured symbol (● ▲ ■) before the status: it survives NO_COLOR and print."""
    from .views_report import LIGHT_STYLE, LIGHT_SYMBOL

    return Text(f"{LIGHT_SYMBOL[light]} ", style=LIGHT_STYLE[light]) if light else Text("")


def console_on(out: io.StringIO, color: bool, width: int) -> Console:
    """A console writing to `out`: ANSI colour only when asked, at a fixed width."""
    return Console(
        file=out,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
    )


def render(report: Report, color: bool = False, width: int = 160) -> str:
    out = io.StringIO()
    console = console_on(out, color, width)
    console.print(f"截至 {report.as_of.isoformat()}", style="bold")
    for plan in report.plans:
        console.print()
        console.print(
            f"{plan.title} [{plan.id}]  {plan.start} … {plan.end}  應達進度 {percent(plan.expected)}",
            style="bold",
            markup=False,
        )
        tasks: dict[str, list[TargetRow]] = {}
        for t in plan.targets:
            tasks.setdefault(f"{t.task} {t.task_title}", []).append(t)
        if not tasks:
            console.print("  (no targets match)")
        for title, rows in tasks.items():
            table = Table(title=title, title_justify="left", show_lines=False, expand=False, pad_edge=True)
            for header, justify in COLUMNS:
                table.add_column(header, justify=justify, overflow="fold")
            for t in rows:
                table.add_row(*_row(t))
            console.print(table)
    console.print()
    console.print(footer(report), markup=False, soft_wrap=True)
    return out.getvalue()


def footer(report: Report) -> str:
    from .accounting import footer as accounted

    return accounted(report)
