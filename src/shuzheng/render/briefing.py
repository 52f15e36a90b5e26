"""The briefing note (簡報) the supervising office circulates after each review.

In order: a title with the plan's name (or the campaign's, for several plans) and the
as-of date; an overview; per plan a summary paragraph, a table per task, the targets
that need chasing (「滞后与逾期」, worst first, with lead department and leader) and the
checklist items still missing; then the ledger rows that were not counted as they stand.
Plain Markdown that reads as raw text and renders as CommonMark/GFM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..core.i18n import _, language, ngettext, plan_text
from ..core.report import SEVERITY_ORDER, DuplicateRow, PlanReport, Report, Status, TargetRow
from .accounting import rows_read
from .labels import clauses, header, headers, listed, sentences, status_label
from .labels import day as said_day
from .markdown import NONE, cell, inline, table, task_tables
from .numbers import actual_text, percent, plain, target_text, with_unit

# The summary counts, in the order the issue lists them.
COUNTED = (
    Status.MET,
    Status.ON_TRACK,
    Status.BEHIND,
    Status.VIOLATED,
    Status.OVERDUE,
    Status.NO_DATA,
    Status.NO_TARGET,
)
ATTENTION = (Status.VIOLATED, Status.OVERDUE, Status.BEHIND)
ATTENTION_ALIGN = "rllllrrlll"
DIGITS = "〇一二三四五六七八九"


def day(d: date) -> str:
    """2024年9月15日: the date of an official document (the 通报's issue line, render/docx_report.py).
    The briefing's sentences say their dates in the output's language (render/labels.py day)."""
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一; beyond 99 the Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def section_number(n: int) -> str:
    """一、 in Chinese, 1. in English: the number of a plan's section."""
    return str(n) if language() == "en" else chinese_number(n)


def line_start(text: str) -> str:
    """Escaped text that may open a line, where `1. `, `2) `, `- `, `+ ` or `===` would start a block."""
    value = inline(text)
    if re.match(r"\d{1,9}[.)](\s|$)", value):
        return re.sub(r"^(\d+)([.)])", r"\1\\\2", value)
    if re.match(r"([-+=])(\s|\1|$)", value):
        return "\\" + value
    return value


def attention_title() -> str:
    return _("Behind and overdue")


def missing_title() -> str:
    return _("Items still missing")


def data_quality_title() -> str:
    return _("Data quality")


def counts_sentence(plan: PlanReport) -> str:
    # Translators: one status and how many targets have it, in the summary: 已完成 3 项
    parts = listed(_("{status} {n}").format(status=status_label(s), n=plan.count(s)) for s in COUNTED)
    n = len(plan.targets)
    # Translators: {parts} is the list of statuses with their counts
    return ngettext("{n} target: {parts}.", "{n} targets: {parts}.", n).format(n=n, parts=parts)


def summary(plan: PlanReport, as_of: date) -> str:
    text = [
        counts_sentence(plan),
        _("Plan period {start} to {end}; at the planned pace, {expected} should be done by {day}.").format(
            start=said_day(plan.start), end=said_day(plan.end), expected=percent(plan.expected), day=said_day(as_of)
        ),
    ]
    chase = sum(plan.count(s) for s in ATTENTION)
    if chase:
        text.append(
            ngettext(
                "{n} target needs chasing: see “{section}”.", "{n} targets need chasing: see “{section}”.", chase
            ).format(n=chase, section=attention_title())
        )
    return sentences(text) + "\n"


def gap(t: TargetRow) -> Decimal | None:
    """How far behind the pace a target is (ratio − expected); None where a ratio says nothing of it."""
    if t.ratio is None or t.comparator == "at_most":
        return None
    return t.ratio - (t.expected if t.expected is not None else 1)  # a rate has no pace: its distance to 100 %


def worst_first(targets: tuple[TargetRow, ...]) -> list[TargetRow]:
    """Violated, overdue, behind; within each, furthest behind pace first, then in plan order."""
    chosen = [(i, t) for i, t in enumerate(targets) if t.status in ATTENTION]

    def key(pair: tuple[int, TargetRow]) -> tuple:
        i, t = pair
        g = gap(t)
        return (SEVERITY_ORDER.index(t.status), g is None, g if g is not None else 0, i)

    return [t for _, t in sorted(chosen, key=key)]


def attention_headers() -> tuple[str, ...]:
    return (
        # Translators: the column of row numbers (序号)
        _("No."),
        *headers("status", "indicator_name", "scope", "target", "actual", "completion", "deadline"),
        _("Lead department"),
        _("Lead official"),
    )


def attention(plan: PlanReport, level: int) -> str:
    head = f"{'#' * level} {cell(attention_title())}\n\n"
    rows = worst_first(plan.targets)
    if not rows:
        return head + _("No target is violated, overdue or behind.") + "\n"
    intro = ngettext(
        "The {n} target below is listed violated, overdue, behind; within each, by how far it is behind "
        "the expected pace ({expected}), furthest first.",
        "The {n} targets below are listed violated, overdue, behind; within each, by how far they are behind "
        "the expected pace ({expected}), furthest first.",
        len(rows),
    ).format(n=len(rows), expected=percent(plan.expected))
    cells = [
        [
            str(n),
            status_label(t.status),
            inline(f"{t.indicator} {t.name}"),
            inline(t.scope),
            inline(with_unit(target_text(t), t.unit if t.value is not None else None)),
            inline(actual_text(t)),
            percent(t.ratio),
            t.deadline.isoformat(),
            inline(t.lead_department, NONE),
            inline(t.lead_leader, NONE),
        ]
        for n, t in enumerate(rows, 1)
    ]
    return head + cell(intro) + "\n\n" + table(attention_headers(), cells, ATTENTION_ALIGN)


def item_list(items: tuple[str, ...]) -> str:
    """Names joined by 、, or by ； when a name holds a 、 or ， of its own."""
    escaped = [inline(item) for item in items]
    return clauses(escaped) if any(mark in item for item in items for mark in "、，,;；") else listed(escaped)


def missing(plan: PlanReport, level: int) -> str:
    head = f"{'#' * level} {cell(missing_title())}\n\n"
    rows = [t for t in plan.targets if t.missing_items]
    if not rows:
        return head + _("No checklist item is still missing.") + "\n"
    lines = [
        "- "
        + ngettext(
            "{target} ({scope}) still lacks {n} item: {items}. Lead: {lead}",
            "{target} ({scope}) still lacks {n} items: {items}. Lead: {lead}",
            len(t.missing_items),
        ).format(
            target=line_start(f"{t.indicator} {t.name}"),
            scope=inline(t.scope),
            n=len(t.missing_items),
            items=item_list(t.missing_items),
            lead=inline(t.lead, NONE),
        )
        for t in rows
    ]
    return head + "\n".join(lines) + "\n"


def plan_section(plan: PlanReport, level: int) -> str:
    """Tables per task, 滞后与逾期, 未完成事项; `level` is the heading level of these three."""
    tables = task_tables(plan, level + 1)
    body = tables if tables else _("This plan has no targets.") + "\n"
    title = _("Progress by task")
    parts = [f"{'#' * level} {cell(title)}\n\n" + body]
    parts.append(attention(plan, level))
    parts.append(missing(plan, level))
    return "\n".join(parts)


def overview_table(report: Report) -> str:
    # Translators: the column of how many targets a plan has
    heads = (header("plan"), _("Targets"), *(status_label(s) for s in COUNTED), _("Expected pace"))
    rows = [
        [inline(p.title), str(len(p.targets)), *(str(p.count(s)) for s in COUNTED), percent(p.expected)]
        for p in report.plans
    ]
    total = [
        _("Total"),
        str(sum(len(p.targets) for p in report.plans)),
        *(str(sum(p.count(s) for p in report.plans)) for s in COUNTED),
        NONE,
    ]
    return table(heads, [*rows, total], "l" + "r" * (len(heads) - 1))


def all_counted_sentence() -> str:
    return _("Every ledger row was counted: none rejected, duplicated or corrected.") + "\n"


def all_counted(report: Report) -> bool:
    """Only when every row that exists at the as-of date reached a figure, and no file was left out."""
    return report.rows.all_counted and not report.corrections and not report.files


def ledger_sentence(report: Report) -> str:
    """The rows read and what became of them (render/accounting.py), corrections and files, in one sentence."""
    if all_counted(report):
        return all_counted_sentence()
    said = [rows_read(report)]
    if report.corrections:
        n = len(report.corrections)
        said.append(
            ngettext(
                "{n} of them a correction (a negative quantity), counted",
                "{n} of them corrections (negative quantities), counted",
                n,
            ).format(n=n)
        )
    if report.files:
        n = len(report.files)
        said.append(ngettext("{n} file not read or read twice", "{n} files not read or read twice", n).format(n=n))
    # Translators: {account} is what became of the rows read; {section} the title of the data-quality section
    return cell(_("{account}; see “{section}”.").format(account=clauses(said), section=data_quality_title())) + "\n"


def where(file: str, line: int) -> str:
    return inline(f"{file}:{line}")


def _uses_table(uses: Sequence[DuplicateRow]) -> str:
    """A 编号 used again (a duplicate or a conflict): where, which 编号, and where it was first used."""
    rows = [
        [
            where(d.file, d.line),
            inline(d.ref),
            inline(d.indicator),
            # Translators: the line of the first use of a ref, in the same file
            cell(_("line {n}").format(n=d.first_line)) if d.first_file == d.file else where(d.first_file, d.first_line),
        ]
        for d in uses
    ]
    return table((*headers("where", "ref", "indicator"), _("First used")), rows)


def _section(title: str, text: str, body: str) -> str:
    return f"### {cell(title)}\n\n{cell(text)}\n\n{body}"


def data_quality(report: Report) -> str:
    parts = [f"## {cell(data_quality_title())}\n"]
    if all_counted(report):
        parts.append(all_counted_sentence())
    else:
        parts.append(ledger_sentence(report))
    if report.rejected:
        n = len(report.rejected)
        rows = [[where(r.file, r.line), inline(r.reason, NONE)] for r in report.rejected]
        parts.append(
            _section(
                ngettext("{n} row not counted", "{n} rows not counted", n).format(n=n),
                _("These rows are in no figure; check them and correct the ledger."),
                table(headers("where", "reason"), rows),
            )
        )
    if report.duplicates:
        n = len(report.duplicates)
        parts.append(
            _section(
                ngettext("{n} duplicate row", "{n} duplicate rows", n).format(n=n),
                _("A ledger ref of the same indicator appears again; only its first row is counted."),
                _uses_table(report.duplicates),
            )
        )
    if report.conflicts:
        n = len(report.conflicts)
        parts.append(
            _section(
                ngettext("{n} ref conflict", "{n} ref conflicts", n).format(n=n),
                _("One ref is used for rows that differ; only the earliest is counted. Please check them."),
                _uses_table(report.conflicts),
            )
        )
    if report.outside_scope:
        n = len(report.outside_scope)
        rows = [[where(r.file, r.line), inline(r.reason, NONE)] for r in report.outside_scope]
        parts.append(
            _section(
                ngettext("{n} row outside the targets' scope", "{n} rows outside the targets' scope", n).format(n=n),
                _(
                    "The rows are valid, but their area lies in no scope of the indicator's targets, "
                    "so they are in no figure."
                ),
                table(headers("where", "reason"), rows),
            )
        )
    if report.files:
        n = len(report.files)
        rows = [[inline(f.where.file if f.where else ""), inline(f.message, NONE)] for f in report.files]
        # Translators: the column of what is wrong with a file
        heads = (_("File"), _("Problem"))
        title = ngettext("{n} file", "{n} files", n).format(n=n)
        parts.append(f"### {cell(title)}\n\n" + table(heads, rows))
    if report.corrections:
        n = len(report.corrections)
        rows = [
            [where(c.file, c.line), inline(c.indicator), inline(plan_text(c.area)), plain(c.quantity)]
            for c in report.corrections
        ]
        parts.append(
            _section(
                ngettext("{n} correction row", "{n} correction rows", n).format(n=n),
                _("A row with a negative quantity is a correction; it is counted."),
                table(headers("where", "indicator", "area", "quantity"), rows, "lllr"),
            )
        )
    return "\n".join(parts)


def render(report: Report, since: str = "") -> str:
    as_of = said_day(report.as_of)
    overview = "## " + cell(_("Overview")) + "\n"
    if len(report.plans) == 1:
        plan = report.plans[0]
        parts = [
            "# " + _("{plan}: briefing (as of {day})").format(plan=inline(plan.title), day=cell(as_of)) + "\n",
            overview,
            summary(plan, report.as_of) + "\n" + ledger_sentence(report),
            plan_section(plan, 2),
        ]
    else:
        n = len(report.plans)
        parts = [
            "# " + cell(_("Campaign briefing (as of {day})").format(day=as_of)) + "\n",
            overview,
            ngettext(
                "This briefing covers {n} plan, paced by its own period.",
                "This briefing covers {n} plans, each paced by its own period.",
                n,
            ).format(n=n)
            + "\n\n"
            + overview_table(report)
            + "\n"
            + ledger_sentence(report),
        ]
        for number, plan in enumerate(report.plans, 1):
            # Translators: a plan's section of the briefing: 一、2024年…方案
            title = _("{number}. {title}").format(number=section_number(number), title=inline(plan.title))
            parts.append(f"## {title}\n")
            parts.append(summary(plan, report.as_of))
            parts.append(plan_section(plan, 3))
    parts.insert(3, since) if since else None  # 「与上期相比」 (views_cli.since_text), after the overview
    parts.append(data_quality(report))
    return "\n".join(parts)
