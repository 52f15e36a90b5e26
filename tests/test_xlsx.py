"""read/xlsx.py: workbooks read with zipfile + expat, as the clerk sees them, bounded on hostile files.

Friendly workbooks are written with openpyxl (the write side); hostile ones are zip files
written by hand, so each carries exactly the bytes the case is about.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from shuzheng.core.findings import Finding, Location, ShuzhengError
from shuzheng.read import records as ledger
from shuzheng.read.xlsx import FIELD_LIMIT, SheetInfo, open_workbook, workbook_kind_problem

SHOWN = "ledgers/city/台賬.xlsx"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
T = TypeVar("T")


# --- helpers ---------------------------------------------------------------------------------------------


def read(path: Path, sheet: int = 0) -> list:
    with open_workbook(path, SHOWN) as workbook:
        return list(workbook.records(workbook.sheets[sheet]))


def rows_xml(rows: str, prefix: str = "", extra: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return f"<{p}worksheet {ns}>{extra}<{p}sheetData>{rows}</{p}sheetData></{p}worksheet>"


def package(
    path: Path,
    sheets: dict[str, str],
    strings: str | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    hidden: tuple[str, ...] = (),
    parts: dict[str, str] | None = None,
) -> Path:
    """A workbook written by hand: sheet name → worksheet XML, stored as xl/worksheets/part{n}.xml,
    listed in reverse part order so that only the relations can tell which part is which sheet."""
    entries, relations = [], []
    for number, name in enumerate(sheets, start=1):
        state = ' state="hidden"' if name in hidden else ""
        entries.append(f'<sheet name="{name}" sheetId="{number}"{state} r:id="rId{number}"/>')
        target = f"worksheets/part{len(sheets) - number + 1}.xml"
        relations.append(f'<Relationship Id="rId{number}" Type="{RELS}/worksheet" Target="{target}"/>')
    if strings is not None:
        relations.append(f'<Relationship Id="rS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        relations.append(f'<Relationship Id="rT" Type="{RELS}/styles" Target="/xl/styles.xml"/>')
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{workbook_pr}<sheets>{"".join(entries)}</sheets></workbook>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="r1" Type="{RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE}">{"".join(relations)}</Relationships>'
        )
        for number, xml in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/part{len(sheets) - number + 1}.xml", xml)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
        if styles is not None:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return path


def measured(work: Callable[[], T]) -> tuple[T, float, int]:
    """What `work` returns, the seconds it took and the peak of memory it allocated."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = work()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def one_sheet(path: Path, rows: str, **kwargs) -> Path:
    return package(path, {"台賬": rows_xml(rows)}, **kwargs)


def numbers_with(format_code: str, *values: str) -> str:
    """Row n holds values[n-1] in a number cell formatted with `format_code`."""
    return "".join(f'<row r="{n}"><c r="A{n}" s="1"><v>{v}</v></c></row>' for n, v in enumerate(values, start=1))


def styles_for(format_code: str) -> str:
    code = format_code.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return (
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
    )


def shown_as(tmp_path: Path, format_code: str, *values: str) -> list[str]:
    path = one_sheet(tmp_path / "f.xlsx", numbers_with(format_code, *values), styles=styles_for(format_code))
    return [cells[0] if cells else "" for _, cells in read(path)]


# --- sheets ---------------------------------------------------------------------------------------------


