"""`export --format docx`: the 通报 opened with python-docx — layout after GB/T 9704, headings, fonts on the East
Asian slot, the PAGE field, the 附件 tables with shaded lights, the data quality annex, `--since`, the template,
each language (English here unless a test passes --lang; the Chinese ones need the built catalogue); then
LibreOffice, where installed."""

from __future__ import annotations

import io
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
from shuzheng.render import bulletin, docx_report
from shuzheng.render.numbers import plain

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent
BAD = "examples/bad-ledgers/city"
TEMPLATE = REPO / "examples" / "templates" / "通报模板.docx"


@pytest.fixture(scope="module")
def report():
    return city_report()


def export(cli, tmp_path: Path, name: str, *args: str, lang: str = "en") -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    result = cli("--lang", lang, "export", "--as-of", AS_OF, "--plan", "city", "-o", str(out), *args)
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
    assert "No. 7" in texts
    assert any(t.startswith("督查室\t") and t.endswith("15 September 2024") for t in texts)
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles[0] == f"{report.plans[0].title}: progress report"


HEADINGS = {
    "en": (
        ["I. Overview", "II. Main progress", "III. Problems", "IV. Next steps", "Annex 1"],
        ["(1) Targets met", "(2) Furthest ahead of the expected pace", "(1) Red-light targets"],
    ),
    "zh-Hans": (
        ["一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作", "附件1"],
        ["（一）已完成的目标", "（二）进度领先的目标", "（一）红灯目标"],
    ),
    "zh-Hant": (
        ["一、總體情況", "二、主要進展", "三、存在問題", "四、下步工作", "附件1"],
        ["（一）已完成的目標", "（二）進度領先的目標", "（一）紅燈目標"],
    ),
}


