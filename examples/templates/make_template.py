"""Writes examples/templates/通报模板.docx: a minimal office template for `shuzheng export --template`.

The office's own red header (发文机关标志 and the red rule under it) is part of the template, never drawn by
shuzheng. shuzheng fills these placeholders where they stand:

    {{期数}} {{发文机关}} {{日期}} {{标题}}   replaced inside their paragraph, which keeps its formatting
    {{正文}}                               a paragraph of its own, replaced by 一、总体情况 … 四、下步工作
    {{附件}}                               a paragraph of its own, replaced by the 附件 tables

Run: PYTHONPATH=src python3 examples/templates/make_template.py (examples/templates/README.md says more)
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from shuzheng.core.i18n import set_language
from shuzheng.render.docx_report import _page, _page_numbers, _styles, set_font

RED = RGBColor(0xE6, 0x00, 0x12)


def red_rule(paragraph) -> None:  # type: ignore[no-untyped-def]
    """The 版头 rule: a red line under the paragraph, as GB/T 9704 puts it below the 发文机关标志."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def main() -> None:
    set_language("zh-Hans")  # a Chinese office's template: the standard's fonts on every slot, zh-CN text
    doc = docx.Document()
    _styles(doc)
    _page(doc.sections[0])
    _page_numbers(doc, doc.sections[0])
    banner = doc.add_paragraph(style="Title")
    run = banner.add_run("××市疏解整治促提升办公室")
    set_font(run, "方正小标宋简体")
    run.font.size, run.font.color.rgb = Pt(32), RED
    banner.paragraph_format.line_spacing = Pt(54)
    sub = doc.add_paragraph(style="Title")
    run = sub.add_run("工 作 通 报")
    set_font(run, "方正小标宋简体")
    run.font.size, run.font.color.rgb = Pt(32), RED
    sub.paragraph_format.line_spacing = Pt(54)
    doc.add_paragraph("第{{期数}}期", style="Subtitle")
    line = doc.add_paragraph("{{发文机关}}\t{{日期}}", style="Subtitle")
    line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), 2)  # right-aligned tab at the text block's edge
    red_rule(line)
    doc.add_paragraph("", style="Subtitle")
    doc.add_paragraph("{{标题}}", style="Title")
    doc.add_paragraph("", style="Subtitle")
    doc.add_paragraph("{{正文}}")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("{{附件}}")
    doc.save(Path(__file__).with_name("通报模板.docx"))


if __name__ == "__main__":
    main()