def test_every_sheet_is_listed_in_order_with_hidden_ones_marked(tmp_path):
    book = OpenpyxlWorkbook()
    helper = book.active
    helper.title = "說明"
    helper.append(["輔助"])
    helper.sheet_state = "hidden"
    for name, quantity in (("一季度", 1000), ("二季度", 50000)):
        sheet = book.create_sheet(name)
        sheet.append(["日期", "指標", "地區", "數量"])
        sheet.append(["2024-03-01", "1.1", "朝陽區", quantity])
    book.create_sheet("隱藏").sheet_state = "veryHidden"
    book.save(tmp_path / "q.xlsx")
    with open_workbook(tmp_path / "q.xlsx", SHOWN) as workbook:
        assert workbook.sheets == [
            SheetInfo("說明", 0, True),
            SheetInfo("一季度", 1, False),
            SheetInfo("二季度", 2, False),
            SheetInfo("隱藏", 3, True),
        ]
        second = list(workbook.records(workbook.sheets[2]))
        first = list(workbook.records(workbook.sheets[1]))  # any order, any number of times
        assert list(workbook.records(workbook.sheets[3])) == []
    assert first == [(1, ["日期", "指標", "地區", "數量"]), (2, ["2024-03-01", "1.1", "朝陽區", "1000"])]
    assert second[1] == (2, ["2024-03-01", "1.1", "朝陽區", "50000"])


def test_sheets_are_found_through_the_relations_not_the_part_names(tmp_path):
    path = package(
        tmp_path / "r.xlsx",
        {
            "甲": rows_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>'),
            "乙": rows_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>乙</t></is></c></row>'),
        },
        hidden=("乙",),
    )
    with open_workbook(path, SHOWN) as workbook:
        assert [(s.name, s.hidden) for s in workbook.sheets] == [("甲", False), ("乙", True)]
        assert [list(workbook.records(s)) for s in workbook.sheets] == [[(1, ["甲"])], [(1, ["乙"])]]


def test_an_xlsm_workbook_reads_like_an_xlsx(tmp_path):
    book = OpenpyxlWorkbook()
    book.active.append(["日期", 1])
    book.save(tmp_path / "macro.xlsm")
    assert read(tmp_path / "macro.xlsm") == [(1, ["日期", "1"])]


def test_prefixed_element_names_are_read(tmp_path):
    xml = rows_xml('<x:row r="2"><x:c r="B2"><x:v>5</x:v></x:c></x:row>', prefix="x")
    assert read(package(tmp_path / "x.xlsx", {"S": xml})) == [(1, []), (2, ["", "5"])]


# --- what a cell shows ------------------------------------------------------------------------------------


def test_strings_shared_rich_inline_and_formula_results(tmp_path):
    strings = (
        "<si><t>朝陽區</t></si>"
        '<si><r><t>海淀</t></r><r><rPr><b/></rPr><t xml:space="preserve">區 </t></r>'
        '<rPh sb="0" eb="1"><t>かいでん</t></rPh></si>'
        "<si><t>a_x000D_b_x005F_x0041_</t></si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><r><t>東</t></r><r><t>城</t></r></is></c>'
        '<c r="B2" t="str"><f>A1&amp;"!"</f><v>朝陽區!</v></c><c r="C2" t="b"><v>1</v></c>'
        '<c r="D2" t="b"><v>0</v></c><c r="E2"><f>1+1</f></c><c r="F2" t="d"><v>2024-03-05T00:00:00</v></c></row>'
    )
    assert read(one_sheet(tmp_path / "s.xlsx", rows, strings=strings)) == [
        (1, ["朝陽區", "海淀區 ", "a\rb_x0041_"]),
        (2, ["東城", "朝陽區!", "TRUE", "FALSE", "", "2024-03-05"]),
    ]


