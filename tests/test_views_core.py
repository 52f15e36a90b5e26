"""The views' arithmetic, by hand: forecast and required rate, traffic lights, calendar periods, ranks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shuzheng.core.report import PlanReport, Status, TargetRow
from shuzheng.core.views.breakdown import OWN_LEVEL, Contribution, breakdown
from shuzheng.core.views.forecast import MONTH_DAYS, forecast_of
from shuzheng.core.views.lights import light_of, thresholds
from shuzheng.core.views.periods import periods
from shuzheng.core.views.since import changes

START = date(2024, 1, 1)


def row(**changes) -> TargetRow:
    fields = dict(
        task="1",
        task_title="t",
        indicator="1.1",
        name="拆除",
        scope="北京市",
        unit="平方米",
        measure="sum",
        comparator="at_least",
        value=Decimal(1200),
        value_text="1200平方米",
        actual=Decimal(300),
        ratio=Decimal(300) / Decimal(1200),
        expected=Decimal("0.25"),
        status=Status.ON_TRACK,
        deadline=date(2024, 12, 31),
        lead="",
        lead_department=None,
        lead_leader=None,
    )
    fields.update(changes)
    if "actual" in changes and "ratio" not in changes and fields["value"] and fields["actual"] is not None:
        fields["ratio"] = fields["actual"] / fields["value"]
    return TargetRow(**fields)


def test_forecast_by_hand() -> None:
    # 300 of 1200 by 2024-03-31: 91 days of the window gone (both ends counted), 275 days left
    f = forecast_of(row(), date(2024, 3, 31), START)
    assert f.remaining == 900
    # 900 in 275 days: 900 × 30.4375 / 275 a month
    assert f.required_per_month == Decimal(900) * MONTH_DAYS / Decimal(275)
    assert round(f.required_per_month, 2) == Decimal("99.61")
    # 300 in 91 days: 300 × 30.4375 / 91 a month
    assert round(f.achieved_per_month, 2) == Decimal("100.34")
    # 900 more at 300/91 a day takes 273 days: 2024-12-29, before the deadline
    assert f.forecast == date(2024, 12, 29)
    # at the deadline: 300 + 300/91 × 275 = 300 × 366/91, of 1200
    assert round(f.projected_ratio, 6) == round(Decimal(366) / Decimal(364), 6)


def test_a_forecast_that_does_not_converge_gives_the_projected_completion() -> None:
    # 10 of 1000 by 2024-06-30 (182 days): the other 990 would take 18,018 days, far past deadline + 1 year
    f = forecast_of(row(value=Decimal(1000), actual=Decimal(10)), date(2024, 6, 30), START)
    assert f.forecast is None
    assert f.remaining == 990
    assert round(f.required_per_month, 2) == round(Decimal(990) * MONTH_DAYS / 184, 2) == Decimal("163.77")
    # 10 + 10/182 × 184 = 10 × 366/182, of 1000: 2.0%
    assert round(f.projected_ratio, 6) == round(Decimal(3660) / Decimal(182000), 6)


def test_nothing_done_has_no_forecast_and_projects_nothing() -> None:
    f = forecast_of(row(actual=Decimal(0)), date(2024, 6, 30), START)
    assert f.forecast is None and f.projected_ratio == 0 and f.achieved_per_month == 0


def test_an_overdue_target_needs_no_monthly_rate_and_is_never_forecast_in_the_past() -> None:
    as_of = date(2025, 1, 31)
    f = forecast_of(row(status=Status.OVERDUE, actual=Decimal(1100)), as_of, START)
    assert f.required_per_month is None and f.projected_ratio is None
    assert f.forecast is not None and f.forecast > as_of


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.MET, "actual": Decimal(1300)},
        {"measure": "ratio"},
        {"measure": "latest"},
        {"comparator": "at_most"},
        {"value": None, "status": Status.NO_TARGET},
    ],
)
def test_no_forecast_where_it_says_nothing(changes) -> None:
    f = forecast_of(row(**changes), date(2024, 6, 30), START)
    assert (f.remaining, f.required_per_month, f.forecast, f.projected_ratio) == (None, None, None, None)


@pytest.mark.parametrize(
    ("expected", "actual", "light"),
    [
        ("0.50", 600, "green"),  # on pace
        ("0.50", 480, "green"),  # 10 points behind: still green
        ("0.50", 478, "yellow"),  # just over 10 points
        ("0.50", 240, "yellow"),  # 30 points behind
        ("0.50", 238, "red"),  # over 30 points
    ],
)
def test_lights_against_the_pace(expected: str, actual: int, light: str) -> None:
    assert light_of(row(expected=Decimal(expected), actual=Decimal(actual))) == light


def test_lights_by_status_and_measure() -> None:
    assert light_of(row(status=Status.MET)) == "green"
    assert light_of(row(status=Status.OVERDUE, actual=Decimal(1199))) == "red"
    assert light_of(row(status=Status.VIOLATED, comparator="at_most")) == "red"
    assert light_of(row(status=Status.NO_TARGET, value=None)) is None
    assert light_of(row(status=Status.NO_DATA, actual=None)) == "yellow"
    rate = {"measure": "ratio", "unit": "%", "value": Decimal(100), "status": Status.BEHIND}
    assert light_of(row(**rate, actual=Decimal("99.3"))) == "yellow"  # short of a rate: never green
    assert light_of(row(**rate, actual=Decimal("60"))) == "red"  # 40 points short
    assert light_of(row(status=Status.BEHIND, measure="latest", comparator="at_most", value=Decimal(0))) == "yellow"


def test_thresholds_come_from_the_plan() -> None:
    class Plan:
        lights = {"yellow": 0.05, "red": 0.2}

    yellow, red = thresholds(Plan())
    assert (yellow, red) == (Decimal("0.05"), Decimal("0.2"))
    assert thresholds(object()) == (Decimal("0.10"), Decimal("0.30"))
    assert light_of(row(expected=Decimal("0.50"), actual=Decimal(480)), yellow, red) == "yellow"


def test_calendar_periods() -> None:
    months = periods(date(2024, 1, 1), date(2024, 9, 15), "month")
    assert [p.label for p in months] == [f"2024-{m:02d}" for m in range(1, 10)]
    assert months[-1].end == date(2024, 9, 15) and months[1].end == date(2024, 2, 29)
    quarters = periods(date(2024, 2, 10), date(2024, 12, 31), "quarter")
    assert [(q.label, q.start, q.end) for q in quarters][0] == ("2024Q1", date(2024, 2, 10), date(2024, 3, 31))
    assert len(quarters) == 4
    weeks = periods(date(2024, 1, 1), date(2024, 1, 14), "week")  # 2024-01-01 is a Monday
    assert [w.label for w in weeks] == ["2024-W01", "2024-W02"]
    assert len(periods(date(2024, 1, 1), date(2024, 1, 31), "day")) == 31
    assert periods(date(2024, 2, 1), date(2024, 1, 1), "month") == []


def test_ranks_share_places_and_leave_the_own_level_out() -> None:
    whole = row(actual=Decimal(100))
    parts = [
        Contribution("甲", Decimal(40), Decimal(0), 2, None),
        Contribution("乙", Decimal(30), Decimal(0), 1, None),
        Contribution("丙", Decimal(30), Decimal(0), 1, None),
        Contribution("丁", Decimal(0), Decimal(0), 0, None),
        Contribution(OWN_LEVEL, Decimal(0), Decimal(0), 1, None),
    ]
    b = breakdown(whole, "area", parts)
    assert b.ranked_by == "contribution"
    assert [(u.unit, u.rank) for u in b.units] == [("甲", 1), ("乙", 2), ("丙", 2), ("丁", 4), (OWN_LEVEL, None)]
    assert [u.share for u in b.units][:2] == [Decimal("0.4"), Decimal("0.3")]


def test_ranked_by_completion_where_every_unit_has_its_own_target() -> None:
    parts = [
        Contribution("甲", Decimal(4), Decimal(0), 1, row(scope="甲", value=Decimal(10), actual=Decimal(4))),
        Contribution("乙", Decimal(3), Decimal(0), 1, row(scope="乙", value=Decimal(5), actual=Decimal(3))),
    ]
    b = breakdown(row(actual=Decimal(7)), "area", parts)
    assert b.ranked_by == "completion"
    assert [(u.unit, u.rank) for u in b.units] == [("乙", 1), ("甲", 2)]


def test_changes_since_name_what_moved() -> None:
    then = row(status=Status.BEHIND, actual=Decimal(200))
    now = row(status=Status.MET, actual=Decimal(1250))
    plan = PlanReport("p", "P", START, date(2024, 12, 31), Decimal("0.5"), (now,))
    before = PlanReport("p", "P", START, date(2024, 12, 31), Decimal("0.3"), (then,))
    (change,) = changes(plan, before)
    assert change.done == 1050 and change.changed and change.newly_met and change.improved
    rate_now = row(measure="ratio", unit="%", numerator=Decimal(90), base=Decimal(100), actual=Decimal(90))
    rate_then = row(measure="ratio", unit="%", numerator=Decimal(40), base=Decimal(40), actual=Decimal(100))
    (rate,) = changes(
        PlanReport("p", "P", START, START, Decimal(0), (rate_now,)),
        PlanReport("p", "P", START, START, Decimal(0), (rate_then,)),
    )
    assert rate.done == Decimal(50) / Decimal(60) * 100  # the rate of what came in since: 50 of 60
