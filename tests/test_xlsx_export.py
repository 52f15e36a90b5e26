"""`export --format xlsx`: the workbook opened with openpyxl — numbers as numbers, percent formats, the light as a
conditional fill, frozen and filtered headers, CJK-wide columns, 排名, 数据质量 and a native chart."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart

from office_files import city_report, libreoffice_pdf
from shuzheng.render import bulletin
from shuzheng.render.xlsx_report import display_width, sheet_name

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent
BAD = "examples/bad-ledgers/city"


@pytest.fixture(scope="module")
def report():
    return city_report()


def export(cli, tmp_path: Path, *args: str) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "进度.xlsx"
    result = cli("export", "--as-of", AS_OF, "--plan", "city", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def workbook(cli, in_repo, tmp_path):
    return openpyxl.load_workbook(export(cli, tmp_path))


def header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in ws[1]]


def test_sheets(workbook):
    assert workbook.sheetnames == ["总表", "排名-city", "滞后与逾期", "数据质量", "图表-city"]


def test_summary_sheet_numbers_formats_and_lights(workbook, report):
    ws = workbook["总表"]
    cols = {name: i + 1 for i, name in enumerate(header(ws))}
    targets = report.plans[0].targets
    assert ws.max_row == len(targets) + 1
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{len(targets) + 1}"
    for r, t in enumerate(targets, 2):
        ratio = ws.cell(r, cols["完成率"])
        if t.ratio is None:
            assert ratio.value is None
        else:
            assert isinstance(ratio.value, float | int) and abs(ratio.value - float(t.ratio)) < 1e-9
            assert ratio.number_format == "0.0%"
        value = ws.cell(r, cols["目标值"])
        assert value.value is None if t.value is None else value.value == float(t.value)
        assert ws.cell(r, cols["灯"]).value == bulletin.light_label(bulletin._light_of(t))
    rules = [
        (rule.formula[0], rule.dxf.fill.fgColor.rgb)
        for cf in ws.conditional_formatting
        if str(cf.sqref).startswith("L2")
        for rule in cf.rules
    ]
    assert sorted(rules) == sorted(
        (f'"{bulletin.light_label(lt)}"', "00" + bulletin.LIGHT_FILL[lt]) for lt in bulletin.LIGHTS
    )


def test_columns_fit_cjk_text(workbook, report):
    ws = workbook["总表"]
    longest = max(display_width(t.name) for t in report.plans[0].targets)
    assert ws.column_dimensions["D"].width >= longest  # a CJK character counts as two
    assert display_width("拆除違法建設") == 12 and display_width("abc") == 3


def test_ranking_sheet_ranks_areas_below_the_headline_by_completion(workbook, report):
    ws = workbook["排名-city"]
    rows = [dict(zip(header(ws), (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    groups = bulletin.rank_groups(report.plans[0])
    assert len(rows) == sum(len(members) for _head, members in groups)
    four = [r for r in rows if r["指标"] == "4.1"]
    assert [r["排名"] for r in four] == list(range(1, len(four) + 1))
    ratios = [r["完成率"] for r in four]
    assert ratios == sorted(ratios, reverse=True) and len(four) > 1
    below = next(r for r in rows if r["指标"] == "1.1")
    assert (below["上级范围"], below["范围"]) == ("北京市", "城六區")


def test_attention_sheet_lists_violated_overdue_behind(workbook, report):
    ws = workbook["滞后与逾期"]
    chased = [t for t in report.plans[0].targets if t.status.value in ("violated", "overdue", "behind")]
    assert ws.max_row == len(chased) + 1
    assert ws.cell(2, 11).value == "突破"  # worst first


def test_data_quality_lists_every_uncounted_row(cli, in_repo, tmp_path):
    bad = city_report([BAD])
    wb = openpyxl.load_workbook(export(cli, tmp_path, "--ledger", BAD))
    ws = wb["数据质量"]
    assert header(ws) == ["类别", "文件", "行", "代码", "原因"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == len(bad.rejected) + len(bad.duplicates) + len(bad.corrections) > 0
    for row, rejected in zip(rows, bad.rejected, strict=False):
        assert row[1:4] == [rejected.file, rejected.line, rejected.code]


def test_native_chart_of_headline_targets(workbook, report):
    ws = workbook["图表-city"]
    charts = ws._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart)
    assert len(charts[0].series) == 2  # completion and pace
    heads = [t for t in bulletin.headline_targets(report.plans[0]) if t.ratio is not None and t.comparator != "at_most"]
    assert ws.max_row == len(heads) + 1
    assert ws["B2"].number_format == "0.0%"


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    assert sheet_name("a/b[c]:d", taken) == "a_b_c__d"
    long = "排" * 40
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second


@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(cli, in_repo, tmp_path):
    out = export(cli, tmp_path)
    proc = libreoffice_pdf(out, tmp_path)
    assert proc.returncode == 0, proc.stderr
    if "could not be loaded" in proc.stdout + proc.stderr:
        pytest.skip("LibreOffice Calc is not installed")
    assert "Error" not in proc.stdout + proc.stderr
    assert (tmp_path / "进度.pdf").stat().st_size > 10_000
