"""The content of the office's 通报, shared by the docx, xlsx and html renderers (no library imports).

The sections follow the md briefing's facts, in the order a 通报 states them: I. Overview (counts by
status and by light, the expected pace), II. Main progress (met, then furthest ahead of pace, and with
`--since` what changed since then), III. Problems (red then yellow targets, worst first, with lead
department, responsible unit and leader), IV. Next steps (per red target the amount still to do and the
monthly rate it needs), then the annex table of every target. In Chinese these read 一、总体情况 …
四、下步工作 and 附件; every text goes through the catalogue, plan text is shown in the output's script.

The views come from core/views through the report's rows (light, remaining, rate per month) and, for
export, through options the command line computes with views_service (the same data as `progress
--since`, `--by area` and `chart`): `Since` (the changes since an earlier date) and `Point` series
(a target's cumulative actual and pace at each cut date) are their shapes here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..core.i18n import N_, _, language, ngettext, plan_text
from ..core.report import PlanReport, Report, Status, TargetRow
from ..core.views.since import Change
from .briefing import chinese_number, gap, worst_first
from .labels import day
from .labels import listed as join
from .labels import sentences as run_on
from .numbers import amount, percent, plain, with_unit

LIGHTS = ("green", "yellow", "red")
# Fill colours of the lights: light enough to print the text in them, distinct in grey.
LIGHT_FILL = {"green": "63BE7B", "yellow": "FFD966", "red": "F8696B"}
NONE = "—"
DAYS_PER_MONTH = Decimal("365.25") / 12
CUMULATIVE = ("sum", "distinct", "milestone")  # measures whose actual only adds up: a burn-up means something
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


# ------------------------------------------------------------------------------- the views' data


@dataclass(frozen=True)
class Since:
    """What changed since an earlier date: per plan id the changes of core/views/since.py, as
    views_service.since_changes gives them to `progress --since` and the md briefing."""

    day: date
    changes: dict[str, list[Change]] = field(default_factory=dict)


@dataclass(frozen=True)
class Point:
    """A target at one cut date: its actual then and the share of it the pace expected by then."""

    day: date
    actual: Decimal | None
    expected: Decimal | None


def key(row: TargetRow) -> tuple[str, str, str]:
    """A target's identity in any script: the report handed to a renderer shows plan text converted,
    the views' rows keep the plan's spelling."""
    return (row.task, row.indicator, plan_text(row.scope))


# ------------------------------------------------------------------------------------ words


def chinese() -> bool:
    return language() != "en"


def sentences(*texts: str) -> str:
    """The texts given, the empty ones left out, as whole sentences (labels.sentences)."""
    return run_on(t for t in texts if t)


def numeral(n: int) -> str:
    """一, 二 … in Chinese; I, II … for a section in English."""
    if chinese():
        return chinese_number(n)
    return ROMAN[n - 1] if 0 < n <= len(ROMAN) else str(n)


def heading(n: int, text: str) -> str:
    """一、总体情况 | I. Overview."""
    return _("{n}. {heading}").format(n=numeral(n), heading=text)


def sub_heading(n: int, text: str) -> str:
    """（一）已完成的目标 | (1) Targets met."""
    return _("({n}) {heading}").format(n=chinese_number(n) if chinese() else n, heading=text)


def light_label(light: str | None) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(light or "", NONE)


def light_name(light: str | None) -> str:
    """In a sentence: green light, 绿灯."""
    return {"green": _("green light"), "yellow": _("yellow light"), "red": _("red light")}.get(light or "", NONE)


def status_label(status: Status) -> str:
    return {
        Status.NO_TARGET: _("no quantified target"),
        Status.NO_DATA: _("no data"),
        Status.VIOLATED: _("violated"),
        Status.MET: _("met"),
        Status.OVERDUE: _("overdue"),
        Status.BEHIND: _("behind"),
        Status.ON_TRACK: _("on track"),
    }[status]


def _status_count(status: Status, n: int) -> str:
    return {
        Status.NO_TARGET: _("{n} without a quantified target"),
        Status.NO_DATA: _("{n} without data"),
        Status.VIOLATED: _("{n} violated"),
        Status.MET: _("{n} met"),
        Status.OVERDUE: _("{n} overdue"),
        Status.BEHIND: _("{n} behind"),
        Status.ON_TRACK: _("{n} on track"),
    }[status].format(n=n)


def _light_count(light: str, n: int) -> str:
    return {"green": _("{n} green"), "yellow": _("{n} yellow"), "red": _("{n} red")}[light].format(n=n)


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


def burnup_targets(plan: PlanReport) -> list[TargetRow]:
    """The headline targets a burn-up chart means something for: a cumulative actual against a value to reach."""
    return [t for t in headline_targets(plan) if t.measure in CUMULATIVE and t.comparator != "at_most"]


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


def unit_of(row: TargetRow) -> str | None:
    return plan_text(row.unit) if row.unit else None


def figure(value: Decimal | None, row: TargetRow) -> str:
    """An amount in the row's unit as the plan counts it (万 where the plan writes 萬), in the output's script."""
    return plan_text(amount(value, row))


def target_text(row: TargetRow) -> str:
    """The target as a clerk says it: ≥ 1,417万平方米, 约1.6万处, ≤ 0处; 定性 | qualitative."""
    if row.value is None:
        return _("qualitative") if row.measure == "qualitative" else NONE
    value = f"{plain(row.value, 1)}%" if row.unit == "%" else figure(row.value, row)  # 100%, as the plan writes it
    value = with_unit(value, unit_of(row))
    if row.comparator == "approx":
        return _("about {value}").format(value=value)
    return ("≤\u00a0" if row.comparator == "at_most" else "≥\u00a0") + value  # never broken from its number


def target_with_unit(row: TargetRow) -> str:
    return target_text(row)


def actual_with_unit(row: TargetRow) -> str:
    """The actual as people read it; a qualitative target counts its records."""
    if row.measure == "qualitative":
        return ngettext("{n} record", "{n} records", row.rows).format(n=row.rows) if row.rows else _("no records")
    text = figure(row.actual, row)
    return with_unit(text, unit_of(row) if row.actual is not None else None)


def amount_with_unit(value: Decimal, row: TargetRow) -> str:
    if row.unit == "%":
        return _("{n} percentage points").format(n=plain(value, 1))
    return with_unit(figure(value, row), unit_of(row))


def label(row: TargetRow) -> str:
    """1.1 拆除违法建设（城六区）: the plan's own words, in the output's script."""
    return _("{indicator} {name} ({scope})").format(
        indicator=row.indicator, name=plan_text(row.name), scope=plan_text(row.scope)
    )


def short_label(row: TargetRow) -> str:
    """1.1（城六区）"""
    return _("{indicator} ({scope})").format(indicator=row.indicator, scope=plan_text(row.scope))


def campaign_title(report: Report) -> str:
    return plan_text(report.plans[0].title) if len(report.plans) == 1 else _("Relocation, Rectification and Upgrading")


def title(report: Report) -> str:
    return _("{plan}: progress report").format(plan=campaign_title(report))


def subtitle(report: Report) -> str:
    return _("(as of {date})").format(date=day(report.as_of))


def issue_text(issue: object) -> str:
    return _("No. {n}").format(n=issue)


def counts_sentence(targets: Iterable[TargetRow], expected: Decimal | None, as_of: date) -> str:
    targets = list(targets)
    parts = join(_status_count(s, n) for s in Status if (n := sum(t.status == s for t in targets)))
    lights = join(_light_count(lt, sum(_light_of(t) == lt for t in targets)) for lt in LIGHTS)
    text = ngettext(
        "As of {date} there is {n} target: {parts}; lights: {lights}.",
        "As of {date} there are {n} targets: {parts}; lights: {lights}.",
        len(targets),
    ).format(date=day(as_of), n=len(targets), parts=parts or _("none"), lights=lights)
    if expected is not None:
        text = sentences(
            text,
            _("At the expected pace, {pace} of the year's work should be done by now.").format(pace=percent(expected)),
        )
    return text


def all_counted(report: Report) -> bool:
    """Only when every row that exists at the as-of date reached a figure, and no file was left out."""
    return report.rows.all_counted and not report.corrections and not report.files


def ledger_sentence(report: Report) -> str:
    """Every ledger row read accounted for in words; 「均已计入」 only when it is true."""
    if all_counted(report):
        return _("Every ledger row was counted; none was left out, repeated or corrected.")
    rows = report.rows
    text = [
        ngettext(
            "{read} ledger row was read and {counted} counted.",
            "{read} ledger rows were read and {counted} counted.",
            rows.read,
        ).format(read=rows.read, counted=rows.counted)
    ]
    parts = [
        phrase.format(n=n)
        for n, phrase in (
            (rows.rejected, _("{n} with errors")),
            (rows.duplicate, _("{n} repeating a ref (counted once)")),
            (rows.conflict, _("{n} with a conflicting ref")),
            (rows.outside_scope, _("{n} outside every target's scope")),
            (rows.after_as_of, _("{n} dated after the as-of date")),
            (rows.blank, _("{n} blank")),
        )
        if n
    ]
    if parts:
        text.append(_("Not counted: {parts}.").format(parts=join(parts)))
    if report.corrections:
        n = len(report.corrections)
        text.append(
            ngettext(
                "{n} correction (a negative quantity) is counted.",
                "{n} corrections (negative quantities) are counted.",
                n,
            ).format(n=n)
        )
    if report.files:
        n = len(report.files)
        text.append(
            ngettext(
                "{n} file was not read or was read twice.", "{n} files were not read or were read twice.", n
            ).format(n=n)
        )
    text.append(_("Each row is listed under “{section}”.").format(section=_("Ledger data quality")))
    return sentences(*text)


def figures(row: TargetRow) -> str:
    """target ≥ 1,417万平方米, done 795.6万平方米, 56.1% complete; without the completion where it says nothing."""
    values = {"goal": target_with_unit(row), "actual": actual_with_unit(row)}
    if row.ratio is None:
        return _("target {goal}, done {actual}").format(**values)
    return _("target {goal}, done {actual}, {ratio} complete").format(ratio=percent(row.ratio), **values)


def progress_sentence(row: TargetRow) -> str:
    return _("{target}: {figures}.").format(target=label(row), figures=figures(row))


def ahead_sentence(row: TargetRow) -> str:
    return _("{target}: {figures}, {points} percentage points ahead of the expected pace.").format(
        target=label(row), figures=figures(row), points=plain((gap(row) or 0) * 100, 1)
    )


def problem_sentence(row: TargetRow) -> str:
    values = {"target": label(row), "status": status_label(row.status), "figures": figures(row)}
    g = gap(row)
    if g is not None and g < 0:
        text = _("{target}: {status}, {figures}, {points} percentage points behind the expected pace.").format(
            points=plain(-g * 100, 1), **values
        )
    else:
        text = _("{target}: {status}, {figures}.").format(**values)
    who = _("Lead department: {department}; responsible unit: {unit}; leader in charge: {leader}.").format(
        department=row.lead_department or NONE, unit=responsible(row), leader=row.lead_leader or NONE
    )
    return sentences(text, who)


def responsible(row: TargetRow) -> str:
    """责任单位: the views branch may carry the ledgers' 責任單位; until then the target's scope answers for it."""
    return plan_text(getattr(row, "responsible", None) or row.scope)


def next_step_sentence(row: TargetRow, as_of: date) -> str:
    f = _forecast(row, as_of)
    who = row.lead_department or row.lead_leader or row.lead or responsible(row)
    if row.status == Status.VIOLATED:
        return _(
            "{target} has broken its limit ({goal}, actually {actual}): {who} to find the cause at once "
            "and correct it by a set date."
        ).format(target=label(row), goal=target_with_unit(row), actual=actual_with_unit(row), who=who)
    if f is None:
        return _("{target}: {who} to have the missing ledgers reported and speed the work up.").format(
            target=label(row), who=who
        )
    if f.months is None or f.per_month is None:
        return _(
            "{target} is past its deadline of {deadline} with {remaining} still to do: "
            "{who} to finish it by a set date."
        ).format(target=label(row), deadline=day(row.deadline), remaining=amount_with_unit(f.remaining, row), who=who)
    return _(
        "{target}: {remaining} still to do with {months} months left to the deadline of {deadline}, "
        "{rate} a month; {who} to see it done."
    ).format(
        target=label(row),
        remaining=amount_with_unit(f.remaining, row),
        deadline=day(row.deadline),
        months=plain(f.months, 1),
        rate=amount_with_unit(f.per_month, row),
        who=who,
    )


# --------------------------------------------------------------------------- since an earlier date


def _moved(c: Change) -> bool:
    """More done since (a cumulative measure), a stock or a rate that changed."""
    if c.done is None:
        return False
    if c.now.measure in CUMULATIVE:
        return c.done > 0
    if c.now.measure in ("latest", "ratio"):
        return c.then is not None and c.then.actual != c.now.actual
    return False


def _gain(c: Change) -> Decimal:
    if c.now.ratio is None:
        return Decimal(0)
    return c.now.ratio - (c.then.ratio if c.then is not None and c.then.ratio is not None else 0)


def change_sentence(c: Change) -> str:
    """One target since the earlier date, with its figures: what was added, the total, completion then and now."""
    row, then = c.now, c.then
    before = then.actual if then is not None else None
    if row.measure in CUMULATIVE:
        values = {
            "target": label(row),
            "done": amount_with_unit(c.done or Decimal(0), row),
            "actual": actual_with_unit(row),
        }
        if row.ratio is not None:
            text = _("{target}: {done} more, {actual} in all; completion from {before} to {after}.").format(
                before=percent(then.ratio if then is not None else Decimal(0)), after=percent(row.ratio), **values
            )
        else:
            text = _("{target}: {done} more, {actual} in all.").format(**values)
    elif row.measure == "latest":
        text = _("{target}: the stock went from {before} to {after}.").format(
            target=label(row),
            before=with_unit(figure(before, row), unit_of(row)),
            after=actual_with_unit(row),
        )
    else:
        text = _("{target}: the rate went from {before} to {after}.").format(
            target=label(row), before=figure(before, row), after=figure(row.actual, row)
        )
    if c.new_items:
        text = sentences(text, _("Newly done: {items}.").format(items=join(plan_text(i) for i in c.new_items)))
    return text


def _move(target: str, before: str, after: str) -> str:
    return _("{target}: {before} → {after}").format(target=target, before=before, after=after)


def since_paragraphs(report: Report, since: Since) -> tuple[str, ...]:
    """「与上期相比」: what changed since `since.day`, from the views' changes of every plan in the report."""
    changes = [c for plan in report.plans for c in since.changes.get(plan.id, [])]
    moving = [c for c in changes if _moved(c)]
    date_text = day(since.day)
    more = [c for c in moving if c.now.measure in CUMULATIVE]
    if more:
        first = ngettext(
            "Since {date}, {n} target has had more done.", "Since {date}, {n} targets have had more done.", len(more)
        ).format(date=date_text, n=len(more))
    else:
        first = _("Since {date}, no target has had more done.").format(date=date_text)
    parts = [first]
    met = [c for c in changes if c.newly_met]
    violated = [c for c in changes if c.newly_violated]
    better = [c for c in changes if c.improved and not c.newly_met]
    worse = [c for c in changes if c.improved is False and not c.newly_violated]
    if met:
        parts.append(
            ngettext("{n} target newly met: {targets}.", "{n} targets newly met: {targets}.", len(met)).format(
                n=len(met), targets=join(label(c.now) for c in met)
            )
        )
    if violated:
        parts.append(
            ngettext(
                "{n} target newly violated: {targets}.", "{n} targets newly violated: {targets}.", len(violated)
            ).format(n=len(violated), targets=join(label(c.now) for c in violated))
        )
    for sentence, found in ((N_("Better: {changes}."), better), (N_("Worse: {changes}."), worse)):
        if found:
            moves = join(
                _move(short_label(c.now), status_label(c.then.status), status_label(c.now.status))
                for c in found
                if c.then is not None
            )
            parts.append(_(sentence).format(changes=moves))
    lights = [c for c in changes if c.then is not None and c.then.light != c.now.light]
    if lights:
        moves = join(
            _move(short_label(c.now), light_name(c.then.light if c.then else None), light_name(c.now.light))
            for c in lights
        )
        parts.append(_("Lights changed: {changes}.").format(changes=moves))
    if not (met or violated or better or worse or lights):
        parts.append(_("No target changed its status or its light."))
    moving.sort(key=lambda c: -_gain(c))
    return (sentences(*parts), *(change_sentence(c) for c in moving))


