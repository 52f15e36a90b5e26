"""The 通报 as a Word document, laid out after GB/T 9704-2012 (python-docx, imported inside render).

A4; margins top 37 mm, bottom 35, left 28, right 26; title 方正小标宋简体 二号 (22 pt; Word and WPS fall back to
宋体 through the font table's altName); body 仿宋_GB2312 三号 (16 pt) at a fixed 28 pt line; first-level headings
黑体 「一、」, second-level 楷体_GB2312 「（一）」; 「— 1 —」 page numbers (a PAGE field) at the foot, odd pages
right and even pages left. Every Chinese font is written on the East Asian slot (w:eastAsia) too, or Word
would show its Latin font. The words are the chosen language's (bulletin.py), the fonts the standard's in
every language. shuzheng never draws a red header: with `template`, the office's own document is filled at
its placeholders (see PLACEHOLDERS) and keeps its header and styles.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.i18n import _, language, plan_text
from ..core.report import Report
from . import bulletin
from .labels import day

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
BODY_PT, TITLE_PT, LINE_PT, TABLE_PT, PAGE_PT = 16, 22, 28, 10.5, 14
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: "仿宋", H2_FONT: "楷体"}
# English text: a serif for the body and title, a sans for the 黑体 headings and table heads.
LATIN_FONT = "Times New Roman"
LATIN_FONTS = {H1_FONT: "Arial"}
# The placeholders a template marks; a paragraph holding 正文 or 附件 is replaced by the body or the tables.
PLACEHOLDERS = ("{{标题}}", "{{期数}}", "{{发文机关}}", "{{日期}}", "{{正文}}", "{{附件}}")
# The same places in a Traditional or an English template.
SPELLINGS = {
    "{{标题}}": ("{{標題}}", "{{title}}"),
    "{{期数}}": ("{{期數}}", "{{issue}}"),
    "{{发文机关}}": ("{{發文機關}}", "{{office}}"),
    "{{日期}}": ("{{date}}",),
    "{{正文}}": ("{{body}}",),
    "{{附件}}": ("{{annex}}",),
}
# w:lang of the text: (Latin, East Asian) per output language.
LANGUAGE_TAGS = {"zh-Hans": ("en-US", "zh-CN"), "zh-Hant": ("en-US", "zh-TW"), "en": ("en-GB", "zh-CN")}


def set_font(target: Any, name: str) -> None:
    """Set a run's or style's font on every slot, East Asian included, and drop theme fonts that override it.
    An English document writes its Latin text in LATIN_FONT; the Chinese (plan text) keeps the standard's."""
    from docx.oxml.ns import qn

    latin = LATIN_FONTS.get(name, LATIN_FONT) if language() == "en" else name
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot, font in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", name), ("w:cs", latin)):
        fonts.set(qn(slot), font)
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


def _language(style: Any) -> None:
    """The text's language (spelling, line breaking, which glyphs a font shows): the output's."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    latin, east = LANGUAGE_TAGS.get(language(), LANGUAGE_TAGS["zh-Hans"])
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), latin)
    tag.set(qn("w:eastAsia"), east)
    rpr.append(tag)


def _styles(doc: Any) -> None:
    """Normal, Title, Heading 1/2 and the table text, after GB/T 9704."""
    _language(_style(doc, "Normal", BODY_FONT, BODY_PT))
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
    # The number's line (14 pt, about 6 mm high) ends 25 mm above the page's foot: its dashes (一字线) stand
    # 7 mm below the text block, which ends 35 mm above it.
    section.footer_distance = Mm(25)


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


def body(sink: Sink, report: Report, since: bulletin.Since | None = None) -> None:
    for section in bulletin.sections(report, since):
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


# Column widths of the 附件 table in mm; they sum to the 156 mm text block. With 1 mm cell margins 序号, 完成率,
# 序时进度 and 排名 and a figure like 106.7% stay on one line.
ANNEX_WIDTHS = (10, 19, 33, 22, 21, 16, 17, 8, 10)
CELL_MARGIN_TWIPS = 57  # 1 mm left and right in every cell
# The data quality annex's columns in mm: where, what, why.
QUALITY_WIDTHS = (50, 20, 86)


def _annex_head(sink: Sink, report: Report, number: int, name: str, new_page: bool) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    if new_page:
        sink.paragraph().add_run().add_break(WD_BREAK.PAGE)
    first = sink.paragraph(bulletin.annex_label(number), "Heading 1")
    first.paragraph_format.first_line_indent = Pt(0)
    sink.paragraph(name, "Title")
    sink.paragraph(bulletin.subtitle(report), "Subtitle").paragraph_format.space_after = Pt(BODY_PT / 2)


def _table_layout(table: Any) -> None:
    """1 mm cell margins left and right, and no row broken across two pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for row in table.rows:
        keep = OxmlElement("w:cantSplit")
        keep.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(keep)


