"""`export --format xlsx`: the workbook opened with openpyxl — numbers as numbers, percent formats, the light as a
conditional fill, frozen and filtered headers, CJK-wide columns, 排名 (the areas below each target, as `progress
--by area`), 数据质量, the native charts (completion against pace, a burn-up per headline target), `--since`,
and sheet names and headers in each language (English unless a test passes --lang)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart

from office_files import city_report, libreoffice_pdf
from shuzheng import views_service as vs
from shuzheng.render import bulletin, xlsx_report
from shuzheng.render.xlsx_report import display_width, sheet_name

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent
BAD = "examples/bad-ledgers/city"


@pytest.fixture(scope="module")
def report():
    return city_report()


def export(cli, tmp_path: Path, *args: str, lang: str = "en") -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "进度.xlsx"
    result = cli("--lang", lang, "export", "--as-of", AS_OF, "--plan", "city", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def workbook(cli, in_repo, tmp_path):
    return openpyxl.load_workbook(export(cli, tmp_path))


def header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in ws[1]]


SHEETS = {
    "en": [
        "Summary",
        "Ranking-city",
        "Behind and overdue",
        "Data quality",
        "Charts-city",
        "Burn-ups-city",
        "Burn-up data-city",
    ],
    "zh-Hans": ["总表", "排名-city", "滞后与逾期", "数据质量", "图表-city", "累计进度图-city", "累计进度数据-city"],
    "zh-Hant": ["總表", "排名-city", "滯後與逾期", "數據質量", "圖表-city", "累計進度圖-city", "累計進度數據-city"],
}
SUMMARY_HEADERS = {
    "en": [
        "Plan",
        "Task",
        "Indicator ID",
        "Name",
        "Scope",
        "Unit",
        "Target value",
        "Actual",
        "Completion",
        "Expected pace",
        "Status",
        "Light",
        "Deadline",
        "Lead department",
        "Leader in charge",
    ],
    "zh-Hans": [
        "方案",
        "任务",
        "指标编号",
        "名称",
        "范围",
        "单位",
        "目标值",
        "实际",
        "完成率",
        "序时进度",
        "状态",
        "灯",
        "期限",
        "牵头部门",
        "牵头领导",
    ],
    "zh-Hant": [
        "方案",
        "任務",
        "指標編號",
        "名稱",
        "範圍",
        "單位",
        "目標值",
        "實際",
        "完成率",
        "序時進度",
        "狀態",
        "燈",
        "期限",
        "牽頭部門",
        "牽頭領導",
    ],
}


def test_sheets(workbook):
    assert workbook.sheetnames == SHEETS["en"]
    assert header(workbook["Summary"]) == SUMMARY_HEADERS["en"]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_sheet_names_headers_and_words_in_each_language(cli, in_repo, tmp_path, lang):
    wb = openpyxl.load_workbook(export(cli, tmp_path, lang=lang))
    assert wb.sheetnames == SHEETS[lang]
    ws = wb[SHEETS[lang][0]]
    assert header(ws) == SUMMARY_HEADERS[lang]
    first = [c.value for c in ws[2]]
    assert (
        first[3:6]
        == {
            "en": ["拆除違法建設", "北京市", "平方米"],  # the plan's words, as written
            "zh-Hans": ["拆除违法建设", "北京市", "平方米"],
            "zh-Hant": ["拆除違法建設", "北京市", "平方米"],
        }[lang]
    )
    assert (
        first[10:12]
        == {"en": ["on track", "Green"], "zh-Hans": ["正常推进", "绿"], "zh-Hant": ["正常推進", "綠"]}[lang]
    )
    rules = [r.formula[0] for cf in ws.conditional_formatting for r in cf.rules]
    assert {"en": '"Green"', "zh-Hans": '"绿"', "zh-Hant": '"綠"'}[lang] in rules


def test_summary_sheet_numbers_formats_and_lights(workbook, report):
    ws = workbook["Summary"]
    cols = {name: i + 1 for i, name in enumerate(header(ws))}
    targets = report.plans[0].targets
    assert ws.max_row == len(targets) + 1
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{len(targets) + 1}"
    for r, t in enumerate(targets, 2):
        ratio = ws.cell(r, cols["Completion"])
        if t.ratio is None:
            assert ratio.value is None
        else:
            assert isinstance(ratio.value, float | int) and abs(ratio.value - float(t.ratio)) < 1e-9
            assert ratio.number_format == "0.0%"
        value = ws.cell(r, cols["Target value"])
        assert value.value is None if t.value is None else value.value == float(t.value)
        assert ws.cell(r, cols["Light"]).value == bulletin.light_label(bulletin._light_of(t))
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
    ws = workbook["Summary"]
    longest = max(display_width(t.name) for t in report.plans[0].targets)
    assert ws.column_dimensions["D"].width >= longest  # a CJK character counts as two
    assert display_width("拆除違法建設") == 12 and display_width("abc") == 3


def rows_of(ws) -> list[dict]:  # type: ignore[no-untyped-def]
    return [dict(zip(header(ws), (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


def test_ranking_sheet_is_the_breakdown_by_area(workbook, in_repo):
    """One row per area below each target's scope, as `progress --by area` ranks them: the 16 districts'
    contributions to 1.1 北京市 add up to its actual; 4.1's areas, each with a target, rank by completion."""
    rows = rows_of(workbook["Ranking-city"])
    report = city_report()
    found = vs.area_breakdowns(vs.plan_rows(["city"], None), report, report)["city"]
    assert len(rows) == sum(len(b.units) for b in found) > 0
    beijing = [r for r in rows if (r["Indicator ID"], r["Scope"]) == ("1.1", "北京市")]
    target = next(t for t in report.plans[0].targets if (t.indicator, t.scope) == ("1.1", "北京市"))
    assert len(beijing) == 16 and sum(r["Contribution"] for r in beijing) == float(target.actual)
    assert [r["Rank"] for r in beijing] == sorted(r["Rank"] for r in beijing)
    assert beijing[0]["Ranked by"] == "contribution" and beijing[0]["Unit"] == "昌平區"
    shares = [r["Share"] for r in beijing]
    assert shares == sorted(shares, reverse=True) and abs(sum(shares) - 1) < 1e-9
    core = [r for r in rows if (r["Indicator ID"], r["Scope"]) == ("1.1", "城六區")]
    assert {r["Unit"] for r in core} == {"東城區", "西城區", "朝陽區", "海淀區", "豐臺區", "石景山區"}