# ---------------------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    heading: str  # 一、总体情况 | I. Overview
    paragraphs: tuple[str, ...] = ()
    subsections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (（一）heading, paragraphs)


def _all(report: Report) -> list[tuple[PlanReport, TargetRow]]:
    return [(plan, row) for plan in report.plans for row in plan.targets]


def _named(report: Report, plan: PlanReport, text: str) -> str:
    if len(report.plans) == 1:
        return text
    return _("[{plan}] {text}").format(plan=plan_text(plan.title), text=text)


def ahead(report: Report, most: int = 5) -> list[tuple[PlanReport, TargetRow]]:
    """On-track targets furthest ahead of pace: what moved most by the pace."""
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


def sections(report: Report, since: Since | None = None) -> list[Section]:
    overview = [
        _named(report, plan, counts_sentence(plan.targets, plan.expected, report.as_of)) for plan in report.plans
    ]
    overview.append(ledger_sentence(report))
    met = [_named(report, p, progress_sentence(t)) for p, t in _all(report) if t.status == Status.MET]
    moved = [_named(report, p, ahead_sentence(t)) for p, t in ahead(report)]
    red = [_named(report, p, problem_sentence(t)) for p, t in problems(report, "red")]
    yellow = [_named(report, p, problem_sentence(t)) for p, t in problems(report, "yellow")]
    steps = [_named(report, p, next_step_sentence(t, report.as_of)) for p, t in problems(report, "red")]
    nothing = (_("None."),)
    progress = [
        (sub_heading(1, _("Targets met")), tuple(met) or nothing),
        (sub_heading(2, _("Furthest ahead of the expected pace")), tuple(moved) or nothing),
    ]
    if since is not None:
        progress.append((sub_heading(3, _("Compared with the last report")), since_paragraphs(report, since)))
    return [
        Section(heading(1, _("Overview")), tuple(overview)),
        Section(heading(2, _("Main progress")), subsections=tuple(progress)),
        Section(
            heading(3, _("Problems")),
            subsections=(
                (sub_heading(1, _("Red-light targets")), tuple(red) or nothing),
                (sub_heading(2, _("Yellow-light targets")), tuple(yellow) or nothing),
            ),
        ),
        Section(
            heading(4, _("Next steps")),
            tuple(steps) or (_("No target has a red light; keep to the expected pace."),),
        ),
    ]


