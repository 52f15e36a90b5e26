"""`shuzheng due`: the 催报 list — reports missing or late, deadlines near, targets overdue."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuzheng.core.due import Grade, late_units
from shuzheng.core.findings import ParseError
from shuzheng.core.model import Reporting
from shuzheng.core.reporting import due_date, last_due_period, parse_period, period_of
from shuzheng.read.plan import read_plan

CADENCES = ("daily", "weekly", "monthly", "quarterly")


@pytest.mark.parametrize("fmt", ["table", "md", "json", "text"])
def test_golden_at_15_september(in_repo: Path, cli, golden, fmt: str) -> None:
    result = cli("due", "--as-of", "2024-09-15", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    golden.check(f"due/2024-09-15.{'txt' if fmt == 'text' else fmt}", result.stdout)


def test_the_shipped_plans_at_15_september(in_repo: Path, cli) -> None:
    data = json.loads(cli("due", "--as-of", "2024-09-15", "--format", "json").stdout)
    plans = {p["id"]: p for p in data["plans"]}
    # hailing reports daily: the 14th was due, no road's report is in
    assert plans["hailing"]["period"] == "2024-09-14"
    assert [u["grade"] for u in plans["hailing"]["units"]] == ["red"] * 10
    # monthly plans without a due day: August was due on its last day
    assert plans["city"]["period"] == plans["huairou"]["period"] == "2024-08"
    assert len(plans["city"]["units"]) == 16
    # near: hailing's attendance ends on the 20th, five days on, and is not met yet
    near = [t for t in plans["hailing"]["targets"] if t["grade"] == "blue"]
    assert [(t["indicator"], t["days_left"]) for t in near] == [("0.1", 5)]
    # overdue: huairou's 細化方案 were due on 29 February
    red = [t for t in plans["huairou"]["targets"] if t["grade"] == "red"]
    assert ("11.1", -199) in [(t["indicator"], t["days_left"]) for t in red]
    assert all(t["status"] != "met" for p in plans.values() for t in p["targets"])


def test_text_is_short_enough_for_a_chat(in_repo: Path, cli) -> None:
    text = cli("due", "--as-of", "2024-09-15", "--format", "text").stdout
    assert len(text.splitlines()) <= 15
    assert max(len(line) for line in text.splitlines()) <= 250


def test_a_collected_report_leaves_the_list(tmp_path: Path, monkeypatch, repo_root: Path, cli) -> None:
    shutil.copytree(repo_root / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    from shuzheng.collect import collect
    from test_collect import fill, make_template

    template = make_template(cli, "主干道一", "hailing")
    row = [1, dt.date(2024, 9, 14), "0.1", "主干道下午整治出勤", "主干道一", None, None, None, None, "主干道一", None]
    fill(template, tmp_path / "in" / "主干道一_2024-09-14.xlsx", [row])
    collect([str(tmp_path / "in")], "hailing", now=dt.datetime(2024, 9, 14, 17))
    row2 = [*row[:4], "主干道二", *row[5:9], "主干道二", None]
    fill(template, tmp_path / "in2" / "主干道二_2024-09-14.xlsx", [row2])
    collect([str(tmp_path / "in2")], "hailing", now=dt.datetime(2024, 9, 15, 9))
    units = json.loads(cli("due", "--plan", "hailing", "--as-of", "2024-09-15", "--format", "json").stdout)
    found = {u["unit"]: u["grade"] for u in units["plans"][0]["units"]}
    assert "主干道一" not in found, "on time"
    assert found["主干道二"] == "yellow", "received the morning after"
    assert found["主干道三"] == "red"
    # as of the 14th nothing was due yet; a receipt after the as-of date does not count then
    earlier = json.loads(cli("due", "--plan", "hailing", "--as-of", "2024-09-14", "--format", "json").stdout)
    assert earlier["plans"][0]["period"] == "2024-09-13"


def test_late_units_is_pure(repo_root: Path) -> None:
    plan, _ = read_plan(repo_root / "plans" / "hailing.yaml", "hailing")
    period, units = late_units(plan, dt.date(2024, 9, 11), {})
    assert period is None and units == [], "nothing is due before the first afternoon is over"
    period, units = late_units(plan, dt.date(2024, 10, 1), {})
    assert period is not None and period.label == "2024-09-20", "after the period, its last day stays the one due"
    assert {u.grade for u in units} == {Grade.RED}


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(CADENCES))
def test_a_period_holds_its_day_and_its_label_reads_back(day: dt.date, cadence: str) -> None:
    period = period_of(day, cadence)
    assert period.start <= day <= period.end
    assert parse_period(period.label, cadence) == period
    assert period_of(period.end + dt.timedelta(days=1), cadence).start == period.end + dt.timedelta(days=1)


@given(
    st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(CADENCES),
    st.none() | st.integers(min_value=1, max_value=31),
)
def test_the_last_due_period_was_due_before_the_day(day: dt.date, cadence: str, due_day: int | None) -> None:
    reporting = Reporting(cadence=cadence, due_day=due_day)
    period = last_due_period(day, reporting, dt.date(2000, 1, 1))
    assert period is not None
    assert due_date(period, reporting) < day
    following = period_of(period.end + dt.timedelta(days=1), cadence)
    assert due_date(following, reporting) >= day


def test_due_dates() -> None:
    monthly5 = Reporting(cadence="monthly", due_day=5)
    assert due_date(parse_period("2024-08", "monthly"), monthly5) == dt.date(2024, 9, 5)
    assert due_date(parse_period("2024-01", "monthly"), Reporting(cadence="monthly", due_day=31)) == dt.date(
        2024, 2, 29
    )
    assert due_date(parse_period("2024-W37", "weekly"), Reporting(cadence="weekly", due_day=1)) == dt.date(2024, 9, 16)
    assert due_date(parse_period("2024-Q3", "quarterly"), Reporting(cadence="quarterly")) == dt.date(2024, 9, 30)
    with pytest.raises(ParseError, match="the plan reports monthly"):
        parse_period("2024-09-01", "monthly")
    with pytest.raises(ParseError, match="not a period"):
        parse_period("2024-13", "monthly")
