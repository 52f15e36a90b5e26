"""Plans whose structure could loop or mislead: `check` names each fault at its node, never hangs.

Each case is a small plan with one fault: an area inside itself, groups in any order and in a
circle, ids that fold to one key, components in a circle, an empty scope. The tree built from a
faulty plan is still a tree (tests/test_plan_structure.py::test_the_tree_has_no_cycle_whatever_the_file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shuzheng
from shuzheng.core.areas import AreaTree
from shuzheng.core.checks import check_plan
from shuzheng.core.compiled import CompiledPlan
from shuzheng.core.findings import Finding
from shuzheng.core.model import Area, Plan
from shuzheng.read.plan import plan_from_text

BASE = """\
id: t
title: 測試方案
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: 北京市
  children:
    - name: 東城區
    - name: 朝陽區
      children:
        - name: 望京街道
    - name: 海淀區
groups:
  - {name: 城區, members: [東城區, 朝陽區]}
tasks:
  - id: "1"
    title: 拆除違法建設
    indicators:
      - id: "1.1"
        name: 拆除違法建設
        unit: 平方米
        measure: sum
        targets:
          - {scope: 北京市, value: 1000}
          - {scope: 城區, value: 500}
      - id: "1.2"
        name: 拆除違法建設（城區）
        unit: 平方米
        measure: sum
        targets:
          - {scope: 北京市, value: 1000}
"""


def edited(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """Run `work`, failing (not hanging) if it has not returned after `seconds`."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    started = time.perf_counter()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds}s: it loops"
    assert result, "it raised"
    assert time.perf_counter() - started < seconds
    return result[0]


def checked(text: str, seconds: float = 1.0) -> tuple[CompiledPlan, list[Finding]]:
    plan, problems = plan_from_text(text, "plan.yaml")
    assert plan is not None, [str(p) for p in problems]
    return within(seconds, lambda: check_plan(plan))


