"""The text renderers in three languages (issue 13 items 1 and 2): the terminal table, the Markdown
progress and briefing, the views, `due` and the CSV for Excel say their words in the chosen language
and the plan's words in its script; JSON and plain CSV keep the plan's spelling and the machine
headers; counts read naturally; the table fits 80 and 120 columns whatever the language.

The Chinese cases read the catalogues: build them first with
`python3 scripts/make_catalogues.py --import /work/tr/text.json` (the coordinator builds them on main).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import opencc
import pytest
from wcwidth import wcswidth

from shuzheng.core.i18n import set_language, to_traditional
from shuzheng.core.report import PlanReport, Report, Status, TargetRow
from shuzheng.core.tally import RowCounts

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent
TO_SIMPLIFIED = opencc.OpenCC("t2s").convert
TO_TRADITIONAL = to_traditional  # OpenCC s2t as the office writes it (台賬)
PATHS = re.compile(r"ledgers/[^\s|,]*")  # file paths stay as they are, in any language
ENGLISH_STATUS = ("On track", "Behind", "Met", "Violated", "Overdue", "No data", "Unquantified")
ENUMS = ("on_track", "behind", "met", "violated", "overdue", "no_data", "no_target")


def run(cli, monkeypatch, lang: str, *args: str, columns: int = 120) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("--lang", lang, *args, "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "internal error" not in result.stderr
    return result.stdout


def simplified(text: str) -> bool:
    """Every character already Simplified (OpenCC t2s changes nothing), file paths aside."""
    text = PATHS.sub("", text)
    return TO_SIMPLIFIED(text) == text


# A plan written in Traditional is shown as written (占道 stays 占道, though s2t would write 佔道).
PLAN_CHARACTERS = frozenset("".join(p.read_text("utf-8") for p in (REPO / "plans").glob("*.yaml")))


def traditional(text: str) -> bool:
    """Every character is Traditional as the office writes it, but for the plans' own spellings."""
    text = PATHS.sub("", text)
    converted = TO_TRADITIONAL(text)
    if len(converted) != len(text):
        return converted == text
    return all(a == b or a in PLAN_CHARACTERS for a, b in zip(text, converted, strict=True))


