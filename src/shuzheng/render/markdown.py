"""Markdown: tables that align in raw text (CJK counts double) and render as CommonMark/GFM."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

from wcwidth import wcswidth

from ..core.i18n import _
from ..core.report import PlanReport, Report, TargetRow
from .labels import expected_line, headers, status_label
from .lights import light_text
from .numbers import actual_text, percent, target_text, with_unit

TARGET_COLUMNS = ("indicator_name", "scope", "target", "actual", "completion", "status", "lead", "light")
TARGET_ALIGN = "lllrrlll"
NONE = "—"

# ASCII punctuation that starts inline Markdown (emphasis, code, links, strikethrough,
# headings, table cells). A backslash before any ASCII punctuation is always literal in
# CommonMark, and Chinese text rarely holds these, so it stays readable. An underscore
# between two letters or digits (市城管委_拆違示範試點.csv) can neither open nor close
# emphasis, so it is left as it is.
_ACTIVE = re.compile(r"[\\`*\[\]|~#!]|(?<![^\W_])_|_(?![^\W_])")


def one_line(text: object) -> str:
    """One line of text: whitespace runs (line breaks too) become one space, control characters go."""
    value = "" if text is None else str(text)
    value = "".join(c for c in value if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(value.split())


def cell(text: object) -> str:
    """Text made safe inside a table cell: no HTML, no pipes, no line breaks.

    Lighter than `inline` (Markdown such as `code` in it still works); for text that is
    ours. Plan and ledger text goes through `inline`.
    """
    value = html.escape("" if text is None else str(text), quote=False)
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(value.split())


def inline(text: object, empty: str = "") -> str:
    """Plan or ledger text as literal inline Markdown: safe in a table cell, a heading or after
    other text on a line (not at the start of one, where `1.` or `- ` would begin a list).

    HTML-sensitive characters become entities, Markdown punctuation is backslash-escaped,
    line breaks and runs of spaces become one space, control characters are dropped.
    """
    value = one_line(text)
    if not value:
        return empty
    value = html.escape(value, quote=False)
    return _ACTIVE.sub(lambda m: "\\" + m.group(0), value)


def width(text: str) -> int:
    """Display columns of `text` after a space, as it stands in a table line (CJK counts double).

    Measured in that context because a combining or spacing mark at the start of a cell
    joins the space before it.
    """
    found = wcswidth(" " + text)
    return found - 1 if found >= 0 else sum(max(wcswidth(c), 0) for c in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A pipe table padded by display width; cells must already be escaped.

    `align` has one letter per column, l or r (default l); right-aligned columns are
    padded on the left in the raw text and marked ---: for renderers.
    """
    align = align.ljust(len(headers), "l")
    widths = [max([width(h), 3] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def pad(text: str, w: int, a: str) -> str:
        space = " " * (w - width(text))
        return space + text if a == "r" else text + space

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(pad(c, w, a) for c, w, a in zip(cells, widths, align, strict=False)) + " |"

    rule = (
        "| "
        + " | ".join("-" * (w - 1) + ":" if a == "r" else "-" * w for w, a in zip(widths, align, strict=False))
        + " |"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)]) + "\n"


def target_cells(t: TargetRow) -> list[str]:
    return [
        inline(f"{t.indicator} {t.name}"),
        inline(t.scope),
        inline(with_unit(target_text(t), t.unit if t.value is not None else None)),
        inline(actual_text(t)),
        inline(percent(t.ratio)),
        inline(status_label(t.status)),
        inline(t.lead, NONE),
        light_text(t.light),
    ]


def task_tables(plan: PlanReport, level: int = 3) -> str:
    parts = []
    tasks: dict[tuple[str, str], list[TargetRow]] = {}
    for t in plan.targets:
        tasks.setdefault((t.task, t.task_title), []).append(t)
    for (task, title), rows in tasks.items():
        parts.append(
            f"{'#' * level} {inline(task)} {inline(title)}\n\n"
            + table(headers(*TARGET_COLUMNS), [target_cells(t) for t in rows], TARGET_ALIGN)
        )
    return "\n".join(parts)


def render(report: Report) -> str:
    # Translators: the title of `progress --format md`
    parts = ["# " + cell(_("Progress as of {day}").format(day=report.as_of.isoformat())) + "\n"]
    for plan in report.plans:
        parts.append(f"## {inline(plan.title)}\n\n{cell(expected_line(plan.expected))}\n")
        parts.append(task_tables(plan))
    return "\n".join(parts)
