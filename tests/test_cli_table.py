"""The terminal table (issue 13 item 2, issue 12 cases 9-11): it fits the width, never cuts a
number, shows a plan's escape sequences as text, and draws with what the stream can encode."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from wcwidth import wcswidth

from shuzheng.render.table import bar, clip, width

RECON = "tests/fixtures/plans/recon.yaml"
BASIC = "tests/fixtures/ledgers/recon/basic.csv"
ESCAPES = ("\x1b[2J", "\x1b]0;pwned\x07", "\x1b]8;;http://evil.example\x1b\\", "\u202e")


def table(cli, monkeypatch, columns: int, *args: str) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("progress", "--as-of", "2024-09-15", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("columns", [80, 120])
def test_no_line_is_wider_than_the_terminal(cli, in_repo, monkeypatch, columns: int) -> None:
    text = table(cli, monkeypatch, columns)
    too_wide = [line for line in text.splitlines() if wcswidth(line) > columns]
    assert too_wide == []
    assert all(line == line.rstrip() for line in text.splitlines())  # no trailing padding, task titles too


def test_every_number_of_the_wide_table_is_whole_at_80(cli, in_repo, monkeypatch) -> None:
    """What 160 columns show in full (targets, actuals, percentages) is all there at 80, uncut."""
    wide, narrow = table(cli, monkeypatch, 160), table(cli, monkeypatch, 80)
    cells = {m for line in narrow.splitlines() for m in re.split(r"\s{2,}", line)}
    for line in wide.splitlines():
        if re.match(r"\d+\.\d+ ", line):  # a target row
            target, actual = re.split(r"\s{2,}", line)[3:5]
            assert target in cells and actual in cells, line


def test_status_is_shown_by_its_label_only(cli, in_repo, monkeypatch) -> None:
    """The label people read, never the enum value (tests/test_i18n_text.py: no English in Chinese)."""
    text = table(cli, monkeypatch, 120, "--plan", RECON, "--ledger", BASIC)
    assert "Behind" in text and "Met" in text
    for word in ("behind", "on_track", "met ", "violated", "no_target"):
        assert word not in text


def test_lead_is_below_the_table_or_a_column_with_wide(cli, in_repo, monkeypatch) -> None:
    plain = table(cli, monkeypatch, 120, "--plan", "city")
    assert "Lead: 分管副市長" in plain.splitlines()
    assert not any(line.startswith("ID ") and "Lead" in line for line in plain.splitlines())
    wide = table(cli, monkeypatch, 200, "--plan", "city", "--wide")
    header = next(line for line in wide.splitlines() if line.startswith("ID "))
    assert header.endswith("Lead") and "Lead: " not in wide


@pytest.mark.parametrize("columns", [20, 30])
def test_narrow_terminals_get_one_block_per_target(cli, in_repo, monkeypatch, columns: int) -> None:
    text = table(cli, monkeypatch, columns, "--plan", RECON, "--ledger", BASIC)
    wide = table(cli, monkeypatch, 160, "--plan", RECON, "--ledger", BASIC)
    assert not re.search(r"^ID +Name", text, re.MULTILINE)
    lines = text.splitlines()
    assert (
        "Target: ≥ 1,000平方米" in lines
        or any(  # at 20 columns the number goes whole below its label
            key == "Target:" and value.strip() == "≥ 1,000平方米" for key, value in zip(lines, lines[1:], strict=False)
        )
    )
    assert text.count("Status: ") == wide.count("\n1.") + wide.count("\n2.")
    for line in text.splitlines():
        key, _, value = line.partition(": ")
        if key in ("Target", "Actual", "Done/Pace"):
            assert "…" not in value  # numbers are never cut
        else:
            assert wcswidth(line) <= columns, line


def test_ascii_draws_with_ascii(cli, in_repo, monkeypatch) -> None:
    text = table(cli, monkeypatch, 120, "--plan", RECON, "--ledger", BASIC, "--ascii")
    assert not set("─█░…") & set(text)
    assert "##########" in text and "----" in text


def test_the_bar_fills_by_the_ratio() -> None:
    assert bar(Decimal("0.55")) == "█████░░░░░"
    assert bar(Decimal("2"), 5, "#", ".") == "#####"
    assert bar(Decimal("-1"), 4) == "░░░░"
    assert bar(None) == ""
    assert clip("拆除違法建設", 7) == "拆除違…" and width(clip("拆除違法建設", 7)) <= 7
    assert clip("abc", 3) == "abc"


# --- hostile plan text -------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = Path(__file__).resolve().parent.parent
    text = (repo / RECON).read_text(encoding="utf-8")
    text = text.replace("title: 測試方案（對賬）", 'title: "測試方案\\e[2J\\e]0;pwned\\a"', 1)
    text = text.replace("title: 拆除違法建設", 'title: "拆除\\e]8;;http://evil.example\\e\\\\點我"', 1)
    text = text.replace("name: 拆除違法建設", 'name: "拆除\\e[31m\\u202e違法"', 1)
    text = text.replace("department: 城管執法局", 'department: "城管\\e[2J執法局"', 1)
    text = text.replace("name: 朝陽區\n", 'name: 朝陽區\n      aliases: ["\\e[5m朝"]\n', 1)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "recon.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "ledgers" / "recon").mkdir(parents=True)
    shutil.copy(repo / BASIC, tmp_path / "ledgers" / "recon" / "a\u202evsc.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("extra", [[], ["--wide"], ["--ascii"]])
@pytest.mark.parametrize("columns", [20, 80, 200])
def test_escape_sequences_in_a_plan_never_reach_the_terminal(cli, hostile, monkeypatch, columns, extra) -> None:
    text = table(cli, monkeypatch, columns, "--plan", "recon", *extra)
    assert not any(code in text for code in ESCAPES) and "\x1b" not in text and "\x07" not in text
    assert "\\x1b[2J" in text or columns == 20  # shown as text, where there is room for the title


def test_check_shows_a_right_to_left_override_in_a_file_name_escaped(cli, hostile) -> None:
    result = cli("check", "recon")
    assert "\u202e" not in result.stderr and "\x1b" not in result.stderr
    assert "ledgers/recon/a\\u202evsc.csv:" in result.stderr


def test_the_footer_wraps_between_words(cli, in_repo, monkeypatch) -> None:
    text = table(cli, monkeypatch, 60, "--plan", RECON, "--ledger", BASIC)
    tail = [line.strip() for line in text.rstrip("\n").split("\n\n")[-1].strip().splitlines()]
    assert " ".join(tail) == (
        "24 ledger rows read: 21 counted, 1 rejected, 1 duplicate (counted once), 1 ref conflict; "
        "1 correction; `shuzheng check` lists them with file:line and reason"
    )
    assert all(wcswidth(line) <= 60 for line in tail)
