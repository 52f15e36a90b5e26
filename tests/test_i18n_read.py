"""The readers speak the output's language: a few representative findings about ledger files,
rows, headers, workbooks and plans, in zh-Hans (and English by default, as the other tests read).

The Chinese assertions need the catalogue built with the read group's translations
(scripts/make_catalogues.py --import …/read.json); the coordinator builds it on main.
"""

from __future__ import annotations

import os
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from ledger_support import read_files
from shuzheng.core.checks import PlanContext, check_plan
from shuzheng.core.columns import match_header
from shuzheng.core.findings import each
from shuzheng.core.i18n import set_language
from shuzheng.read.plan import plan_from_text, read_plan
from shuzheng.read.workspace import _ledgers_in

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECON = FIXTURES / "plans" / "recon.yaml"


@cache
def context() -> PlanContext:
    plan, problems = read_plan(RECON)
    assert plan is not None, problems
    return check_plan(plan)[0]


def messages(findings) -> list[tuple[str, int | None, str]]:
    """(code, line, message) of each finding, those the columnar reader keeps as columns one by one."""
    return [(f.code, f.where.line if f.where else None, f.message) for f in each(findings)]


def findings_of(path: Path, reader: str):
    _report, outcome = read_files(context(), [path], date(2024, 12, 31), reader)
    return outcome.run


# A header with a column no ledger has, a blank row, a row short of a cell, a row with one too many
LEDGER = (
    "日期,指標,地區,數量,聯繫人\n"
    "2024-03-01,1.1,朝陽區,1,張三\n"
    ",,,,\n"
    "2024-03-02,1.1,朝陽區,2\n"
    "2024-03-03,1.1,朝陽區,3,李四,多餘\n"
)


@pytest.mark.parametrize("reader", ["rows", "columnar"])
def test_row_and_header_findings_are_chinese_and_the_same_in_both_readers(tmp_path, reader):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    set_language("zh-Hans")
    run = findings_of(path, reader)
    if reader == "columnar":
        assert run.columnar == 1, "the columnar reader fell back to the row reader"
    assert messages(run.findings) == [
        ("unknown-column", 1, "列 '聯繫人' 不是台账字段，已忽略"),
        ("blank-row", 3, "空行，已跳过"),
        ("missing-cell", 4, "该行有 4 个单元格，表头有 5 个；缺少单元格"),
        ("extra-cell", 5, "该行有 6 个单元格，表头有 5 个；请删除多余单元格或补充表头"),
    ]


def test_the_readers_read_english_unless_told(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    assert messages(findings_of(path, "rows").findings)[:2] == [
        ("unknown-column", 1, "column '聯繫人' is not a ledger field and is ignored"),
        ("blank-row", 3, "blank row, skipped"),
    ]


def test_title_rows_and_a_missing_column_in_chinese_name_the_columns_in_simplified(tmp_path):
    set_language("zh-Hans")
    path = tmp_path / "ledger.csv"
    path.write_text("拆違台賬,,\n日期,指標,地區\n2024-03-01,1.1,朝陽區\n", encoding="utf-8")
    assert messages(findings_of(path, "rows").findings)[0] == (
        "title-rows",
        1,
        "表头（第 2 行）上方的第 1 行视为标题，已跳过",
    )
    problems = match_header(["日期", "地區", "數量"]).problems
    assert [p.message for p in problems] == ["缺少 indicator 列（指标/指标编号 或 indicator）；本文件无法统计"]


def test_encoding_and_csv_problems_in_chinese(tmp_path):
    set_language("zh-Hans")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes("日期,指標,地區,數量\n".encode() + "2024-03-01,1.1,朝陽區,1\n".encode("gb18030"))
    (finding,) = findings_of(mixed, "rows").findings
    assert (finding.code, finding.message) == (
        "encoding-error",
        "第 2 行不是 UTF-8 编码，而前面各行是：文件混用了多种编码；请重新保存为 UTF-8",
    )
    quote = tmp_path / "quote.csv"
    quote.write_text('日期,指標,地區,數量\n2024-03-01,1.1,"朝陽區"x,1\n', encoding="utf-8")
    assert messages(findings_of(quote, "rows").findings) == [
        ("csv-syntax", 2, 'CSV 格式错误（右引号“"”之后应为逗号“,”）；请检查引号')
    ]


def test_workbook_findings_in_chinese(tmp_path):
    from openpyxl import Workbook

    set_language("zh-Hans")
    book = Workbook()
    book.active.title = "一季度"
    book.active.append(["日期", "指標", "地區", "數量"])
    book.active.append(["2024-03-01", "1.1", "朝陽區", 1])
    helper = book.create_sheet("輔助")
    helper.sheet_state = "hidden"
    path = tmp_path / "台賬.xlsx"
    book.save(path)
    assert messages(findings_of(path, "rows").findings) == [
        ("hidden-sheet", None, "工作表 '輔助' 已隐藏，未读取；如其中有台账数据，请取消隐藏")
    ]
    old = tmp_path / "old.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert messages(findings_of(old, "rows").findings) == [
        ("old-workbook", None, "加密工作簿或旧版 .xls 工作簿：请另存为 .xlsx（不设密码）")
    ]
    bomb = tmp_path / "bomb.xlsx"  # the same workbook, its first sheet padded to 4 MB of blanks
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (4 << 20), 1)
            archive.writestr(item, data)
    ((code, _line, message),) = messages(findings_of(bomb, "rows").findings)
    assert code == "xlsx-too-large"
    assert message.startswith("工作簿部件 xl/worksheets/sheet1.xml 解压后将达 4,"), message
    assert "疑为压缩炸弹" in message


