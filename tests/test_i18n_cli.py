"""The command line in three languages (issue 13 item 1): help, click's own words and usage errors
follow --lang, SHUZHENG_LANG and the locale.

The help texts are made when the command line is built, after the entry point has chosen the
language, so help is tested through the real program (`python3 -m shuzheng`, slow); usage errors
are made when they happen and are tested in-process too. The Chinese assertions need the
catalogues built (scripts/make_catalogues.py).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shuzheng.cli import _checked
from shuzheng.click_texts import MESSAGES, spoken, wrap
from shuzheng.core.i18n import set_language

SRC = Path(__file__).resolve().parent.parent / "src"

# The English a Chinese help page may hold: commands, formats, option values, paths, plan ids and
# names of things (Excel, JSON Schema); option names and metavars (PLAN, DATE) are left out first.
ALLOWED = {
    *("check", "progress", "export", "schema", "rows", "chart", "template", "collect", "due", "shuzheng", "python"),
    *("table", "md", "csv", "json", "docx", "xlsx", "html", "text"),  # formats
    *("met", "on_track", "behind", "overdue", "violated", "no_data", "no_target"),  # --status
    *("day", "week", "month", "quarter", "area", "department"),  # --by
    *("zh", "Hans", "Hant", "en", "plans", "ledgers", "templates", "docs", "reconciliation"),  # as typed
    *("path", "line", "col", "error", "warning"),  # path:line:col: error|warning: as check prints it
    *("huairou", "city", "Excel", "Windows", "Schema", "shell", "list", "str"),  # ids, names, typer's <list[str]>
}


def run(*args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    """The program as a user starts it, with SHUZHENG_LANG and the locale as given (unset: None)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SHUZHENG_", "LC_", "LANG"))}
    environ |= {"PYTHONPATH": str(SRC), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for key, value in env.items():
        if value is None:
            environ.pop(key, None)
        else:
            environ[key] = value
    return subprocess.run(
        [sys.executable, "-m", "shuzheng", *args], env=environ, capture_output=True, text=True, timeout=60
    )


def english_words(text: str) -> set[str]:
    """The words of Latin letters in a help page, option names (--plan, -o) and metavars (PLAN) aside."""
    text = re.sub(r"(?<![\w/.-])--?[A-Za-z][\w-]*", "", text)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z_]*", text) if not word.isupper()}


# --- help, through the real program ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("command", [[], ["progress"]], ids=["app", "progress"])
def test_chinese_help_has_no_english_but_names(command: list[str]) -> None:
    result = run("--lang", "zh-Hans", *command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：") and "选项：" in result.stdout and "显示本帮助并退出。" in result.stdout
    assert english_words(result.stdout) <= ALLOWED, english_words(result.stdout) - ALLOWED
    if not command:
        assert "命令：" in result.stdout and "为当前 shell 安装自动补全。" in result.stdout


@pytest.mark.slow
def test_english_help() -> None:
    result = run("--lang", "en", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: ") and "Options:" in result.stdout and "Commands:" in result.stdout
    assert (
        "Show this message and exit." in result.stdout and "Install completion for the current shell." in result.stdout
    )
    assert not re.search(r"[\u4e00-\u9fff]{2}", result.stdout.replace("疏解整治促提升", ""))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SHUZHENG_LANG": "zh-Hant"}, "選項："),
        ({"SHUZHENG_LANG": None, "LANG": "zh_TW.UTF-8"}, "選項："),
        ({"SHUZHENG_LANG": None, "LANG": "zh_HK.UTF-8"}, "選項："),
        ({"SHUZHENG_LANG": None}, "选项："),  # the default: Simplified
        ({"SHUZHENG_LANG": None, "LANG": "zh_CN.UTF-8"}, "选项："),
        ({"SHUZHENG_LANG": "en", "LANG": "zh_TW.UTF-8"}, "Options:"),
    ],
    ids=["SHUZHENG_LANG", "zh_TW", "zh_HK", "default", "zh_CN", "SHUZHENG_LANG-over-locale"],
)
def test_the_language_from_the_environment(env: dict[str, str | None], expected: str) -> None:
    result = run("progress", "--help", **env)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


@pytest.mark.slow
def test_lang_after_the_command() -> None:
    english = run("progress", "--lang", "en", "--help")
    assert english.returncode == 0 and english.stdout.startswith("Usage: ") and "Options:" in english.stdout
    traditional = run("progress", "--help", "--lang=zh-Hant", SHUZHENG_LANG="en")
    assert traditional.returncode == 0 and "顯示本幫助並退出。" in traditional.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "named"),
    [(["--lang", "xx", "progress"], {}, "--lang"), (["progress"], {"SHUZHENG_LANG": "fr"}, "SHUZHENG_LANG")],
    ids=["--lang", "SHUZHENG_LANG"],
)
def test_an_unknown_language_is_a_usage_error(args: list[str], env: dict[str, str], named: str) -> None:
    result = run(*args, **env)
    assert result.returncode == 2
    assert named in result.stderr and "zh-Hans, zh-Hant, en" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_usage_error_in_chinese_through_the_program() -> None:
    result = run("progress", "--bogus", SHUZHENG_LANG=None)
    assert result.returncode == 2
    assert result.stderr.startswith("用法：") and "错误：没有选项 --bogus" in result.stderr


