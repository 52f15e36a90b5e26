"""`shuzheng export`: the briefing (md), its rows as csv/json, escaping, and atomic --output.

Golden files live in tests/golden/export/; `python3 -m pytest --update-golden` rewrites
them from the sample ledgers under ledgers/ (read the diff before keeping it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from shuzheng.core.findings import ShuzhengError, UsageError
from shuzheng.core.report import Status
from shuzheng.render import briefing
from shuzheng.render.csv_report import safe_cell
from shuzheng.render.markdown import inline, one_line, table, width
from shuzheng.write import write_atomic

AS_OF = "2024-09-15"
SHIPPED = ("city", "huairou", "hailing")
MD = MarkdownIt("commonmark").enable("table")


def export(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli("export", "--as-of", AS_OF, *args)
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("plan", SHIPPED)
def test_briefing_of_each_shipped_plan(cli, in_repo, golden, plan):
    result = export(cli, "--format", "md", "--plan", plan)
    assert result.exit_code == 0, result.stderr
    golden.check(f"export/{plan}.md", result.stdout)


def test_briefing_of_all_plans(cli, in_repo, golden):
    result = export(cli)  # md is the default format, every plan the default plans
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Campaign briefing (as of 15 September 2024)\n")
    golden.check("export/all.md", result.stdout)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_rows_of_all_plans(cli, in_repo, golden, fmt):
    result = export(cli, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    golden.check(f"export/all.{fmt}", result.stdout)


# ---------------------------------------------------------------- structure


def test_single_plan_title_carries_its_name_and_date(cli, in_repo):
    text = export(cli, "--plan", "city").stdout
    assert text.splitlines()[0] == "# 2024年疏解整治促提升方案（市級）: briefing (as of 15 September 2024)"
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Overview",
        "## Progress by task",
        "## Behind and overdue",
        "## Items still missing",
        "## Data quality",
    ]


def test_several_plans_are_sections_in_order(cli, in_repo):
    text = export(cli).stdout
    headings = [line for line in text.splitlines() if re.match(r"#{1,3} ", line)]
    assert headings[:2] == ["# Campaign briefing (as of 15 September 2024)", "## Overview"]
    plans = [h for h in headings if re.match(r"## [123]\. ", h)]
    assert len(plans) == 3
    for part in ("### Progress by task", "### Behind and overdue", "### Items still missing"):
        assert headings.count(part) == 3
    assert [h for h in headings if h.startswith("## ")][-1] == "## Data quality"


def test_summary_counts_every_status_and_the_pace(cli, in_repo):
    text = export(cli, "--plan", "city").stdout
    summary = text.split("## Overview\n\n", 1)[1].split("\n", 1)[0]
    for label in ("Met", "On track", "Behind", "Violated", "Overdue", "No data", "Unquantified"):
        assert re.search(f"{label} \\d+[,.]", summary), label
    assert re.match(r"\d+ targets: ", summary)
    assert re.search(r"\d+\.\d% should be done by", summary)


def _tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of rendered cell text (the header row first), parsed as CommonMark+tables."""
    tables, rows, row = [], None, None
    tokens = MD.parse(text)
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            rows = []
        elif tok.type == "table_close":
            tables.append(rows)
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            rows.append(row)
        elif tok.type in ("th_open", "td_open"):
            inline_tok = tokens[i + 1]
            row.append("".join(c.content for c in inline_tok.children or [] if c.type in ("text", "code_inline")))
    return tables


def _raw_cells(line: str) -> int:
    """Cells of one raw table line, split at pipes that no backslash escapes."""
    body, count, escaped = line.strip()[1:-1], 1, False
    for ch in body:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            count += 1
    return count


