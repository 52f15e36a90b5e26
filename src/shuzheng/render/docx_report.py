"""The 通报 as a Word document, laid out after GB/T 9704-2012 (python-docx, imported inside render).

A4; margins top 37 mm, bottom 35, left 28, right 26; title 方正小标宋简体 二号 (22 pt; Word and WPS fall back to
宋体 through the font table's altName); body 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line; first-level headings
黑体 「一、」, second-level 楷体_GB2312 「（一）」; 「— 1 —」 page numbers (a PAGE field) at the foot, odd pages
right and even pages left. Every Chinese font is written on the East Asian slot (w:eastAsia) too, or Word
would show its Latin font. shuzheng never draws a red header: with `template`, the office's own document is
filled at its placeholders (see PLACEHOLDERS) and keeps its header and styles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.i18n import _
from ..core.report import Report
from . import bulletin
from .briefing import day
from .numbers import plain

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_PT, TITLE_PT, LINE_PT, TABLE_PT, PAGE_PT = 16, 22, 28, 10.5, 14
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: "仿宋", H2_FONT: "楷体"}
# The placeholders a template marks; a paragraph holding 正文 or 附件 is replaced by the body or the tables.
PLACEHOLDERS = ("{{标题}}", "{{期数}}", "{{发文机关}}", "{{日期}}", "{{正文}}", "{{附件}}")


def set_font(target: Any, name: str) -> None:
    """Set a run's or style's font on every slot, East Asian included, and drop theme fonts that override it."""
    from docx.oxml.ns import qn

    target.font.name = name
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _style(doc: Any, name: str, font: str, size: float, *, centre: bool = False, indent: bool = True) -> Any:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    set_font(style, font)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the stock Title's rule under it
        ppr.remove(border)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(LINE_PT, size + 6))
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.JUSTIFY
    return style


def _styles(doc: Any) -> None:
    """Normal, Title, Heading 1/2 and the table text, after GB/T 9704."""
    _style(doc, "Normal", BODY_FONT, BODY_PT)
    _style(doc, "Title", TITLE_FONT, TITLE_PT, centre=True, indent=False)
    for name, font in (("Heading 1", H1_FONT), ("Heading 2", H2_FONT)):
        style = _style(doc, name, font, BODY_PT)
        style.paragraph_format.keep_with_next = True
    _style(doc, "Subtitle", BODY_FONT, BODY_PT, centre=True, indent=False)
    _style(doc, "表格文字", BODY_FONT, TABLE_PT, centre=True, indent=False).paragraph_format.line_spacing = None
    _alt_names(doc)


def _alt_names(doc: Any) -> None:
    """The font table names a fallback for each font an office may lack (方正小标宋简体 → 宋体)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if table is None:
        return
    from lxml import etree

    root = etree.fromstring(table.blob)
    for name, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        font.append(alt_name)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        root.append(font)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(section: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the 版心's foot to the number: 7 mm below the text block


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    set_font(paragraph.add_run(shown), PAGE_FONT)
    char("end")


def _page_numbers(doc: Any, section: Any) -> None:
    """「— 1 —」: 4号 宋体, odd pages on the right, even pages on the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.left_indent = Pt(PAGE_PT) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
        fmt.right_indent = Pt(PAGE_PT) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
        set_font(paragraph.add_run("— "), PAGE_FONT)
        _field(paragraph, "PAGE", "1")
        set_font(paragraph.add_run(" —"), PAGE_FONT)
        for run in paragraph.runs:
            run.font.size = Pt(PAGE_PT)


@dataclass
class Sink:
    """Where paragraphs and tables go: the end of the document, or before a template's placeholder."""

    doc: Any
    anchor: Any = None

    def style(self, name: str) -> Any:
        try:
            return self.doc.styles[name]
        except KeyError:
            return None

    def paragraph(self, text: str = "", style: str | None = None) -> Any:
        chosen = self.style(style) if style else None
        if self.anchor is not None:
            paragraph = self.anchor.insert_paragraph_before(text, chosen)
        else:
            paragraph = self.doc.add_paragraph(text, chosen)
        return paragraph

    def table(self, rows: int, cols: int) -> Any:
        table = self.doc.add_table(rows=rows, cols=cols)
        if self.anchor is not None:
            self.anchor._p.addprevious(table._tbl)
        return table


def body(sink: Sink, report: Report) -> None:
    for section in bulletin.sections(report):
        sink.paragraph(section.heading, "Heading 1")
        for text in section.paragraphs:
            sink.paragraph(text)
        for heading, paragraphs in section.subsections:
            sink.paragraph(heading, "Heading 2")
            for text in paragraphs:
                sink.paragraph(text)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


# Column widths of the 附件 table in mm; they sum to the 156 mm text block.
ANNEX_WIDTHS = (9, 20, 34, 22, 21, 15, 15, 8, 12)


def annex(sink: Sink, report: Report, *, new_page: bool = True) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    for number, plan in enumerate(report.plans, 1):
        if new_page:
            sink.paragraph().add_run().add_break(WD_BREAK.PAGE)
        first = sink.paragraph(_("附件{n}").format(n=number), "Heading 1")
        first.paragraph_format.first_line_indent = Pt(0)
        sink.paragraph(_("{plan}目标完成情况表").format(plan=plan.title), "Title")
        sink.paragraph(bulletin.subtitle(report), "Subtitle")
        rows = bulletin.annex_rows(plan)
        table = sink.table(len(rows) + 1, len(bulletin.annex_headers()))
        if sink.style("Table Grid") is not None:
            table.style = sink.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, ANNEX_WIDTHS, strict=True):
            column.width = Mm(width)
        _repeat_header(table.rows[0])
        cells = [bulletin.annex_headers(), *[c for c, _light in rows]]
        for r, (row, values) in enumerate(zip(table.rows, cells, strict=True)):
            light = rows[r - 1][1] if r else None
            for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Mm(ANNEX_WIDTHS[c])
                paragraph = cell.paragraphs[0]
                if sink.style("表格文字") is not None:
                    paragraph.style = sink.doc.styles["表格文字"]
                if c == 2 and r:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
                run = paragraph.add_run(value)
                run.font.size = Pt(TABLE_PT)
                set_font(run, H1_FONT if r == 0 else BODY_FONT)
                if c == 7 and light:
                    _shade(cell, bulletin.LIGHT_FILL[light])
            if r == 0:
                for cell in row.cells:
                    _shade(cell, "D9D9D9")
        if new_page is False:
            new_page = True


