"""The content of the office's 通報, shared by the docx, xlsx and html renderers (no library imports).

The sections follow the md briefing's facts, in the order a 通報 states them: 一、总体情况 (counts by
status and by light, 序时进度), 二、主要进展 (met, then furthest ahead of pace), 三、存在问题 (red then
yellow targets, worst first, with lead department, 责任单位 and leader), 四、下步工作 (per red target the
amount still to do and the monthly rate it needs), then the 附件 table of every target.

Three helpers stand in for views another branch adds to TargetRow, and are the only places to re-point:
`_light_of` (the traffic light), `_forecast` (remaining amount, months left, rate per month) and
`_ranks` (rank among sibling targets of one indicator).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..core.i18n import _
from ..core.report import PlanReport, Report, Status, TargetRow
from .briefing import chinese_number, day, gap, worst_first
from .numbers import actual_text, amount, percent, plain, target_text, with_unit

LIGHTS = ("green", "yellow", "red")
# Fill colours of the lights: light enough to print the text in them, distinct in grey.
LIGHT_FILL = {"green": "63BE7B", "yellow": "FFD966", "red": "F8696B"}
NONE = "—"
DAYS_PER_MONTH = Decimal("365.25") / 12


def light_label(light: str | None) -> str:
    return {"green": _("绿"), "yellow": _("黄"), "red": _("红")}.get(light or "", NONE)


def status_label(status: Status) -> str:
    return {
        Status.NO_TARGET: _("无量化目标"),
        Status.NO_DATA: _("无数据"),
        Status.VIOLATED: _("突破"),
        Status.MET: _("已完成"),
        Status.OVERDUE: _("逾期"),
        Status.BEHIND: _("滞后"),
        Status.ON_TRACK: _("正常推进"),
    }[status]


def _light_of(row: TargetRow) -> str | None:
    """green | yellow | red | None: the light the views computed (core/views/lights.py)."""
    return row.light


@dataclass(frozen=True)
class Forecast:
    remaining: Decimal  # in the target's unit; for a ceiling, the amount to bring down
    months: Decimal | None  # months left to the deadline; None once it has passed
    per_month: Decimal | None


def _forecast(row: TargetRow, as_of: date) -> Forecast | None:
    """What is still to do and at what monthly rate (core/views/forecast.py); None where it says nothing."""
    if row.remaining is None or row.remaining <= 0:
        return None
    days = (row.deadline - as_of).days + 1
    months = Decimal(days) / DAYS_PER_MONTH if days > 0 else None
    return Forecast(row.remaining, months, row.required_per_month)


def _ranks(plan: PlanReport) -> dict[int, tuple[int, int]]:
    """Index of a target in plan.targets → (rank, of how many), among the groups of `rank_groups`."""
    ranked: dict[int, tuple[int, int]] = {}
    for _head, members in rank_groups(plan):
        if len(members) < 2:
            continue
        for rank, (index, _row) in enumerate(members, 1):
            ranked[index] = (rank, len(members))
    return ranked


def rank_of(plan: PlanReport, index: int) -> str:
    row = plan.targets[index]
    own = getattr(row, "rank", None)
    if own is not None:
        return str(own)
    found = _ranks(plan).get(index)
    return f"{found[0]}/{found[1]}" if found else NONE


def by_indicator(plan: PlanReport) -> dict[str, list[tuple[int, TargetRow]]]:
    groups: dict[str, list[tuple[int, TargetRow]]] = {}
    for index, row in enumerate(plan.targets):
        groups.setdefault(row.indicator, []).append((index, row))
    return groups


def _widest(rows: list[tuple[int, TargetRow]]) -> tuple[int, TargetRow] | None:
    """The row whose scope holds every other's, if one does."""
    for pair in rows:
        if all(other.scope_areas <= pair[1].scope_areas for _i, other in rows):
            return pair
    return None


def headline_targets(plan: PlanReport) -> list[TargetRow]:
    """Per indicator, the quantified target at the widest scope (the first of equals)."""
    chosen = []
    for rows in by_indicator(plan).values():
        quantified = [(i, r) for i, r in rows if r.value is not None]
        if quantified:
            chosen.append(max(quantified, key=lambda pair: (len(pair[1].scope_areas), -pair[0]))[1])
    return chosen