# ------------------------------------------------------------------------------------------- annex


def annex_headers() -> list[str]:
    return [
        _("No."),
        _("Unit"),
        _("Task"),
        _("Target"),
        _("Done"),
        _("Completion"),
        _("Expected pace"),
        _("Light"),
        _("Rank"),
    ]


def annex_rows(plan: PlanReport) -> list[tuple[list[str], str | None]]:
    """The annex table of one plan: cells as text, and the row's light for the shaded cell."""
    rows = []
    for index, t in enumerate(plan.targets):
        pace = percent(t.expected) if gap(t) is not None else NONE
        light = _light_of(t)
        cells = [
            str(index + 1),
            plan_text(t.scope),
            f"{t.indicator} {plan_text(t.name)}",
            target_with_unit(t),
            actual_with_unit(t),
            percent(t.ratio),
            pace,
            light_label(light),
            rank_of(plan, index),
        ]
        rows.append((cells, light))
    return rows


def annex_label(number: int) -> str:
    return _("Annex {n}").format(n=number)


def annex_title(plan: PlanReport) -> str:
    return _("{plan}: targets and completion").format(plan=plan_text(plan.title))


# ------------------------------------------------------------------------------------ data quality


@dataclass(frozen=True)
class QualityRow:
    kind: str  # 未计入 | Not counted …
    file: str
    line: int | None
    code: str
    reason: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def quality_rows(report: Report) -> list[QualityRow]:
    """Every ledger row (and file) not counted as it stands, and every correction: file, line, code, reason."""
    found = [QualityRow(_("Not counted"), r.file, r.line, r.code, r.reason) for r in report.rejected]
    found += [
        QualityRow(
            _("Repeated"),
            d.file,
            d.line,
            "duplicate-ref",
            _("ref {ref} (indicator {indicator}) was counted at {first}:{line}; this row is not counted again").format(
                ref=d.ref, indicator=d.indicator, first=d.first_file, line=d.first_line
            ),
        )
        for d in report.duplicates
    ]
    found += [
        QualityRow(
            _("Conflict"),
            d.file,
            d.line,
            "conflicting-ref",
            _(
                "ref {ref} (indicator {indicator}) was used at {first}:{line} for a different row; "
                "only the earliest is counted"
            ).format(ref=d.ref, indicator=d.indicator, first=d.first_file, line=d.first_line),
        )
        for d in report.conflicts
    ]
    found += [QualityRow(_("Outside scope"), r.file, r.line, r.code, r.reason) for r in report.outside_scope]
    found += [
        QualityRow(_("File"), f.where.file if f.where else "", None, f.code, f.message)
        for f in report.files
        if not any(r.file == (f.where.file if f.where else "") and r.code == f.code for r in report.rejected)
    ]
    found += [
        QualityRow(
            _("Correction"),
            c.file,
            c.line,
            "correction",
            _("a correction of {n} (indicator {indicator}, {area}), counted").format(
                n=plain(c.quantity), indicator=c.indicator, area=plan_text(c.area)
            ),
        )
        for c in report.corrections
    ]
    return found


def quality_headers() -> list[str]:
    return [_("Category"), _("File"), _("Line"), _("Code"), _("Reason")]