# --- usage errors, in-process -------------------------------------------------------------------


def test_click_usage_errors_in_english(cli) -> None:
    result = cli("progress", "--bogus")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ") and "Try 'shuzheng progress -h' for help." in result.stderr
    assert result.stderr.rstrip().endswith("Error: No such option: --bogus")
    choice = cli("progress", "--format", "x")
    assert "Error: Invalid value for '--format':" in choice.stderr and "'x' is not one of" in choice.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["progress", "--bogus"], "错误：没有选项 --bogus"),
        (["progress", "--as"], "错误：没有选项 --as（可能是："),
        (["progres"], "错误：没有命令 'progres'。是否要用 'progress'？"),
        (["progress", "--format", "x"], "错误：'--format' 的值无效：'x' 不在 'table', 'md', 'csv', 'json' 之中。"),
        (["progress", "--plan"], "错误：选项 '--plan' 需要一个值。"),
        (["check", "--strict=1"], "错误：选项 '--strict' 不接受值。"),
        (["chart"], "错误：缺少参数 'INDICATOR'。"),
        (["progress", "extra"], "错误：多余的参数（extra）"),
        ([], "错误：缺少命令。"),
    ],
    ids=["no-such-option", "possible-options", "no-such-command", "choice", "needs-value", "no-value", "argument",
         "extra", "no-command"],
)  # fmt: skip
def test_click_usage_errors_in_chinese(cli, args: list[str], expected: str) -> None:
    result = cli("--lang", "zh-Hans", *args)
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr
    assert "Usage" not in result.stderr and "Error" not in result.stderr and "Try" not in result.stderr


def test_shuzheng_usage_errors_follow_the_language(cli, in_repo) -> None:
    result = cli("--lang", "zh-Hans", "progress", "--plan", "tests/fixtures/plans/recon.yaml", "--as-of", "2024-13-45")
    assert result.exit_code == 2 and "--as-of：" in result.stderr
    ledger = cli("--lang", "zh-Hans", "progress", "--ledger", "no/such/file.csv")
    assert ledger.exit_code == 2 and "没有这个台账文件或文件夹" in ledger.stderr


def test_every_click_message_is_itself_in_english() -> None:
    """In English a message click composes comes back exactly as click wrote it."""
    set_language("en")
    samples = {
        "No such option: --x (Possible options: --as-of, --ascii)",
        "No such command 'progres'. Did you mean 'progress'?",
        "Invalid value for '--format': Value error, 'x' is not one of 'table', 'md'.",
        "Option '--plan' requires an argument.",
        "Option '--strict' does not take a value.",
        "Got unexpected extra argument(s) (a b)",
        "Missing argument 'PLAN'.",
        "something shuzheng said",
    }
    assert {spoken(sample) for sample in samples} == samples
    assert len(MESSAGES) == len(set(MESSAGES))


# --- what shuzheng itself counts ------------------------------------------------------------------


def test_counts_read_in_english() -> None:
    assert _checked(1, 1, 1) == "1 plan, 1 ledger row in 1 file"
    assert _checked(2, 17, 3) == "2 plans, 17 ledger rows in 3 files"
    assert _checked(1, 0, 0) == "1 plan, 0 ledger rows in 0 files"


# --- Chinese help fits the terminal -----------------------------------------------------------------


@pytest.mark.parametrize("width", [20, 33, 50])
def test_wrapping_by_display_width(width: int) -> None:
    from wcwidth import wcswidth

    text = "只保留这些状态（可重复，或用逗号分隔）：met、on_track、behind、overdue，或其中文名称（滞后……）。"
    lines = wrap(text, width)
    assert "".join(lines) == text.replace(" ", "")
    assert all(wcswidth(line) <= width for line in lines)
    assert not any(line[0] in "，。、；：）」…" or line[-1] in "（「" for line in lines)
    assert all(word in "".join(lines) for word in ("on_track", "overdue"))  # a word is never split


def test_help_measures_every_catalogue_character_as_wcwidth_does() -> None:
    """Help is wrapped by unicodedata's widths (importing wcwidth cost `--help` a tenth of its time):
    for every character the catalogues and the help texts hold, the width is wcwidth's."""
    from wcwidth import wcwidth

    from shuzheng.click_texts import _char_width

    texts = [p.read_text(encoding="utf-8") for p in SRC.rglob("*.po")]
    texts += [p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")]
    characters = set("".join(texts)) - set("\n\r\t")
    assert len(characters) > 500  # the Chinese of the catalogues, not only ASCII
    assert {c for c in characters if _char_width(c) != max(wcwidth(c), 0)} == set()
