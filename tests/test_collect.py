"""`shuzheng collect`: a template filled as a clerk would, taken back with a receipt.

Each test works in a fresh folder holding a copy of plans/ and no ledgers, so what
`progress` counts is exactly what was collected.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from shuzheng.collect import collect
from shuzheng.core.reporting import REGISTER_NAME

# The template's own columns the reader does not know yet (core/columns.py): they are read
# as unknown-column warnings until 序號 and 指標名稱 (No. and Indicator name in an English template,
# as tests write it) are known columns. Nothing else may be said.
TEMPLATE_ONLY = {"No.", "Indicator name"}


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path) -> Path:
    shutil.copytree(repo_root / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


GOOD_AND_BAD = [
    # No., Date, Indicator, Indicator name, Area, Quantity, Unit, Item, Ref, Department, Note (序号, 日期 …)
    [1, dt.date(2024, 9, 2), "1.1", "拆除違法建設", "朝陽區", 1200, "平方米", None, "CY-0901", "朝陽區", None],
    [2, dt.date(2024, 9, 3), "1.1", "拆除違法建設", "朝陽區", "1,2O0", "平方米", None, "CY-0902", "朝陽區", None],
    # an item typed by hand, in Simplified, not picked from the list
    [
        3,
        dt.date(2024, 9, 5),
        "3.2",
        "第一批城鄉結合部改造試點鄉",
        "朝陽區",
        None,
        None,
        "来广营",
        None,
        "朝陽區",
        "手填",
    ],
    [4, dt.date(2024, 9, 6), "1.1", "拆除違法建設", "朝陽區", -200, "平方米", None, "CY-0903", "朝陽區", "更正"],
]


def make_template(cli, unit: str = "朝阳区", plan: str = "city") -> Path:
    result = cli("template", plan, "--unit", unit, "-o", "out")
    assert result.exit_code == 0, result.stderr
    (path,) = Path("out").glob("*.xlsx")
    return path


def fill(template: Path, dest: Path, rows: list[list[object]]) -> Path:
    """As a clerk would: open the template, type the rows under the header, save under a new name."""
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]  # the ledger sheet: 台账, or Ledger in English
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    dest.parent.mkdir(parents=True, exist_ok=True)
    book.save(dest)
    return dest


def register(plan: str = "city") -> list[dict[str, str]]:
    path = Path("ledgers") / plan / REGISTER_NAME
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the register starts with a BOM, so Excel reads it as UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def actual(cli, indicator: str, scope: str, plan: str = "city") -> float | None:
    result = cli("progress", "--plan", plan, "--as-of", "2024-09-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (row,) = [t for p in data["plans"] for t in p["targets"] if t["indicator"] == indicator and t["scope"] == scope]
    return row["actual"]


def test_round_trip_counts_good_rows_reports_the_bad_cell_and_registers(ws: Path, cli) -> None:
    returned = fill(make_template(cli), ws / "inbox" / "朝阳区_2024-09.xlsx", GOOD_AND_BAD)
    digest = hashlib.sha256(returned.read_bytes()).hexdigest()

    refused = cli("collect", str(returned), "--plan", "city")
    assert refused.exit_code == 1
    # the bad cell, in the clerk's terms: the file, its sheet, the Excel cell and the value typed
    assert "朝阳区_2024-09.xlsx[Ledger]!F3: “1,2O0” quantity: not a number" in refused.stderr
    assert "refused" in refused.stdout and "--accept-with-errors" in refused.stdout
    assert returned.exists() and not (ws / "ledgers" / "city" / "朝陽區_2024-09.xlsx").exists()

    taken = cli("collect", str(returned), "--plan", "city", "--accept-with-errors")
    assert taken.exit_code == 0, taken.stderr
    stored = ws / "ledgers" / "city" / "朝陽區_2024-09.xlsx"
    assert stored.read_bytes() == returned.read_bytes()
    # good rows counted: 1200 − 200 (a correction); the hand-typed 来广营 is the declared 來廣營
    assert actual(cli, "1.1", "北京市") == 1000
    assert actual(cli, "3.2", "朝陽區") == 1

    receipts = register()
    assert [r["结果"] for r in receipts] == ["refused", "accepted-with-errors"]
    last = receipts[-1]
    assert (last["责任单位"], last["期别"], last["原文件名"], last["sha256"]) == (
        "朝陽區",
        "2024-09",
        "朝阳区_2024-09.xlsx",
        digest,
    )
    assert (last["行数"], last["退回行数"], last["存为"]) == ("4", "1", "ledgers/city/朝陽區_2024-09.xlsx")

    before = sorted(p.name for p in (ws / "ledgers" / "city").rglob("*"))
    again = cli("collect", str(returned), "--plan", "city", "--accept-with-errors")
    assert again.exit_code == 0
    assert "already" in again.stdout and digest[:8] in again.stdout
    assert sorted(p.name for p in (ws / "ledgers" / "city").rglob("*")) == before
    assert len(register()) == 2, "a second collect of the same file adds nothing"


def test_filled_template_reads_back_through_check(ws: Path, cli) -> None:
    good = [r for r in GOOD_AND_BAD if r[5] != "1,2O0"]
    returned = fill(make_template(cli), ws / "inbox" / "朝阳区_2024-09.xlsx", good)
    result = cli("collect", str(returned), "--plan", "city")
    assert result.exit_code == 0, result.stderr
    checked = cli("check", "city", "--format", "json")
    report = json.loads(checked.stdout)
    assert report["errors"] == 0
    ledger_findings = [f for f in report["diagnostics"] if (f["file"] or "").startswith("ledgers/")]
    # the instructions (说明) hold no rows and the lists' sheet (清单) is hidden: each is said to be skipped
    instructions = [f for f in ledger_findings if f["code"] in ("sheet-without-header", "hidden-sheet")]
    assert sorted(f["file"] for f in instructions) == [
        "ledgers/city/朝陽區_2024-09.xlsx[Instructions]",
        "ledgers/city/朝陽區_2024-09.xlsx[Lists]",
    ]
    ledger_findings = [f for f in ledger_findings if f not in instructions]
    assert all(f["code"] == "unknown-column" for f in ledger_findings), ledger_findings
    assert {f["message"].split("'")[1] for f in ledger_findings} <= TEMPLATE_ONLY
    # the register beside the ledger is not read as one: one ledger file, three rows
    assert (report["ledger_files"], report["ledger_rows"]) == (1, 3)


def test_resubmission_needs_replace_and_keeps_the_earlier_file(ws: Path, cli) -> None:
    template = make_template(cli)
    good = [r for r in GOOD_AND_BAD if r[5] != "1,2O0"]
    first = fill(template, ws / "inbox" / "a" / "朝阳区_2024-09.xlsx", good)
    assert cli("collect", str(first), "--plan", "city").exit_code == 0
    stored = ws / "ledgers" / "city" / "朝陽區_2024-09.xlsx"
    earlier = stored.read_bytes()

    more = [
        *good,
        [5, dt.date(2024, 9, 9), "1.1", "拆除違法建設", "朝陽區", 300, "平方米", None, "CY-0904", None, None],
    ]
    second = fill(template, ws / "inbox" / "b" / "朝阳区_2024-09.xlsx", more)
    refused = cli("collect", str(second), "--plan", "city")
    assert refused.exit_code == 1
    assert "朝陽區 already sent 2024-09" in refused.stdout and "--replace" in refused.stdout
    assert stored.read_bytes() == earlier

    replaced = cli("collect", str(second), "--plan", "city", "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    assert stored.read_bytes() == second.read_bytes()
    sha8 = hashlib.sha256(earlier).hexdigest()[:8]
    kept = ws / "ledgers" / "city" / ".superseded" / f"朝陽區_2024-09.{sha8}.xlsx.superseded"
    assert kept.read_bytes() == earlier, "nothing a unit sent is lost"
    assert [r["结果"] for r in register()] == ["accepted", "refused", "replaced"]
    # the kept copy is out of the tally: 1000 + 300, not counted twice
    assert actual(cli, "1.1", "北京市") == 1300


def test_unit_from_the_department_column_then_the_file_name_then_the_option(ws: Path, cli) -> None:
    template = make_template(cli)
    good = [r for r in GOOD_AND_BAD if r[5] != "1,2O0"]
    # 责任单位 says 朝陽區 whatever the file is called
    by_column = fill(template, ws / "inbox" / "附件1.xlsx", good)
    assert cli("collect", str(by_column), "--plan", "city", "--period", "2024-09").exit_code == 0
    assert (ws / "ledgers" / "city" / "朝陽區_2024-09.xlsx").exists()
    # no 责任单位: the file name's prefix
    blank = [[*r[:9], None, r[10]] for r in good]
    by_name = fill(template, ws / "inbox" / "海淀_台账.xlsx", [[*r[:4], "海淀區", *r[5:]] for r in blank])
    assert cli("collect", str(by_name), "--plan", "city", "--accept-with-errors").exit_code == 0
    assert (ws / "ledgers" / "city" / "海淀區_2024-09.xlsx").exists(), "period from the latest row's date"
    # neither: refused, with the units it could be
    unknown = fill(template, ws / "inbox" / "某单位_台账.xlsx", blank)
    result = cli("collect", str(unknown), "--plan", "city")
    assert result.exit_code == 1 and "is not a reporting unit of plan city" in result.stdout
    assert cli("collect", str(unknown), "--plan", "city", "--unit", "豐臺").exit_code == 0
    assert (ws / "ledgers" / "city" / "豐臺區_2024-09.xlsx").exists()


def test_a_period_of_another_cadence_is_bad_usage(ws: Path, cli) -> None:
    returned = fill(make_template(cli), ws / "inbox" / "x.xlsx", GOOD_AND_BAD[:1])
    result = cli("collect", str(returned), "--plan", "city", "--period", "2024-09-01")
    assert result.exit_code == 2
    assert "[invalid-period]" in result.stderr


def test_register_time_and_a_folder_of_attachments(ws: Path, cli) -> None:
    template = make_template(cli, "主干道一", "hailing")
    row = [1, dt.date(2024, 9, 11), "0.1", "主干道下午整治出勤", "主干道一", None, None, None, None, "主干道一", None]
    fill(template, ws / "inbox" / "主干道一_2024-09-11.xlsx", [row])
    fill(template, ws / "inbox" / "主干道一_2024-09-12.xlsx", [[*row[:1], dt.date(2024, 9, 12), *row[2:]]])
    when = dt.datetime(2024, 9, 12, 18, 30)
    receipts = collect([str(ws / "inbox")], "hailing", now=when)
    assert [(r.unit, r.period, r.decision) for r in receipts] == [
        ("主干道一", "2024-09-11", "accepted"),
        ("主干道一", "2024-09-12", "accepted"),
    ]
    assert {r["时间"] for r in register("hailing")} == {"2024-09-12 18:30:00"}


def test_the_shipped_example_round_trip(ws: Path, cli, repo_root: Path) -> None:
    inbox = repo_root / "examples" / "collect" / "inbox"
    refused = cli("collect", str(inbox), "--plan", "city")
    assert refused.exit_code == 1
    assert "朝阳区_2024-09.xlsx[台账]!F3: “1,2O0”" in refused.stderr
    assert cli("collect", str(inbox), "--plan", "city", "--accept-with-errors").exit_code == 0
    assert actual(cli, "1.1", "北京市") == 1000
    assert (inbox / "朝阳区_2024-09.xlsx").exists(), "collect copies; the returned file stays where it was"


def test_without_plan_the_unit_names_it(ws: Path, cli) -> None:
    good = [r for r in GOOD_AND_BAD if r[5] != "1,2O0"]
    returned = fill(make_template(cli), ws / "inbox" / "朝阳区_2024-09.xlsx", good)
    result = cli("collect", str(returned))
    assert result.exit_code == 0, result.stderr
    assert (ws / "ledgers" / "city" / "朝陽區_2024-09.xlsx").exists()
    stray = fill(make_template(cli), ws / "inbox" / "附件.xlsx", [[*r[:9], None, r[10]] for r in good])
    refused = cli("collect", str(stray))
    assert refused.exit_code == 2 and "name the plan with --plan" in refused.stderr