def data_quality(sink: Sink, report: Report) -> None:
    """The ledger rows not counted as they stand, after the 附件 tables: file:line and reason."""
    entries = [
        *(f"{r.file}:{r.line}　{r.reason}（{r.code}）" for r in report.rejected),
        *(
            _("{where}　编号{ref}重复，首次记录在{first}:{line}").format(
                where=f"{d.file}:{d.line}", ref=d.ref, first=d.first_file, line=d.first_line
            )
            for d in report.duplicates
        ),
        *(
            _("{where}　更正（负数）{n}，已计入").format(where=f"{c.file}:{c.line}", n=plain(c.quantity))
            for c in report.corrections
        ),
    ]
    if not entries:
        return
    sink.paragraph(_("台账数据质量"), "Heading 2")
    for text in entries:
        sink.paragraph(text, "表格文字").alignment = 0  # left


def _head(sink: Sink, report: Report, options: dict[str, Any]) -> None:
    """期数 and the office above the title, as plain text: no red header, that is the template's."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    issue = options.get("issue_no")
    office = options.get("office")
    if issue:
        sink.paragraph(_("第{n}期").format(n=issue), "Subtitle")
    if office:  # the office on the left, the date on the right, as a 简报's head line
        line = sink.paragraph(f"{office}\t{day(report.as_of)}", "Subtitle")
        line.alignment = WD_ALIGN_PARAGRAPH.LEFT
        line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
        line.paragraph_format.space_after = Pt(LINE_PT)
    sink.paragraph(bulletin.title(report), "Title")
    sink.paragraph(bulletin.subtitle(report), "Subtitle").paragraph_format.space_after = Pt(LINE_PT)


def _replace_inline(paragraph: Any, values: dict[str, str]) -> None:
    """Replace placeholders in a paragraph's text, keeping the first run's formatting."""
    text = paragraph.text
    if not any(key in text for key in values):
        return
    for key, value in values.items():
        text = text.replace(key, value)
    runs = paragraph.runs
    if not runs:
        return
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def _all_paragraphs(doc: Any) -> list[Any]:
    found = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            found += part.paragraphs
    return found


def fill_template(doc: Any, report: Report, options: dict[str, Any]) -> None:
    """Fill {{标题}} {{期数}} {{发文机关}} {{日期}} where they stand; {{正文}} and {{附件}} each stand alone in a
    paragraph, which the body (headings 一、… with their paragraphs) or the 附件 tables replace."""
    for name, font, size in (("Heading 1", H1_FONT, BODY_PT), ("Heading 2", H2_FONT, BODY_PT)):
        if name not in [s.name for s in doc.styles]:
            _style(doc, name, font, size)
    if "表格文字" not in [s.name for s in doc.styles]:
        _style(doc, "表格文字", BODY_FONT, TABLE_PT, centre=True, indent=False).paragraph_format.line_spacing = None
    values = {
        "{{标题}}": bulletin.title(report),
        "{{期数}}": str(options.get("issue_no") or ""),
        "{{发文机关}}": str(options.get("office") or ""),
        "{{日期}}": day(report.as_of),
    }
    for paragraph in _all_paragraphs(doc):
        if "{{正文}}" in paragraph.text:
            body(Sink(doc, paragraph), report)
            data_quality(Sink(doc, paragraph), report)
            paragraph._p.getparent().remove(paragraph._p)
        elif "{{附件}}" in paragraph.text:
            annex(Sink(doc, paragraph), report, new_page=False)
            paragraph._p.getparent().remove(paragraph._p)
        else:
            _replace_inline(paragraph, values)


def render(report: Report, *, template: str | Path | None = None, **options: Any) -> bytes:
    """The 通报 as .docx bytes. Options: issue_no (期数), office (the issuing office), template (a .docx)."""
    import docx

    if template is not None:
        doc = docx.Document(str(template))
        fill_template(doc, report, options)
    else:
        doc = docx.Document()
        _styles(doc)
        section = doc.sections[0]
        _page(section)
        _page_numbers(doc, section)
        sink = Sink(doc)
        _head(sink, report, options)
        body(sink, report)
        data_quality(sink, report)
        annex(sink, report)
    doc.core_properties.title = bulletin.title(report)
    doc.core_properties.author = str(options.get("office") or "shuzheng")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
