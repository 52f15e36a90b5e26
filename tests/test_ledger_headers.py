"""The headers clerks really write (issue 13): 街道/鄉鎮 for the area, 序號 and 備註 that are never
warned about, and full-width or spaced spellings; through the command line, with both readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


# --- spellings -------------------------------------------------------------------------------


def test_full_width_letters_and_spaces_in_headers_fold_as_names_do(cli, in_repo, monkeypatch, tmp_path):
    path = ledger(tmp_path, "ＤＡＴＥ,指 標,\u3000街道\u3000,完成 量,Ｕｎｉｔ\n2024-03-01,1.1,朝陽區,0.01,萬平方米\n")
    assert check(cli, path) == (0, [])
    assert actual(progress(cli, monkeypatch, path), "1.1", "朝陽區") == 100