@pytest.mark.parametrize(
    ("format_code", "values", "shown"),
    [
        (
            "0.00",
            ["1.1", "1.1000000000000001", "2.6749999999999998", "-0.001", "-3"],
            ["1.10", "1.10", "2.68", "0.00", "-3.00"],
        ),
        ("#,##0.00", ["1234567.5", "-1234.005"], ["1,234,567.50", "-1,234.01"]),
        ("#,##0", ["1234567.5"], ["1,234,568"]),
        ("0%", ["0.45", "1"], ["45%", "100%"]),
        ("0.00%", ["0.45", "0.12345"], ["45.00%", "12.35%"]),
        ("000", ["7"], ["007"]),
        ('0.0"萬"', ["1.6"], ["1.6萬"]),
        ("[$¥-804]#,##0.00", ["1200"], ["1,200.00"]),
        ("#,##0.00;(#,##0.00)", ["-5"], ["(5.00)"]),
        ('0.00;-0.00;"-"', ["0"], ["-"]),
        ("0.0#", ["1", "1.25", "1.256"], ["1.0", "1.25", "1.26"]),
        ("General", ["12.0", "1E-05", "0.1", "1e+16"], ["12", "0.00001", "0.1", "10000000000000000"]),
        ("@", ["12"], ["12"]),
        ("0.00E+00", ["12345"], ["12345"]),
        ("# ?/?", ["1.5"], ["1.5"]),
        ("yyyy-mm-dd", ["45356", "45356.604166666664"], ["2024-03-05", "2024-03-05 14:30:00"]),
        ('yyyy"年"m"月"d"日"', ["45356"], ["2024-03-05"]),
        ("yyyy/m/d;@", ["45356"], ["2024-03-05"]),
        ("[$-F800]dddd, mmmm dd, yyyy", ["1", "59", "61"], ["1900-01-01", "1900-02-28", "1900-03-01"]),
        ("h:mm", ["0.5"], ["12:00:00"]),
    ],
)
def test_numbers_show_through_their_format(tmp_path, format_code, values, shown):
    assert shown_as(tmp_path, format_code, *values) == shown


def test_built_in_formats_need_no_numfmt(tmp_path):
    styles = "".join(f'<xf numFmtId="{n}"/>' for n in (0, 2, 9, 14, 31))
    styles = f"<cellXfs>{styles}</cellXfs>"
    row = "".join(
        f'<c r="{c}1" s="{s}"><v>{v}</v></c>'
        for c, s, v in zip("ABCDE", "01234", ["1.5", "1.1", "0.45", "45356", "45356"], strict=True)
    )
    assert read(one_sheet(tmp_path / "b.xlsx", f'<row r="1">{row}</row>', styles=styles)) == [
        (1, ["1.5", "1.10", "45%", "2024-03-05", "2024-03-05"])
    ]


