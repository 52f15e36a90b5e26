"""The 通报 as one self-contained HTML file: no script, no network, no font; prints on A4.

The bulletin's sections (一、总体情况 … 四、下步工作, or I. Overview … in English; with `since`, what changed
since then), the lights as coloured cells with their word in them (so a grey print still says 红/黄/绿), an
inline SVG bar chart per task with a bar per quantified target against the pace, an SVG burn-up per headline
target (given `burnups`: the cumulative actual at each cut date, from the views), the 附件 tables and the ledger
rows not counted. The page's lang is the output's; every plan or ledger text is escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from ..core.i18n import N_, _, language, plan_text
from ..core.report import Report, TargetRow
from . import bulletin
from .numbers import uses_wan
from .svg_chart import burnup, completion_bars

STYLE = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong", "仿宋", "仿宋_GB2312", "STFangsong", "Noto Serif CJK SC", "Songti SC", serif;
       font-size: 16pt; line-height: 28pt; max-width: 156mm; margin: 2em auto; color: #000; }
h1 { font-family: "方正小标宋简体", "SimSun", "宋体", "Noto Serif CJK SC", serif; font-size: 22pt;
     line-height: 1.4; text-align: center; font-weight: normal; margin: 0; }
.subtitle, .head { text-align: center; margin: 0; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal;
     margin: 0; text-indent: 2em; }
h3 { font-family: "KaiTi", "楷体", "楷体_GB2312", "Noto Serif CJK SC", serif; font-size: 16pt;
     font-weight: normal; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.35; margin: 0.5em 0; }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: center; }
th { white-space: nowrap; background: #d9d9d9; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
     font-weight: normal; }
td.task { text-align: left; }
td.green { background: #63be7b; } td.yellow { background: #ffd966; } td.red { background: #f8696b; }
.chart { display: block; max-width: 100%; height: auto; margin: 0.5em 0; }
.chart text { font-size: 15px; font-family: sans-serif; }
.chart .chart-title { font-size: 17px; }
.chart .legend { font-size: 13px; }
.chart .axis-line { stroke: #000; stroke-width: 1; }
.burnups { display: flex; flex-wrap: wrap; justify-content: space-between; }
.burnups figure { width: 49%; }
.chart .grid { stroke: #bbb; stroke-width: 0.5; }
.chart .pace { stroke: #000; stroke-width: 2; }
.annex { page-break-before: always; break-before: page; }
.annex h2 { text-indent: 0; }
.quality td { text-align: left; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
}
"""


SHORT_MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def _style() -> str:
    """The style sheet, its CJK fonts in the output's script (Traditional glyphs for zh-Hant); English text in a
    Latin serif (headings in a sans) ahead of the Chinese fonts, which still show the plan's words."""
    if language() == "zh-Hant":
        return STYLE.replace("CJK SC", "CJK TC")
    if language() == "en":
        serif, sans = '"Times New Roman", "Liberation Serif", ', 'Arial, "Liberation Sans", '
        style = STYLE
        fonts = (('"FangSong"', serif), ('"方正小标宋简体"', serif), ('"SimHei"', sans), ('"KaiTi"', serif))
        for first, latin in fonts:
            style = style.replace(f"font-family: {first}", f"font-family: {latin}{first}")
        return style
    return STYLE


def _paragraphs(texts: tuple[str, ...]) -> list[str]:
    return [f"<p>{escape(t)}</p>" for t in texts]


def _bars(report: Report, number: int) -> list[str]:
    heading = bulletin.sub_heading(number, _("Completion against the expected pace"))
    out = [f"<h3>{escape(heading)}</h3>"]
    for plan in report.plans:
        tasks: dict[str, list[Any]] = {}
        for t in plan.targets:
            if t.ratio is not None and t.comparator != "at_most":
                tasks.setdefault(f"{t.task} {plan_text(t.task_title)}", []).append(t)
        for task, rows in tasks.items():
            bars = [
                (
                    f"{t.indicator} {plan_text(t.scope)}",
                    t.ratio,
                    t.expected if bulletin.gap(t) is not None else None,
                    bulletin._light_of(t),
                )
                for t in rows
            ]
            name = task if len(report.plans) == 1 else f"{plan_text(plan.title)} {task}"
            out.append(f"<figure>{completion_bars(name, bars)}</figure>")
    note = _("Each bar is a target's completion, coloured by its light; the black tick is the expected pace.")
    return out + [f'<p class="note">{escape(note)}</p>']


def _ticks(start: date, end: date) -> list[tuple[float, str]]:
    """Month starts along the time axis (at most 7 labels), the months' short names."""
    span = max((end - start).days, 1)
    months = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 7))
    return [((m - start).days / span, _(SHORT_MONTHS[m.month - 1])) for m in months[::step]]


