"""Every row accounted for: the cases of the 'nothing dropped silently, nothing counted twice'
round, each on the shipped city plan in a scratch workspace, through the command line and with
both readers (the columnar one must say exactly what the row reader says)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuzheng.cli import app

REPO = Path(__file__).resolve().parent.parent
HEADER = "日期,指標,地區,數量,單位,基數,項目,編號,備註\n"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "plans").mkdir()
    shutil.copy(REPO / "plans" / "city.yaml", tmp_path / "plans" / "city.yaml")
    (tmp_path / "ledgers" / "city").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHUZHENG_READER", raising=False)
    return tmp_path


def run(*args: str, reader: str = "rows"):  # noqa: ANN201
    os.environ["SHUZHENG_READER"] = reader
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        del os.environ["SHUZHENG_READER"]


def report(*args: str, as_of: str = "2024-09-15") -> dict:
    """The JSON report, the same from both readers."""
    found = []
    for reader in ("rows", "columnar"):
        result = run("progress", "--format", "json", "--as-of", as_of, *args, reader=reader)
        assert result.exit_code in (0, 1), result.output
        found.append(json.loads(result.stdout))
    assert found[0] == found[1]
    rows = found[0]["rows"]
    assert rows["read"] == sum(v for k, v in rows.items() if k != "read"), rows  # conservation, always
    return found[0]


def target(doc: dict, indicator: str, scope: str) -> dict:
    (found,) = [t for p in doc["plans"] for t in p["targets"] if (t["indicator"], t["scope"]) == (indicator, scope)]
    return found


def write(ws: Path, name: str, rows: str, header: str = HEADER) -> Path:
    path = ws / "ledgers" / "city" / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def check(*args: str):  # noqa: ANN201
    return run("check", "city", *args)


# --- rows lost without a word ------------------------------------------------------------------


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]], str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


XLSX_HEADER = ["日期", "指標", "地區", "數量"]


def test_every_visible_sheet_of_a_workbook_is_read(ws: Path) -> None:
    _workbook(
        ws / "ledgers" / "city" / "拆違.xlsx",
        [
            ("輔助", [["說明"], ["x"]], "hidden"),
            ("一季度", [XLSX_HEADER, ["2024-03-01", "1.1", "朝陽區", 1000]], "visible"),
            ("二季度", [XLSX_HEADER, ["2024-05-01", "1.1", "朝陽區", 50000]], "visible"),
        ],
    )
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 51000
    assert doc["rows"]["counted"] == 2
    assert [(f["file"], f["code"]) for f in doc["files"]] == [("ledgers/city/拆違.xlsx[輔助]", "hidden-sheet")]
    assert "ledgers/city/拆違.xlsx[二季度]:2" in check().stderr or check().exit_code == 0


def test_a_folder_naming_no_plan_and_a_plan_without_ledgers_are_said(ws: Path) -> None:
    (ws / "ledgers" / "朝阳区").mkdir()
    (ws / "ledgers" / "朝阳区" / "a.csv").write_text(HEADER + "2024-03-01,1.1,朝陽區,5,,,,,\n", encoding="utf-8")
    result = check()
    assert "ledgers/朝阳区: warning: this folder under ledgers/ names no plan" in result.stderr
    assert "plans/city.yaml: warning: plan city has no ledger file" in result.stderr
    assert "[no-ledgers]" in result.stderr and "[unassigned-folder]" in result.stderr


def test_a_valid_row_outside_every_scope_is_listed_not_lost(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,4.1,大興區,1,,,,,\n2024-03-01,4.1,海淀區,1,,,,,\n")
    doc = report()
    assert doc["rows"]["outside_scope"] == 1 and doc["rows"]["counted"] == 1
    assert [(r["line"], r["code"]) for r in doc["outside_scope"]] == [(2, "outside-scope")]
    briefing = run("export", "--as-of", "2024-09-15").stdout
    assert "Every ledger row was counted" not in briefing and "### 1 row outside the targets' scope" in briefing


def test_files_a_ledger_folder_cannot_read_are_said(ws: Path) -> None:
    folder = ws / "ledgers" / "city"
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    (folder / "wps.et").write_bytes(b"x")
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    (folder / "gone.csv").symlink_to(folder / "nowhere.csv")
    os.mkfifo(folder / "pipe.csv")
    (folder / "macro.xlsm").write_bytes(b"not a zip at all")  # read like .xlsx: a damaged one is said
    codes = {line.rsplit("[", 1)[1] for line in check().stderr.splitlines() if "ledgers/city/" in line}
    assert {"old-workbook]", "unsupported-file]", "missing-file]", "not-a-file]", "unreadable]"} <= codes


def test_a_second_header_inside_a_csv_remaps_the_columns_below_it(ws: Path) -> None:
    write(
        ws,
        "pasted.csv",
        "2024-03-01,1.1,朝陽區,5,,,,,\n日期,指標,地區,編號,數量\n2024-03-02,1.1,朝陽區,1003,100\n",
    )
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 105  # not 5 + 1003
    assert "pasted.csv:3: warning: a header row again" in check().stderr


# --- rows counted twice ------------------------------------------------------------------------


def test_one_file_by_two_paths_or_links_is_read_once(ws: Path) -> None:
    path = write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    os.link(path, ws / "ledgers" / "city" / "hard.csv")
    (ws / "ledgers" / "city" / "soft.csv").symlink_to(path)
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 5
    assert sorted(f["code"] for f in doc["files"]) == ["same-file", "same-file"]
    (ws / "ledgers" / "x").mkdir()
    twice = report(
        "--ledger", "ledgers/city/a.csv", "--ledger", "ledgers/city", "--ledger", "./ledgers/x/../city/a.csv"
    )
    assert target(twice, "1.1", "北京市")["actual"] == 5


def test_a_windows_copy_of_a_file_is_read_once(ws: Path) -> None:
    path = write(ws, "街道报表.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    (ws / "ledgers" / "city" / "街道报表 - 副本.csv").write_bytes(path.read_bytes())
    (ws / "ledgers" / "city" / "gbk.csv").write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 5
    assert [f["code"] for f in doc["files"]] == ["duplicate-file", "duplicate-file"]


def test_a_ref_used_again_for_another_record_is_a_conflict_and_check_fails(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,12000,,,,X1,\n2024-04-01,1.1,朝陽區,6000,,,,X1,\n")
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 12000
    assert [(c["line"], c["first_line"], c["code"]) for c in doc["conflicts"]] == [(3, 2, "conflicting-ref")]
    assert check().exit_code == 1


def test_the_first_use_of_a_ref_is_its_earliest_date_whatever_the_file_order(ws: Path) -> None:
    write(ws, "a.csv", "2024-10-01,1.1,朝陽區,100,,,,X,\n")
    write(ws, "b.csv", "2024-05-01,1.1,朝陽區,7,,,,X,\n")
    assert target(report(as_of="2024-09-15"), "1.1", "北京市")["actual"] == 7
    assert target(report(as_of="2024-12-31"), "1.1", "北京市")["actual"] == 7  # adding October changes nothing


def test_one_ref_across_an_indicator_and_its_components_counts_once(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,7.2,朝陽區,1,,,,M1,\n2024-03-02,7.1,朝陽區,1,,,,M1,\n")
    doc = report()
    assert target(doc, "7.1", "北京市")["actual"] == 1  # 7.1 counts 7.2's rows: the one market once
    assert doc["rows"]["duplicate"] + doc["rows"]["conflict"] == 1


# --- values misread ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["5²", "①", "⑩"])
def test_decorated_digits_are_rejected(ws: Path, text: str) -> None:
    write(ws, "a.csv", f"2024-03-01,1.1,朝陽區,{text},,,,,\n")
    doc = report()
    assert [(r["line"], r["code"]) for r in doc["rejected"]] == [(2, "invalid-number")]


@pytest.mark.parametrize(
    ("quantity", "base", "code"), [("1", "0", "invalid-base"), ("1", "-5", "invalid-base"), ("12", "10", "above-base")]
)
def test_a_ratio_row_needs_a_base_above_zero_and_at_least_its_quantity(ws: Path, quantity, base, code) -> None:
    write(ws, "a.csv", f"2024-03-01,2.1,朝陽區,{quantity},,{base},,,\n")
    assert [(r["line"], r["code"]) for r in report()["rejected"]] == [(2, code)]


def test_ten_thousand_square_metres_twice_is_warned_and_mu_converts(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,2萬,萬平方米,,,,\n2024-03-02,1.1,朝陽區,15畝,,,,,\n")
    doc = report()
    assert target(doc, "1.1", "北京市")["actual"] == 200_000_000 + 10_000
    assert "a.csv:2: warning: 2萬 is 200000000平方米" in check().stderr


# --- statuses that mislead ---------------------------------------------------------------------


def test_a_fresh_parent_figure_replaces_its_childrens_older_ones_and_back(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,9.2,北京市,500,,,,,\n2024-06-01,9.2,朝陽區,0,,,,,\n2024-06-01,9.2,海淀區,0,,,,,\n")
    stale = target(report(), "9.2", "北京市")
    assert (stale["actual"], stale["status"]) == (0, "met")  # 500 is older than every district's 0
    write(ws, "b.csv", "2024-07-01,9.2,北京市,40,,,,,\n")
    assert target(report(), "9.2", "北京市")["actual"] == 40  # the city's fresh total wins again


def test_no_data_becomes_overdue_once_due(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    assert target(report(as_of="2024-09-15"), "9.5", "城六區")["status"] == "no_data"
    assert target(report(as_of="2025-01-21"), "9.5", "城六區")["status"] == "overdue"


def test_a_target_of_one_is_never_behind_before_its_deadline(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    assert target(report(as_of="2024-02-15"), "4.1", "海淀區")["status"] == "on_track"
    # 1 × (335/366 − 0.10) = 0.82, rounded down to whole 個: 0, so not behind on 11-30 either
    assert target(report(as_of="2024-11-30"), "4.1", "海淀區")["status"] == "on_track"
    assert target(report(as_of="2025-01-01"), "4.1", "海淀區")["status"] == "overdue"


def test_pace_means_nothing_for_ceilings_and_rates(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    doc = report()
    assert target(doc, "2.1", "北京市")["expected"] is None  # a rate
    assert target(doc, "1.2", "北京市")["expected"] is None  # a sum ceiling (零增長)
    assert target(doc, "1.1", "北京市")["expected"] == pytest.approx(259 / 366, abs=1e-4)


def test_an_items_own_deadline_makes_the_target_overdue(ws: Path) -> None:
    text = (ws / "plans" / "city.yaml").read_text(encoding="utf-8")
    marker = "{name: 來廣營, area: 朝陽區"
    assert marker in text, "the city plan declares 3.2's items with their area"
    (ws / "plans" / "city.yaml").write_text(text.replace(marker, marker + ", deadline: 2024-06-30", 1), "utf-8")
    write(ws, "a.csv", "2024-03-01,3.2,朝陽區,,,,太陽宮,,\n")
    assert target(report(as_of="2024-06-30"), "3.2", "朝陽區")["status"] != "overdue"
    assert target(report(as_of="2024-07-01"), "3.2", "朝陽區")["status"] == "overdue"


def test_the_table_and_the_briefing_say_the_same_accounting(ws: Path) -> None:
    write(
        ws,
        "a.csv",
        "2024-03-01,1.1,朝陽區,5,,,,,\n2024-03-01,1.1,火星,5,,,,,\n,,,,,,,,\n2024-12-01,1.1,朝陽區,1,,,,,\n",
    )
    doc = report()
    assert doc["rows"] == {
        "read": 4,
        "counted": 1,
        "rejected": 1,
        "duplicate": 0,
        "conflict": 0,
        "outside_scope": 0,
        "after_as_of": 1,
        "blank": 1,
    }
    table = run("progress", "--as-of", "2024-09-15").stdout
    assert "4 ledger rows read: 1 counted, 1 rejected, 1 dated after the as-of date, 1 blank" in table
    briefing = run("export", "--as-of", "2024-09-15").stdout
    assert "4 ledger rows read: 1 counted, 1 rejected, 1 dated after the as-of date, 1 blank; see" in briefing


def test_all_counted_is_said_only_when_true(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n2024-12-01,1.1,朝陽區,1,,,,,\n")
    counted = "Every ledger row was counted"
    assert counted in run("export", "--as-of", "2024-09-15").stdout  # the December row does not exist yet
    write(ws, "b.csv", "2024-03-01,1.1,火星,5,,,,,\n")
    assert counted not in run("export", "--as-of", "2024-09-15").stdout


def test_both_readers_reject_a_cell_past_the_limit(ws: Path) -> None:
    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n2024-03-02,1.1,朝陽區,7,,,,," + "x" * 200_000 + "\n")
    doc = report()  # the same JSON from both readers
    assert [(r["line"], r["code"]) for r in doc["rejected"]] == [(3, "field-too-large")]
    assert target(doc, "1.1", "北京市")["actual"] == 5


def test_a_file_changed_while_the_columnar_reader_reads_it_is_an_error_and_the_others_count(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shuzheng.read import columnar

    write(ws, "a.csv", "2024-03-01,1.1,朝陽區,5,,,,,\n")
    changing = write(ws, "b.csv", "2024-03-01,1.1,朝陽區,7,,,,,\n")
    real = columnar.read_fast

    def read_then_resave(source, *args, **kwargs):  # noqa: ANN001, ANN202 - a writer saving in the read window
        found = real(source, *args, **kwargs)
        if source.path == changing:
            changing.write_text(HEADER + "2024-03-01,1.1,朝陽區,70000,,,,,\n", encoding="utf-8")
        return found

    monkeypatch.setattr(columnar, "read_fast", read_then_resave)
    result = run("progress", "--format", "json", "--as-of", "2024-09-15", reader="columnar")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert target(doc, "1.1", "北京市")["actual"] == 5  # a.csv still counts; nothing of b.csv does
    assert [(r["file"], r["code"]) for r in doc["rejected"]] == [("ledgers/city/b.csv", "file-changed")]
    assert "ledgers/city/b.csv: error: the file was changed while it was read" in result.stderr