def test_openpyxl_formats_read_as_excel_shows_them(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    values = [
        (1.1, "0.00", "1.10"),
        (0.45, "0%", "45%"),
        (0.45, "0.00%", "45.00%"),
        (1234.5, "#,##0.00", "1,234.50"),
        (dt.datetime(2024, 3, 5), "yyyy-mm-dd", "2024-03-05"),
        (dt.datetime(2024, 3, 5, 14, 30), "yyyy-mm-dd h:mm", "2024-03-05 14:30:00"),
        (dt.datetime(2024, 3, 2, 23, 59, 59, 500000), "yyyy-mm-dd h:mm:ss", "2024-03-02 23:59:59.500000"),
        (12.0, "General", "12"),
        (0.00001, "General", "0.00001"),
        (True, "General", "TRUE"),
    ]
    for column, (value, code, _shown) in enumerate(values, start=1):
        cell = sheet.cell(row=1, column=column, value=value)
        cell.number_format = code
    book.save(tmp_path / "fmt.xlsx")
    assert read(tmp_path / "fmt.xlsx") == [(1, [shown for _value, _code, shown in values])]


def test_the_1904_date_system(tmp_path):
    book = OpenpyxlWorkbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.append([dt.datetime(2024, 3, 5), dt.datetime(1904, 1, 1, 6, 0)])
    book.save(tmp_path / "mac.xlsx")
    assert read(tmp_path / "mac.xlsx") == [(1, ["2024-03-05", "1904-01-01 06:00:00"])]
    path = one_sheet(
        tmp_path / "hand.xlsx",
        numbers_with("yyyy-mm-dd", "0", "43894"),
        styles=styles_for("yyyy-mm-dd"),
        workbook_pr='<workbookPr date1904="1"/>',
    )
    assert [cells for _, cells in read(path)] == [["1904-01-01"], ["2024-03-05"]]


# --- rows: blank, trailing, huge --------------------------------------------------------------------------


def test_rows_keep_excel_numbers_blank_rows_between_content_and_none_after(tmp_path):
    rows = (
        '<row r="2"><c r="B2" t="inlineStr"><is><t>a</t></is></c><c r="D2" s="0"/></row>'
        '<row r="3"><c r="A3" s="0"/></row>'  # styled, empty
        '<row r="6"><c r="C6"><v>1</v></c></row>'
        '<row r="7"><c r="A7" s="0"/></row><row r="900"/><row r="1048576"><c r="A1048576" s="0"/></row>'
    )
    assert read(one_sheet(tmp_path / "g.xlsx", rows)) == [
        (1, []),
        (2, ["", "a"]),
        (3, []),
        (4, []),
        (5, []),
        (6, ["", "", "1"]),
    ]


def test_a_huge_dimension_and_a_styled_cell_at_xfd1_cost_nothing(tmp_path):
    body = '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row>' + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, 10001)
    )
    xml = rows_xml(body, extra='<dimension ref="A1:XFD200000"/>')
    path = package(tmp_path / "wide.xlsx", {"S": xml}, styles=styles_for("0"))
    started = time.perf_counter()
    records = read(path)
    elapsed = time.perf_counter() - started
    assert len(records) == 10000 and records[0] == (1, ["1"]) and records[-1] == (10000, ["10000", "x"])
    assert max(len(cells) for _, cells in records) == 2
    assert elapsed < 5, elapsed  # about 0.1 s; openpyxl padded every row to 16,384 cells


def test_a_styled_cell_at_the_last_row_yields_nothing_and_costs_nothing(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576" s="1"/></row>'
    path = package(tmp_path / "tall.xlsx", {"S": rows_xml(rows, extra='<dimension ref="A1:A1048576"/>')})
    records, elapsed, peak = measured(lambda: read(path))
    assert records == [(1, ["1"])]
    assert elapsed < 1 and peak < 20 << 20, (elapsed, peak)


# --- bad cells: one rejected row each ------------------------------------------------------------------


def test_a_bad_cell_rejects_its_row_and_the_rows_after_it_are_read(tmp_path):
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="D2" t="e"><v>#DIV/0!</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>abc</v></c></row>'
        '<row r="4"><c r="C4" t="s"><v>99</v></c></row>'
        '<row r="5"><c r="A5" t="b"><v>maybe</v></c></row>'
        f'<row r="6"><c r="B6" t="inlineStr"><is><t>{"x" * (FIELD_LIMIT + 1)}</t></is></c></row>'
        '<row r="7"><c r="A7" t="s"><v>1</v></c></row>'  # a shared string past the limit
        '<row r="8"><c r="7Q"><v>1</v></c></row>'
        '<row r="9"><c r="A9" t="s"><v>0</v></c><c r="B9"><v>9</v></c></row>'
    )
    strings = f"<si><t>ok</t></si><si><t>{'y' * (FIELD_LIMIT + 5)}</t></si>"
    records = read(one_sheet(tmp_path / "bad.xlsx", rows, strings=strings))
    assert records[0] == (1, ["1"]) and records[-1] == (9, ["ok", "9"])
    findings = records[1:-1]
    assert all(isinstance(f, Finding) for f in findings)
    assert [(f.code, f.where) for f in findings] == [
        ("cell-error", Location(SHOWN, 2, 4, "台賬")),
        ("bad-cell", Location(SHOWN, 3, 2, "台賬")),
        ("bad-cell", Location(SHOWN, 4, 3, "台賬")),
        ("bad-cell", Location(SHOWN, 5, 1, "台賬")),
        ("field-too-large", Location(SHOWN, 6, 2, "台賬")),
        ("field-too-large", Location(SHOWN, 7, 1, "台賬")),
        ("bad-cell", Location(SHOWN, 8, None, "台賬")),
    ]
    assert "D2" in findings[0].message and "#DIV/0!" in findings[0].message
    assert "C4" in findings[2].message
    assert str(findings[0].where) == f"{SHOWN}[台賬]:2:4"