def test_files_in_a_ledger_folder_in_chinese(tmp_path):
    set_language("zh-Hans")
    (tmp_path / "a.csv").write_text("日期,指標,地區\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("日期,指標,地區\n", encoding="utf-8")
    (tmp_path / "old.xls").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    os.mkfifo(tmp_path / "pipe.csv")
    files, problems = _ledgers_in(tmp_path)
    assert sorted(p.name for p in files) == ["a.csv", "b.csv"]
    assert sorted((f.code, Path(f.where.path).name, f.message) for f in problems) == [
        ("missing-file", "gone.csv", "链接指向的文件不存在"),
        ("not-a-file", "pipe.csv", "不是普通文件（管道或设备），未读取"),
        ("old-workbook", "old.xls", "旧版 Excel 或 WPS 工作簿（.xls）无法读取；请另存为 .xlsx"),
        ("unsupported-file", "notes.txt", "不是台账文件（.csv、.xlsx），未读取"),
    ]
    _report, outcome = read_files(context(), files, date(2024, 12, 31), "rows", shown=lambda p: p.name)
    duplicate = [f for f in outcome.run.findings if f.code == "duplicate-file"]
    assert [f.message for f in duplicate] == ["内容与 a.csv 相同（是否为其副本？）；只读取一次"]


PLAN = """\
id: t
title: 測試方案
year: 二〇二四
period: {start: 2024-01-01, end: 2024-12-31}
areas: {name: 懷柔區}
reporting: {cadence: fortnightly}
tasks:
  - id: "1"
    title: 拆違
    indicators:
      - id: "1.1"
        name: 拆除違法建設
        measrue: sum
"""


def test_plan_schema_errors_in_chinese_keep_their_positions():
    set_language("zh-Hans")
    plan, problems = plan_from_text(PLAN, "plan.yaml")
    assert plan is None
    assert [str(p.where) + " " + p.message for p in problems] == [
        "plan.yaml:3:7 year：'二〇二四' 不是整数（应写作如 2024）",
        "plan.yaml:6:22 cadence：'fortnightly' 不在可选值 'daily', 'weekly', 'monthly', 'quarterly' 之中",
        "plan.yaml:11:9 缺少键 'measure'",
        "plan.yaml:13:9 未知的键 'measrue'；是否应为 'measure'？",
    ]
    _plan, problems = plan_from_text(PLAN.split("tasks:")[0] + "tasks: []\n", "plan.yaml")
    assert [p.message for p in problems][-1] == "tasks：至少应有 1 项"


def test_the_english_of_pydantic_errors_is_our_own():
    plan, problems = plan_from_text(PLAN, "plan.yaml")
    assert [p.message for p in problems][:2] == [
        "year: '二〇二四' is not a whole number (write e.g. 2024)",
        "cadence: 'fortnightly' is not one of 'daily', 'weekly', 'monthly', 'quarterly'",
    ]


def test_yaml_slips_in_chinese():
    set_language("zh-Hans")
    _plan, problems = plan_from_text("id：t\ntitle: x\n", "p.yaml")
    assert [p.message for p in problems] == ["'id' 后面是全角冒号“：”；请改为半角冒号加空格：'id: '"]
    _plan, problems = plan_from_text("id: t\ntitle: x\nareas: {name: 甲}\nledgers: [a.csv，b.csv]\n", "p.yaml")
    assert [p.message for p in problems] == [
        "列表项 'a.csv，b.csv' 含有全角逗号“，”：请用半角逗号分隔 a.csv、b.csv 各项；"
        "如逗号本属该项内容，请给该项加引号",
    ]
    _plan, problems = plan_from_text("id: t\n\ttitle: x\n", "p.yaml")
    assert [str(p.where) + " " + p.message for p in problems] == [
        "p.yaml:2:1 YAML 语法错误：出现制表符（Tab）：YAML 只能用空格缩进"
    ]
    _plan, problems = plan_from_text("id: t\nperiod: {start: 2024-01-01, end: 2024-12-31\n", "p.yaml")
    assert [p.message for p in problems] == [
        "YAML 语法错误：此处应为“,”或“}”，实际为 文件末尾（解析花括号内的映射时，起于第 2 行第 9 列）"
    ]


def test_check_speaks_chinese_for_a_plan_it_cannot_read(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "t.yaml").write_text(PLAN, encoding="utf-8")
    result = cli("--lang", "zh-Hans", "check", "t")
    assert "plans/t.yaml:13:9" in result.stderr
    assert "未知的键 'measrue'；是否应为 'measure'？" in result.stderr
    unknown = cli("--lang", "zh-Hans", "check", "tt")
    assert "未知方案 'tt'；是否应为 t？（现有方案：t）" in unknown.stderr


def test_a_file_the_os_refuses_is_said_in_chinese(tmp_path, monkeypatch):
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER, encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "ledger.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert messages(findings_of(path, "rows").findings) == [("unreadable", None, "cannot read: Permission denied")]
    set_language("zh-Hans")
    assert messages(findings_of(path, "rows").findings) == [("unreadable", None, "无法读取：权限不足")]
