"""Plan fields beyond the targets themselves: the plan's `due`, baselines, item areas and deadlines,
`lights` and `reporting`; and what the shipped plans say with them (huairou's due, city 8.3's items)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from shuzheng.core.checks import check_plan
from shuzheng.core.compiled import CompiledPlan
from shuzheng.core.findings import Finding
from shuzheng.core.targets import ResolvedBaseline, ResolvedTarget
from shuzheng.read.plan import plan_from_text, read_plan

BASE = """\
id: t
title: 測試方案
period: {start: 2024-02-11, end: 2025-01-20}
areas:
  name: 懷柔區
  children:
    - name: 泉河街道
    - name: 龍山街道
tasks:
  - id: "1"
    title: 拆違
    indicators:
      - id: "1.1"
        name: 拆除違法建設
        unit: 平方米
        measure: sum
        targets:
          - {scope: 懷柔區, value: 1000}
      - id: "1.2"
        name: 違法建設存量
        unit: 平方米
        measure: latest
        targets:
          - {scope: 懷柔區, value: 0, comparator: at_most}
      - id: "1.3"
        name: 重點項目
        unit: 個
        measure: milestone
        items:
          - {name: 甲項目, area: 泉河街道}
          - {name: 乙項目, deadline: 2024-06-30}
          - 丙項目
        targets:
          - {scope: 懷柔區, deadline: 2024-10-31}
          - {scope: 泉河街道}