def test_a_sheet_damaged_part_way_keeps_the_rows_above_and_says_where(tmp_path):
    xml = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v'
    records = read(package(tmp_path / "cut.xlsx", {"S": xml}))
    assert records[0] == (1, ["1"])
    (damage,) = records[1:]
    assert damage.code == "unreadable" and damage.where == Location(SHOWN, 2, None, "S")
    assert "rows above it were read" in damage.message


def test_a_document_type_declaration_is_refused(tmp_path):
    xml = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + rows_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
    )
    (finding,) = read(package(tmp_path / "dtd.xlsx", {"S": xml}))
    assert finding.code == "unreadable"


# --- files that are no workbook, and bombs -------------------------------------------------------------


def refused(path: Path) -> ShuzhengError:
    with pytest.raises(ShuzhengError) as caught:
        open_workbook(path, SHOWN)
    assert caught.value.where == Location(SHOWN)
    return caught.value


def test_an_ole_container_is_an_encrypted_or_old_workbook(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    error = refused(path)
    assert error.code == "old-workbook" and "save it as .xlsx" in error.message


@pytest.mark.parametrize("damage", ["not a zip", "truncated", "no workbook", "bad xml", "missing sheet part"])
def test_a_damaged_workbook_is_unreadable_with_a_clear_message(tmp_path, damage):
    good = one_sheet(tmp_path / "good.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    path = tmp_path / "bad.xlsx"
    if damage == "not a zip":
        path.write_text("日期,指標\n", encoding="utf-8")
    elif damage == "truncated":
        path.write_bytes(good.read_bytes()[:300])
    elif damage == "no workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif damage == "bad xml":
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as archive:
            for item in source.infolist():
                data = source.read(item)
                archive.writestr(item, b"<workbook" if item.filename == "xl/workbook.xml" else data)
    else:
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as archive:
            for item in source.infolist():
                if not item.filename.startswith("xl/worksheets/"):
                    archive.writestr(item, source.read(item))
    error = refused(path)
    assert error.code == "unreadable"
    assert error.message.startswith("not a readable XLSX workbook (") and error.message.endswith(
        "save it again from Excel"
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [("a.xls", True), ("b.ET", True), ("c.xlsb", True), ("d.xlsx", False), ("e.xlsm", False), ("f.csv", False)],
)
def test_workbooks_that_are_not_read_are_named(tmp_path, name, problem):
    finding = workbook_kind_problem(tmp_path / name, f"ledgers/city/{name}")
    if not problem:
        assert finding is None
        return
    assert finding is not None and finding.code == "old-workbook" and finding.is_error
    assert "save it as .xlsx" in finding.message and finding.where == Location(f"ledgers/city/{name}")


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _bomb(head: bytes, chunk: bytes, repeat: int, tail: bytes) -> tuple[bytes, int]:
    """The deflated bytes of head + chunk * repeat + tail, made without holding or even writing
    that out: after a full flush deflate output no longer depends on what came before, so the
    chunk's compressed bytes simply repeat. Returns (deflated, inflated size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH) == block
    data = start + block * (repeat - 1) + block + packer.compress(tail) + packer.flush()
    return data, len(head) + len(chunk) * (repeat + 1) + len(tail)


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip (zip64 sizes throughout) of (name, deflated data, CRC, inflated size) entries."""
    body, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded, extra = name.encode(), struct.pack("<HHQQ", 1, 16, size, len(data))
        offset = len(body)
        body += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(encoded), 20)
        body += encoded + extra + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 45, 45, 0, 8, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(encoded), 20, 0, 0, 0, 0, offset),
        )
        central += encoded + extra
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(body), 0)
    return bytes(body + central + end)