def rank_groups(plan: PlanReport) -> list[tuple[TargetRow | None, list[tuple[int, TargetRow]]]]:
    """Per indicator: its headline target (None where no scope holds the others) and the targets directly
    below it (scopes inside it, not inside another such scope), best completion first, then plan order."""
    groups = []
    for rows in by_indicator(plan).values():
        rows = [(i, r) for i, r in rows if r.ratio is not None and r.comparator != "at_most"]
        if len(rows) < 2:
            continue
        head = _widest(rows)
        below = [(i, r) for i, r in rows if head is None or (i != head[0] and r.scope_areas < head[1].scope_areas)]
        direct = [
            (i, r) for i, r in below if not any(r.scope_areas < other.scope_areas for j, other in below if j != i)
        ]
        direct.sort(key=lambda pair: (-(pair[1].ratio or 0), pair[0]))
        if direct:
            groups.append((head[1] if head else None, direct))
    return groups


# ------------------------------------------------------------------------------------------ texts


def target_with_unit(row: TargetRow) -> str:
    return with_unit(target_text(row), row.unit if row.value is not None else None)


def actual_with_unit(row: TargetRow) -> str:
    text = actual_text(row)
    return text if row.measure == "qualitative" else with_unit(text, row.unit if row.actual is not None else None)


def amount_with_unit(value: Decimal, row: TargetRow) -> str:
    if row.unit == "%":
        return _("{n}个百分点").format(n=plain(value, 1))
    return with_unit(amount(value, row), row.unit)


def label(row: TargetRow) -> str:
    """1.1 拆除違法建設（城六區）: the plan's own words."""
    return f"{row.indicator} {row.name}（{row.scope}）"


def title(report: Report) -> str:
    name = report.plans[0].title if len(report.plans) == 1 else _("疏解整治促提升")
    return _("{plan}推进情况通报").format(plan=name)


def subtitle(report: Report) -> str:
    return _("（截至{date}）").format(date=day(report.as_of))


def counts_sentence(targets: Iterable[TargetRow], expected: Decimal | None, as_of: date) -> str:
    targets = list(targets)
    counts = [(s, sum(t.status == s for t in targets)) for s in Status]
    parts = "、".join(_("{label}{n}项").format(label=status_label(s), n=n) for s, n in counts if n)
    lights = [(light, sum(_light_of(t) == light for t in targets)) for light in LIGHTS]
    light_parts = "、".join(_("{label}灯{n}项").format(label=light_label(lt), n=n) for lt, n in lights)
    text = _("截至{date}，共有目标{n}项，其中{parts}；{lights}。").format(
        date=day(as_of), n=len(targets), parts=parts or _("无"), lights=light_parts
    )
    if expected is not None:
        text += _("按序时进度，应完成全年任务的{pace}。").format(pace=percent(expected))
    return text


def ledger_sentence(report: Report) -> str:
    if not (report.rejected or report.duplicates or report.corrections):
        return _("台账记录均已计入，没有未计入、重复或更正的记录。")
    return _("台账未计入{r}条、重复{d}条（只计一次）、更正{c}条（已计入），详见附件。").format(
        r=len(report.rejected), d=len(report.duplicates), c=len(report.corrections)
    )


def progress_sentence(row: TargetRow) -> str:
    text = _("{target}：目标{goal}，完成{actual}，完成率{ratio}").format(
        target=label(row), goal=target_with_unit(row), actual=actual_with_unit(row), ratio=percent(row.ratio)
    )
    return text + "。"


def problem_sentence(row: TargetRow) -> str:
    text = _("{target}：{status}，目标{goal}，完成{actual}，完成率{ratio}").format(
        target=label(row),
        status=status_label(row.status),
        goal=target_with_unit(row),
        actual=actual_with_unit(row),
        ratio=percent(row.ratio),
    )
    g = gap(row)
    if g is not None and g < 0:
        text += _("，低于序时进度{points}个百分点").format(points=plain(-g * 100, 1))
    text += _("。牵头部门：{dept}；责任单位：{unit}；牵头领导：{leader}。").format(
        dept=row.lead_department or NONE, unit=responsible(row), leader=row.lead_leader or NONE
    )
    return text


def responsible(row: TargetRow) -> str:
    """责任单位: the views branch may carry the ledgers' 責任單位; until then the target's scope answers for it."""
    return getattr(row, "responsible", None) or row.scope


def next_step_sentence(row: TargetRow, as_of: date) -> str:
    f = _forecast(row, as_of)
    who = row.lead_department or row.lead_leader or row.lead or responsible(row)
    if row.status == Status.VIOLATED:
        return _("{target}已突破控制目标（{goal}，实际{actual}），由{who}立即查明原因、限期整改。").format(
            target=label(row), goal=target_with_unit(row), actual=actual_with_unit(row), who=who
        )
    if f is None:
        return _("{target}由{who}督促责任单位补报台账、加快推进。").format(target=label(row), who=who)
    if f.months is None or f.per_month is None:
        return _("{target}已过期限{deadline}，尚差{remaining}，由{who}限期完成。").format(
            target=label(row), deadline=day(row.deadline), remaining=amount_with_unit(f.remaining, row), who=who
        )
    return _("{target}尚差{remaining}，距期限{deadline}还有{months}个月，每月需完成{rate}，由{who}督促落实。").format(
        target=label(row),
        remaining=amount_with_unit(f.remaining, row),
        deadline=day(row.deadline),
        months=plain(f.months, 1),
        rate=amount_with_unit(f.per_month, row),
        who=who,
    )