def assert_tables_well_formed(text: str) -> None:
    tokens = MD.parse(text)
    assert not [t for t in tokens if t.type == "html_block"], "raw HTML block in the briefing"
    for tok in tokens:
        if tok.type == "inline":
            assert not [c for c in tok.children or [] if c.type == "html_inline"], tok.content
    lines = text.splitlines()
    for tok in tokens:
        if tok.type != "table_open":
            continue
        start, end = tok.map
        header = _raw_cells(lines[start])
        widths = set()
        for line in lines[start:end]:
            assert _raw_cells(line) == header, line
            widths.add(width(line))
        assert len(widths) == 1, f"table not aligned by display width: {lines[start]}"
    for rows in _tables(text):
        assert all(len(r) == len(rows[0]) for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("plans", [["--plan", "city"], ["--plan", "huairou"], ["--plan", "hailing"], []])
def test_briefing_parses_as_commonmark_with_whole_rows(cli, in_repo, plans):
    text = export(cli, *plans).stdout
    assert_tables_well_formed(text)
    assert _tables(text), "no table in the briefing"


def test_csv_json_and_markdown_carry_the_same_target_rows(cli, in_repo):
    md = export(cli, "--plan", "city").stdout
    rows = list(csv.DictReader(io.StringIO(export(cli, "--plan", "city", "--format", "csv").stdout)))
    report = json.loads(export(cli, "--plan", "city", "--format", "json").stdout)
    targets = report["plans"][0]["targets"]
    task_part = md.split("## Progress by task", 1)[1].split("## Behind and overdue", 1)[0]
    md_rows = [r for t in _tables(task_part) for r in t[1:]]
    assert len(md_rows) == len(rows) == len(targets) > 0
    for m, c, j in zip(md_rows, rows, targets, strict=False):
        assert m[0] == f"{c['indicator']} {c['name']}" == f"{j['indicator']} {j['name']}"
        assert m[1] == c["scope"] == j["scope"]
        assert c["status"] == j["status"]
        assert m[5] == c["status_label"]


def test_json_is_the_section_9_report(cli, in_repo):
    report = json.loads(export(cli, "--format", "json").stdout)
    assert report["as_of"] == AS_OF
    assert {"as_of", "plans", "rejected", "duplicates"} <= set(report)
    statuses = {"no_target", "no_data", "violated", "met", "overdue", "behind", "on_track"}
    for plan in report["plans"]:
        assert {"id", "title", "period", "expected", "targets"} <= set(plan)
        for t in plan["targets"]:
            assert t["status"] in statuses
            for key in ("value", "actual", "ratio", "expected"):
                assert t[key] is None or isinstance(t[key], (int, float))
    for r in report["rejected"]:
        assert isinstance(r["line"], int) and r["file"] and r["reason"]


# ---------------------------------------------------------------- 滯後與逾期 and missing items


@pytest.mark.slow
def test_attention_list_is_worst_first_with_leads(cli, in_repo):
    report = json.loads(export(cli, "--format", "json").stdout)
    text = export(cli).stdout
    sections = text.split("### Behind and overdue")[1:]
    order = {"Violated": 0, "Overdue": 1, "Behind": 2}
    for plan, section in zip(report["plans"], sections, strict=False):
        section = section.split("### Items still missing")[0]
        tables = _tables(section)
        wanted = [t for t in plan["targets"] if t["status"] in ("violated", "overdue", "behind")]
        if not wanted:
            assert "No target is violated, overdue or behind." in section
            continue
        (rows,) = tables
        assert rows[0] == list(briefing.attention_headers())
        body = rows[1:]
        assert len(body) == len(wanted)
        ranks = [order[r[1]] for r in body]
        assert ranks == sorted(ranks)
        assert [r[0] for r in body] == [str(n) for n in range(1, len(body) + 1)]
        lead = plan_lead(plan["id"])
        assert [(r[8], r[9]) for r in body] == [(lead.get("department", "—"), lead.get("leader", "—"))] * len(body)


def plan_lead(plan_id: str) -> dict[str, str]:
    """organisation.lead of plans/<id>.yaml, read apart from shuzheng (each shipped plan names one of the two)."""
    from ruamel.yaml import YAML

    plan = YAML(typ="safe", pure=True).load(Path("plans", f"{plan_id}.yaml").read_text("utf-8"))
    lead = plan["organisation"]["lead"]
    assert len(lead) == 1, "a shipped plan gives a lead department or a lead leader, so one cell is —"
    return lead


@pytest.mark.parametrize(
    ("department", "leader", "cells"),
    [("市容科", "張三", ["市容科", "張三"]), (None, "分管副市長", ["—", "分管副市長"]), (None, None, ["—", "—"])],
)
def test_attention_rows_show_a_missing_lead_as_a_dash(department, leader, cells):
    from datetime import date
    from decimal import Decimal

    from shuzheng.core.report import PlanReport

    plan = PlanReport(
        "p",
        "方案",
        date(2024, 1, 1),
        date(2024, 12, 31),
        Decimal("0.5"),
        (_row(lead_department=department, lead_leader=leader),),
    )
    (rows,) = _tables(briefing.attention(plan, 3))
    assert rows[0][-2:] == ["Lead department", "Lead official"]
    assert rows[1][-2:] == cells


def _row(**kw):  # type: ignore[no-untyped-def]
    from datetime import date
    from decimal import Decimal

    from shuzheng.core.report import TargetRow

    base = dict(
        task="1",
        task_title="任務",
        indicator="1.1",
        name="指標",
        scope="北京市",
        unit="個",
        measure="sum",
        comparator="at_least",
        value=Decimal(100),
        value_text="100個",
        actual=Decimal(0),
        ratio=Decimal(0),
        expected=Decimal("0.5"),
        status=Status.BEHIND,
        deadline=date(2024, 12, 31),
        lead="",
        lead_department=None,
        lead_leader=None,
    )
    base.update(kw)
    return TargetRow(**base)


def test_worst_first_orders_by_severity_then_gap():
    from decimal import Decimal

    rows = (
        _row(indicator="a", ratio=Decimal("0.3")),
        _row(indicator="b", ratio=Decimal("0.1")),
        _row(indicator="c", status=Status.OVERDUE, ratio=Decimal("0.9")),
        _row(indicator="d", status=Status.MET, ratio=Decimal(1)),
        _row(indicator="e", status=Status.VIOLATED, comparator="at_most", value=Decimal(0), ratio=None),
        _row(indicator="f", measure="latest", comparator="at_most", value=Decimal(0), ratio=None),
        _row(indicator="g", ratio=Decimal("0.2")),
    )
    assert [t.indicator for t in briefing.worst_first(rows)] == ["e", "c", "b", "g", "a", "f"]


def test_missing_items_listed_by_name():
    from datetime import date
    from decimal import Decimal

    from shuzheng.core.report import PlanReport, Report

    rows = (
        _row(missing_items=("將臺", "南磨房"), lead="市容科"),
        _row(indicator="2.1", missing_items=("甲、乙", "丙")),
    )
    plan = PlanReport("p", "方案", date(2024, 1, 1), date(2024, 12, 31), Decimal("0.5"), rows)
    text = briefing.render(Report(date(2024, 7, 1), (plan,)))
    section = text.split("## Items still missing\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- 1.1 指標 (北京市) still lacks 2 items: 將臺, 南磨房. Lead: 市容科",
        "- 2.1 指標 (北京市) still lacks 2 items: 甲、乙; 丙. Lead: —",
    ]


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("城六區", "城六區"),
        (
            "拆除違法建設4000萬平方米以上，其中城六區1417萬平方米",
            "拆除違法建設4000萬平方米以上，其中城六區1417萬平方米",
        ),
        ("a|b", "a\\|b"),
        ("第一行\n第二行\r\n第三行", "第一行 第二行 第三行"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("A & B", "A &amp; B"),
        ("*粗* _斜_ `碼` [連](x) ~刪~ #", "\\*粗\\* \\_斜\\_ \\`碼\\` \\[連\\](x) \\~刪\\~ \\#"),
        ("C:\\path", "C:\\\\path"),
        ("零寬\u202e反轉\x07鈴", "零寬反轉鈴"),
        (None, ""),
    ],
)
def test_inline_escaping(raw, escaped):
    assert inline(raw) == escaped