def errors(found: list[Finding]) -> list[str]:
    return [str(f) for f in found if f.is_error]


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    """The 1-based line of the nth line containing fragment."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return hits[nth - 1]


def test_the_base_plan_is_clean() -> None:
    _, found = checked(BASE)
    assert found == []


# --- areas ---------------------------------------------------------------------------------

SELF_CHILD = edited("    - name: 海淀區\n", "    - name: 海淀區\n      children:\n        - name: 海淀區\n")
ROOT_AGAIN = edited("    - name: 東城區\n", "    - name: 東城區\n    - name: 北京市\n")
DEEP_AGAIN = edited("        - name: 望京街道\n", "        - name: 望京街道\n          children: [{name: 朝阳区}]\n")


@pytest.mark.parametrize(
    ("text", "line", "col", "name"),
    [
        (SELF_CHILD, line_of(SELF_CHILD, "海淀區", 2), 17, "海淀區"),
        (ROOT_AGAIN, line_of(ROOT_AGAIN, "北京市", 2), 13, "北京市"),
        (DEEP_AGAIN, line_of(DEEP_AGAIN, "朝阳区"), 29, "朝阳区"),  # by its fold: 朝阳区 is 朝陽區
    ],
    ids=["own-child", "root-among-children", "grandchild-simplified"],
)
def test_an_area_inside_itself_is_an_error_at_the_repeat(text: str, line: int, col: int, name: str) -> None:
    _, found = checked(text)
    assert errors(found) == [
        f"plan.yaml:{line}:{col}: error: area {name!r} is inside itself (first at line "
        f"{line_of(text, name[:1] + ('陽區' if name == '朝阳区' else name[1:]))}); an area appears once in the tree"
        " [area-cycle]"
    ]


def test_an_area_inside_itself_keeps_the_tree_finite() -> None:
    """The repeat stands for the first area; what is written under it hangs under that one."""
    text = edited(
        "        - name: 海淀區\n", "        - name: 海淀區\n          children: [{name: 中關村}]\n", SELF_CHILD
    )
    ctx, found = checked(text)
    assert [f.code for f in found] == ["area-cycle"]
    assert ctx.tree.below("海淀區") == {"海淀區", "中關村"}
    assert ctx.tree.parent["中關村"] == "海淀區"
    assert ctx.tree.below("北京市") == {"北京市", "東城區", "朝陽區", "望京街道", "海淀區", "中關村"}


def test_an_area_repeated_elsewhere_is_a_duplicate_not_a_cycle() -> None:
    text = edited("    - name: 海淀區\n", "    - name: 海淀區\n      children: [{name: 望京街道}]\n")
    _, found = checked(text)
    assert [(f.code, f.where.line if f.where else None) for f in found] == [
        ("duplicate-id", line_of(text, "望京街道", 2))
    ]


@pytest.mark.parametrize("text", [SELF_CHILD, ROOT_AGAIN], ids=["own-child", "root-among-children"])
def test_check_returns_on_an_area_cycle(text: str, tmp_path: Path) -> None:
    """The command a clerk runs: exit 1 with the finding, in well under the time it used to loop."""
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    # this tree's package, whatever the working folder (a relative PYTHONPATH would not follow)
    env = {**os.environ, "PYTHONPATH": str(Path(shuzheng.__file__).resolve().parents[1])}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "shuzheng", "check", str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.perf_counter() - started < 30  # a second or two; it used to loop forever
    assert result.returncode == 1
    assert "[area-cycle]" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- groups --------------------------------------------------------------------------------

LATER_GROUP = edited(
    "  - {name: 城區, members: [東城區, 朝陽區]}\n",
    "  - {name: 中心, members: [城區, 海淀區]}\n  - {name: 城區, members: [東城區, 朝陽區]}\n",
)


def test_a_group_may_name_a_group_defined_later() -> None:
    ctx, found = checked(LATER_GROUP)
    assert found == []
    assert ctx.tree.groups["中心"] == {"東城區", "朝陽區", "望京街道", "海淀區"}


def test_group_order_does_not_change_what_a_group_covers() -> None:
    swapped = edited(
        "  - {name: 中心, members: [城區, 海淀區]}\n  - {name: 城區, members: [東城區, 朝陽區]}\n",
        "  - {name: 城區, members: [東城區, 朝陽區]}\n  - {name: 中心, members: [城區, 海淀區]}\n",
        LATER_GROUP,
    )
    first, second = checked(LATER_GROUP)[0].tree.groups, checked(swapped)[0].tree.groups
    assert first == second


def test_a_chain_of_groups_in_reverse_order_resolves_without_recursion() -> None:
    """5,000 groups, each naming the next one down: no RecursionError, no quadratic walk
    (about 0.3 s here; the bound is generous for a busy machine)."""
    chain = "".join(f"  - {{name: 組{n}, members: [組{n + 1}]}}\n" for n in range(5000))
    text = edited("groups:\n", "groups:\n" + chain + "  - {name: 組5000, members: [海淀區]}\n")
    ctx, found = checked(text, seconds=10.0)
    assert found == []
    assert ctx.tree.groups["組0"] == {"海淀區"}


@pytest.mark.parametrize(
    ("groups", "complaints"),
    [
        ("  - {name: 城區, members: [城區]}\n", [("城區", "城區", 1)]),
        (
            "  - {name: 甲, members: [乙, 東城區]}\n  - {name: 乙, members: [丙]}\n  - {name: 丙, members: [甲]}\n",
            [("丙", "甲", 3)],
        ),
    ],
    ids=["itself", "three-in-a-circle"],
)
def test_a_group_cycle_is_an_error_at_the_member_that_closes_it(
    groups: str, complaints: list[tuple[str, str, int]]
) -> None:
    text = edited("  - {name: 城區, members: [東城區, 朝陽區]}\n", groups)
    if "甲" in groups:
        text = edited("{scope: 城區, value: 500}", "{scope: 甲, value: 500}", text)
    ctx, found = checked(text)
    first_group = line_of(text, "  - {name: ")
    assert [(f.code, f.where.line if f.where else None) for f in found] == [
        ("group-cycle", first_group + index - 1) for _, _, index in complaints
    ]
    assert all("would contain itself through its member" in f.message for f in found)
    if "甲" in groups:  # what the circle covers is still what its members name
        assert ctx.tree.groups["甲"] == {"東城區"}


# --- ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize("second", ['"1.1."', '"１.１"', '"1.1 "', "１．１"])
def test_indicator_ids_that_fold_to_one_key_are_duplicates(second: str) -> None:
    text = edited('      - id: "1.2"\n', f"      - id: {second}\n")
    _, found = checked(text)
    at = line_of(text, f"id: {second}")
    assert [(f.code, f.where.line if f.where else None) for f in found] == [("duplicate-id", at)]
    assert "(first at line " + str(line_of(text, 'id: "1.1"')) + ")" in found[0].message


def test_task_ids_with_a_trailing_dot_are_duplicates() -> None:
    text = BASE + '  - id: "1."\n    title: 又一個\n'
    _, found = checked(text)
    assert [f.code for f in found] == ["duplicate-id"]


# --- components ----------------------------------------------------------------------------


def test_a_component_cycle_is_an_error() -> None:
    text = edited(
        "        measure: sum\n        targets:\n          - {scope: 北京市, value: 1000}\n          - {scope: 城區",
        '        measure: sum\n        components: ["1.2"]\n        targets:\n'
        "          - {scope: 北京市, value: 1000}\n          - {scope: 城區",
    )
    text = edited(
        "        name: 拆除違法建設（城區）\n        unit: 平方米\n        measure: sum\n",
        '        name: 拆除違法建設（城區）\n        unit: 平方米\n        measure: sum\n        components: ["1.1"]\n',
        text,
    )
    _, found = checked(text)
    cycles = [f for f in found if f.code == "component-cycle"]
    assert len(cycles) == 1
    assert cycles[0].where is not None and cycles[0].where.line == line_of(text, 'components: ["1.1"]')
    assert "(1.1 → 1.2 → 1.1)" in cycles[0].message


def test_a_longer_component_cycle_is_reported_once() -> None:
    indicators = "".join(
        f'      - id: "2.{n}"\n        name: 指標{n}\n        unit: 個\n        measure: sum\n'
        f'        components: ["2.{n % 4 + 1}"]\n        targets:\n          - {{scope: 北京市}}\n'
        for n in range(1, 5)
    )
    text = BASE + '  - id: "2"\n    title: 環\n    indicators:\n' + indicators
    _, found = checked(text)
    assert [f.code for f in found] == ["component-cycle"]
    assert "2.1 → 2.2 → 2.3 → 2.4 → 2.1" in found[0].message


# --- scopes --------------------------------------------------------------------------------


def test_an_empty_scope_is_an_error_at_the_scope() -> None:
    text = edited("{scope: 城區, value: 500}", "{scope: [], value: 500}")
    plan, problems = plan_from_text(text, "plan.yaml")
    assert plan is None
    at = line_of(text, "scope: []")
    assert [(p.code, p.where.line if p.where else None) for p in problems] == [("schema", at)]
    assert problems[0].where is not None and problems[0].where.col == text.splitlines()[at - 1].index("[]") + 1


# --- the tree is a tree, whatever the file -------------------------------------------------

NAMES = ["甲", "乙", "丙", "丁", "甲區", "乙区"]


def areas(depth: int) -> st.SearchStrategy[dict]:
    leaf = st.fixed_dictionaries({"name": st.sampled_from(NAMES)})
    if depth == 0:
        return leaf
    return (
        st.fixed_dictionaries({"name": st.sampled_from(NAMES), "children": st.lists(areas(depth - 1), max_size=3)})
        | leaf
    )


@settings(max_examples=150, deadline=None)
@given(areas(4), st.lists(st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), min_size=1)), max_size=4))
def test_the_tree_has_no_cycle_whatever_the_file(root: dict, groups: list[tuple[str, list[str]]]) -> None:
    plan = Plan.model_validate(
        {
            "id": "p",
            "title": "t",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
            "areas": Area.model_validate(root).model_dump(),
            "groups": [{"name": name, "members": members} for name, members in groups],
            "tasks": [{"id": "1", "title": "t"}],
        }
    )
    tree = within(1.0, lambda: AreaTree.of(plan))
    for name in tree.parent:  # following parents always reaches the root
        seen = set()
        while name is not None:
            assert name not in seen
            seen.add(name)
            name = tree.parent[name]
        assert tree.root in seen
    for name in tree.names():
        assert within(1.0, lambda n=name: tree.below(n)) is not None
    within(1.0, lambda: check_plan(plan))


# --- time ----------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", ["city", "hailing", "huairou"])
def test_check_of_a_shipped_plan_takes_well_under_a_second(plan_id: str, repo_root: Path) -> None:
    text = (repo_root / "plans" / f"{plan_id}.yaml").read_text("utf-8")
    plan, problems = plan_from_text(text, f"plans/{plan_id}.yaml")
    assert plan is not None, problems
    started = time.perf_counter()
    _, found = check_plan(plan)
    assert time.perf_counter() - started < 0.5
    assert not [f for f in found if f.is_error]
