"""`shuzheng template`: one workbook per reporting unit, its dropdowns drawn from the plan; its words in each
language (English unless a test passes --lang), its header one the ledger reader reads in every language."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from shuzheng.core.areas import AreaTree
from shuzheng.core.columns import match_header
from shuzheng.core.reporting import duty_of, find_unit
from shuzheng.read.plan import read_plan

HEADER = [
    "No.",
    "Date",
    "Indicator ID",
    "Indicator name",
    "Area",
    "Quantity",
    "Unit",
    "Item",
    "Ref",
    "Department",
    "Note",
]
HEADERS = {
    "en": HEADER,
    "zh-Hans": ["序号", "日期", "指标编号", "指标名称", "地区", "数量", "单位", "项目", "编号", "责任单位", "备注"],
    "zh-Hant": ["序號", "日期", "指標編號", "指標名稱", "地區", "數量", "單位", "項目", "編號", "責任單位", "備註"],
}
SHEETS = {
    "en": ["Ledger", "Instructions", "Lists"],
    "zh-Hans": ["台账", "说明", "清单"],
    "zh-Hant": ["台賬", "說明", "清單"],
}


@pytest.fixture
def out(tmp_path: Path, in_repo: Path) -> Path:
    return tmp_path / "out"


def one(cli, out: Path, *args: str, lang: str = "en") -> openpyxl.Workbook:
    result = cli("--lang", lang, "template", *args, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    (path,) = out.glob("*.xlsx")
    return openpyxl.load_workbook(path)


def validations(sheet) -> dict[str, object]:  # noqa: ANN001
    """Data validations by the column they cover."""
    return {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}


def listed(book: openpyxl.Workbook, formula: str) -> list[str]:
    """The values a list validation offers: the cells of the Lists (清单) range it refers to."""
    sheet_name, ref = formula.split("!")
    sheet = book[sheet_name.strip("'")]
    return [row[0].value for row in sheet[ref.replace("$", "")]]


def test_header_frozen_protected_and_the_data_cells_free(cli, out: Path) -> None:
    book = one(cli, out, "city", "--unit", "朝阳")
    assert book.sheetnames == SHEETS["en"]
    sheet = book["Ledger"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.protection.sheet
    assert all(c.protection.locked for c in sheet[1])
    for letter in "ABCDEFGHIJK":
        assert sheet.column_dimensions[letter].protection.locked is False
    assert sheet.max_row == 1, "no empty styled rows for the reader to warn about"
    assert book["Lists"].sheet_state == "hidden"


def test_dropdowns_come_from_the_plan(cli, out: Path, repo_root: Path) -> None:
    book = one(cli, out, "city", "--unit", "朝阳")
    checks = validations(book["Ledger"])
    plan, _ = read_plan(repo_root / "plans" / "city.yaml", "city")
    tree = AreaTree.of(plan)
    duty = duty_of(plan, tree, find_unit(plan, tree, "朝陽區"))
    ids = listed(book, checks["C"].formula1)
    assert ids == [i.id for _t, i in duty.indicators]
    # an area reports what targets containing it ask: 1.1 (北京市, 城六區), 3.2 (朝陽區); not 4.1's 東城區 row
    assert {"1.1", "3.2", "4.1"} <= set(ids) and "1.4" not in ids  # 1.4 is 城市副中心's
    assert listed(book, checks["D"].formula1)[ids.index("3.2")] == "第一批城鄉結合部改造試點鄉"
    assert listed(book, checks["E"].formula1) == ["朝陽區"]
    assert "來廣營" in listed(book, checks["H"].formula1)
    assert {"平方米", "個"} <= set(listed(book, checks["G"].formula1))
    assert listed(book, checks["J"].formula1) == ["朝陽區"]
    assert all(checks[c].type == "list" for c in "CDEGHJ")
    assert checks["C"].errorStyle == "stop" and checks["H"].errorStyle == "warning"  # items may be typed by hand
    # dates as dates within the plan, quantities as decimals (negatives: corrections)
    assert checks["B"].type == "date" and checks["B"].operator == "between"
    epoch = dt.date(1899, 12, 30)
    assert (epoch + dt.timedelta(days=int(checks["B"].formula1))) == plan.period.start
    assert book["Ledger"].column_dimensions["B"].number_format == "yyyy-mm-dd"
    assert checks["F"].type == "decimal" and float(checks["F"].formula1) < 0


def test_help_sheet_lists_the_units_targets_and_where_to_send(cli, out: Path) -> None:
    book = one(cli, out, "huairou", "--unit", "雁栖镇")
    text = "\n".join(
        " ".join(str(v) for v in row if v is not None) for row in book["Instructions"].iter_rows(values_only=True)
    )
    assert "雁棲鎮" in text and "領導小組辦公室設在區發展改革委" in text
    assert "雁棲鎮_<period>.xlsx" in text
    # deadlines as the reconciler takes them: the target's, the indicator's, else the period's end
    assert "11.1 細化工作方案出臺 懷柔區 (qualitative) 個 2024-02-29" in text
    assert "1.1 " in text and "2025-01-20" in text


def test_a_road_reports_its_own_attendance(cli, out: Path) -> None:
    book = one(cli, out, "hailing", "--unit", "主干道三", "--task", "0")
    checks = validations(book["Ledger"])
    assert listed(book, checks["C"].formula1) == ["0.1"]
    assert listed(book, checks["E"].formula1) == ["主干道三"]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_words_in_each_language_and_a_header_the_reader_reads(cli, out: Path, lang: str) -> None:
    book = one(cli, out, "huairou", "--unit", "雁栖镇", lang=lang)
    assert book.sheetnames == SHEETS[lang]
    labels = [c.value for c in book.worksheets[0][1]]
    assert labels == HEADERS[lang]
    header = match_header(labels)
    assert header.usable and header.complete
    assert set(header.fields) == {"date", "indicator", "area", "quantity", "unit", "item", "ref", "department", "note"}
    assert {p.column for p in header.problems} == {4}  # 指标名称 is the clerk's, not the reader's; 序号 is known
    text = "\n".join(
        " ".join(str(v) for v in row if v is not None) for row in book.worksheets[1].iter_rows(values_only=True)
    )
    town = {"en": "雁棲鎮", "zh-Hans": "雁栖镇", "zh-Hant": "雁棲鎮"}[lang]  # the plan's own words, or converted
    period = {"en": "<period>", "zh-Hans": "<报送期>", "zh-Hant": "<報送期>"}[lang]
    assert f"{town}_{period}.xlsx" in text
    assert {"en": "How to fill it", "zh-Hans": "填写说明", "zh-Hant": "填寫說明"}[lang] in text


def test_one_per_unit_without_unit(cli, out: Path) -> None:
    result = cli("template", "hailing", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert len(list(out.glob("*.xlsx"))) == 10


def test_unknown_unit_is_bad_usage(cli, out: Path) -> None:
    result = cli("template", "city", "--unit", "朝阳县", "-o", str(out))
    assert result.exit_code == 2
    assert "[unknown-reporting-unit]" in result.stderr and "朝陽區" in result.stderr


def test_csv_is_the_same_header_in_gb18030(cli, out: Path) -> None:
    result = cli("template", "city", "--unit", "西城", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    (path,) = out.glob("*.csv")
    assert next(csv.reader(io.StringIO(path.read_bytes().decode("gb18030")))) == HEADER
    zh = cli("--lang", "zh-Hans", "template", "city", "--unit", "西城", "--format", "csv", "-o", str(out / "zh"))
    assert zh.exit_code == 0, zh.stderr
    (path,) = (out / "zh").glob("*.csv")
    assert next(csv.reader(io.StringIO(path.read_bytes().decode("gb18030")))) == HEADERS["zh-Hans"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it(cli, out: Path, tmp_path: Path) -> None:
    result = cli("template", "city", "--unit", "朝阳", "-o", str(out))
    assert result.exit_code == 0
    (path,) = out.glob("*.xlsx")
    converted = tmp_path / "converted"
    profile = tmp_path / "lo-profile"
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(converted),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr, run.stderr
    (again,) = converted.glob("*.xlsx")
    book = openpyxl.load_workbook(again)
    sheet = book["Ledger"]
    assert [c.value for c in sheet[1]] == HEADER
    # the dropdowns survive LibreOffice's reading and writing
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert kinds.count("list") == 6 and "date" in kinds and "decimal" in kinds