@pytest.mark.parametrize("text", ["1. 列表", "- 項", "+ 項", "===", "---", "2) 項"])
def test_text_at_line_start_never_opens_a_block(text):
    tokens = MD.parse(f"{briefing.line_start(text)}\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert tokens[1].children[0].content == text


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_a_table_cell(text):
    """Whatever a plan or ledger holds comes back from a CommonMark parser as the same text, in one cell."""
    out = table(("甲", "乙"), [[inline(text), "x"]])
    assert_tables_well_formed(out)
    (rows,) = _tables(out)
    assert rows[1] == [one_line(text), "x"]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda t: one_line(t) != ""))
def test_any_text_at_line_start_stays_a_paragraph(text):
    tokens = MD.parse(f"首行\n\n{briefing.line_start(text)}\n")
    assert [t.type for t in tokens][3:] == ["paragraph_open", "inline", "paragraph_close"]
    assert "".join(c.content for c in tokens[4].children if c.type == "text") == one_line(text)


def test_table_aligns_by_display_width():
    out = table(("指標", "完成"), [["城六區拆除違法建設", "57.3%"], ["ab", "0.0%"]], "lr")
    lines = out.splitlines()
    assert len({width(line) for line in lines}) == 1
    assert lines[1] == "| ------------------ | ----: |"
    assert lines[3] == "| ab                 |  0.0% |"