def _burnup(row: TargetRow, points: tuple[bulletin.Point, ...], start: date, end: date) -> str:
    scale = 10000.0 if uses_wan(row) else 1.0
    value = float(row.value or 0) / scale
    span = max((end - start).days, 1)
    series = [
        (
            (p.day - start).days / span,
            float(p.actual) / scale if p.actual is not None else None,
            value * float(p.expected) if p.expected is not None else None,
        )
        for p in points
    ]
    unit = bulletin.unit_of(row) or ""
    if scale > 1:
        unit = _("×10,000 {unit}").format(unit=unit).strip()
    legend = (_("Done"), _("Expected pace"), _("Target"))
    return burnup(bulletin.label(row), series, value, _ticks(start, end), legend, unit)


def _burnups(
    report: Report, burnups: dict[str, dict[tuple[str, str, str], tuple[bulletin.Point, ...]]], number: int
) -> list[str]:
    figures = []
    for plan in report.plans:
        series = burnups.get(plan.id, {})
        for row in bulletin.burnup_targets(plan):
            points = series.get(bulletin.key(row))
            if points:
                figures.append(f"<figure>{_burnup(row, points, plan.start, report.as_of)}</figure>")
    if not figures:
        return []
    note = _(
        "Each chart is a headline target's cumulative actual since the plan began (blue), the amount the "
        "expected pace asks for by each date (dashed) and the target (red)."
    )
    heading = bulletin.sub_heading(number, _("Burn-up of each headline target"))
    return [
        f"<h3>{escape(heading)}</h3>",
        '<div class="burnups">',
        *figures,
        "</div>",
        f'<p class="note">{escape(note)}</p>',
    ]


def _table(
    headers: list[str],
    rows: list[tuple[list[str], str | None]],
    left: tuple[int, ...],
    light_column: int | None,
    css: str = "",
) -> list[str]:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    out = [f"<table{css}><thead><tr>{head}</tr></thead><tbody>"]
    for cells, light in rows:
        tds = []
        for c, value in enumerate(cells):
            cls = ' class="task"' if c in left else f' class="{light}"' if c == light_column and light else ""
            tds.append(f"<td{cls}>{escape(value)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return out + ["</tbody></table>"]


def _annex_head(report: Report, number: int, name: str) -> list[str]:
    return [
        '<section class="annex">',
        f"<h2>{escape(bulletin.annex_label(number))}</h2>",
        f"<h1>{escape(name)}</h1>",
        f'<p class="subtitle">{escape(bulletin.subtitle(report))}</p>',
    ]


def _annex(report: Report) -> list[str]:
    """附件 1 … n, one per plan; then the data quality annex, where rows were not counted as they stand."""
    out = []
    number = 0
    for number, plan in enumerate(report.plans, 1):
        out += _annex_head(report, number, bulletin.annex_title(plan))
        out += _table(bulletin.annex_headers(), bulletin.annex_rows(plan), (2,), 7)
        out.append("</section>")
    quality = bulletin.quality_rows(report)
    if quality:
        out += _annex_head(report, number + 1, _("Ledger data quality"))
        rows: list[tuple[list[str], str | None]] = [([q.where, q.kind, q.code, q.reason], None) for q in quality]
        headers = [_("Where"), _("Category"), _("Code"), _("Reason")]
        out += _table(headers, rows, (0, 3), None, ' class="quality"')
        out.append("</section>")
    return out


def render(report: Report, **options: Any) -> str:
    """The 通报 as HTML text. Options: issue_no (期数), office (the issuing office), since (a bulletin.Since),
    burnups (per plan id, per bulletin.key of a target, its points)."""
    since = options.get("since") if isinstance(options.get("since"), bulletin.Since) else None
    burnups = options.get("burnups") or {}
    title = bulletin.title(report)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(language())}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{_style()}</style></head><body>",
    ]
    if options.get("issue_no"):
        parts.append(f'<p class="head">{escape(bulletin.issue_text(options["issue_no"]))}</p>')
    if options.get("office"):
        parts.append(f'<p class="head">{escape(plan_text(str(options["office"])))}</p>')
    parts += [f"<h1>{escape(title)}</h1>", f'<p class="subtitle">{escape(bulletin.subtitle(report))}</p>']
    for n, section in enumerate(bulletin.sections(report, since)):
        parts.append(f"<section><h2>{escape(section.heading)}</h2>")
        parts += _paragraphs(section.paragraphs)
        for heading, texts in section.subsections:
            parts.append(f"<h3>{escape(heading)}</h3>")
            parts += _paragraphs(texts)
        if n == 1:  # after 二、主要进展's own parts: the charts
            number = len(section.subsections) + 1
            parts += _bars(report, number)
            parts += _burnups(report, burnups, number + 1)
        parts.append("</section>")
    parts += _annex(report)
    parts.append("</body></html>\n")
    return "\n".join(parts)