@pytest.fixture
def simplified_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The city plan written in Simplified (unit: 处, 条, 个), with its ledgers."""
    (tmp_path / "plans").mkdir()
    text = (REPO / "plans" / "city.yaml").read_text(encoding="utf-8")
    (tmp_path / "plans" / "city.yaml").write_text(TO_SIMPLIFIED(text), encoding="utf-8")
    shutil.copytree(REPO / "ledgers" / "city", tmp_path / "ledgers" / "city")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- the terminal table ----------------------------------------------------------------------------


def test_the_table_in_simplified_has_simplified_labels_and_plan_text(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "zh-Hans", "progress")
    assert text.startswith("截至 2024-09-15\n")
    lines = text.splitlines()
    assert any(re.match(r"指标 +名称 +范围 +目标 +实际 +完成", line) for line in lines)
    assert "应达进度 70.8%" in text and "牵头：分管副市长" in lines
    assert "● 正常推进" in text and "▲ 滞后" in text and "无量化目标" in text
    # the plan is written in Traditional: its names and units are shown in Simplified
    assert "1.1   拆除违法建设" in text and "≥ 4,000万平方米" in text and "≥ 1,009处" in text
    assert "≥ 100条" in text and "≥ 100个" in text and "约 1.6万处" in text and "2 条记录" in text
    assert not set("萬處條個") & set(text)
    assert simplified(text)
    assert "读取台账记录 762 条：计入 761 条、重复 1 条（只计一次）；更正 1 条" in " ".join(
        text.split("\n\n")[-1].split()
    )


def test_the_table_in_traditional_is_todays_traditional(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "zh-Hant", "progress")
    assert text.startswith("截至 2024-09-15\n")
    assert any(re.match(r"指標 +名稱 +範圍 +目標 +實際 +完成", line) for line in text.splitlines())
    assert "應達進度 70.8%" in text and "牽頭：分管副市長" in text.splitlines()
    assert "▲ 滯後" in text and "≥ 4,000萬平方米" in text and "≥ 1,009處" in text and "2 條記錄" in text
    assert traditional(text)


def test_the_table_in_english_has_english_labels(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "en", "progress")
    assert text.startswith("As of 2024-09-15\n")
    assert any(re.match(r"ID +Name +Scope +Target +Actual +Done", line) for line in text.splitlines())
    assert "Expected pace 70.8%" in text and "Lead: 分管副市長" in text.splitlines()
    assert "● On track" in text and "▲ Behind" in text and "2 records" in text and "≈ 1.6萬處" in text
    assert not re.search(r"指[標标]|狀態|状态|牽頭|牵头|應達|应达|滯後|滞后", text)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_chinese_output_shows_no_english_status_word(cli, in_repo, monkeypatch, lang: str) -> None:
    for args in (["progress"], ["progress", "--format", "md"], ["export"]):
        text = run(cli, monkeypatch, lang, *args)
        for word in (*ENGLISH_STATUS, *ENUMS):
            assert not re.search(rf"\b{word}\b", text), (args, word)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("extra", [[], ["--wide"], ["--ascii"]])
def test_the_table_fits_in_every_language(cli, in_repo, monkeypatch, lang: str, columns: int, extra) -> None:
    text = run(cli, monkeypatch, lang, "progress", *extra, columns=columns)
    lines = text.splitlines()
    assert [line for line in lines if wcswidth(line) > columns] == []
    assert all(line == line.rstrip() for line in lines)  # no trailing padding, task titles too
    if "--ascii" in extra:
        assert not set("─█░…") & set(text)
    if not extra or columns == 120:  # every task a table with one line per target (blocks only where none fits)
        headers = [i for i, line in enumerate(lines) if re.match(r"(ID|指标|指標) ", line)]
        report = json.loads(run(cli, monkeypatch, "en", "progress", "--format", "json"))
        assert len(headers) == sum(len({t["task"] for t in p["targets"]}) for p in report["plans"])
        assert all(re.match(r"\d+ \S", lines[i - 1]) for i in headers)  # each below its task's title


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_every_number_of_the_wide_table_is_whole_at_80(cli, in_repo, monkeypatch, lang: str) -> None:
    wide, narrow = (
        run(cli, monkeypatch, lang, "progress", columns=160),
        run(cli, monkeypatch, lang, "progress", columns=80),
    )
    cells = {m for line in narrow.splitlines() for m in re.split(r"\s{2,}", line)}
    for line in wide.splitlines():
        if re.match(r"\d+\.\d+ ", line):  # a target row
            target, actual = re.split(r"\s{2,}", line)[3:5]
            assert target in cells and actual in cells, line
            status = re.split(r"\s{2,}", line)[-1]
            assert status in cells, line


# --- Markdown: progress --format md and the briefing -----------------------------------------------


def test_the_markdown_progress_in_three_languages(cli, in_repo, monkeypatch) -> None:
    hans = run(cli, monkeypatch, "zh-Hans", "progress", "--format", "md")
    assert hans.startswith("# 进度（截至 2024-09-15）\n") and "应达进度 70.8%" in hans
    assert re.search(r"\| 指标 +\| 范围 +\| 目标 +\| +实际 \| +完成 \| 状态 +\| 牵头 +\| 灯 +\|", hans)
    assert "| ● 绿 " in hans and "1.1 拆除违法建设" in hans and simplified(hans)
    hant = run(cli, monkeypatch, "zh-Hant", "progress", "--format", "md")
    assert "應達進度 70.8%" in hant and "| ● 綠 " in hant and "1.1 拆除違法建設" in hant and traditional(hant)
    en = run(cli, monkeypatch, "en", "progress", "--format", "md")
    assert en.startswith("# Progress as of 2024-09-15\n") and "| ● green " in en and "| Indicator " in en


def test_the_briefing_in_simplified(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "zh-Hans", "export")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 总体情况" and headings[1].startswith("## 一、2024年疏解整治促提升方案（市级）")
    assert headings[-1] == "## 数据质量"
    assert text.startswith("# 疏解整治促提升工作简报（截至2024年9月15日）\n")
    assert "### 滞后与逾期" in text and "### 未完成事项" in text and "### 分项进度" in text
    assert "共 61 项目标，其中已完成 11 项、正常推进 29 项" in text
    assert "计划期 2024年1月1日至2024年12月31日" in text and "需督办 10 项，见「滞后与逾期」。" in text
    assert (
        "读取台账记录 762 条：计入 761 条、重复 1 条（只计一次）；其中更正（负数）1 条，已计入，详见「数据质量」。"
        in text
    )
    assert "### 1 条重复记录" in text and "### 更正记录（1 条）" in text
    assert "≥ 4,000万平方米" in text and "3.2 第一批城乡结合部改造试点乡（朝阳区）尚缺 2 项：豆各庄、常营。" in text
    assert not set("萬處條個") & set(PATHS.sub("", text)) and simplified(text)


def test_the_briefing_in_traditional_and_english(cli, in_repo, monkeypatch) -> None:
    hant = run(cli, monkeypatch, "zh-Hant", "export", "--plan", "city")
    assert hant.startswith("# 2024年疏解整治促提升方案（市級）工作簡報（截至2024年9月15日）\n")
    assert "## 總體情況" in hant and "## 數據質量" in hant and "## 滯後與逾期" in hant and traditional(hant)
    en = run(cli, monkeypatch, "en", "export", "--plan", "city")
    assert en.startswith("# 2024年疏解整治促提升方案（市級）: briefing (as of 15 September 2024)\n")
    assert "## Overview" in en and "## Data quality" in en and "## Behind and overdue" in en


# --- the plan's spelling: shown in the output's script, kept in JSON and plain CSV -------------------


def test_a_simplified_plan_keeps_its_units_in_json_and_csv(cli, simplified_plan, monkeypatch) -> None:
    report = json.loads(run(cli, monkeypatch, "zh-Hant", "progress", "--format", "json"))
    units = {t["unit"] for p in report["plans"] for t in p["targets"]}
    assert {"处", "条", "个"} <= units and not {"處", "條", "個"} & units
    rows = list(csv.DictReader(io.StringIO(run(cli, monkeypatch, "zh-Hant", "export", "--format", "csv"))))
    assert {"处", "条", "个"} <= {r["unit"] for r in rows} and rows[0]["name"] == "拆除违法建设"
    table = run(cli, monkeypatch, "zh-Hant", "progress")  # people's formats: the output's script
    assert "≥ 1,009處" in table and "≥ 4,000萬平方米" in table and "1.1   拆除違法建設" in table


def test_a_traditional_plan_reads_simplified_in_the_views_and_due(cli, in_repo, monkeypatch) -> None:
    area = run(cli, monkeypatch, "zh-Hans", "progress", "--plan", "city", "--by", "area", "--indicator", "1.1")
    assert area.startswith("截至 2024-09-15  按地区\n") and "朝阳区" in area and "目标 ≥ 4,000万平方米" in area
    assert "按贡献排名" in area and simplified(area)
    since = run(cli, monkeypatch, "zh-Hans", "progress", "--plan", "city", "--since", "2024-06-30")
    assert "正常推进 → 已完成（新完成）" in since and "与上期（2024年6月30日）相比：" in since and simplified(since)
    rows = run(cli, monkeypatch, "zh-Hans", "rows", "--plan", "city", "--indicator", "1.2")
    assert "大兴区" in rows and "1 条记录；1.2 合计 1" in rows
    due = run(cli, monkeypatch, "zh-Hans", "due", "--plan", "city")
    assert due.startswith("催报 / 督办（截至 2024-09-15）\n") and "东城区" in due and "未报送" in due
    assert simplified(due)
    chat = run(cli, monkeypatch, "zh-Hans", "due", "--format", "text")
    assert chat.startswith("【催报】截至2024-09-15\n") and "🔵 即将到期（1 项）：0.1 海陵区 5 天后到期" in chat


# --- CSV: machine headers and raw ratios, or for Excel headers and percentages in words ------------


def test_csv_for_excel_speaks_the_chosen_language(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "zh-Hans", "export", "--plan", "city", "--format", "csv", "--excel")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:12] == [
        "方案",
        "任务",
        "指标",
        "名称",
        "范围",
        "单位",
        "计量方式",
        "比较",
        "目标",
        "实际",
        "完成率",
        "序时进度",
    ]
    assert rows[0][12:] == ["状态", "期限", "牵头", "未完成事项", "灯"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["名称"], first["完成率"], first["序时进度"], first["状态"], first["灯"]) == (
        "拆除违法建设",
        "67.9%",
        "70.8%",
        "正常推进",
        "绿",
    )
    assert {r[5] for r in rows[1:]} >= {"处", "条", "个"}  # 處 in the plan, 处 for the clerk
    en = run(cli, monkeypatch, "en", "export", "--plan", "city", "--format", "csv", "--excel")
    header = next(csv.reader(io.StringIO(en.removeprefix("\ufeff"))))
    assert header[:4] == ["Plan", "Task", "Indicator", "Name"] and "Completion" in header


def test_plain_csv_keeps_machine_headers_raw_ratios_and_the_plans_spelling(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "zh-Hans", "export", "--plan", "city", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:4] == ["plan", "task", "indicator", "name"]
    assert (rows[0]["name"], rows[0]["ratio"], rows[0]["status"], rows[0]["comparator"]) == (
        "拆除違法建設",
        "0.679",
        "on_track",
        "at_least",
    )
    assert {r["unit"] for r in rows} >= {"處", "條", "個"}  # as the plan writes them
    assert rows[0]["status_label"] == "正常推进"  # the one column for people follows the language


# --- counts read naturally ---------------------------------------------------------------------------


def _target(**kw) -> TargetRow:  # type: ignore[no-untyped-def]
    base = dict(
        task="1",
        task_title="任務",
        indicator="1.1",
        name="指標",
        scope="北京市",
        unit=None,
        measure="qualitative",
        comparator="at_least",
        value=None,
        value_text=None,
        actual=None,
        ratio=None,
        expected=None,
        status=Status.NO_TARGET,
        deadline=date(2024, 12, 31),
        lead="",
        lead_department=None,
        lead_leader=None,
    )
    base.update(kw)
    return TargetRow(**base)


def test_english_counts_are_singular_and_plural() -> None:
    from shuzheng.render.accounting import footer
    from shuzheng.render.diagnostics import summary
    from shuzheng.render.numbers import actual_text

    set_language("en")
    assert actual_text(_target(rows=1)) == "1 record" and actual_text(_target(rows=2)) == "2 records"
    one = RowCounts(read=3, counted=1, duplicate=1, conflict=1)
    assert footer(Report(date(2024, 9, 15), (), rows=one)).startswith(
        "3 ledger rows read: 1 counted, 1 duplicate (counted once), 1 ref conflict"
    )
    two = RowCounts(read=1, counted=1)
    assert footer(Report(date(2024, 9, 15), (), rows=two)) == "1 ledger row read: 1 counted"
    assert summary([], "1 plan") == "1 plan: 0 errors, 0 warnings"


def test_english_counts_in_the_briefing(cli, in_repo, monkeypatch) -> None:
    text = run(cli, monkeypatch, "en", "export", "--plan", "city")
    assert "### 1 duplicate row\n" in text and "### 1 correction row\n" in text
    assert "1 of them a correction (a negative quantity), counted" in text
    assert not re.search(r"\b1 (duplicate rows|corrections|files|rows|records|targets)\b", text)
    plan = PlanReport("p", "方案", date(2024, 1, 1), date(2024, 12, 31), Decimal("0.5"), (_target(),))
    from shuzheng.render.briefing import counts_sentence

    assert counts_sentence(plan).startswith("1 target: Met 0, On track 0")


def test_simplified_counts() -> None:
    from shuzheng.render.accounting import footer
    from shuzheng.render.numbers import actual_text

    set_language("zh-Hans")
    assert footer(Report(date(2024, 9, 15), (), rows=RowCounts(read=2, counted=1, duplicate=1))) == (
        "读取台账记录 2 条：计入 1 条、重复 1 条（只计一次）；`shuzheng check` 逐条列出其文件:行号和原因"
    )
    assert actual_text(_target(rows=1)) == "1 条记录" and actual_text(_target()) == "无记录"