@dataclass(frozen=True)
class Section:
    heading: str  # 一、总体情况
    paragraphs: tuple[str, ...] = ()
    subsections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (（一）heading, paragraphs)


def _all(report: Report) -> list[tuple[PlanReport, TargetRow]]:
    return [(plan, row) for plan in report.plans for row in plan.targets]


def _named(report: Report, plan: PlanReport, text: str) -> str:
    return f"【{plan.title}】{text}" if len(report.plans) > 1 else text


def ahead(report: Report, most: int = 5) -> list[tuple[PlanReport, TargetRow]]:
    """On-track targets furthest ahead of pace: what moved most (there is no earlier report to compare)."""
    rows = [(p, t) for p, t in _all(report) if t.status == Status.ON_TRACK and gap(t) is not None]
    rows.sort(key=lambda pair: -(gap(pair[1]) or 0))
    return rows[:most]


def problems(report: Report, light: str) -> list[tuple[PlanReport, TargetRow]]:
    """The targets of one light, worst first (violated, overdue, behind; furthest behind pace first)."""
    chosen = []
    for plan in report.plans:
        rows = [t for t in plan.targets if _light_of(t) == light]
        worst = worst_first(tuple(rows))
        chosen += [(plan, t) for t in worst + [t for t in rows if t not in worst]]
    return chosen


def sections(report: Report) -> list[Section]:
    n = chinese_number
    overview = [
        _named(report, plan, counts_sentence(plan.targets, plan.expected, report.as_of)) for plan in report.plans
    ]
    overview.append(ledger_sentence(report))
    met = [_named(report, p, progress_sentence(t)) for p, t in _all(report) if t.status == Status.MET]
    moved = [
        _named(
            report,
            p,
            progress_sentence(t)[:-1]
            + _("，高于序时进度{points}个百分点。").format(points=plain((gap(t) or 0) * 100, 1)),
        )
        for p, t in ahead(report)
    ]
    red = [_named(report, p, problem_sentence(t)) for p, t in problems(report, "red")]
    yellow = [_named(report, p, problem_sentence(t)) for p, t in problems(report, "yellow")]
    steps = [_named(report, p, next_step_sentence(t, report.as_of)) for p, t in problems(report, "red")]
    nothing = _("无。")
    return [
        Section(f"{n(1)}、" + _("总体情况"), tuple(overview)),
        Section(
            f"{n(2)}、" + _("主要进展"),
            subsections=(
                (f"（{n(1)}）" + _("已完成的目标"), tuple(met) or (nothing,)),
                (f"（{n(2)}）" + _("进度领先的目标"), tuple(moved) or (nothing,)),
            ),
        ),
        Section(
            f"{n(3)}、" + _("存在问题"),
            subsections=(
                (f"（{n(1)}）" + _("红灯目标"), tuple(red) or (nothing,)),
                (f"（{n(2)}）" + _("黄灯目标"), tuple(yellow) or (nothing,)),
            ),
        ),
        Section(
            f"{n(4)}、" + _("下步工作"),
            tuple(steps) or (_("各项目标均未亮红灯，继续按序时进度推进。"),),
        ),
    ]


def annex_headers() -> list[str]:
    return [_("序号"), _("单位"), _("任务"), _("目标"), _("完成"), _("完成率"), _("序时进度"), _("灯"), _("排名")]


def annex_rows(plan: PlanReport) -> list[tuple[list[str], str | None]]:
    """The 附件 table of one plan: cells as text, and the row's light for the shaded cell."""
    rows = []
    for index, t in enumerate(plan.targets):
        pace = percent(t.expected) if gap(t) is not None else NONE
        light = _light_of(t)
        cells = [
            str(index + 1),
            t.scope,
            f"{t.indicator} {t.name}",
            target_with_unit(t),
            actual_with_unit(t),
            percent(t.ratio),
            pace,
            light_label(light),
            rank_of(plan, index),
        ]
        rows.append((cells, light))
    return rows


def annex_title(number: int, plan: PlanReport) -> str:
    return _("附件{n}").format(n=number) + "　" + _("{plan}目标完成情况表").format(plan=plan.title)