def test_a_shared_string_bomb_is_refused_before_inflating(tmp_path):
    """A 1 MB workbook whose one shared string inflates to 1 GB (its CRC is left 0: never reached)."""
    good = one_sheet(tmp_path / "good.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings="<si/>")
    with zipfile.ZipFile(good) as source:
        entries = [
            (item.filename, _deflated(data), zlib.crc32(data), len(data))
            for item in source.infolist()
            if item.filename != "xl/sharedStrings.xml"
            for data in [source.read(item)]
        ]
    head, tail = f'<sst xmlns="{MAIN}"><si><t>'.encode(), b"</t></si></sst>"
    data, size = _bomb(head, b"a" * (1 << 20), 1023, tail)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_zip([*entries, ("xl/sharedStrings.xml", data, 0, size)]))
    assert size > 1 << 30 and path.stat().st_size < 1_200_000  # about a megabyte on disk, a gigabyte inflated
    error, elapsed, peak = measured(lambda: refused(path))
    assert error.code == "xlsx-too-large" and "xl/sharedStrings.xml" in error.message
    assert elapsed < 1 and peak < 20 << 20, (elapsed, peak)


def test_a_part_that_compresses_too_well_is_refused(tmp_path):
    padding = " " * (4 << 20)  # 4 MB of spaces inside a sheet: it packs to a few kilobytes
    path = package(tmp_path / "pad.xlsx", {"S": rows_xml(f'<row r="1"><c r="A1"><v>1</v></c></row>{padding}')})
    error = refused(path)
    assert error.code == "xlsx-too-large" and "times its packed size" in error.message


def test_a_long_shared_string_is_kept_as_a_marker(tmp_path):
    noise = random.Random(5).choices("拆違建築面積平方米朝陽海淀東城西城", k=3 * FIELD_LIMIT)  # packs as text does
    strings = f"<si><t>{''.join(noise)}</t></si><si><t>ok</t></si>"
    rows = '<row r="1"><c r="A1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    path = one_sheet(tmp_path / "long.xlsx", rows, strings=strings)
    with open_workbook(path, SHOWN) as workbook:
        assert workbook._strings == [None, "ok"]
        records = list(workbook.records(workbook.sheets[0]))
    assert records[0] == (1, ["ok"]) and records[1].code == "field-too-large"


# --- agreement with what openpyxl wrote, and with the old reader ------------------------------------------


def test_the_cell_limit_is_the_csv_field_limit():
    assert FIELD_LIMIT == ledger.FIELD_LIMIT


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), blacklist_characters="\u2028\u2029"),
    max_size=12,
).filter(lambda t: not t.startswith("=") and "_x" not in t)
NUMBER = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False)  # past that the old reader wrote binary digits
CELL = st.one_of(st.none(), TEXT, st.integers(-(10**15), 10**15), NUMBER)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.lists(st.lists(CELL, max_size=6), max_size=6), write_only=st.booleans())
def test_tables_written_by_openpyxl_read_back_as_the_old_reader_showed_them(tmp_path, table, write_only):
    book = OpenpyxlWorkbook(write_only=write_only)
    sheet = book.create_sheet("S") if write_only else book.active
    for row in table:
        sheet.append([None if v == "" else v for v in row])
    path = tmp_path / "p.xlsx"
    book.save(path)
    # the old reader: openpyxl's values through ledger._cell_text, blank rows between, none after
    old = load_workbook(path, read_only=True, data_only=True)
    expected = []
    for number, values in enumerate(old.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [ledger.cell_text(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        expected.append((number, cells))
    old.close()
    while expected and not expected[-1][1]:
        expected.pop()
    assert read(path) == expected
