"""Markdown: tables that align in raw text (CJK counts double) and render as CommonMark/GFM."""

from __future__ import annotations

import html
from collections.abc import Sequence

from wcwidth import wcswidth

from ..core.report import PlanReport, Report, TargetRow
from .numbers import amount, percent, target_text

TARGET_HEADERS = ("指標", "範圍", "目標", "實際", "完成", "狀態", "牽頭")


def cell(text: object) -> str:
    """Plan or ledger text made safe inside a table cell: no HTML, no pipes, no line breaks."""
    value = html.escape("" if text is None else str(text), quote=False)
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(value.split())


def width(text: str) -> int:
    found = wcswidth(text)
    return found if found >= 0 else len(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A pipe table padded by display width; cells must already be escaped."""
    widths = [max([width(h), 3] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c + " " * (w - width(c)) for c, w in zip(cells, widths)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)]) + "\n"


def target_cells(t: TargetRow) -> list[str]:
    unit = f" {t.unit}" if t.unit and t.unit != "%" and t.value is not None else ""
    return [
        cell(f"{t.indicator} {t.name}"),
        cell(t.scope),
        cell(f"{target_text(t)}{unit}"),
        cell(amount(t.actual, t)),
        cell(percent(t.ratio)),
        cell(t.status.label),
        cell(t.lead),
    ]


def task_tables(plan: PlanReport, level: int = 3) -> str:
    parts = []
    tasks: dict[tuple[str, str], list[TargetRow]] = {}
    for t in plan.targets:
        tasks.setdefault((t.task, t.task_title), []).append(t)
    for (task, title), rows in tasks.items():
        parts.append(f"{'#' * level} {cell(task)} {cell(title)}\n\n" + table(TARGET_HEADERS, [target_cells(t) for t in rows]))
    return "\n".join(parts)


def render(report: Report) -> str:
    parts = [f"# 進度 截至 {report.as_of.isoformat()}\n"]
    for plan in report.plans:
        parts.append(f"## {cell(plan.title)}\n\n應達進度 {percent(plan.expected)}\n")
        parts.append(task_tables(plan))
    return "\n".join(parts)