HOSTILE_PLAN = """\
id: evil
title: "惡意|方案 <b>粗</b> & *星* `碼`"
issuer: 某局
year: 2024
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: "全|區"
  children:
    - name: "甲<i>區"
    - name: 乙區
organisation:
  lead: {department: "科|室\\n二<br>", leader: "=HYPERLINK(\\"http://x\\")"}
tasks:
  - id: "1"
    title: "拆除|違建\\n第二行"
    indicators:
      - id: "1.1"
        name: "=SUM(A1)|<script>alert(1)</script>"
        unit: 平方米
        measure: sum
        targets:
          - {scope: "全|區", value: 1萬平方米}
      - id: "1.2"
        name: "- 清單 | 項目"
        unit: 個
        measure: milestone
        items: ["a|b", "-cmd", "@x", "+1", "\\tTAB", "1. 列表"]
        targets:
          - {scope: "全|區"}
      - id: "1.3"
        name: "@新增"
        unit: 處
        measure: sum
        targets:
          - {scope: "全|區", value: 0, comparator: at_most}
      - id: "1.4"
        name: "-存量"
        unit: 處
        measure: latest
        targets:
          - {scope: "全|區", value: 5, comparator: at_most}
"""
HOSTILE_LEDGER = (
    "日期,指標,地區,數量,項目,編號,備註\n"
    '2024-03-01,1.1,甲<i>區,5000,,"R|1","a|b\nc"\n'
    '2024-03-02,1.1,甲<i>區,5000,,"R|1",dup\n'
    "2024-03-03,1.2,乙區,,a|b,,\n"
    "2024-03-04,9.9|<x>,乙區,1,,,\n"
    "2024-03-05,1.3,乙區,2,,,\n"
    "2024-03-06,1.1,乙區,-100,,,\n"
    "2024-03-07,1.4,乙區,-3,,,\n"
)