def test_ranking_without_the_views_ranks_sibling_targets(report):
    """The renderer alone (no breakdowns): sibling targets of one indicator, best completion first."""
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_report.render(report)))
    rows = rows_of(wb["Ranking-city"])
    four = [r for r in rows if r["Indicator ID"] == "4.1"]
    assert [r["Rank"] for r in four] == list(range(1, len(four) + 1))
    ratios = [r["Completion"] for r in four]
    assert ratios == sorted(ratios, reverse=True) and len(four) > 1
    below = next(r for r in rows if r["Indicator ID"] == "1.1")
    assert (below["Scope above"], below["Scope"]) == ("北京市", "城六區")


def test_attention_sheet_lists_violated_overdue_behind(workbook, report):
    ws = workbook["Behind and overdue"]
    chased = [t for t in report.plans[0].targets if t.status.value in ("violated", "overdue", "behind")]
    assert ws.max_row == len(chased) + 1
    assert ws.cell(2, 11).value == "violated"  # worst first


def test_data_quality_lists_every_uncounted_row(cli, in_repo, tmp_path):
    bad = city_report([BAD])
    wb = openpyxl.load_workbook(export(cli, tmp_path, "--ledger", BAD))
    ws = wb["Data quality"]
    assert header(ws) == ["Category", "File", "Line", "Code", "Reason"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    quality = bulletin.quality_rows(bad)
    assert len(rows) == len(quality) >= len(bad.rejected) + len(bad.duplicates) + len(bad.corrections) > 0
    for row, rejected in zip(rows, bad.rejected, strict=False):
        assert row[1:4] == [rejected.file, rejected.line, rejected.code]
        assert row[4] == rejected.reason


def test_native_chart_of_headline_targets(workbook, report):
    ws = workbook["Charts-city"]
    charts = ws._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart)
    assert len(charts[0].series) == 2  # completion and pace
    heads = [t for t in bulletin.headline_targets(report.plans[0]) if t.ratio is not None and t.comparator != "at_most"]
    assert ws.max_row == len(heads) + 1
    assert ws["B2"].number_format == "0.0%"


def test_native_burn_up_per_headline_target(workbook, report):
    """Per headline target with a cumulative actual, a line chart of the actual at each week's end, the amount
    the pace asks for by then and the target, from the report at each of those dates."""
    charts = workbook["Burn-ups-city"]._charts
    heads = bulletin.burnup_targets(report.plans[0])
    assert len(charts) == len(heads) > 10
    assert all(isinstance(c, LineChart) and len(c.series) == 3 for c in charts)
    data = workbook["Burn-up data-city"]
    days = [row[0].value for row in data.iter_rows(min_row=2)]
    assert days[0].date() == report.plans[0].start and days[-1].date() == date(2024, 9, 15)
    assert header(data)[1:4] == [
        "1.1 (北京市): Done (×10,000 平方米)",
        "1.1 (北京市): Expected pace (×10,000 平方米)",
        "1.1 (北京市): Target (×10,000 平方米)",
    ]
    one_one = next(t for t in heads if (t.indicator, t.scope) == ("1.1", "北京市"))
    last = [c.value for c in data[data.max_row]]
    assert abs(last[1] - float(one_one.actual) / 10000) < 1e-9 and last[3] == 4000
    assert abs(last[2] - 4000 * float(one_one.expected)) < 1e-6  # the pace at the as-of date
    cuts = vs.reports_at(["city"], None, [date(2024, 6, 30)])[date(2024, 6, 30)]
    june = next(t for t in cuts.plans[0].targets if (t.indicator, t.scope) == ("1.1", "北京市"))
    at_june = next(row for row in data.iter_rows(min_row=2, values_only=True) if row[0].date() == date(2024, 6, 30))
    assert abs(at_june[1] - float(june.actual) / 10000) < 1e-9


def test_since_adds_the_changes_sheet(cli, in_repo, tmp_path):
    wb = openpyxl.load_workbook(export(cli, tmp_path, "--since", "2024-08-31"))
    assert "Since 2024-08-31" in wb.sheetnames
    rows = rows_of(wb["Since 2024-08-31"])
    assert len(rows) == len(city_report().plans[0].targets)
    one_one = next(r for r in rows if (r["Indicator ID"], r["Scope"]) == ("1.1", "北京市"))
    assert (one_one["Done since"], one_one["Actual then"], one_one["Actual"]) == (2551000, 24607000, 27158000)
    met = next(r for r in rows if (r["Indicator ID"], r["Scope"]) == ("4.1", "石景山區"))
    assert (met["Status then"], met["Status"], met["Light then"], met["Light"]) == ("on track", "met", "Red", "Green")


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