def headings(document, style: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_headings_in_order(document):
    first, second = HEADINGS["en"]
    assert headings(document, "Heading 1")[:5] == first
    assert headings(document, "Heading 2")[:4] == [*second, "(2) Yellow-light targets"]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_every_word_is_in_the_chosen_language(cli, in_repo, tmp_path, lang):
    """zh-Hans reads 一、总体情况 and the plan in Simplified; zh-Hant is Traditional throughout; en is English,
    with the plan's own words as written. The fonts are the standard's in each."""
    doc = docx.Document(str(export(cli, tmp_path, "通报.docx", lang=lang)))
    first, second = HEADINGS[lang]
    assert headings(doc, "Heading 1")[: len(first)] == first
    assert headings(doc, "Heading 2")[: len(second)] == second
    title = headings(doc, "Title")[0]
    assert (
        title
        == {
            "en": "2024年疏解整治促提升方案（市級）: progress report",
            "zh-Hans": "2024年疏解整治促提升方案（市级）推进情况通报",
            "zh-Hant": "2024年疏解整治促提升方案（市級）推進情況通報",
        }[lang]
    )
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert (
        header
        == {
            "en": ["No.", "Unit", "Task", "Target", "Done", "Completion", "Expected pace", "Light", "Rank"],
            "zh-Hans": ["序号", "单位", "任务", "目标", "完成", "完成率", "序时进度", "灯", "排名"],
            "zh-Hant": ["序號", "單位", "任務", "目標", "完成", "完成率", "序時進度", "燈", "排名"],
        }[lang]
    )
    first_row = [c.text for c in doc.tables[0].rows[1].cells]
    assert (
        first_row[1:3]
        == {
            "en": ["北京市", "1.1 拆除違法建設"],
            "zh-Hans": ["北京市", "1.1 拆除违法建设"],
            "zh-Hant": ["北京市", "1.1 拆除違法建設"],
        }[lang]
    )
    assert first_row[7] == {"en": "Green", "zh-Hans": "绿", "zh-Hant": "綠"}[lang]
    body = "".join(p.text for p in doc.paragraphs)
    if lang == "en":
        assert "As of 15 September 2024 there are 61 targets" in body and "萬" in body  # 萬 is the plan's
    elif lang == "zh-Hans":
        assert "截至2024年9月15日，共有目标61项" in body and "萬" not in body and "違" not in body
    else:
        assert "截至2024年9月15日，共有目標61項" in body and "违" not in body
    assert east_asian(doc.styles["Normal"].element) == "仿宋_GB2312"
    tag = doc.styles["Normal"].element.find(qn("w:rPr") + "/" + qn("w:lang"))
    assert tag.get(qn("w:eastAsia")) == {"en": "zh-CN", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}[lang]


def body_between(document, start: str, end: str) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [p.text for p in document.paragraphs]
    return [t for t in texts[texts.index(start) + 1 : texts.index(end)] if t]


def test_problems_name_lead_department_unit_and_leader_worst_first(document, report):
    red = body_between(document, "(1) Red-light targets", "(2) Yellow-light targets")
    expected = [t for _p, t in bulletin.problems(report, "red")]
    assert len(red) == len(expected) > 0
    assert expected[0].status == Status.VIOLATED  # violated before behind
    for text, row in zip(red, expected, strict=True):
        assert text.startswith(f"{row.indicator} {row.name} ({row.scope}): {bulletin.status_label(row.status)}")
        assert "Lead department: " in text and f"responsible unit: {row.scope}" in text
        assert f"leader in charge: {row.lead_leader}." in text


def test_next_steps_give_remaining_and_monthly_rate(document, report):
    steps = body_between(document, "IV. Next steps", "Annex 1")
    behind = [t for _p, t in bulletin.problems(report, "red") if t.status == Status.BEHIND]
    assert len(steps) == len(bulletin.problems(report, "red")) and behind
    for row in behind:
        remaining = row.value - row.actual
        line = next(s for s in steps if s.startswith(f"{row.indicator} {row.name} ({row.scope})"))
        rate = bulletin.amount_with_unit(row.required_per_month, row)
        assert f"{plain(remaining)}{row.unit} still to do" in line and f"{rate} a month" in line


SINCE = "2024-08-31"


def test_since_says_what_changed_with_its_figures(cli, in_repo, tmp_path):
    """二、主要进展 gains (3) Compared with the last report: the views' changes since the date (the same as
    `progress --since`), with each target's increase, the newly met and the lights that changed."""
    doc = docx.Document(str(export(cli, tmp_path, "since.docx", "--since", SINCE)))
    assert headings(doc, "Heading 2")[2] == "(3) Compared with the last report"
    changed = body_between(doc, "(3) Compared with the last report", "III. Problems")
    summary = changed[0]
    assert summary.startswith("Since 31 August 2024, 16 targets have had more done.")
    assert "1 target newly met: 4.1 老舊小區綜合整治試點 (石景山區)." in summary
    assert "Lights changed: 4.1 (石景山區): red light → green light" in summary
    # 1.1 北京市: 2,460.7萬 on 31 August, 2,715.8萬 now (progress --since shows the same)
    assert (
        "1.1 拆除違法建設 (北京市): 255.1萬平方米 more, 2,715.8萬平方米 in all; completion from 61.5% to 67.9%."
        in changed
    )
    assert "1.4 城市副中心違法建設存量 (城市副中心): the stock went from 523,000平方米 to 318,000平方米." in changed
    assert len(changed) == 1 + 16 + 1  # the summary, the 16 that had more done, the stock that moved
    without = docx.Document(str(export(cli, tmp_path, "plain.docx")))
    assert "(3) Compared with the last report" not in headings(without, "Heading 2")


def test_since_in_chinese(cli, in_repo, tmp_path):
    doc = docx.Document(str(export(cli, tmp_path, "since.docx", "--since", SINCE, lang="zh-Hans")))
    changed = body_between(doc, "（三）与上期相比", "三、存在问题")
    assert changed[0].startswith("与上期（2024年8月31日）相比，16项目标有新增完成量。新完成1项：")
    assert (
        "1.1 拆除违法建设（北京市）：本期新增255.1万平方米，累计完成2,715.8万平方米，完成率由61.5%提高到67.9%。"
        in changed
    )


def test_since_must_be_before_the_as_of_date(cli, in_repo, tmp_path):
    result = cli("export", "--as-of", AS_OF, "--plan", "city", "-o", str(tmp_path / "x.docx"), "--since", AS_OF)
    assert result.exit_code == 2
    assert "--since 2024-09-15 is not before the as-of date 2024-09-15" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_data_quality_annex_lists_every_row_not_counted(cli, in_repo, tmp_path):
    bad = city_report([BAD])
    doc = docx.Document(str(export(cli, tmp_path, "bad.docx", "--ledger", BAD)))
    quality = bulletin.quality_rows(bad)
    assert len(quality) >= 3 and {q.code for q in quality} >= {"invalid-date", "unknown-area"}
    assert headings(doc, "Heading 1")[-1] == "Annex 2" and headings(doc, "Title")[-1] == "Ledger data quality"
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Where", "Category", "Reason"]
    assert len(table.rows) == len(quality) + 1
    for row, q in zip(table.rows[1:], quality, strict=True):
        assert row.cells[0].text == f"{q.file}:{q.line}" if q.line else q.file
        assert row.cells[2].text.endswith(f"[{q.code}]")
    counts = next(p.text for p in doc.paragraphs if "ledger rows were read" in p.text)
    assert f"{bad.rows.read} ledger rows were read and {bad.rows.counted} counted." in counts


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
    out = export(cli, tmp_path, "filled.docx", "--template", str(TEMPLATE), "--issue-no", "5", "--office", "督查室")
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert not any("{{" in t for t in texts)
    assert texts[0] == "××市疏解整治促提升办公室"  # the template's own red header, kept
    title = bulletin.title(report)
    assert "第5期" in texts and title in texts and "督查室\t15 September 2024" in texts
    first = headings(doc, "Heading 1")
    assert first[:5] == HEADINGS["en"][0]
    assert len(doc.tables) == 2 and len(doc.tables[0].rows) == len(report.plans[0].targets) + 1
    # the body stands where {{正文}} stood: after the title, before the 附件
    assert texts.index(title) < texts.index("I. Overview") < texts.index("Annex 1")


def test_template_in_chinese(cli, in_repo, tmp_path, report):
    out = export(cli, tmp_path, "filled.docx", "--template", str(TEMPLATE), "--issue-no", "5", lang="zh-Hans")
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "第5期" in texts and "2024年疏解整治促提升方案（市级）推进情况通报" in texts
    assert headings(doc, "Heading 1")[:5] == HEADINGS["zh-Hans"][0]


def test_template_placeholders_in_traditional_and_english(tmp_path, report):
    """{{標題}} and {{title}} mark the same place as {{标题}}; so for each placeholder."""
    plain_doc = docx.Document()
    for text in ("{{期數}} {{issue}}", "{{title}}", "{{發文機關}} {{date}}", "{{body}}", "{{annex}}"):
        plain_doc.add_paragraph(text)
    template = tmp_path / "t.docx"
    plain_doc.save(str(template))
    filled = docx_report.render(report, template=template, issue_no="9", office="督查室")
    doc = docx.Document(io.BytesIO(filled))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["9 9", bulletin.title(report), "督查室 15 September 2024"]
    assert headings(doc, "Heading 1")[:5] == HEADINGS["en"][0] and doc.tables
    assert not any("{{" in t for t in texts)


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
    out = export(cli, tmp_path, "通报.docx", "--since", SINCE, "--issue-no", "3", lang="zh-Hans")
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