@pytest.fixture
def hostile(tmp_path, monkeypatch) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "evil.yaml").write_text(HOSTILE_PLAN, encoding="utf-8")
    (tmp_path / "ledgers" / "evil").mkdir(parents=True)
    (tmp_path / "ledgers" / "evil" / "a.csv").write_text(HOSTILE_LEDGER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_hostile_text_never_breaks_the_briefing(cli, hostile):
    result = export(cli)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert_tables_well_formed(text)
    tokens = MD.parse(text)
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    assert tokens[1].content.startswith("惡意\\|方案")
    rendered = MD.render(text)
    assert "<script>" not in rendered and "<b>" not in rendered and "<br>" not in rendered and "<i>" not in rendered
    cells = {row[0]: row for t in _tables(text) for row in t}
    assert cells["1.1 =SUM(A1)|<script>alert(1)</script>"][1] == "全|區"
    assert cells["1.1 =SUM(A1)|<script>alert(1)</script>"][6] == '科|室 二<br>（=HYPERLINK("http://x")）'
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert "1 拆除\\|違建 第二行" in headings  # a line break in a title stays on the heading's line
    items = [t for t in tokens if t.type == "bullet_list_open"]
    assert len(items) == 1  # "- 清單" and "1. 列表" open no list of their own
    # physical lines: the quoted note of line 2 spans two, so the unknown indicator's row is line 6,
    # and its escaped value stays inside its own cell
    (rejected,) = [line for line in text.splitlines() if line.startswith("| ledgers/evil/a.csv:6 |")]
    where, reason = (cell.strip() for cell in re.split(r"(?<!\\)\|", rejected)[1:-1])
    assert (where, reason) == ("ledgers/evil/a.csv:6", "indicator: '9.9\\|&lt;x&gt;' is not an indicator of plan evil")


def test_csv_neutralises_formulas_and_keeps_numbers(cli, hostile):
    text = export(cli, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    by_id = {r["indicator"]: r for r in rows}
    assert by_id["1.1"]["name"] == "'=SUM(A1)|<script>alert(1)</script>"
    assert by_id["1.2"]["name"] == "'- 清單 | 項目"
    assert by_id["1.3"]["name"] == "'@新增"
    assert by_id["1.4"]["name"] == "'-存量"
    assert by_id["1.4"]["actual"] == "-3"  # a real negative number stays a number
    assert by_id["1.2"]["missing_items"].startswith("'-cmd")
    for row in rows:
        for key, value in row.items():
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert re.fullmatch(r"[+-]?\d+(\.\d+)?", value), (key, value)
        for key in ("value", "actual", "ratio", "expected"):
            if row[key]:
                float(row[key])


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("-cmd", "'-cmd"),
        ("+cmd", "'+cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),
        ("+3.2", "+3.2"),
        ("-0.25", "-0.25"),
        ("-5\n=1", "'-5\n=1"),
        ("1,000", "1,000"),
        ("城六區", "城六區"),
        (-5, "-5"),
        (3.5, "3.5"),
        (None, ""),
    ],
)
def test_safe_cell(raw, safe):
    assert safe_cell(raw) == safe


def test_excel_csv_has_bom_and_crlf(cli, hostile):
    assert export(cli, "--format", "csv", "--excel", "-o", "x.csv").exit_code == 0
    data = (hostile / "x.csv").read_bytes()
    assert data.startswith("\ufeffPlan,Task,Indicator,".encode())  # the file a clerk opens: headers in words
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert data.count(b"\r\n") == len(rows)  # every record ends in CRLF (a line break inside a quoted cell stays)
    assert export(cli, "--format", "csv", "-o", "y.csv").exit_code == 0
    plain = (hostile / "y.csv").read_bytes()
    assert plain.startswith(b"plan,task,") and b"\r" not in plain
    machine = list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert len(machine) == len(rows) and all(len(r) == len(rows[0]) for r in rows)
    for excel, raw in zip(rows[1:], machine[1:], strict=True):  # the same targets, the same formula guard
        assert excel[:6] == raw[:6] and excel[8:10] == raw[8:10]


def test_markdown_progress_uses_the_same_escaping(cli, hostile):
    text = cli("progress", "--as-of", AS_OF, "--format", "md").stdout
    assert_tables_well_formed(text)
    assert "<script>" not in MD.render(text)


# ---------------------------------------------------------------- --output


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_output_written_atomically(cli, hostile):
    out = hostile / "briefing.md"
    result = export(cli, "-o", "briefing.md")
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == export(cli).stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    _no_temp_files(hostile)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_output_dash_is_stdout(cli, hostile):
    result = export(cli, "--format", "json", "-o", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["as_of"] == AS_OF
    assert not (hostile / "-").exists()


def test_output_keeps_permissions_of_the_file_it_replaces(hostile):
    out = hostile / "old.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    write_atomic(out, "新", [])
    assert out.read_text(encoding="utf-8") == "新"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_output_through_a_symlink_keeps_the_link(hostile):
    real = hostile / "real.md"
    real.write_text("old", encoding="utf-8")
    link = hostile / "link.md"
    link.symlink_to(real)
    write_atomic(link, "新", [])
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "新"


@pytest.mark.parametrize(
    "name",
    [
        "plans/evil.yaml",
        "ledgers/evil/a.csv",
        "./ledgers/evil/../evil/a.csv",
        "{root}/ledgers/evil/a.csv",
        "alias.csv",
        "hard.csv",
    ],
)
def test_output_naming_an_input_is_refused(cli, hostile, name):
    (hostile / "alias.csv").symlink_to(hostile / "ledgers" / "evil" / "a.csv")
    os.link(hostile / "ledgers" / "evil" / "a.csv", hostile / "hard.csv")
    before = {p: p.read_bytes() for p in (hostile / "plans" / "evil.yaml", hostile / "ledgers" / "evil" / "a.csv")}
    result = export(cli, "-o", name.format(root=hostile))
    assert result.exit_code == 2
    assert "input file" in result.stderr
    assert {p: p.read_bytes() for p in before} == before
    _no_temp_files(hostile / "ledgers" / "evil")


def test_output_naming_an_input_is_refused_by_write_atomic(tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError):
        write_atomic(tmp_path / "." / "a.csv", "y", [source])
    assert source.read_text(encoding="utf-8") == "x"


def test_output_in_a_missing_folder(cli, hostile):
    result = export(cli, "-o", "no/such/folder/out.md")
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not (hostile / "no").exists()


def test_output_that_is_a_folder(cli, hostile):
    result = export(cli, "-o", "plans")
    assert result.exit_code == 2  # a usage error: nothing was read or written
    assert "is a folder, not a regular file" in result.stderr and "[output-not-a-file]" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_unwritable_folder_leaves_the_old_file(cli, hostile):
    folder = hostile / "ro"
    folder.mkdir()
    (folder / "out.md").write_bytes(b"old briefing\n")
    folder.chmod(0o555)
    try:
        result = export(cli, "-o", "ro/out.md")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert (folder / "out.md").read_bytes() == b"old briefing\n"
    _no_temp_files(folder)


def test_unwritable_folder_simulated(cli, hostile, monkeypatch):
    """The same, for root too: creating the temporary file is refused."""
    out = hostile / "out.md"
    out.write_bytes(b"old briefing\n")

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("shuzheng.write.tempfile.NamedTemporaryFile", refuse)
    result = export(cli, "-o", "out.md")
    assert result.exit_code == 1
    assert "cannot write out.md: Permission denied" in result.stderr
    assert out.read_bytes() == b"old briefing\n"


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_failure_while_writing_leaves_the_old_file_and_no_temp(hostile, monkeypatch, where):
    out = hostile / "out.md"
    out.write_bytes(b"old briefing\n")

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    if where == "write":
        real = __import__("tempfile").NamedTemporaryFile

        def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
            handle = real(*args, **kwargs)
            handle.write(b"partial")
            handle.flush()
            handle.write = fail  # type: ignore[method-assign]
            return handle

        monkeypatch.setattr("shuzheng.write.tempfile.NamedTemporaryFile", broken)
    else:
        monkeypatch.setattr(f"shuzheng.write.os.{where}", fail)
    with pytest.raises(ShuzhengError, match="No space left on device"):
        write_atomic(out, "new briefing\n" * 1000, [])
    assert out.read_bytes() == b"old briefing\n"
    _no_temp_files(hostile)


def test_interrupted_export_leaves_the_old_file(cli, hostile, monkeypatch):
    out = hostile / "out.md"
    out.write_bytes(b"old briefing\n")

    def interrupt(fd):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("shuzheng.write.os.fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(out, "new", [])
    assert out.read_bytes() == b"old briefing\n"
    _no_temp_files(hostile)
    result = export(cli, "-o", "out.md")
    assert result.exit_code == 130
    assert out.read_bytes() == b"old briefing\n"
    _no_temp_files(hostile)


def test_invalid_plan_leaves_the_old_file(cli, hostile):
    out = hostile / "out.md"
    out.write_bytes(b"old briefing\n")
    shutil.copy(hostile / "plans" / "evil.yaml", hostile / "broken.yaml")
    broken = hostile / "broken.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("measure: sum", "measure: summe", 1), encoding="utf-8")
    result = export(cli, "--plan", "broken.yaml", "-o", "out.md")
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr
    assert out.read_bytes() == b"old briefing\n"
    _no_temp_files(hostile)


def test_bad_as_of_leaves_the_old_file(cli, hostile):
    out = hostile / "out.md"
    out.write_bytes(b"old briefing\n")
    result = cli("export", "--as-of", "2024-13-45", "-o", "out.md")
    assert result.exit_code == 2
    assert out.read_bytes() == b"old briefing\n"
