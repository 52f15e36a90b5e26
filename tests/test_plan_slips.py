"""Chinese keyboard slips in plan files: a full-width colon or comma where YAML needs the ASCII
one, and a lead department the plan does not list. Each is a finding at its line, not a silent
misreading (`id：chaoyang` as text, `[甲，乙]` as one item) or a syntax error lines further down."""

from __future__ import annotations

import pytest

from shuzheng.core.checks import check_plan
from shuzheng.read.plan import plan_from_text

BASE = """\
id: t
title: 測試方案
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: 朝陽區
  children:
    - name: 望京街道
      children:
        - name: 望京西园三区
        - name: 酒仙桥十街坊
    - name: 酒仙橋街道
organisation:
  departments:
    - {name: 城管執法局, head: 局長}
    - {name: 住建委}
tasks:
  - id: "1"
    title: 拆違
    lead: {department: 城管執法局}
    indicators:
      - id: "1.1"
        name: 老舊小區整治
        unit: 個
        measure: distinct
        items: [望京西园三区, 酒仙桥十街坊]
        targets:
          - {scope: 朝陽區, value: 2}
"""


def edited(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_col(text: str, fragment: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return n, line.index(fragment) + 1
    raise AssertionError(fragment)


def findings(text: str) -> list[str]:
    plan, problems = plan_from_text(text, "plan.yaml")
    if plan is None:
        return [str(p) for p in problems]
    return [str(f) for f in check_plan(plan)[1]]


def test_the_base_plan_is_clean() -> None:
    assert findings(BASE) == []


# --- full-width colon ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("id: t\n", "id：t\n", "id"),  # top level: the plan would lose its id
        ("    - name: 酒仙橋街道\n", "    - name：酒仙橋街道\n", "name"),  # in a list: a syntax error lines later
        ('      - id: "1.1"\n', '      - id："1.1"\n', "id"),
        ("        unit: 個\n", "        unit ：個\n", "unit"),  # a space before it
        ("{scope: 朝陽區, value: 2}", "{scope：朝陽區, value: 2}", "scope"),  # inside {…}
        ("{name: 住建委}", "{name: 住建委, head：主任}", "head"),  # after a comma in {…}
    ],
    ids=["top", "list-item", "quoted-value", "space-before", "flow-first", "flow-after-comma"],
)
def test_a_full_width_colon_is_an_error_at_it(old: str, new: str, key: str) -> None:
    text = edited(old, new)
    line, col = line_col(text, "：")
    assert findings(text) == [
        f"plan.yaml:{line}:{col}: error: full-width colon '：' after {key!r}; write an ASCII colon and a space:"
        f" '{key}: ' [yaml-full-width-colon]"
    ]


def test_a_full_width_colon_in_text_is_text() -> None:
    """Prose uses full-width colons: in a value, a comment or after a word that is no key."""
    text = edited("title: 測試方案\n", "title: 測試方案：第一批\n# 說明：見附件\nnote: 來源：市政府；PM：待定\n")
    assert findings(text) == []


def test_every_slip_is_reported_not_only_the_first() -> None:
    text = edited("id: t\n", "id：t\n")
    text = edited("        unit: 個\n", "        unit：個\n", text)
    assert [f.split(": error: ")[0] for f in findings(text)] == [
        "plan.yaml:{}:{}".format(*line_col(text, "id：")[:1], 3),
        "plan.yaml:{}:{}".format(line_col(text, "unit：")[0], 13),
    ]


# --- full-width comma in a [...] list ------------------------------------------------------


def test_a_full_width_comma_in_a_list_is_an_error_naming_the_item() -> None:
    text = edited("items: [望京西园三区, 酒仙桥十街坊]", "items: [望京西园三区，酒仙桥十街坊]")
    line, col = line_col(text, "，")
    assert findings(text) == [
        f"plan.yaml:{line}:{col}: error: list item '望京西园三区，酒仙桥十街坊' holds a full-width comma '，':"
        " separate the items 望京西园三区、酒仙桥十街坊 with an ASCII comma, or quote the item if the comma"
        " belongs to it [yaml-full-width-comma]"
    ]


def test_a_full_width_comma_in_a_group_list_too() -> None:
    text = edited(
        "organisation:\n",
        "groups:\n  - {name: 望京, members: [望京西园三区，酒仙桥十街坊, 酒仙橋街道]}\norganisation:\n",
    )
    found = findings(text)
    assert len(found) == 1 and found[0].endswith("[yaml-full-width-comma]")
    assert found[0].startswith(f"plan.yaml:{line_col(text, '，')[0]}:{line_col(text, '，')[1]}: error: ")


def test_a_quoted_item_may_hold_a_full_width_comma() -> None:
    """Quoting says the comma belongs to the name; and prose in a {…} value keeps its commas."""
    text = edited(
        "items: [望京西园三区, 酒仙桥十街坊]",
        'items: [望京西园三区, 酒仙桥十街坊, "甲，乙"]',
    )
    text = edited("{name: 住建委}", "{name: 住建委, duties: 負責拆違，按月報送}", text)
    assert findings(text) == []


# --- lead departments ----------------------------------------------------------------------


def test_a_lead_department_the_plan_does_not_list_is_a_warning() -> None:
    text = edited("lead: {department: 城管執法局}", "lead: {department: 城管局}")
    line, col = line_col(text, "城管局")
    assert findings(text) == [
        f"plan.yaml:{line}:{col}: warning: lead department '城管局' is not among organisation.departments;"
        " did you mean 城管執法局? [unknown-department]"
    ]


def test_the_default_lead_is_checked_too_and_spellings_fold() -> None:
    text = edited("organisation:\n", "organisation:\n  lead: {department: 住房委}\n")
    text = edited("lead: {department: 城管執法局}", "lead: {department: 城管执法局}", text)  # Simplified: fine
    found = findings(text)
    assert len(found) == 1
    assert found[0].startswith(f"plan.yaml:{line_col(text, '住房委')[0]}:")
    assert "'住房委'" in found[0] and found[0].endswith("[unknown-department]")


def test_a_plan_that_lists_no_departments_has_nothing_to_check_leads_against() -> None:
    text = edited("  departments:\n    - {name: 城管執法局, head: 局長}\n    - {name: 住建委}\n", "  departments: []\n")
    assert findings(text) == []