def _grid(
    sink: Sink,
    headers: list[str],
    rows: list[tuple[list[str], str | None]],
    widths: tuple[int, ...],
    left: tuple[int, ...],
    light_column: int | None,
) -> Any:
    """A table in 10.5 pt: the header on grey, repeated on each page; `left` columns flush left; the light shaded."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    table = sink.table(len(rows) + 1, len(headers))
    if sink.style("Table Grid") is not None:
        table.style = sink.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    _table_layout(table)
    _repeat_header(table.rows[0])
    cells = [headers, *[c for c, _light in rows]]
    for r, (row, values) in enumerate(zip(table.rows, cells, strict=True)):
        light = rows[r - 1][1] if r else None
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Mm(widths[c])
            paragraph = cell.paragraphs[0]
            if sink.style("表格文字") is not None:
                paragraph.style = sink.doc.styles["表格文字"]
            if c in left and r:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(value)
            run.font.size = Pt(TABLE_PT)
            set_font(run, H1_FONT if r == 0 else BODY_FONT)
            if c == light_column and light:
                _shade(cell, bulletin.LIGHT_FILL[light])
        if r == 0:
            for cell in row.cells:
                _shade(cell, "D9D9D9")
    return table


def annex(sink: Sink, report: Report, *, new_page: bool = True) -> None:
    """附件 1 … n: each plan's targets, the light shaded; then, where rows were not counted as they stand, the
    data quality annex: every such row (and file, and correction) with its file and line, what it is and why."""
    number = 0
    for number, plan in enumerate(report.plans, 1):
        _annex_head(sink, report, number, bulletin.annex_title(plan), new_page)
        _grid(sink, bulletin.annex_headers(), bulletin.annex_rows(plan), ANNEX_WIDTHS, (2,), 7)
        new_page = True
    quality = bulletin.quality_rows(report)
    if quality:
        _annex_head(sink, report, number + 1, _("Ledger data quality"), new_page)
        headers = [_("Where"), _("Category"), _("Reason")]
        rows: list[tuple[list[str], str | None]] = [
            ([q.where, q.kind, _("{reason} [{code}]").format(reason=q.reason, code=q.code)], None) for q in quality
        ]
        _grid(sink, headers, rows, QUALITY_WIDTHS, (0, 2), None)


def _head(sink: Sink, report: Report, options: dict[str, Any]) -> None:
    """期数 and the office above the title, as plain text: no red header, that is the template's."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    issue = options.get("issue_no")
    office = plan_text(str(options.get("office") or ""))
    if issue:
        sink.paragraph(bulletin.issue_text(issue), "Subtitle")
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


def _spelled(placeholder: str, values: dict[str, str]) -> dict[str, str]:
    """The value of a placeholder under each of its spellings ({{标题}}, {{標題}}, {{title}})."""
    return {name: values[placeholder] for name in (placeholder, *SPELLINGS.get(placeholder, ()))}


def _holds(paragraph: Any, placeholder: str) -> bool:
    return any(name in paragraph.text for name in (placeholder, *SPELLINGS.get(placeholder, ())))


def fill_template(doc: Any, report: Report, options: dict[str, Any]) -> None:
    """Fill {{标题}} {{期数}} {{发文机关}} {{日期}} where they stand; {{正文}} and {{附件}} each stand alone in a
    paragraph, which the body (headings 一、… with their paragraphs) or the 附件 tables replace. The Traditional
    ({{標題}}) and English ({{title}}, {{issue}}, {{office}}, {{date}}, {{body}}, {{annex}}) spellings mark the same."""
    for name, font, size in (("Heading 1", H1_FONT, BODY_PT), ("Heading 2", H2_FONT, BODY_PT)):
        if name not in [s.name for s in doc.styles]:
            _style(doc, name, font, size)
    if "表格文字" not in [s.name for s in doc.styles]:
        _style(doc, "表格文字", BODY_FONT, TABLE_PT, centre=True, indent=False).paragraph_format.line_spacing = None
    given = {
        "{{标题}}": bulletin.title(report),
        "{{期数}}": str(options.get("issue_no") or ""),
        "{{发文机关}}": plan_text(str(options.get("office") or "")),
        "{{日期}}": day(report.as_of),
    }
    values = {name: value for placeholder in given for name, value in _spelled(placeholder, given).items()}
    for paragraph in _all_paragraphs(doc):
        if _holds(paragraph, "{{正文}}"):
            body(Sink(doc, paragraph), report, options.get("since"))
            paragraph._p.getparent().remove(paragraph._p)
        elif _holds(paragraph, "{{附件}}"):
            annex(Sink(doc, paragraph), report, new_page=False)
            paragraph._p.getparent().remove(paragraph._p)
        else:
            _replace_inline(paragraph, values)


def render(report: Report, *, template: str | Path | None = None, **options: Any) -> bytes:
    """The 通报 as .docx bytes. Options: issue_no (期数), office (the issuing office), template (a .docx),
    since (a bulletin.Since: what changed since an earlier date, in 二、主要进展)."""
    import docx

    since = options.get("since")
    if not isinstance(since, bulletin.Since):
        options["since"] = None
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
        body(sink, report, options["since"])
        annex(sink, report)
    doc.core_properties.title = bulletin.title(report)
    doc.core_properties.author = plan_text(str(options.get("office") or "")) or "shuzheng"
    doc.core_properties.language = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}.get(language(), "en-GB")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
