"""Command-line habits (issue 13, item 3): each one through the real command line."""

from __future__ import annotations

import calendar
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuzheng.core.dates import parse_as_of, parse_date
from shuzheng.core.findings import ParseError, UsageError
from shuzheng.core.selection import parse_ids, values

RECON = "tests/fixtures/plans/recon.yaml"
BASIC = "tests/fixtures/ledgers/recon/basic.csv"
BASE = ("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")


def indicators(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return [t["indicator"] for plan in json.loads(result.stdout)["plans"] for t in plan["targets"]]


@pytest.mark.parametrize("command", [[], ["check"], ["progress"], ["export"], ["schema"]])
def test_dash_h_is_help(cli, command: list[str]) -> None:
    short, long = cli(*command, "-h"), cli(*command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout and "Usage:" in short.stdout


def test_completion_is_offered_and_shows_a_script(cli) -> None:
    top = cli("--help").stdout
    assert "--install-completion" in top and "--show-completion" in top
    result = cli("--show-completion", "bash")
    assert result.exit_code == 0
    assert "complete" in result.stdout and "_SHUZHENG_COMPLETE" in result.stdout.upper()


@pytest.mark.parametrize("option", ["--task", "--indicator", "--status"])
def test_several_values_repeated_or_comma_separated(cli, in_repo, option: str) -> None:
    first, second = {"--task": ("1", "2"), "--indicator": ("1.1", "2.5"), "--status": ("met", "behind")}[option]
    repeated = cli("progress", *BASE, option, first, option, second, "--format", "json")
    commas = cli("progress", *BASE, option, f"{first},{second}", "--format", "json")
    full_width = cli("progress", *BASE, option, f"{first}，{second}", "--format", "json")
    alone = indicators(cli("progress", *BASE, option, first, "--format", "json"))
    assert indicators(repeated) == indicators(commas) == indicators(full_width)
    assert set(alone) < set(indicators(repeated))


@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--task", "99", ["'99'", "known: 1, 2"]),
        ("--indicator", "9.9", ["'9.9'", "did you mean 2.8, 2.7, 2.6?"]),
        ("--indicator", "1.1,3.1", ["'3.1'", "did you mean 2.1, 2.2, 2.3?"]),
        ("--status", "bihind", ["'bihind'", "did you mean behind?"]),
    ],
)
def test_an_unknown_value_exits_2_naming_the_nearest(cli, in_repo, option: str, value: str, named: list[str]) -> None:
    result = cli("progress", *BASE, option, value)
    assert result.exit_code == 2
    assert result.stdout == ""
    for text in [option, *named]:
        assert text in result.stderr


def test_full_width_ids_fold(cli, in_repo) -> None:
    assert indicators(cli("progress", *BASE, "--indicator", "２.５", "--format", "json")) == ["2.5", "2.5"]
    assert indicators(cli("progress", *BASE, "--task", "１", "--format", "json"))[0] == "1.1"


def test_parse_ids_keeps_the_plans_spelling() -> None:
    assert parse_ids("--indicator", ["７.１, 2.5"], ["7.1", "2.5"]) == {"7.1", "2.5"}
    assert parse_ids("--indicator", None, ["7.1"]) is None
    with pytest.raises(UsageError):
        parse_ids("--task", ["x"], ["1"])
    assert values(["1,,2", " 3 ", ""]) == ["1", "2", "3"]


