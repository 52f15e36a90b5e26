"""The briefing note (簡報) the supervising office circulates after each review.

In order: a title with the plan's name (or the campaign's, for several plans) and the
as-of date; an overview; per plan a summary paragraph, a table per task, the targets
that need chasing (「滯後與逾期」, worst first, with lead department and leader) and the
checklist items still missing; then the ledger rows that were not counted as they stand.
Plain Markdown that reads as raw text and renders as CommonMark/GFM.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..core.report import SEVERITY_ORDER, DuplicateRow, PlanReport, Report, Status, TargetRow
from .markdown import NONE, inline, table, task_tables
from .numbers import actual_text, percent, plain, target_text, with_unit

CAMPAIGN = "疏解整治促提升"
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
ATTENTION_HEADERS = ("序號", "狀態", "指標", "範圍", "目標", "實際", "完成", "期限", "牽頭部門", "牽頭領導")
ATTENTION_ALIGN = "rllllrrlll"
DIGITS = "〇一二三四五六七八九"


def day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一; beyond 99 the Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def line_start(text: str) -> str:
    """Escaped text that may open a line, where `1. `, `2) `, `- `, `+ ` or `===` would start a block."""
    value = inline(text)
    if re.match(r"\d{1,9}[.)](\s|$)", value):
        return re.sub(r"^(\d+)([.)])", r"\1\\\2", value)
    if re.match(r"([-+=])(\s|\1|$)", value):
        return "\\" + value
    return value


def counts_sentence(plan: PlanReport) -> str:
    parts = "、".join(f"{s.label} {plan.count(s)} 項" for s in COUNTED)
    return f"共 {len(plan.targets)} 項目標，其中{parts}。"


def summary(plan: PlanReport, as_of: date) -> str:
    text = [
        counts_sentence(plan),
        f"計劃期 {day(plan.start)}至{day(plan.end)}；按時間進度，截至{day(as_of)}應完成 {percent(plan.expected)}。",
    ]
    chase = sum(plan.count(s) for s in ATTENTION)
    if chase:
        text.append(f"需督辦 {chase} 項，見「滯後與逾期」。")
    return "".join(text) + "\n"


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


def attention(plan: PlanReport, level: int) -> str:
    head = f"{'#' * level} 滯後與逾期\n\n"
    rows = worst_first(plan.targets)
    if not rows:
        return head + "無突破、逾期或滯後的目標。\n"
    intro = (
        f"以下 {len(rows)} 項目標按突破、逾期、滯後排列，同類按落後於應達進度（{percent(plan.expected)}）的幅度排列，"
        "落後最多者在前。\n\n"
    )
    cells = [
        [
            str(n),
            t.status.label,
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
    return head + intro + table(ATTENTION_HEADERS, cells, ATTENTION_ALIGN)


def item_list(items: tuple[str, ...]) -> str:
    """Names joined by 、, or by ； when a name holds a 、 or ， of its own."""
    sep = "；" if any(mark in item for item in items for mark in "、，,;；") else "、"
    return sep.join(inline(item) for item in items)


def missing(plan: PlanReport, level: int) -> str:
    head = f"{'#' * level} 未完成事項\n\n"
    rows = [t for t in plan.targets if t.missing_items]
    if not rows:
        return head + "沒有尚未完成的清單事項。\n"
    lines = [
        f"- {line_start(f'{t.indicator} {t.name}')}（{inline(t.scope)}）尚缺 {len(t.missing_items)} 項："
        + item_list(t.missing_items)
        + f"。牽頭：{inline(t.lead, NONE)}"
        for t in rows
    ]
    return head + "\n".join(lines) + "\n"


def plan_section(plan: PlanReport, level: int) -> str:
    """Tables per task, 滯後與逾期, 未完成事項; `level` is the heading level of these three."""
    tables = task_tables(plan, level + 1)
    parts = [f"{'#' * level} 分項進度\n\n" + (tables if tables else "本方案沒有目標。\n")]
    parts.append(attention(plan, level))
    parts.append(missing(plan, level))
    return "\n".join(parts)


def overview_table(report: Report) -> str:
    headers = ("方案", "目標數", *(s.label for s in COUNTED), "應達進度")
    rows = [
        [inline(p.title), str(len(p.targets)), *(str(p.count(s)) for s in COUNTED), percent(p.expected)]
        for p in report.plans
    ]
    total = [
        "合計",
        str(sum(len(p.targets) for p in report.plans)),
        *(str(sum(p.count(s) for p in report.plans)) for s in COUNTED),
        NONE,
    ]
    return table(headers, [*rows, total], "l" + "r" * (len(headers) - 1))


ALL_COUNTED = "台賬記錄均已計入，沒有未計入、重複或更正的記錄。\n"


def all_counted(report: Report) -> bool:
    """Only when every row that exists at the as-of date reached a figure, and no file was left out."""
    return report.rows.all_counted and not report.corrections and not report.files


def ledger_sentence(report: Report) -> str:
    if all_counted(report):
        return ALL_COUNTED
    rows = report.rows
    parts = [f"讀取台賬記錄 {rows.read} 條：計入 {rows.counted} 條"]
    for count, label in (
        (rows.rejected, "未計入（有錯）"),
        (rows.duplicate, "重複（只計一次）"),
        (rows.conflict, "編號衝突"),
        (rows.outside_scope, "不在任何目標範圍內"),
        (rows.after_as_of, "晚於截至日期"),
        (rows.blank, "空行"),
    ):
        if count:
            parts.append(f"{label} {count} 條")
    sentence = "，".join(parts)
    if report.corrections:
        sentence += f"；其中更正（負數）{len(report.corrections)} 條，已計入"
    if report.files:
        sentence += f"；另有 {len(report.files)} 個文件未讀取或重複"
    return sentence + "，詳見「數據質量」。\n"


def where(file: str, line: int) -> str:
    return inline(f"{file}:{line}")


def _uses_table(uses: Sequence[DuplicateRow]) -> str:
    """A 編號 used again (a duplicate or a conflict): where, which 編號, and where it was first used."""
    rows = [
        [
            where(d.file, d.line),
            inline(d.ref),
            inline(d.indicator),
            f"第 {d.first_line} 行" if d.first_file == d.file else where(d.first_file, d.first_line),
        ]
        for d in uses
    ]
    return table(("位置", "編號", "指標", "首次記錄"), rows)


def data_quality(report: Report) -> str:
    parts = ["## 數據質量\n"]
    if all_counted(report):
        parts.append(ALL_COUNTED)
    else:
        parts.append(ledger_sentence(report))
    if report.rejected:
        rows = [[where(r.file, r.line), inline(r.reason, NONE)] for r in report.rejected]
        parts.append(
            f"### 未計入的記錄（{len(report.rejected)} 條）\n\n以下記錄未計入任何統計，請核對後更正台賬。\n\n"
            + table(("位置", "原因"), rows)
        )
    if report.duplicates:
        parts.append(
            f"### 重複記錄（{len(report.duplicates)} 條）\n\n同一指標的台賬編號重複出現，只計首次記錄。\n\n"
            + _uses_table(report.duplicates)
        )
    if report.conflicts:
        parts.append(
            f"### 編號衝突（{len(report.conflicts)} 條）\n\n同一編號用於內容不同的記錄，只計最早的一條，請核對。\n\n"
            + _uses_table(report.conflicts)
        )
    if report.outside_scope:
        rows = [[where(r.file, r.line), inline(r.reason, NONE)] for r in report.outside_scope]
        parts.append(
            f"### 不在目標範圍內的記錄（{len(report.outside_scope)} "
            f"條）\n\n記錄有效，但所在地區不屬於該指標任何目標的範圍，"
            "未計入任何完成數。\n\n" + table(("位置", "原因"), rows)
        )
    if report.files:
        rows = [[inline(f.where.file if f.where else ""), inline(f.message, NONE)] for f in report.files]
        parts.append(f"### 文件（{len(report.files)} 個）\n\n" + table(("文件", "情況"), rows))
    if report.corrections:
        rows = [
            [where(c.file, c.line), inline(c.indicator), inline(c.area), plain(c.quantity)] for c in report.corrections
        ]
        parts.append(
            f"### 更正記錄（{len(report.corrections)} 條）\n\n數量為負數的記錄視為更正，已計入統計。\n\n"
            + table(("位置", "指標", "地區", "數量"), rows, "lllr")
        )
    return "\n".join(parts)


def render(report: Report, since: str = "") -> str:
    as_of = day(report.as_of)
    if len(report.plans) == 1:
        plan = report.plans[0]
        parts = [
            f"# {inline(plan.title)}工作簡報（截至{as_of}）\n",
            "## 總體情況\n",
            summary(plan, report.as_of) + "\n" + ledger_sentence(report),
            plan_section(plan, 2),
        ]
    else:
        parts = [
            f"# {CAMPAIGN}工作簡報（截至{as_of}）\n",
            "## 總體情況\n",
            f"本簡報涵蓋 {len(report.plans)} 個方案，各按其計劃期計算應達進度。\n\n"
            + overview_table(report)
            + "\n"
            + ledger_sentence(report),
        ]
        for n, plan in enumerate(report.plans, 1):
            parts.append(f"## {chinese_number(n)}、{inline(plan.title)}\n")
            parts.append(summary(plan, report.as_of))
            parts.append(plan_section(plan, 3))
    parts.insert(3, since) if since else None  # 「與上期相比」 (views_cli.since_text), after the overview
    parts.append(data_quality(report))
    return "\n".join(parts)