"""


def edited(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def compiled(text: str) -> tuple[CompiledPlan, list[Finding]]:
    plan, problems = plan_from_text(text, "plan.yaml")
    assert plan is not None, [str(p) for p in problems]
    return check_plan(plan)


def target(ctx: CompiledPlan, indicator: str, scope: str) -> ResolvedTarget:
    return next(t for t in ctx.targets if t.indicator.id == indicator and t.scope.label == scope)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_base_plan_is_clean() -> None:
    assert compiled(BASE)[1] == []


# --- deadlines: own, else the indicator's, else the plan's due, else the period end --------------


def test_without_due_a_target_is_due_at_the_period_end() -> None:
    ctx, _ = compiled(BASE)
    assert target(ctx, "1.1", "懷柔區").deadline == date(2025, 1, 20)


def test_the_plans_due_comes_before_the_period_end() -> None:
    ctx, found = compiled(
        edited(
            "period: {start: 2024-02-11, end: 2025-01-20}\n",
            "period: {start: 2024-02-11, end: 2025-01-20}\ndue: 2024-12-31\n",
        )
    )
    assert found == []
    assert target(ctx, "1.1", "懷柔區").deadline == date(2024, 12, 31)
    assert target(ctx, "1.3", "懷柔區").deadline == date(2024, 10, 31)  # its own still wins


def test_the_indicators_deadline_comes_before_the_plans_due() -> None:
    text = edited(
        "period: {start: 2024-02-11, end: 2025-01-20}\n",
        "period: {start: 2024-02-11, end: 2025-01-20}\ndue: 2024-12-31\n",
    )
    text = edited("        measure: sum\n", "        measure: sum\n        deadline: 2024-09-30\n", text)
    ctx, _ = compiled(text)
    assert target(ctx, "1.1", "懷柔區").deadline == date(2024, 9, 30)


def test_a_due_date_before_the_period_is_an_error_at_it() -> None:
    text = edited(
        "period: {start: 2024-02-11, end: 2025-01-20}\n",
        "period: {start: 2024-02-11, end: 2025-01-20}\ndue: 2023-12-31\n",
    )
    _, found = compiled(text)
    assert [(f.code, f.where.line if f.where else None) for f in found] == [("out-of-period", line_of(text, "due:"))]


def test_item_deadlines_are_exposed_on_the_target() -> None:
    """An item's own deadline, else the target's: what the reconciler needs for `overdue`."""
    ctx, _ = compiled(BASE)
    whole = target(ctx, "1.3", "懷柔區")
    assert whole.item_deadlines == {
        "甲項目": date(2024, 10, 31),
        "乙項目": date(2024, 6, 30),
        "丙項目": date(2024, 10, 31),
    }
    part = target(ctx, "1.3", "泉河街道")  # 甲項目 declares 泉河街道; the others have no area
    assert part.item_deadlines == {
        "甲項目": date(2025, 1, 20),
        "乙項目": date(2024, 6, 30),
        "丙項目": date(2025, 1, 20),
    }


def test_an_item_area_must_resolve() -> None:
    text = edited("{name: 甲項目, area: 泉河街道}", "{name: 甲項目, area: 泉水街道}")
    _, found = compiled(text)
    assert [(f.code, f.where.line if f.where else None) for f in found] == [("unknown-area", line_of(text, "泉水街道"))]
    assert "did you mean 泉河街道?" in found[0].message


def test_an_item_area_narrows_the_items_of_a_target() -> None:
    text = edited("{name: 甲項目, area: 泉河街道}", "{name: 甲項目, area: 龍山街道}")
    ctx, _ = compiled(text)
    assert [item.name for item in target(ctx, "1.3", "泉河街道").items] == ["乙項目", "丙項目"]
    assert [item.name for item in target(ctx, "1.3", "懷柔區").items] == ["甲項目", "乙項目", "丙項目"]


# --- baselines -----------------------------------------------------------------------------

STOCK = "          - {scope: 懷柔區, value: 0, comparator: at_most}\n"


def with_baseline(baseline: str) -> str:
    return edited(STOCK, f"          - {{scope: 懷柔區, value: 0, comparator: at_most, baseline: {baseline}}}\n")


@pytest.mark.parametrize(
    ("baseline", "value", "day"),
    [
        ("{value: 86.5萬, date: 2024-01-15}", Decimal(865000), date(2024, 1, 15)),  # before the period: allowed
        ("{value: 865000平方米, date: 2024-03-01}", Decimal(865000), date(2024, 3, 1)),
        ("{value: 12000, date: 2025-01-20}", Decimal(12000), date(2025, 1, 20)),  # the last day
    ],
)
def test_a_stock_takes_a_baseline_in_its_unit(baseline: str, value: Decimal, day: date) -> None:
    ctx, found = compiled(with_baseline(baseline))
    assert found == []
    assert target(ctx, "1.2", "懷柔區").baseline == ResolvedBaseline(value, day)


def test_a_target_without_baseline_has_none() -> None:
    assert target(compiled(BASE)[0], "1.2", "懷柔區").baseline is None


@pytest.mark.parametrize(
    ("baseline", "code", "key", "words"),
    [
        ("{value: 86.5萬個, date: 2024-01-15}", "unit-mismatch", "value", "cannot be converted"),
        ("{value: 20xx, date: 2024-01-15}", "invalid-number", "value", "needs a value"),
        ("{value: 1000, date: 2025-02-01}", "out-of-period", "date", "after the period ends"),
    ],
)
def test_a_baseline_that_cannot_be_used_is_an_error_at_it(baseline: str, code: str, key: str, words: str) -> None:
    text = with_baseline(baseline)
    ctx, found = compiled(text)
    assert [f.code for f in found] == [code]
    assert words in found[0].message
    line = text.splitlines()[found[0].where.line - 1] if found[0].where else ""
    assert found[0].where is not None and line[found[0].where.col - 1 :].startswith(baseline.split(f"{key}: ")[1][:4])
    assert target(ctx, "1.2", "懷柔區").baseline is None  # the target itself still counts


def test_a_baseline_on_a_sum_is_an_error() -> None:
    text = edited(
        "          - {scope: 懷柔區, value: 1000}\n",
        "          - {scope: 懷柔區, value: 1000, baseline: {value: 10, date: 2024-03-01}}\n",
    )
    _, found = compiled(text)
    assert [(f.code, f.where.line if f.where else None) for f in found] == [("schema", line_of(text, "baseline"))]
    assert "only a latest (stock) target takes a baseline" in found[0].message


def test_a_baseline_needs_both_keys() -> None:
    plan, problems = plan_from_text(with_baseline("{value: 1000}"), "plan.yaml")
    assert plan is None
    assert [p.code for p in problems] == ["missing-key"]
    assert "'date'" in problems[0].message


# --- lights and reporting ------------------------------------------------------------------


def test_lights_default_to_ten_and_thirty_percent() -> None:
    ctx, _ = compiled(BASE)
    assert (ctx.plan.lights.yellow, ctx.plan.lights.red) == (Decimal("0.10"), Decimal("0.30"))


def test_lights_may_be_set() -> None:
    ctx, found = compiled(BASE + "lights: {yellow: 0.05, red: 0.2}\n")
    assert found == []
    assert (ctx.plan.lights.yellow, ctx.plan.lights.red) == (Decimal("0.05"), Decimal("0.2"))


@pytest.mark.parametrize(
    ("lights", "code"),
    [("{yellow: 0.4, red: 0.2}", "schema"), ("{yellow: 1.5}", "schema"), ("{green: 0.1}", "unknown-key")],
)
def test_bad_lights_are_errors(lights: str, code: str) -> None:
    plan, problems = plan_from_text(BASE + f"lights: {lights}\n", "plan.yaml")
    found = problems if plan is None else check_plan(plan)[1]
    assert [f.code for f in found] == [code]


def test_reporting_is_read() -> None:
    text = BASE + "reporting: {cadence: monthly, due_day: 25, units: [泉河街道, 龍山街道]}\n"
    ctx, found = compiled(text)
    assert found == []
    reporting = ctx.plan.reporting
    assert reporting is not None
    assert (reporting.cadence, reporting.due_day, reporting.units) == ("monthly", 25, ["泉河街道", "龍山街道"])
    assert compiled(BASE)[0].plan.reporting is None


@pytest.mark.parametrize(
    ("reporting", "code"),
    [
        ("{cadence: fortnightly}", "schema"),
        ("{cadence: weekly, due_day: 9}", "schema"),
        ("{cadence: daily, due_day: 1}", "schema"),
        ("{cadence: monthly, due_day: 32}", "schema"),
        ("{due_day: 5}", "missing-key"),
    ],
)
def test_bad_reporting_is_an_error(reporting: str, code: str) -> None:
    plan, problems = plan_from_text(BASE + f"reporting: {reporting}\n", "plan.yaml")
    found = problems if plan is None else check_plan(plan)[1]
    assert [f.code for f in found] == [code]
    assert found[0].where is not None and found[0].where.line == BASE.count("\n") + 1


# --- the shipped plans ---------------------------------------------------------------------


PLANS = Path(__file__).resolve().parent.parent / "plans"


@pytest.fixture(scope="module")
def shipped() -> dict[str, CompiledPlan]:
    found = {}
    for plan_id in ("city", "huairou"):
        plan, problems = read_plan(PLANS / f"{plan_id}.yaml")
        assert plan is not None, problems
        found[plan_id] = check_plan(plan)[0]
    return found


def test_huairou_is_due_at_the_end_of_2024_as_its_source_says(shipped: dict[str, CompiledPlan]) -> None:
    huairou = shipped["huairou"]
    assert huairou.plan.due == date(2024, 12, 31)
    assert huairou.plan.period.end == date(2025, 1, 20)  # 考核收尾 still ends the period
    assert {t.deadline for t in huairou.targets if t.target.deadline is None and t.indicator.deadline is None} == {
        date(2024, 12, 31)
    }
    text = (PLANS / "huairou.yaml").read_text("utf-8")
    due = line_of(text, "due: 2024-12-31")
    assert "確保20xx年12月底前完成全年工作任務" in text.splitlines()[due - 2]


def test_city_8_3_lists_the_stomatological_hospital(shipped: dict[str, CompiledPlan]) -> None:
    whole = target(shipped["city"], "8.3", "北京市")
    assert [(i.name, i.milestone) for i in whole.items][-1] == ("口腔醫院遷建項目", "選址、立項")
    assert whole.value == Decimal(3)  # a milestone target without value: every item


def test_the_example_in_plan_format_follows_the_schema() -> None:
    """docs/plan-format.md shows every key; its example must load (its scopes need not all resolve)."""
    doc = (PLANS.parent / "docs" / "plan-format.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    plan, problems = plan_from_text(example, "plan-format.md")
    assert plan is not None, [str(p) for p in problems]
    assert plan.due == date(2024, 12, 31)
    assert plan.reporting is not None and plan.reporting.cadence == "monthly"
    ctx = check_plan(plan)[0]
    assert target(ctx, "1.4", "城市副中心").baseline == ResolvedBaseline(Decimal(865000), date(2024, 1, 31))
