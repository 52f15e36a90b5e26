"""The 通报 as one self-contained HTML file: no script, no network, no font; prints on A4.

The briefing's sections (一、总体情况 … 四、下步工作), the lights as coloured cells with their word in them
(so a grey print still says 红/黄/绿), an inline SVG bar chart per task with a bar per quantified target
against the pace, the 附件 table and the ledger rows not counted. Every plan or ledger text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ..core.i18n import _
from ..core.report import Report
from . import bulletin
from .numbers import plain
from .svg_chart import completion_bars

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
th { background: #d9d9d9; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
td.task { text-align: left; }
td.green { background: #63be7b; } td.yellow { background: #ffd966; } td.red { background: #f8696b; }
.chart { display: block; max-width: 100%; height: auto; margin: 0.5em 0; }
.chart text { font-size: 15px; font-family: sans-serif; }
.chart .chart-title { font-size: 17px; }
.chart .grid { stroke: #bbb; stroke-width: 0.5; }
.chart .pace { stroke: #000; stroke-width: 2; }
.annex { page-break-before: always; break-before: page; }
.quality td { text-align: left; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
}
"""


def _paragraphs(texts: tuple[str, ...]) -> list[str]:
    return [f"<p>{escape(t)}</p>" for t in texts]


def _charts(report: Report) -> list[str]:
    out = [f"<h3>{escape('（三）' + _('各项目标完成率与序时进度'))}</h3>"]
    for plan in report.plans:
        tasks: dict[str, list[Any]] = {}
        for t in plan.targets:
            if t.ratio is not None and t.comparator != "at_most":
                tasks.setdefault(f"{t.task} {t.task_title}", []).append(t)
        for task, rows in tasks.items():
            bars = [
                (
                    f"{t.indicator} {t.scope}",
                    t.ratio,
                    t.expected if bulletin.gap(t) is not None else None,
                    bulletin._light_of(t),
                )
                for t in rows
            ]
            name = task if len(report.plans) == 1 else f"{plan.title} {task}"
            out.append(f"<figure>{completion_bars(name, bars)}</figure>")
    note = _("条形为完成率，颜色为灯；黑色竖线为序时进度。")
    return out + [f'<p class="note">{escape(note)}</p>']


def _annex(report: Report) -> list[str]:
    out = []
    for number, plan in enumerate(report.plans, 1):
        out.append('<section class="annex">')
        out.append(f"<h2>{escape(_('附件{n}').format(n=number))}</h2>")
        out.append(f"<h1>{escape(_('{plan}目标完成情况表').format(plan=plan.title))}</h1>")
        out.append(f'<p class="subtitle">{escape(bulletin.subtitle(report))}</p>')
        head = "".join(f"<th>{escape(h)}</th>" for h in bulletin.annex_headers())
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
        for cells, light in bulletin.annex_rows(plan):
            tds = []
            for c, value in enumerate(cells):
                cls = ' class="task"' if c == 2 else f' class="{light}"' if c == 7 and light else ""
                tds.append(f"<td{cls}>{escape(value)}</td>")
            out.append("<tr>" + "".join(tds) + "</tr>")
        out.append("</tbody></table></section>")
    return out


def _quality(report: Report) -> list[str]:
    rows = [(f"{r.file}:{r.line}", r.code, r.reason) for r in report.rejected]
    rows += [
        (
            f"{d.file}:{d.line}",
            "duplicate-ref",
            _("编号{ref}重复，首次记录在{first}:{line}").format(ref=d.ref, first=d.first_file, line=d.first_line),
        )
        for d in report.duplicates
    ]
    rows += [
        (f"{c.file}:{c.line}", "correction", _("更正（负数）{n}，已计入").format(n=plain(c.quantity)))
        for c in report.corrections
    ]
    if not rows:
        return []
    out = [f"<h2>{escape(_('台账数据质量'))}</h2>", '<table class="quality"><thead><tr>']
    out.append("".join(f"<th>{escape(h)}</th>" for h in (_("位置"), _("代码"), _("原因"))) + "</tr></thead><tbody>")
    out += ["<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows]
    return out + ["</tbody></table>"]


def render(report: Report, **options: Any) -> str:
    """The 通报 as HTML text. Options: issue_no (期数), office (the issuing office)."""
    title = bulletin.title(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    if options.get("issue_no"):
        parts.append(f'<p class="head">{escape(_("第{n}期").format(n=options["issue_no"]))}</p>')
    if options.get("office"):
        parts.append(f'<p class="head">{escape(str(options["office"]))}</p>')
    parts += [f"<h1>{escape(title)}</h1>", f'<p class="subtitle">{escape(bulletin.subtitle(report))}</p>']
    for n, section in enumerate(bulletin.sections(report)):
        parts.append(f"<section><h2>{escape(section.heading)}</h2>")
        parts += _paragraphs(section.paragraphs)
        for heading, texts in section.subsections:
            parts.append(f"<h3>{escape(heading)}</h3>")
            parts += _paragraphs(texts)
        if n == 1:  # after 二、主要进展: the charts
            parts += _charts(report)
        parts.append("</section>")
    parts += _quality(report)
    parts += _annex(report)
    parts.append("</body></html>\n")
    return "\n".join(parts)
