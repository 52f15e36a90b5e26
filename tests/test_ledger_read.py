"""Reading ledgers (DOMAIN §3, §4, §7): headers and names in any spelling, every rejection
with its physical line, duplicates, corrections, units, encodings and XLSX."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import astuple
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from openpyxl import Workbook

from ledger_support import Outcome, read_files
from shuzheng.core.checks import PlanContext, check_plan
from shuzheng.core.columns import COLUMN_ALIASES, column_for, match_header
from shuzheng.core.report import PlanReport
from shuzheng.read.plan import read_plan

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
RECON = FIXTURES / "plans" / "recon.yaml"
BASIC = FIXTURES / "ledgers" / "recon" / "basic.csv"
REJECTS = FIXTURES / "ledgers" / "recon" / "rejects.csv"
END = date(2024, 12, 31)


@cache
def context() -> PlanContext:
    plan, problems = read_plan(RECON)
    assert plan is not None, problems
    return check_plan(plan)[0]


def read(*paths: Path, as_of: date = END) -> tuple[PlanReport, Outcome, list[Outcome]]:
    report, outcome = read_files(context(), list(paths), as_of)
    return report, outcome, [outcome]


def write(tmp_path: Path, text: str, name: str = "ledger.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def actual(report: PlanReport, indicator: str, scope: str) -> Decimal | None:
    (row,) = [t for t in report.targets if (t.indicator, t.scope) == (indicator, scope)]
    return row.actual


def rejected(ledger: Outcome) -> list[tuple[int, str]]:
    return [(r.line, r.code) for r in ledger.rejected]


# --- headers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [(alias, field) for field, aliases in COLUMN_ALIASES.items() for alias in (field, *aliases)]
    + [
        ("时间", "date"),
        ("指标", "indicator"),
        ("指标编号", "indicator"),
        ("任务编号", "indicator"),
        ("地区", "area"),
        ("区域", "area"),
        ("区", "area"),
        ("街乡", "area"),
        ("数量", "quantity"),
        ("基数", "base"),
        ("单位", "unit"),
        ("项目", "item"),
        ("名称", "item"),
        ("编号", "ref"),
        ("台账编号", "ref"),
        ("责任单位", "department"),
        ("备注", "note"),
        ("Date", "date"),
        ("INDICATOR", "indicator"),
        (" Area ", "area"),
        ("ｑｕａｎｔｉｔｙ", "quantity"),
        ("日 期", "date"),
        ("\u3000數量", "quantity"),
    ],
)
def test_header_aliases_in_any_spelling(header, field):
    assert column_for(header) == field


def test_unknown_and_missing_columns():
    header = match_header(["日期", "指標", "數量", "聯繫人", ""])
    assert header.fields == {"date": 0, "indicator": 1, "quantity": 2}
    assert header.width == 4  # the trailing empty header cell is no column
    assert [(p.code, p.column) for p in header.problems] == [("unknown-column", 4), ("missing-column", 1)]
    assert not header.usable


def test_two_headers_for_one_field_make_the_file_unusable():
    header = match_header(["日期", "指標", "地區", "時間"])
    assert [(p.code, p.column) for p in header.problems] == [("duplicate-label", 4)]
    assert not header.usable


HEADERS = [
    "日期,指標,地區,數量,單位,項目,編號,備註",
    "日期,指标,地区,数量,单位,项目,编号,备注",
    "时间,指标编号,区域,完成量,单位,点位,台账编号,备注",
    "完成日期,任務編號,街鄉,數量,單位,名稱,台賬編號,備註",
    "date,indicator,area,quantity,unit,item,ref,note",
    " Date , Indicator ,AREA,Quantity,Unit,Item,Ref,Note",
    "日期,指標,路段,數量,單位,項目,編號,備註",
]
ROWS = (
    "2024-03-01,1.1,朝陽區,100,,,A1,\n"
    "2024-03-02,1.1,海淀區,1,萬平方米,,A2,\n"
    "2024-03-02,1.1,海淀區,1,萬平方米,,A2,repeated\n"
    "2024-03-03,2.2,東城區,,,乙點位,,\n"
    "2024-03-04,2.6,朝陽區,,,,,建立台賬\n"
)


@pytest.mark.parametrize("header", HEADERS)
def test_headers_in_chinese_and_english_read_the_same(tmp_path, header):
    report, ledger, results = read(write(tmp_path, header + "\n" + ROWS))
    assert [d for d in results[0].diagnostics] == []
    assert actual(report, "1.1", "北京市") == Decimal(10_100)
    assert actual(report, "1.1", "朝陽區") == Decimal(100)
    assert actual(report, "2.2", "北京市") == Decimal(1)
    assert [t.latest_note for t in report.targets if t.indicator == "2.6"] == ["建立台賬"]
    assert [(d.line, d.first_line, d.ref) for d in ledger.duplicates] == [(4, 3, "A2")]
    assert results[0].rows == 5


def test_a_file_without_a_required_column_is_not_counted(tmp_path):
    report, ledger, (result,) = read(write(tmp_path, "日期,地區,數量\n2024-03-01,朝陽區,1\n"))
    assert [(d.code, d.where.line, d.where.col) for d in result.diagnostics] == [("missing-column", 1, 1)]
    assert "no indicator column" in result.diagnostics[0].message
    assert actual(report, "1.1", "北京市") == Decimal(0)
    assert ledger.rejected == []


def test_blank_lines_above_the_header_are_skipped_and_blank_rows_warned(tmp_path):
    text = "\n,,,\n日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n,,,\n2024-03-01,1.1,朝陽區,2\n"
    report, ledger, (result,) = read(write(tmp_path, text))
    assert [(d.code, d.severity, d.where.line) for d in result.diagnostics] == [("blank-row", "warning", 5)]
    assert result.run.counts.blank == 1
    assert actual(report, "1.1", "朝陽區") == Decimal(3)
    assert result.rows == 3  # every row below the header is read: 2 counted, 1 blank


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "area"),
    [
        ("朝陽區", "朝陽區"),
        ("朝阳区", "朝陽區"),
        ("朝阳", "朝陽區"),
        ("朝陽", "朝陽區"),
        (" 朝阳 ", "朝陽區"),
        ("朝 陽 區", "朝陽區"),
        ("朝陽\u3000區", "朝陽區"),
        ("\u3000朝阳区\u3000", "朝陽區"),
        ("太阳宫", "太陽宮鄉"),
        ("太陽宮乡", "太陽宮鄉"),
        ("副中心", "城市副中心"),
        ("东城", "東城區"),
        ("北京", "北京市"),
    ],
)
def test_area_names_in_any_spelling(tmp_path, spelling, area):
    _, ledger, _ = read(write(tmp_path, f"日期,指標,地區,數量\n2024-03-01,1.1,{spelling},5\n"))
    assert ledger.rejected == []
    assert {name: cell.total for name, cell in ledger.cells["1.1"].items()} == {area: Decimal(5)}


def test_full_width_indicator_date_and_quantity(tmp_path):
    text = '日期,指標,地區,數量\n２０２４－０３－０１,１.１,朝陽區,４０００\n2024-03-02,1.1.,朝陽區,"4,000"\n'
    report, ledger, _ = read(write(tmp_path, text))
    assert ledger.rejected == []
    assert actual(report, "1.1", "朝陽區") == Decimal(8000)


# --- quantities and units ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit", "amount"),
    [
        ("300", "", Decimal(300)),
        ('"4,000"', "", Decimal(4000)),
        ("４０００", "", Decimal(4000)),
        ("1.6萬", "", Decimal(16000)),
        ("1.6万", "", Decimal(16000)),
        ("3萬", "", Decimal(30000)),
        ("3萬平方米", "", Decimal(30000)),
        ("3万平方米", "", Decimal(30000)),
        ("2", "萬平方米", Decimal(20000)),
        ("0.25", "万平方米", Decimal(2500)),
        ("12.5", "㎡", Decimal("12.5")),
        ("12.5", "平方米", Decimal("12.5")),
        ("12.5㎡", "", Decimal("12.5")),
        ("0.01", "平方公里", Decimal(10000)),
        ("-20", "", Decimal(-20)),
    ],
)
def test_quantities_are_converted_to_the_indicators_unit(tmp_path, quantity, unit, amount):
    report, ledger, _ = read(write(tmp_path, f"日期,指標,地區,數量,單位\n2024-03-01,1.1,朝陽區,{quantity},{unit}\n"))
    assert ledger.rejected == []
    assert actual(report, "1.1", "朝陽區") == amount


def test_counts_in_wan(tmp_path):
    report, ledger, _ = read(
        write(tmp_path, "日期,指標,地區,數量\n2024-03-01,1.2,朝陽區,3萬\n2024-03-01,1.2,朝陽區,2處\n")
    )
    assert ledger.rejected == []
    assert actual(report, "1.2", "朝陽區") == Decimal(30002)


@pytest.mark.parametrize(
    ("quantity", "unit"),
    [("5", "處"), ("5處", ""), ("5戶", ""), ("5", "個"), ("3萬戶", "")],
)
def test_a_unit_that_cannot_be_converted_is_rejected(tmp_path, quantity, unit):
    report, ledger, _ = read(
        write(
            tmp_path, f"日期,指標,地區,數量,單位\n2024-03-01,1.1,朝陽區,1,\n2024-03-01,1.1,朝陽區,{quantity},{unit}\n"
        )
    )
    assert rejected(ledger) == [(3, "unit-mismatch")]
    assert "平方米" in ledger.rejected[0].reason
    assert actual(report, "1.1", "朝陽區") == Decimal(1)


def test_count_units_do_not_add_up(tmp_path):
    _, ledger, _ = read(write(tmp_path, "日期,指標,地區,數量,單位\n2024-03-01,1.2,朝陽區,5,戶\n"))
    assert rejected(ledger) == [(2, "unit-mismatch")]


def test_the_unit_column_is_checked_on_rows_without_a_quantity(tmp_path):
    text = (
        "日期,指標,地區,數量,單位,項目\n"
        "2024-03-01,2.2,朝陽區,,平方米,甲點位\n"
        "2024-03-01,2.2,朝陽區,,處,乙點位\n"
        "2024-03-01,2.2,朝陽區,,公頃,丙點位\n"
    )
    report, ledger, _ = read(write(tmp_path, text))
    # 公頃 is an area unit: it converts to 平方米 but not to 2.2's 處
    assert rejected(ledger) == [(2, "unit-mismatch"), (4, "unit-mismatch")]
    assert actual(report, "2.2", "北京市") == Decimal(1)


def test_ratio_quantities_keep_their_own_unit(tmp_path):
    report, ledger, _ = read(
        write(
            tmp_path, "日期,指標,地區,數量,基數,單位\n2024-03-01,2.1,海淀區,9,10,件\n2024-03-01,2.1,海淀區,3件,5件,\n"
        )
    )
    assert ledger.rejected == []
    assert actual(report, "2.1", "海淀區") == Decimal(12) / Decimal(15) * 100


def test_negative_quantities_are_corrections_counted_and_listed(tmp_path):
    text = (
        "日期,指標,地區,數量,編號\n"
        "2024-03-01,1.1,朝陽區,100,A\n"
        "2024-03-05,1.1,朝阳,-30,B\n"
        "2024-03-06,1.1,海淀區,-1.5萬,\n"
    )
    report, ledger, _ = read(write(tmp_path, text))
    assert actual(report, "1.1", "朝陽區") == Decimal(70)
    assert actual(report, "1.1", "北京市") == Decimal(-14930)
    assert [astuple(c) for c in ledger.corrections] == [
        ("ledger.csv", 3, "1.1", "朝陽區", Decimal(-30)),
        ("ledger.csv", 4, "1.1", "海淀區", Decimal(-15000)),
    ]


# --- rejections, with their physical lines -------------------------------------------------


def test_every_rejection_reason_with_its_physical_line():
    # as of 2025-01-01 the row of that day exists, and is outside the period (line 18)
    report, ledger, (result,) = read(REJECTS, as_of=date(2025, 1, 1))
    assert rejected(ledger) == [
        (2, "unknown-indicator"),
        (3, "unknown-area"),
        (4, "invalid-date"),
        (5, "invalid-date"),
        (6, "invalid-number"),
        (7, "out-of-period"),
        (8, "unit-mismatch"),
        (9, "unknown-item"),
        (10, "missing-cell"),
        (11, "extra-cell"),
        (12, "missing-cell"),
        (18, "out-of-period"),
    ]
    reasons = {r.line: r.reason for r in ledger.rejected}
    for line, words in {
        2: ("'9.9'", "recon"),
        3: ("'火星區'",),
        4: ("'2024-03-0x'",),
        5: ("no such date", "'2024年2月30日'"),
        6: ("quantity:", "'abc'"),
        7: ("2023-12-31", "2024-01-01 … 2024-12-31"),
        8: ("處", "平方米"),
        9: ("'丁點位'", "2.2", "甲點位"),
        10: ("area:",),
        11: ("9 cells", "the header 8"),
        12: ("3 cells", "the header 8"),
        18: ("2025-01-01",),
    }.items():
        assert all(word in reasons[line] for word in words), (line, reasons[line])
    assert all(r.file == "rejects.csv" and r.plan == "recon" for r in ledger.rejected)
    # counted: lines 13 (spanning 14), 15 and 19 in 1.1; line 17 in 1.2
    assert actual(report, "1.1", "朝陽區") == Decimal(13)
    assert actual(report, "1.2", "朝陽區") == Decimal(7)
    assert result.rows == 17
    assert result.diagnostics == []


def test_duplicates_are_counted_once_and_listed_with_the_first_line():
    _, ledger, _ = read(REJECTS)
    # line 16 repeats A1 of 1.1 (line 15); line 17 has A1 for 1.2: not a duplicate
    assert [astuple(d) for d in ledger.duplicates] == [("rejects.csv", 16, "rejects.csv", 15, "A1", "1.1")]


def test_a_quoted_cell_over_several_lines_keeps_the_physical_line_numbers(tmp_path):
    text = (
        "日期,指標,地區,數量,備註\n"
        '2024-03-01,1.1,朝陽區,1,"one\ntwo\nthree"\n'  # lines 2-4
        "2024-03-01,1.1,火星區,1,\n"  # line 5
        '2024-03-01,1.1,朝陽區,2,"a ""quoted"" word, and a comma"\n'  # line 6
        '2024-03-01,9.9,朝陽區,1,"x\r\ny"\n'  # lines 7-8
        "bad-date,1.1,朝陽區,1,\n"  # line 9
    )
    report, ledger, _ = read(write(tmp_path, text))
    assert rejected(ledger) == [(5, "unknown-area"), (7, "unknown-indicator"), (9, "invalid-date")]
    assert actual(report, "1.1", "朝陽區") == Decimal(3)


def test_an_unterminated_quote_is_one_rejection_and_the_rows_after_it_are_read(tmp_path):
    text = (
        "日期,指標,地區,數量,備註\n"
        "2024-03-01,1.1,朝陽區,5,ok\n"
        '2024-03-01,1.1,朝陽區,6,"never closed\n'
        "2024-03-01,1.1,朝陽區,7,\n"
        "2024-03-01,1.1,火星區,8,\n"
    )
    report, ledger, _ = read(write(tmp_path, text))
    assert rejected(ledger) == [(3, "unterminated-quote"), (5, "unknown-area")]
    assert actual(report, "1.1", "朝陽區") == Decimal(12)


def test_a_stray_quote_is_a_csv_syntax_rejection(tmp_path):
    text = (
        '日期,指標,地區,數量,備註\n2024-03-01,1.1,朝陽區,5,\n2024-03-01,1.1,朝陽區,6,"x"y\n2024-03-01,1.1,朝陽區,7,\n'
    )
    report, ledger, _ = read(write(tmp_path, text))
    assert rejected(ledger) == [(3, "csv-syntax")]
    assert actual(report, "1.1", "朝陽區") == Decimal(12)


@pytest.mark.parametrize(
    ("row", "code", "words"),
    [
        ("2024-03-01,2.1,海淀區,1,,", "missing-cell", "基數"),
        ("2024-03-01,1.1,朝陽區,,,", "missing-cell", "quantity:"),
        ("2024-03-01,2.5,朝陽區,,,", "missing-cell", "item:"),
        ("2024-03-01,2.5,朝陽區,,,將臺", "unknown-item", "'將臺'"),
        (",1.1,朝陽區,1,,", "missing-cell", "date:"),
        ("2024-03-01,,朝陽區,1,,", "missing-cell", "indicator:"),
        ("2024-03-01,1.1,城區,1,,", "unknown-area", "group"),
        ("2024-03-01,1.1,朝陽區,20xx,,", "invalid-number", "20xx"),
        ("2024-03-01,2.1,海淀區,1,x,", "invalid-number", "base:"),
        ("2024-03-01,1.1,朝陽區,1,x,", None, None),  # a base is read for ratio indicators only
        ("2024-03-01 10:30,1.1,朝陽區,1,,", None, None),  # a time of day is ignored
        ("2024-03-01 25:30,1.1,朝陽區,1,,", "invalid-date", "25:30"),
        ("2024/02/30,1.1,朝陽區,1,,", "invalid-date", "no such date"),
        ("2024-3-1,1.1,朝陽區,1,,", None, None),
        ("2024-03-01 00:00:00,1.1,朝陽區,1,,", None, None),
    ],
)
def test_more_rejections(tmp_path, row, code, words):
    _, ledger, _ = read(write(tmp_path, f"日期,指標,地區,數量,基數,項目\n{row}\n"))
    if code is None:
        assert ledger.rejected == []
    else:
        assert rejected(ledger) == [(2, code)]
        assert words in ledger.rejected[0].reason


# --- encodings and XLSX -------------------------------------------------------------------


def summary(report: PlanReport, ledger: Outcome) -> tuple:
    return (
        [
            (t.indicator, t.scope, t.value, t.actual, t.ratio, t.status, t.missing_items, t.rows, t.latest_note)
            for t in report.targets
        ],
        [(r.line, r.code, r.reason) for r in ledger.rejected],
        [(d.line, d.first_line, d.ref, d.indicator) for d in ledger.duplicates],
        [(c.line, c.indicator, c.area, c.quantity) for c in ledger.corrections],
    )


def basic_as_xlsx(path: Path) -> Path:
    """basic.csv as Excel saves it: real date cells, numbers as numbers (200.5 a float)."""
    workbook = Workbook()
    sheet = workbook.active
    with BASIC.open(encoding="utf-8", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle), start=1):
            values: list[object] = [c if c != "" else None for c in cells]
            if number == 2:
                values[0] = dt.datetime(2024, 3, 1)  # a real date cell
            if number == 3:
                values[0], values[3] = dt.date(2024, 4, 2), 200.5  # a date and a float
            if number == 12:
                values[3] = 2.0  # a float that is a whole number
            if number > 1 and isinstance(values[3], str) and values[3].lstrip("-").isdigit():
                values[3] = int(values[3])
            sheet.append(values)
    workbook.save(path)
    return path


def test_the_same_ledger_in_every_encoding_and_as_xlsx_reconciles_the_same(tmp_path):
    text = BASIC.read_text(encoding="utf-8")
    expected = summary(*read(BASIC, as_of=date(2024, 6, 30))[:2])
    variants = {
        "utf8.csv": text.encode("utf-8"),
        "bom.csv": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "crlf-bom.csv": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
        "gb18030.csv": text.encode("gb18030"),
        "gb18030-crlf.csv": text.replace("\n", "\r\n").encode("gb18030"),
    }
    assert variants["gb18030.csv"] != variants["utf8.csv"]
    paths = []
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    paths.append(basic_as_xlsx(tmp_path / "basic.xlsx"))
    for path in paths:
        report, ledger, (result,) = read(path, as_of=date(2024, 6, 30))
        assert result.diagnostics == [], path.name
        assert summary(report, ledger) == expected, path.name
        sheet = "[Sheet]" if path.suffix == ".xlsx" else ""
        assert {r.file for r in ledger.rejected} == {path.name + sheet}


def test_xlsx_numbers_in_scientific_notation(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "指標", "地區", "數量"])
    sheet.append([dt.datetime(2024, 3, 1), "1.1", "朝陽區", 0.00001])
    sheet.append([dt.datetime(2024, 3, 1, 0, 0), 1.1, "海淀區", 1e16])
    sheet.append([dt.datetime(2024, 3, 1), "1.1", "東城區", 0.1])
    workbook.save(tmp_path / "small.xlsx")
    report, ledger, _ = read(tmp_path / "small.xlsx")
    assert ledger.rejected == []
    assert {name: cell.total for name, cell in ledger.cells["1.1"].items()} == {
        "朝陽區": Decimal("0.00001"),
        "海淀區": Decimal(10**16),
        "東城區": Decimal("0.1"),
    }


def test_xlsx_keeps_row_numbers_across_empty_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "指標", "地區", "數量"])
    sheet.append(["2024-03-01", "1.1", "朝陽區", 1])
    for column, value in enumerate(["2024-03-01", "9.9", "朝陽區", 1], start=1):
        sheet.cell(row=5, column=column, value=value)
    workbook.save(tmp_path / "gap.xlsx")
    _, ledger, (result,) = read(tmp_path / "gap.xlsx")
    assert rejected(ledger) == [(5, "unknown-indicator")]
    assert [(d.code, d.where.line) for d in result.diagnostics] == [("blank-row", 3), ("blank-row", 4)]


def test_a_broken_xlsx_is_an_error_not_a_crash(tmp_path):
    path = write(tmp_path, "not a zip file", name="broken.xlsx")
    _, ledger, (result,) = read(path)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("unreadable", "error")]
    assert ledger.rejected == []


def test_a_file_mixing_utf8_and_gbk_is_an_error_naming_the_line(tmp_path):
    lines = ["日期,指標,地區,數量", "2024-03-01,1.1,朝陽區,1", "2024-03-01,1.1,朝陽區,2"]
    data = "\n".join(lines).encode("utf-8") + "\n2024-03-01,1.1,海淀區,3\n".encode("gbk")
    _, ledger, (result,) = read(write_bytes(tmp_path, data))
    assert [(d.code, d.severity, d.where.line) for d in result.diagnostics] == [("encoding-error", "error", 4)]
    assert "line 4" in result.diagnostics[0].message
    assert ledger.cells == {}  # nothing of the file is counted


def test_a_file_that_is_neither_utf8_nor_gb18030_names_line_and_byte(tmp_path):
    data = b"date,indicator,area,quantity\n2024-03-01,1.1,x,1\n2024-03-01,1.1,\xff,1\n"
    _, ledger, (result,) = read(write_bytes(tmp_path, data))
    (problem,) = result.diagnostics
    assert (problem.code, problem.where.line) == ("encoding-error", 3)
    offset = data.index(b"\xff")
    assert "0xff" in problem.message and f"offset {offset}" in problem.message
    assert ledger.cells == {}


@pytest.mark.slow
def test_gb18030_after_a_long_ascii_start_is_detected(tmp_path):
    rows = "".join(f"2024-03-01,1.1,x{n},1\n" for n in range(3000))  # rejected rows, plain ASCII
    text = "date,indicator,area,quantity\n" + rows + "2024-03-02,1.1,朝陽區,5\n"
    report, ledger, (result,) = read(write(tmp_path, text, encoding="gb18030"))
    assert result.diagnostics == []
    assert actual(report, "1.1", "朝陽區") == Decimal(5)
    assert len(ledger.rejected) == 3000 and ledger.rejected[-1].line == 3001


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "ledger.csv"
    path.write_bytes(data)
    return path


# --- a time of day in date cells --------------------------------------------------------------


def test_xlsx_date_cells_with_a_time_of_day_are_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["日期", "指標", "地區", "數量"])
    sheet.append([dt.datetime(2024, 3, 1, 10, 30), "1.1", "朝陽區", 1])
    sheet.append([dt.datetime(2024, 3, 2, 23, 59, 59, 500000), "1.1", "朝陽區", 2])
    sheet.append(["2024/3/3 8:05:09", "1.1", "朝陽區", 4])
    sheet.append([dt.datetime(2024, 7, 1, 9, 0), "1.1", "朝陽區", 8])  # after the as-of date
    workbook.save(tmp_path / "times.xlsx")
    report, ledger, (result,) = read(tmp_path / "times.xlsx", as_of=date(2024, 3, 2))
    assert ledger.rejected == [] and result.diagnostics == []
    assert actual(report, "1.1", "朝陽區") == Decimal(3)  # the time does not move a row past the as-of day
    report, ledger, _ = read(tmp_path / "times.xlsx", as_of=END)
    assert actual(report, "1.1", "朝陽區") == Decimal(15)


# --- the new count and length units -----------------------------------------------------------


@pytest.mark.parametrize(("quantity", "unit"), [("5", "輛"), ("5輛", ""), ("5", "米"), ("5公里", ""), ("5", "間")])
def test_new_units_are_not_counted_as_another_unit(tmp_path, quantity, unit):
    _, ledger, _ = read(write(tmp_path, f"日期,指標,地區,數量,單位\n2024-03-01,1.2,朝陽區,{quantity},{unit}\n"))
    assert rejected(ledger) == [(2, "unit-mismatch")]
    assert "處" in ledger.rejected[0].reason


# --- a blank header cell is a warning ----------------------------------------------------------


def test_a_blank_header_cell_is_a_warning_and_its_column_is_ignored(tmp_path):
    text = "日期,指標,,地區,數量\n2024-03-01,1.1,x,朝陽區,1\n2024-03-02,1.1,,海淀區,2\n2024-03-02,1.1,y,火星區,4\n"
    report, ledger, (result,) = read(write(tmp_path, text))
    assert [(d.code, d.severity, d.where.line, d.where.col) for d in result.diagnostics] == [
        ("blank-header", "warning", 1, 3)
    ]
    assert "ignored" in result.diagnostics[0].message
    assert actual(report, "1.1", "北京市") == Decimal(3)
    assert rejected(ledger) == [(4, "unknown-area")]
    assert result.rows == 3


# --- rows dated after the as-of date are never rejected ---------------------------------------

LATE_ROWS = (
    "日期,指標,地區,數量,單位\n"
    "2024-03-01,1.1,朝陽區,1,\n"
    "2024-08-01,1.1,火星區,1,\n"  # unknown area, but after the as-of date
    "2024-05-01,1.1,火星區,1,\n"  # unknown area, before it: rejected
    "2024-08-01,9.9,朝陽區,1,\n"  # unknown indicator, after
    "2024-08-01,1.1,朝陽區,abc,\n"  # bad number, after
    "2024-08-01,1.1,朝陽區,1,處\n"  # unit mismatch, after
    "2025-02-01,1.1,朝陽區,1,\n"  # outside the period, after
    "2024-08-01,1.1,朝陽區\n"  # missing cells, after
    "2024-08-01,1.1,朝陽區,1,,extra\n"  # an extra cell, after
    "2024-13-01,1.1,朝陽區,abc,\n"  # no such date: rejected whatever the as-of date
    ",1.1,朝陽區,abc,\n"  # no date: rejected
)


def test_rows_after_the_as_of_date_are_dropped_not_rejected(tmp_path):
    path = write(tmp_path, LATE_ROWS)
    report, ledger, (result,) = read(path, as_of=date(2024, 6, 30))
    assert rejected(ledger) == [(4, "unknown-area"), (11, "invalid-date"), (12, "missing-cell")]
    assert actual(report, "1.1", "朝陽區") == Decimal(1)
    assert result.rows == 11  # dropped rows are still rows of the file
    # as of the end of the year the August rows exist, and are rejected
    _, ledger, _ = read(path, as_of=END)
    assert rejected(ledger) == [
        (3, "unknown-area"),
        (4, "unknown-area"),
        (5, "unknown-indicator"),
        (6, "invalid-number"),
        (7, "unit-mismatch"),
        (9, "missing-cell"),
        (10, "extra-cell"),
        (11, "invalid-date"),
        (12, "missing-cell"),
    ]
    # check reads with no as-of date: every row is checked
    _, ledger, _ = read(path, as_of=date.max)
    assert [line for line, _ in rejected(ledger)] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]


# --- title rows above the header ---------------------------------------------------------------

TITLED = (
    "2024年拆違台賬（截至9月）,,,\n"
    ",,,\n"
    "填報單位：朝陽區城管執法局,,,填報日期：2024-09-30\n"
    "日期,指標,地區,數量\n"
    "2024-03-01,1.1,朝陽區,1\n"
    "2024-03-02,1.1,火星區,2\n"
    "2024-03-03,1.1,海淀區,4\n"
)


def test_title_rows_above_the_header_are_skipped_with_one_warning(tmp_path):
    report, ledger, (result,) = read(write(tmp_path, TITLED))
    assert [(d.code, d.severity, d.where.line) for d in result.diagnostics] == [("title-rows", "warning", 1)]
    assert "rows 1–3" in result.diagnostics[0].message and "line 4" in result.diagnostics[0].message
    assert actual(report, "1.1", "北京市") == Decimal(5)
    assert rejected(ledger) == [(6, "unknown-area")]  # physical lines, the title rows included
    assert result.rows == 3


def test_one_title_row_and_a_blank_row_in_any_encoding(tmp_path):
    report, _, (result,) = read(write(tmp_path, "\n台賬\n日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n"))
    assert [d.message for d in result.diagnostics] == [
        "row 2 above the header (line 3) is taken as a title and skipped"
    ]
    text = "2024年拆違台賬\n\n日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n"
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        report, ledger, (result,) = read(write(tmp_path, text, encoding=encoding))
        assert [(d.code, d.where.line, d.message) for d in result.diagnostics] == [
            ("title-rows", 1, "rows 1–2 above the header (line 3) are taken as a title and skipped")
        ]
        assert actual(report, "1.1", "北京市") == Decimal(1)


def test_title_rows_in_an_xlsx_workbook(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["2024年拆違台賬（截至9月）"])
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["日期", "指標", "地區", "數量"])
    sheet.append([dt.datetime(2024, 3, 1), "1.1", "朝陽區", 7])
    sheet.append([dt.datetime(2024, 3, 1), "9.9", "朝陽區", 7])
    workbook.save(tmp_path / "titled.xlsx")
    report, ledger, (result,) = read(tmp_path / "titled.xlsx")
    assert [(d.code, d.where.line) for d in result.diagnostics] == [("title-rows", 1)]
    assert actual(report, "1.1", "北京市") == Decimal(7)
    assert rejected(ledger) == [(5, "unknown-indicator")]


def test_a_header_below_ten_non_blank_rows_is_not_looked_for(tmp_path):
    titles = "".join(f"標題{n},,,\n\n" for n in range(10))  # ten non-blank rows, blank rows between
    report, ledger, (result,) = read(write(tmp_path, titles + "日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n"))
    # the first non-blank row's problems, as when it was taken for the header
    assert [(d.code, d.where.line) for d in result.diagnostics] == [("unknown-column", 1)] + [("missing-column", 1)] * 3
    assert actual(report, "1.1", "北京市") == Decimal(0)
    titles = "".join(f"標題{n},,,\n\n" for n in range(9))  # nine: the tenth non-blank row is the header
    report, _, (result,) = read(write(tmp_path, titles + "日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n"))
    assert [(d.code, d.where.line) for d in result.diagnostics] == [("title-rows", 1)]
    assert "rows 1–18 above the header (line 19)" in result.diagnostics[0].message
    assert actual(report, "1.1", "北京市") == Decimal(1)


def test_without_a_header_the_first_row_is_reported_as_before(tmp_path):
    report, ledger, (result,) = read(write(tmp_path, "\n日期,地區,數量\n2024-03-01,朝陽區,1\n2024-03-02,朝陽區,1\n"))
    assert [(d.code, d.where.line) for d in result.diagnostics] == [("missing-column", 2)]
    assert "no indicator column" in result.diagnostics[0].message
    assert ledger.rejected == [] and ledger.cells == {}


def test_a_header_with_every_required_column_but_a_repeat_is_the_header_and_unusable(tmp_path):
    report, ledger, (result,) = read(write(tmp_path, "台賬\n日期,指標,地區,時間\n2024-03-01,1.1,朝陽區,x\n"))
    assert [(d.code, d.severity, d.where.line) for d in result.diagnostics] == [
        ("title-rows", "warning", 1),
        ("duplicate-label", "error", 2),
    ]
    assert ledger.cells == {} and ledger.rejected == []
