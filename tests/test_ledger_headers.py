"""The headers clerks really write (issue 13): 街道/鄉鎮 for the area, 序號 and 備註 that are never
warned about, a unit in brackets (完成量（平方米）) that is the unit of every filled cell below it,
and full-width or spaced spellings; through the command line, with both readers, CSV and XLSX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from shuzheng.core.columns import match_header

TESTS = Path(__file__).resolve().parent
RECON = str(TESTS / "fixtures" / "plans" / "recon.yaml")
AS_OF = "2024-12-31"


def ledger(tmp_path: Path, text: str, name: str = "ledger.csv") -> str:
    folder = tmp_path / "recon"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def progress(cli, monkeypatch, path: str) -> dict:
    """`progress --format json` of one ledger with the row reader and with the columnar one: the same JSON."""
    found = {}
    for mode in ("rows", "columnar"):
        monkeypatch.setenv("SHUZHENG_READER", mode)
        result = cli("progress", "--plan", RECON, "--ledger", path, "--as-of", AS_OF, "--format", "json")
        assert "internal error" not in result.stderr, result.stderr
        found[mode] = json.loads(result.stdout)
    assert found["rows"] == found["columnar"]
    return found["rows"]


def actual(report: dict, indicator: str, scope: str = "北京市") -> float | None:
    (target,) = [t for p in report["plans"] for t in p["targets"] if (t["indicator"], t["scope"]) == (indicator, scope)]
    return target["actual"]


def rejected(report: dict) -> list[tuple[int, str]]:
    return [(r["line"], r["code"]) for r in report["rejected"]]


def check(cli, path: str) -> tuple[int, list[str]]:
    """`check`'s exit code and what it says about the ledger (the plan has warnings of its own)."""
    result = cli("check", RECON, "--ledger", path)
    assert "internal error" not in result.stderr, result.stderr
    return result.exit_code, [line for line in result.stderr.splitlines() if line.startswith(path)]


# --- the area column -------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["街道", "鄉鎮", "街鄉鎮", "乡镇", "街乡镇", "地區"])
def test_street_and_township_headers_are_the_area(cli, in_repo, monkeypatch, tmp_path, label):
    path = ledger(tmp_path, f"日期,指標,{label},數量\n2024-03-01,1.1,朝陽區,100\n2024-03-02,1.1,海淀區,50\n")
    report = progress(cli, monkeypatch, path)
    assert report["rows"]["counted"] == 2
    assert actual(report, "1.1") == 150
    assert actual(report, "1.1", "朝陽區") == 100
    assert check(cli, path) == (0, [])


# --- columns that are known and read by no rule ----------------------------------------------


@pytest.mark.parametrize(("serial", "note"), [("序號", "備註"), ("序号", "备注"), ("　序 號", "備註 ")])
def test_serial_number_and_remarks_columns_are_never_warned_about(cli, in_repo, monkeypatch, tmp_path, serial, note):
    path = ledger(
        tmp_path, f"{serial},日期,指標,地區,數量,{note}\n1,2024-03-01,1.1,朝陽區,100,已拆\n2,2024-03-02,1.1,朝陽區,5,\n"
    )
    assert check(cli, path) == (0, [])
    report = progress(cli, monkeypatch, path)
    assert actual(report, "1.1", "朝陽區") == 105


def test_another_unknown_column_is_still_warned_about(cli, in_repo, tmp_path):
    path = ledger(tmp_path, "序號,日期,指標,地區,數量,聯繫人\n1,2024-03-01,1.1,朝陽區,100,張三\n")
    assert check(cli, path) == (
        0,
        [f"{path}:1:6: warning: column '聯繫人' is not a ledger field and is ignored [unknown-column]"],
    )


def test_two_serial_number_columns_do_not_make_the_file_unreadable():
    header = match_header(["序號", "日期", "指標", "地區", "序号", "數量"])
    assert header.usable and header.problems == ()
    assert header.fields == {"date": 1, "indicator": 2, "area": 3, "quantity": 5}


# --- a unit in the header --------------------------------------------------------------------

UNIT_ROWS = (
    "2024-03-01,1.1,朝陽區,0.02,\n"  # no 單位: the header's, 200平方米
    "2024-03-02,1.1,海淀區,0.03,萬平方米\n"  # agrees
    "2024-03-03,1.1,海淀區,1,平方米\n"  # disagrees: an error, not counted
    "2024-03-04,1.1,東城區,0.04,万平方米\n"  # agrees, in Simplified
    "2024-03-05,1.1,東城區,50平方米,\n"  # a cell that names its own unit is in that unit
)


@pytest.mark.parametrize(
    "label",
    [
        "完成量（萬平方米）",
        "數量(萬平方米)",
        "數量【萬平方米】",
        "数量[万平方米]",
        "數量 （ 萬平方米 ）",
        "完成 量（萬平方米）",
    ],
)
def test_a_unit_in_the_quantity_header_is_every_filled_cells_unit(cli, in_repo, monkeypatch, tmp_path, label):
    path = ledger(tmp_path, f"日期,指標,地區,{label},單位\n" + UNIT_ROWS)
    report = progress(cli, monkeypatch, path)
    assert rejected(report) == [(4, "unit-mismatch")]
    assert actual(report, "1.1", "朝陽區") == 200
    assert actual(report, "1.1") == 200 + 300 + 400 + 50