# --- -o on progress, the format from the suffix, --excel --------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "starts"), [(".json", "{"), (".csv", "plan,task,"), (".md", "# "), (".txt", "As of")]
)
def test_progress_output_format_follows_the_suffix(cli, tmp_path: Path, in_repo, suffix: str, starts: str) -> None:
    out = tmp_path / f"report{suffix}"
    result = cli("progress", *BASE, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith(starts)
    if suffix == ".json":
        assert json.loads(text)["as_of"] == "2024-06-30"
    if suffix == ".md":
        assert "| Indicator " in text


def test_given_format_wins_over_the_suffix(cli, tmp_path: Path, in_repo) -> None:
    out = tmp_path / "x.md"
    assert cli("progress", *BASE, "--format", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["plans"]


def test_export_format_follows_the_suffix(cli, tmp_path: Path, in_repo) -> None:
    for suffix in (".csv", ".json", ".md"):
        assert cli("export", *BASE, "-o", str(tmp_path / f"b{suffix}")).exit_code == 0
    assert (tmp_path / "b.csv").read_text(encoding="utf-8").startswith("plan,task,")
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["as_of"] == "2024-06-30"
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == cli("export", *BASE).stdout


@pytest.mark.parametrize("args", [["--format", "json", "--excel"], ["--excel"], ["--excel", "-o", "x.md"]])
def test_excel_with_another_format_is_a_usage_error(cli, in_repo, args: list[str]) -> None:
    result = cli("export", *BASE, *args)
    assert result.exit_code == 2
    assert "--excel is for --format csv" in result.stderr


def test_excel_follows_a_csv_suffix(cli, tmp_path: Path, in_repo) -> None:
    assert cli("export", *BASE, "--excel", "-o", str(tmp_path / "x.csv")).exit_code == 0
    assert (tmp_path / "x.csv").read_bytes().startswith("\ufeffPlan,Task,".encode())  # headers in words


@pytest.mark.parametrize("inside", ["ledgers/city/x.csv", "plans/brief.md", "ledgers/new-plan/x.md"])
@pytest.mark.parametrize("command", ["progress", "export"])
def test_an_output_inside_plans_or_ledgers_is_refused(cli, tmp_path, monkeypatch, inside: str, command: str) -> None:
    repo = Path(__file__).resolve().parent.parent
    shutil.copytree(repo / "plans", tmp_path / "plans")
    shutil.copytree(repo / "ledgers", tmp_path / "ledgers")
    monkeypatch.chdir(tmp_path)
    result = cli(command, "--as-of", "2024-09-15", "-o", inside)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "[output-is-input]" in result.stderr
    assert not (tmp_path / inside).exists()
    assert cli("check").exit_code == 0  # the next check is not spoiled


# --- --as-of ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "day"),
    [
        ("20240630", "2024-06-30"),
        ("2024-6-30", "2024-06-30"),
        ("2024年06月30号", "2024-06-30"),
        ("2024年6月30號", "2024-06-30"),
        ("2024-06", "2024-06-30"),
        ("2024/2", "2024-02-29"),
        ("2024年12月", "2024-12-31"),
        ("2024Q2", "2024-06-30"),
        ("2024-q1", "2024-03-31"),
        ("2024年第三季度", "2024-09-30"),
        ("２０２４Ｑ４", "2024-12-31"),
    ],
)
def test_as_of_spellings(cli, in_repo, spelling: str, day: str) -> None:
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", spelling, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["as_of"] == day


def test_as_of_today(cli, in_repo) -> None:
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "today", "--format", "json")
    assert json.loads(result.stdout)["as_of"] == date.today().isoformat()


@pytest.mark.parametrize("spelling", ["2024-13", "2024Q5", "20241301", "2024年02月30号", "202406", "yesterday"])
def test_bad_as_of_spellings(cli, in_repo, spelling: str) -> None:
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", spelling)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--as-of" in result.stderr and "[invalid-date]" in result.stderr


@pytest.mark.parametrize("text", ["2024-06", "2024Q2", "20240630", "today", "2024年06月30号"])
def test_the_ledger_date_parser_does_not_take_months_or_quarters(text: str) -> None:
    with pytest.raises(ParseError):
        parse_date(text)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_a_month_and_a_quarter_end_on_their_last_day(day: date) -> None:
    month = parse_as_of(f"{day.year}-{day.month:02d}", day)
    quarter = parse_as_of(f"{day.year}Q{(day.month - 1) // 3 + 1}", day)
    assert (month.year, month.month) == (day.year, day.month) and month.day == calendar.monthrange(day.year, day.month)[
        1
    ]
    assert quarter >= month and quarter.month % 3 == 0 and quarter.month - month.month < 3
    assert parse_as_of(day.strftime("%Y%m%d"), day) == parse_as_of("today", day) == day


def test_as_of_before_the_period_is_a_warning(cli, in_repo) -> None:
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2023-12", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == (
        "shuzheng: warning: --as-of 2023-12-31 is before the period of plan recon starts (2024-01-01); "
        "nothing counts yet [as-of-before-period]\n"
    )
    inside = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-01-01", "--format", "json")
    assert inside.stderr == ""


# --- --ledger, --plan ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["progress"], ["export"], ["check"], ["progress", "-o", "x.json"]])
def test_a_missing_ledger_fails_before_anything_is_printed(cli, in_repo, tmp_path, command: list[str]) -> None:
    if "-o" in command:
        command = [*command[:-1], str(tmp_path / "x.json")]
    result = cli(*command, "--plan", RECON, "--ledger", BASIC, "--ledger", "no/such.csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "shuzheng: error: --ledger no/such.csv: no such ledger file or folder [missing-file]\n"
    assert not (tmp_path / "x.json").exists()


def test_check_takes_plan_like_progress(cli, in_repo) -> None:
    by_option = cli("check", "--plan", RECON, "--ledger", BASIC, "--format", "json")
    by_argument = cli("check", RECON, "--ledger", BASIC, "--format", "json")
    assert by_option.exit_code == by_argument.exit_code
    assert json.loads(by_option.stdout) == json.loads(by_argument.stdout)
    assert json.loads(by_option.stdout)["plans"] == ["recon"]
    both = json.loads(cli("check", "city", "--plan", "hailing", "--format", "json").stdout)
    assert both["plans"] == ["city", "hailing"]
