"""`check` findings in the reader's language: a bad date, an unknown area with its hint, a repeated
編號 and a plan slip read in Chinese under zh-Hans (zh-Hant derived), and as before in English.

The Chinese assertions need the catalogues built from the translations
(`python3 scripts/make_catalogues.py`); the names from the plan stay as the plan writes them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from shuzheng.core.checks import check_plan
from shuzheng.core.dates import parse_as_of, parse_date
from shuzheng.core.findings import Finding, Location, ParseError, listing
from shuzheng.core.i18n import set_language
from shuzheng.core.report import Status
from shuzheng.core.rules import LedgerRules
from shuzheng.core.selection import parse_statuses
from shuzheng.core.tally import Claim, RefRegistry
from shuzheng.read.plan import plan_from_text

PLAN = """\
id: t
title: 測試方案
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: 朝陽區
  children:
    - name: 望京街道
    - name: 酒仙橋街道
organisation:
  departments:
    - {name: 城管執法局, head: 局長}
tasks:
  - id: "1"
    title: 拆違
    lead: {department: 城管局}
    indicators:
      - id: "1.1"
        name: 拆除違法建設
        unit: 平方米
        measure: sum
        targets:
          - {scope: 朝陽區, value: 1000}
"""
WHERE = Location("ledgers/t/a.csv", 5, 1)


@pytest.fixture
def zh() -> Iterator[None]:
    set_language("zh-Hans")
    yield
    set_language("en")


def compiled():  # noqa: ANN201 - (CompiledPlan, findings)
    plan, problems = plan_from_text(PLAN, "plans/t.yaml")
    assert plan is not None, problems
    return check_plan(plan)


def row_error(fields: dict[str, str]) -> str:
    ctx, _found = compiled()
    rules = LedgerRules(ctx.plan, ctx.tree, ctx.targets)
    with pytest.raises(ParseError) as caught:
        rules.row(fields, WHERE)
    return caught.value.message


ROW = {"date": "2024-03-05", "indicator": "1.1", "area": "望京街道", "quantity": "100"}


def duplicate() -> Finding:
    registry = RefRegistry({}, "t")
    for line in (4, 9):
        registry.claim(
            Claim("1.1", "a3", date(2024, 3, 5), 0, line, Location("ledgers/t/a.csv", line), "A3", "1.1", ("same",))
        )
    (found,) = registry.resolve().findings
    return found


def test_a_bad_date_in_chinese(zh: None) -> None:
    message = row_error({**ROW, "date": "2024年2月30日"})
    assert message == "日期：日期不存在：'2024年2月30日'"
    finding = Finding("invalid-date", message, WHERE)
    assert str(finding) == "ledgers/t/a.csv:5:1: 错误: 日期：日期不存在：'2024年2月30日' [invalid-date]"
    with pytest.raises(ParseError, match="不是日期：'三月'"):
        parse_date("三月")


def test_an_unknown_area_with_its_hint_in_chinese(zh: None) -> None:
    assert row_error({**ROW, "area": "望京街"}) == "地区：未知地区'望京街'；是否指望京街道？"


def test_a_repeated_ref_in_chinese(zh: None) -> None:
    found = duplicate()
    assert found.message == "1.1 的编号'A3'已在第 4 行计入；本行不再重复计入"
    assert str(found).startswith("ledgers/t/a.csv:9: 警告: ")


def test_a_plan_slip_in_chinese(zh: None) -> None:
    _ctx, found = compiled()
    assert [str(f) for f in found] == [
        "plans/t.yaml:15:24: 警告: 牵头单位'城管局'不在 organisation.departments 之列；是否指城管執法局？"
        " [unknown-department]"
    ]


def test_traditional_is_derived(zh: None) -> None:
    set_language("zh-Hant")
    assert row_error({**ROW, "quantity": "nan"}).startswith("數量：不是數字：'nan'")
    assert str(duplicate()).startswith("ledgers/t/a.csv:9: 警告: 1.1 的編號'A3'已在第 4 行計入")


def test_the_same_findings_in_english() -> None:
    assert row_error({**ROW, "date": "2024年2月30日"}) == "date: no such date: '2024年2月30日'"
    assert row_error({**ROW, "area": "望京街"}) == "area: unknown area '望京街'; did you mean 望京街道?"
    assert duplicate().message == "編號 'A3' of 1.1 was already counted at line 4; this row is not counted again"
    _ctx, found = compiled()
    assert [f.message for f in found] == [
        "lead department '城管局' is not among organisation.departments; did you mean 城管執法局?"
    ]


def test_lists_join_as_the_language_does(zh: None) -> None:
    assert listing(["東城區", "西城區"]) == "東城區、西城區"
    assert listing(["a", "b", "c", "d"], 2) == "a、b等（另有 2 个）"
    set_language("en")
    assert listing(["東城區", "西城區"]) == "東城區, 西城區"
    assert listing(["a", "b", "c", "d"], 2) == "a, b and 2 more"


def test_status_labels_follow_the_language_and_chinese_is_read_in_any(zh: None) -> None:
    assert Status.BEHIND.label == "滞后"
    set_language("zh-Hant")
    assert Status.BEHIND.label == "滯後"
    set_language("en")
    assert Status.BEHIND.label == "Behind"
    assert parse_statuses(["滯後", "滞后", "on track", "no_data"]) == {Status.BEHIND, Status.ON_TRACK, Status.NO_DATA}


def test_no_such_date_stops_as_of_in_any_language(zh: None) -> None:
    """--as-of tells a date that does not exist from a month by its kind, not by its English words."""
    with pytest.raises(ParseError, match="日期不存在"):
        parse_as_of("2024-02-30", date(2024, 6, 1))
    assert parse_as_of("2024年6月", date(2024, 6, 1)) == date(2024, 6, 30)