def test_a_unit_that_disagrees_with_the_header_is_an_error_at_its_cell(cli, in_repo, tmp_path):
    path = ledger(tmp_path, "日期,指標,地區,完成量（萬平方米）,單位\n" + UNIT_ROWS)
    assert check(cli, path) == (
        1,
        [f"{path}:4:5: error: unit: 平方米 disagrees with the unit 萬平方米 in the header of quantity [unit-mismatch]"],
    )


def test_without_the_header_unit_the_same_rows_count_in_the_indicators_unit(cli, in_repo, monkeypatch, tmp_path):
    """The control: the bracket is what makes 2 mean 20000平方米."""
    path = ledger(tmp_path, "日期,指標,地區,完成量,單位\n" + UNIT_ROWS)
    report = progress(cli, monkeypatch, path)
    assert rejected(report) == []
    assert actual(report, "1.1", "朝陽區") == 0.02


def test_a_header_unit_of_another_kind_than_the_indicators_is_an_error_at_the_quantity(
    cli, in_repo, monkeypatch, tmp_path
):
    path = ledger(
        tmp_path,
        "日期,指標,地區,數量（平方米）,項目\n"
        "2024-03-01,1.2,朝陽區,3,\n"  # 1.2 counts 處: 3平方米 is no count of 處
        "2024-03-02,2.2,朝陽區,,甲點位\n"  # an empty quantity has no unit: a distinct row counts
        "2024-03-03,1.1,朝陽區,7,\n",
    )
    report = progress(cli, monkeypatch, path)
    assert rejected(report) == [(2, "unit-mismatch")]
    assert actual(report, "1.1", "朝陽區") == 7
    assert actual(report, "2.2") == 1
    assert check(cli, path) == (
        1,
        [f"{path}:2:4: error: quantity: 平方米 cannot be counted in 1.2's unit 處 [unit-mismatch]"],
    )


def test_a_unit_in_the_base_header_is_checked_against_the_rows_unit(cli, in_repo, monkeypatch, tmp_path):
    path = ledger(
        tmp_path,
        "日期（年月日）,指標,地區,數量,單位,基數（戶）,備註（選填）\n"
        "2024-03-01,2.1,海淀區,9,,10,\n"
        "2024-03-02,2.1,海淀區,9,戶,10,\n"
        "2024-03-03,2.1,海淀區,9,處,10,\n",
    )
    report = progress(cli, monkeypatch, path)
    assert rejected(report) == [(4, "unit-mismatch")]
    assert actual(report, "2.1", "海淀區") == 90
    assert check(cli, path) == (
        1,
        [f"{path}:4:5: error: unit: 處 disagrees with the unit 戶 in the header of base [unit-mismatch]"],
    )


def test_a_header_with_an_unknown_unit_makes_the_file_uncountable(cli, in_repo, monkeypatch, tmp_path):
    path = ledger(tmp_path, "日期,指標,地區,完成量（累計）\n2024-03-01,1.1,朝陽區,100\n")
    code, (line,) = check(cli, path)
    assert code == 1
    assert line.startswith(f"{path}:1:4: error: header '完成量（累計）': unknown unit '累計'")
    assert line.endswith("the file cannot be counted [unknown-unit]")
    report = progress(cli, monkeypatch, path)
    assert report["rows"]["read"] == 0 and actual(report, "1.1") == 0


def test_header_units_as_the_header_carries_them():
    header = match_header(["日期", "指標", "街道", "完成量（平方米）", "基數[戶]", "備註(選填)", "序號"])
    assert header.fields == {"date": 0, "indicator": 1, "area": 2, "quantity": 3, "base": 4, "note": 5}
    assert header.units == {"quantity": "平方米", "base": "戶"}
    assert header.problems == ()
    assert match_header(["日期", "指標", "地區", "數量"]).units == {}


# --- spellings -------------------------------------------------------------------------------


def test_full_width_letters_and_spaces_in_headers_fold_as_names_do(cli, in_repo, monkeypatch, tmp_path):
    path = ledger(tmp_path, "ＤＡＴＥ,指 標,\u3000街道\u3000,完成 量,Ｕｎｉｔ\n2024-03-01,1.1,朝陽區,0.01,萬平方米\n")
    assert check(cli, path) == (0, [])
    assert actual(progress(cli, monkeypatch, path), "1.1", "朝陽區") == 100


# --- workbooks -------------------------------------------------------------------------------


def test_a_workbook_with_the_headers_clerks_write(cli, in_repo, monkeypatch, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "台賬"
    sheet.append(["序號", "日期", "指標", "街道", "完成量\n（萬平方米）", "單位", "備註"])  # Alt+Enter in the cell
    sheet.append([1, "2024-03-01", "1.1", "朝陽區", 0.02, None, None])
    sheet.append([2, "2024-03-02", "1.1", "朝陽區", 1.5, "平方米", "單位寫錯"])
    sheet.append([3, "2024-03-03", "1.1", "朝陽區", 0.0025, "萬平方米", None])
    folder = tmp_path / "recon"
    folder.mkdir()
    book.save(folder / "台賬.xlsx")
    path = str(folder / "台賬.xlsx")
    assert check(cli, path) == (
        1,
        [
            f"{path}[台賬]:3:6: error: unit: 平方米 disagrees with the unit 萬平方米 in the header of quantity "
            "[unit-mismatch]"
        ],
    )
    report = progress(cli, monkeypatch, path)
    assert actual(report, "1.1", "朝陽區") == 225
