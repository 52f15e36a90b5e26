"""`export --format docx`: the 通报 opened with python-docx — layout after GB/T 9704, headings, fonts on the East
Asian slot, the PAGE field, the 附件 tables with shaded lights, the template; then LibreOffice, where installed."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from office_files import city_report, libreoffice_pdf
from shuzheng.core.report import Status
from shuzheng.render import bulletin
from shuzheng.render.numbers import plain

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "examples" / "templates" / "通报模板.docx"


@pytest.fixture(scope="module")
def report():
    return city_report()


def export(cli, tmp_path: Path, name: str, *args: str) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    result = cli("export", "--as-of", AS_OF, "--plan", "city", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    return out


@pytest.fixture
def document(cli, in_repo, tmp_path):
    return docx.Document(str(export(cli, tmp_path, "通报.docx", "--issue-no", "7", "--office", "督查室")))


def east_asian(element) -> str | None:  # type: ignore[no-untyped-def]
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_standard_margins(document):
    section = document.sections[0]

    def mm(*lengths):  # stored in twips: 1/20 pt
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (37, 35)
    assert mm(section.left_margin, section.right_margin) == (28, 26)


def test_fonts_are_set_on_the_east_asian_slot(document):
    styles = document.styles
    assert east_asian(styles["Normal"].element) == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)
    assert east_asian(styles["Title"].element) == "方正小标宋简体"
    assert styles["Title"].font.size == Pt(22)
    assert east_asian(styles["Heading 1"].element) == "黑体"
    assert east_asian(styles["Heading 2"].element) == "楷体_GB2312"
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = styles[name].element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None, name
    fmt = styles["Normal"].paragraph_format
    assert fmt.line_spacing == Pt(28)
    assert str(fmt.line_spacing_rule).startswith("EXACTLY")


def test_font_table_names_the_fallback_of_the_title_font(document):
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    assert 'w:name="方正小标宋简体"' in xml and 'w:val="宋体"' in xml


def test_title_issue_and_office(document, report):
    texts = [p.text for p in document.paragraphs]
    assert "第7期" in texts
    assert any(t.startswith("督查室\t") and t.endswith("2024年9月15日") for t in texts)
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles[0] == f"{report.plans[0].title}推进情况通报"


def test_headings_in_order(document):
    first = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert first[:4] == ["一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作"]
    assert first[4] == "附件1"
    second = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert second[:4] == ["（一）已完成的目标", "（二）进度领先的目标", "（一）红灯目标", "（二）黄灯目标"]


def body_between(document, start: str, end: str) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [p.text for p in document.paragraphs]
    return texts[texts.index(start) + 1 : texts.index(end)]


def test_problems_name_lead_department_unit_and_leader_worst_first(document, report):
    red = body_between(document, "（一）红灯目标", "（二）黄灯目标")
    expected = [t for _p, t in bulletin.problems(report, "red")]
    assert len(red) == len(expected) > 0
    assert expected[0].status == Status.VIOLATED  # violated before behind
    for text, row in zip(red, expected, strict=True):
        assert text.startswith(f"{row.indicator} {row.name}（{row.scope}）")
        assert "牵头部门：" in text and "责任单位：" in text and f"牵头领导：{row.lead_leader}" in text


def test_next_steps_give_remaining_and_monthly_rate(document, report):
    steps = body_between(document, "四、下步工作", "台账数据质量")
    behind = [t for _p, t in bulletin.problems(report, "red") if t.status == Status.BEHIND]
    assert len(steps) == len(bulletin.problems(report, "red"))
    for row in behind:
        remaining = row.value - row.actual
        line = next(s for s in steps if s.startswith(f"{row.indicator} {row.name}（{row.scope}）"))
        assert f"尚差{plain(remaining)}" in line and "每月需完成" in line


def test_footer_has_the_page_field_between_dashes(document):
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert document.settings.odd_and_even_pages_header_footer


def test_annex_table_with_shaded_lights(document, report):
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == bulletin.annex_headers()
    plan = report.plans[0]
    assert len(table.rows) == len(plan.targets) + 1
    for row, target in zip(table.rows[1:], plan.targets, strict=True):
        light = bulletin._light_of(target)
        cell = row.cells[7]
        shd = cell._tc.find(qn("w:tcPr") + "/" + qn("w:shd"))
        if light is None:
            assert shd is None and cell.text == "—"
        else:
            assert shd.get(qn("w:fill")) == bulletin.LIGHT_FILL[light]
            assert cell.text == bulletin.light_label(light)
    assert table.rows[0]._tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None


def test_the_bulletin_takes_light_and_rate_from_the_views(report):
    row = next(t for t in report.plans[0].targets if t.status == Status.BEHIND and t.comparator == "at_least")
    assert bulletin._light_of(row) == row.light and row.light in ("yellow", "red")
    f = bulletin._forecast(row, date(2024, 9, 15))
    assert (f.remaining, f.per_month) == (row.remaining, row.required_per_month)
    assert f.remaining == row.value - row.actual


def test_template_is_filled_at_its_placeholders(cli, in_repo, tmp_path, report):
    out = export(cli, tmp_path, "filled.docx", "--template", str(TEMPLATE), "--issue-no", "5")
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert not any("{{" in t for t in texts)
    assert texts[0] == "××市疏解整治促提升办公室"  # the template's own red header, kept
    assert "第5期" in texts and f"{report.plans[0].title}推进情况通报" in texts
    first = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert first[:4] == ["一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作"]
    assert len(doc.tables) == 1 and len(doc.tables[0].rows) == len(report.plans[0].targets) + 1
    # the body stands where {{正文}} stood: after the title, before the 附件
    assert texts.index("一、总体情况") > texts.index(f"{report.plans[0].title}推进情况通报")


def test_sample_template_script_writes_the_shipped_template(tmp_path):
    script = REPO / "examples" / "templates" / "make_template.py"
    copy = tmp_path / "make_template.py"
    shutil.copy(script, copy)
    subprocess.run([sys.executable, str(copy)], check=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    made = docx.Document(str(tmp_path / "通报模板.docx"))
    shipped = docx.Document(str(TEMPLATE))
    assert [p.text for p in made.paragraphs] == [p.text for p in shipped.paragraphs]
    assert any(p.text == "{{正文}}" for p in shipped.paragraphs)


def test_extension_picks_the_format(cli, in_repo, tmp_path):
    assert export(cli, tmp_path, "a.docx").read_bytes()[:2] == b"PK"
    assert export(cli, tmp_path, "a.xlsx").read_bytes()[:2] == b"PK"
    assert export(cli, tmp_path, "a.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert export(cli, tmp_path, "a.md").read_text(encoding="utf-8").startswith("# ")


def test_binary_format_to_a_terminal_is_refused(in_repo):
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "shuzheng", "export", "--as-of", AS_OF, "--plan", "city", "--format", "docx"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert proc.returncode == 2
    assert "-o FILE.docx" in proc.stderr


def test_binary_format_to_a_pipe_is_written(in_repo):
    proc = subprocess.run(
        [sys.executable, "-m", "shuzheng", "export", "--as-of", AS_OF, "--plan", "city", "--format", "docx"],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout[:2] == b"PK"


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_converts_it_without_complaint(cli, in_repo, tmp_path):
    out = export(cli, tmp_path, "通报.docx")
    proc = libreoffice_pdf(out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Error" not in proc.stdout + proc.stderr
    pdf = tmp_path / "通报.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
        )
        assert list(tmp_path.glob("p*.png"))
