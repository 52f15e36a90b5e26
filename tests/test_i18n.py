"""The office's language: every message has its translation, the default is Simplified, and a run
over every fixture in zh-Hans prints no English word outside codes, ids, paths and commands."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from check_cases import CASES, write_case
from shuzheng.cli import app
from shuzheng.core import i18n
from shuzheng.core.i18n import from_environment, known_language, language_in_argv, ngettext, plan_text, set_language
from shuzheng.core.report import Status

REPO = Path(__file__).resolve().parent.parent
COMMANDS = tuple(get_command(app).commands)  # type: ignore[attr-defined]


def _catalogue_script():
    spec = importlib.util.spec_from_file_location("make_catalogues", REPO / "scripts" / "make_catalogues.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_catalogues"] = module
    spec.loader.exec_module(module)
    return module


# --- the catalogues ------------------------------------------------------------------------------


def test_every_message_has_its_translation_and_the_compiled_catalogues_are_current() -> None:
    """A text marked in the code with no zh_Hans translation, a translation that lost a
    {placeholder}, or a .po/.mo file not rebuilt since: `python3 scripts/make_catalogues.py`."""
    _, problems = _catalogue_script().build()
    assert problems.untranslated == [], "texts without a zh_Hans translation"
    assert problems.placeholders == [], "translations whose {placeholders} differ from the English"
    assert problems.stale == [], "catalogue files to rebuild with scripts/make_catalogues.py"


def test_traditional_is_derived_from_simplified() -> None:
    set_language("zh-Hant")
    traditional = i18n._("Overview")
    set_language("zh-Hans")
    simplified = i18n._("Overview")
    assert simplified != "Overview", "the zh_Hans catalogue translates it"
    assert traditional == i18n.to_traditional(simplified)
    assert i18n.to_traditional("台账") == "台賬", "as the office writes it, not OpenCC's 臺賬"


def test_counts_read_naturally_in_english_and_chinese() -> None:
    set_language("en")
    assert ngettext("{n} file", "{n} files", 1).format(n=1) == "1 file"
    assert ngettext("{n} file", "{n} files", 2).format(n=2) == "2 files"


# --- choosing the language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "zh-Hans"),
        ({"LANG": "en_US.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-Hans"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-Hant"),
        ({"LC_ALL": "zh_HK.UTF-8", "LANG": "zh_CN.UTF-8"}, "zh-Hant"),
        ({"LC_MESSAGES": "zh_MO"}, "zh-Hant"),
        ({"LANG": "zh_TW.UTF-8", "SHUZHENG_LANG": "en"}, "en"),
        ({"SHUZHENG_LANG": "zh_tw"}, "zh-Hant"),
    ],
)
def test_the_default_language(env: dict[str, str], expected: str) -> None:
    assert from_environment(env) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("zh-Hans", "zh-Hans"), ("ZH_hant", "zh-Hant"), ("en", "en"), ("fr", None)]
)
def test_spellings_of_a_language(text: str, expected: str | None) -> None:
    assert known_language(text) == expected


def test_lang_is_found_anywhere_before_a_double_dash() -> None:
    assert language_in_argv(["progress", "--lang", "en"]) == "en"
    assert language_in_argv(["--lang=zh-Hant", "check"]) == "zh-Hant"
    assert language_in_argv(["rows", "--", "--lang", "en"]) is None


def test_plan_text_follows_the_script() -> None:
    set_language("zh-Hans")
    assert plan_text("拆除違法建設") == "拆除违法建设"
    set_language("zh-Hant")
    assert plan_text("拆除违法建设") == "拆除違法建設"
    set_language("en")
    assert plan_text("拆除違法建設") == "拆除違法建設", "English output shows the plan's own words"


# --- no English in a Chinese run ----------------------------------------------------------------

# What may stay Latin in Chinese output: the machine contract and names that have no Chinese.
_CODE = re.compile(r"\[[a-z0-9][a-z0-9-]*\]")  # [invalid-date], [city]
_PATH = re.compile(r"[\w./\\\-\u4e00-\u9fff（）()]*[/\\.][\w\u4e00-\u9fff]+(?::\d+)*")  # ledgers/city/x.csv:3:2
_QUOTED = re.compile(r"`[^`]*`")  # `shuzheng check`
_OPTION = re.compile(r"(?<![\w-])--?[a-zA-Z][\w-]*(?:=\S*)?")  # --plan, -o
_REF = re.compile(r"\b[A-Za-z]+-[\w-]*\d[\w-]*")  # 編號 such as CG-2024-0047
_ENUM = re.compile(r"\b[a-z]+_[a-z_]+\b")  # no_target, on_track: values a user may type
_WRAPPED_PATH = re.compile(r"\b(?:csv|xlsx|yaml)(?::\d+)+")  # the tail of a path a table cell wrapped
_METAVAR = re.compile(r"\b[A-Z][A-Z_]+\b|<[^<>\s]*>|\{[A-Z_]+\}")  # PLAN, DATE, <table|md>, {PLAN}
_FOLDER = re.compile(r"\b\w+/")  # plans/, ledgers/<方案>/
_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED = {
    "shuzheng",
    "Excel",
    "WPS",
    "CSV",
    "XLSX",
    "XLS",
    "JSON",
    "YAML",
    "UTF",
    "BOM",
    "GBK",
    "GB",
    "ASCII",
    "OLE",
    "CRLF",
    "ET",
    "DOCX",
    "HTML",
    "SHUZHENG",
    "LANG",
    "READER",
    "DEBUG",
    *(status.value for status in Status),  # --status met,behind: the values a user types
    "zh",  # the language names: --lang zh-Hans|zh-Hant|en
    "Hans",
    "Hant",
    "en",
    "shell",  # 为当前 shell 安装自动补全
    "Schema",  # JSON Schema, a standard's name
    "Windows",
    "python",  # the program name when run as python -m shuzheng
    *("md", "csv", "json", "docx", "xlsx", "html", "table", "text"),  # format names a user types
    "OPTIONS",  # click's metavars in a usage line: shuzheng progress [OPTIONS]
    "COMMAND",
    "ARGS",
    *COMMANDS,
}


def english_words(text: str, ids: set[str]) -> list[str]:
    for pattern in (_METAVAR, _QUOTED, _CODE, _OPTION, _PATH, _REF, _ENUM, _WRAPPED_PATH, _FOLDER):
        text = pattern.sub(" ", text)
    return [w for w in _WORD.findall(text) if w not in ALLOWED and w not in ids]


def _ids(root: Path) -> set[str]:
    """Plan ids, task and indicator ids, and the Latin words the plans themselves contain."""
    words: set[str] = set()
    for plan in root.glob("plans/*.yaml"):
        words.add(plan.stem)
        words.update(_WORD.findall(plan.read_text("utf-8")))
    return words


def test_the_english_word_filter_sees_english() -> None:
    assert english_words("ledgers/city/a.csv:3:2: 错误: 日期无效 [invalid-date]", set()) == []
    assert english_words("行 3: date is not valid", set()) == ["date", "is", "not", "valid"]


SHIPPED_RUNS = [
    ["check"],
    ["check", "--strict"],
    ["progress", "--as-of", "2024-09-15"],
    ["progress", "--as-of", "2024-09-15", "--wide"],
    ["progress", "--as-of", "2024-09-15", "--format", "md"],
    ["progress", "--as-of", "2024-09-15", "--by", "month"],
    ["progress", "--as-of", "2024-09-15", "--by", "area", "--plan", "city"],
    ["progress", "--as-of", "2024-09-15", "--by", "department", "--plan", "city"],
    ["progress", "--as-of", "2024-09-15", "--since", "2024-06-30"],
    ["progress", "--as-of", "2023-06-30"],
    ["progress", "--status", "behind,overdue", "--as-of", "2024-12-31"],
    ["export", "--as-of", "2024-09-15"],
    ["export", "--as-of", "2024-09-15", "--since", "2024-06-30"],
    ["export", "--as-of", "2024-09-15", "--format", "csv", "--excel"],
    ["rows", "--plan", "city", "--indicator", "1.1", "--as-of", "2024-09-15"],
    ["chart", "1.1", "--plan", "city", "--as-of", "2024-09-15"],
    ["due", "--as-of", "2024-09-15"],
    ["progress", "--task", "99"],
    ["progress", "--district", "朝阳X"],
    ["progress", "--as-of", "2024-13-45"],
    ["progress", "--bogus"],
]
HELP_RUNS = [["--help"], *([name, "--help"] for name in COMMANDS)]


def _out(result) -> str:  # noqa: ANN001
    return (result.stdout or "") + (result.stderr or "")


@pytest.mark.parametrize("args", SHIPPED_RUNS, ids=lambda a: " ".join(a))
def test_a_simplified_run_over_the_shipped_repo_prints_no_english(args: list[str], cli, in_repo: Path) -> None:
    result = cli("--lang", "zh-Hans", *args)
    output = _out(result)
    assert "internal error" not in output and "Traceback" not in output
    assert output.strip(), "the run printed something"
    assert english_words(output, _ids(in_repo)) == [], output


@pytest.mark.slow
@pytest.mark.parametrize("args", HELP_RUNS, ids=lambda a: " ".join(a))
def test_help_in_simplified_has_no_english(args: list[str], in_repo: Path) -> None:
    """Help texts are built when the command line is imported: a real process, as a user runs it."""
    import os
    import subprocess

    env = {**os.environ, "SHUZHENG_LANG": "zh-Hans", "COLUMNS": "100", "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "shuzheng", *args], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    assert english_words(result.stdout, _ids(in_repo)) == [], result.stdout


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_broken_plan_is_reported_in_chinese(case: str, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_case(case, tmp_path)
    result = cli("--lang", "zh-Hans", "check", str(path))
    output = _out(result)
    assert result.exit_code == 1, output
    quoted = set(_WORD.findall(path.read_bytes().decode("utf-8", "replace")))  # the broken plan's own words
    assert english_words(output, _ids(REPO) | quoted) == [], output


def test_every_kind_of_bad_row_is_reported_in_chinese(cli, tmp_path: Path, monkeypatch) -> None:
    """The benchmark's generator writes every kind of bad row (unknown area, impossible date, bad
    number, undeclared item, outside the period, wrong unit) among good ones, with repeated 編號."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    ledger = tmp_path / "台账.csv"
    generate.write_csv(2000, ledger)
    monkeypatch.chdir(REPO)
    for args in (
        ["check", "city", "--ledger", str(ledger)],
        ["progress", "--plan", "city", "--ledger", str(ledger), "--as-of", "2024-12-31"],
        ["export", "--plan", "city", "--ledger", str(ledger), "--as-of", "2024-12-31"],
    ):
        output = _out(cli("--lang", "zh-Hans", *args))
        assert english_words(output, _ids(REPO)) == [], output


@pytest.fixture(autouse=True)
def _english_after() -> None:
    yield
    set_language("en")


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("progress.txt", ["progress", "--as-of", "2024-09-15"]),
        ("briefing.md", ["export", "--as-of", "2024-09-15", "--since", "2024-06-30"]),
        ("check.txt", ["check"]),
    ],
)
def test_golden_in_chinese(lang: str, name: str, args: list[str], cli, in_repo: Path, golden) -> None:
    """What the office reads, whole: the table, the briefing and check in each script."""
    result = cli("--lang", lang, *args)
    golden.check(f"lang/{lang}/{name}", result.stdout + result.stderr)


@pytest.mark.slow
def test_the_user_guide_shows_what_shuzheng_prints_now() -> None:
    """docs/使用说明.md: every output block is a real run (`python3 scripts/make_user_guide.py`)."""
    import subprocess

    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_user_guide.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
