"""The views on the shipped plans and ledgers, as of 2024-09-15: periods, since, breakdowns, lights,
rows and chart; each against figures computed here from the ledger rows, and golden outputs."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from shuzheng.core.names import fold
from shuzheng.service import build_report

AS_OF = "2024-09-15"
SINCE = "2024-06-30"


@pytest.fixture
def run(cli, in_repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.delenv("NO_COLOR", raising=False)

    def call(*args: str) -> str:
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert "internal error" not in result.stderr
        return result.stdout

    return call


def as_json(run, *args: str) -> dict:
    return json.loads(run(*args, "--format", "json"))


def d(value) -> Decimal:
    return Decimal(str(value))


# ---------------------------------------------------------------- periods


def test_nine_months_of_1_1_add_up_to_the_cumulative_figure(run) -> None:
    view = as_json(run, "progress", "--by", "month", "--indicator", "1.1", "--as-of", AS_OF)
    targets = [t for p in view["plans"] for t in p["targets"]]
    assert targets
    for plan in view["plans"]:
        for t in plan["targets"]:
            if plan["id"] != "city":
                continue
            assert [p["period"] for p in t["periods"]] == [f"2024-{m:02d}" for m in range(1, 10)]
            assert sum(d(p["amount"]) for p in t["periods"]) == d(t["actual"])
            assert t["periods"][-1]["cumulative"] == t["actual"]
    city = {t["scope"]: t for t in view["plans"][[p["id"] for p in view["plans"]].index("city")]["targets"]}
    assert city["城六區"]["actual"] == 7956000
    table = run("progress", "--plan", "city", "--by", "month", "--indicator", "1.1", "--as-of", AS_OF)
    assert "2024-09" in table and "2024-10" not in table and "795.6萬" in table


def test_begin_and_end_limit_the_periods(run) -> None:
    view = as_json(
        run, "progress", "--plan", "city", "--by", "quarter", "-b", "2024-04-01", "-e", "2024-06-30", "--as-of", AS_OF
    )
    (t, *_) = view["plans"][0]["targets"]
    assert [p["period"] for p in t["periods"]] == ["2024Q2"]
    monthly = as_json(run, "progress", "--plan", "city", "--by", "month", "--indicator", "1.1", "--as-of", AS_OF)
    q2 = sum(d(p["amount"]) for p in monthly["plans"][0]["targets"][0]["periods"][3:6])
    assert d(t["periods"][0]["amount"]) == q2


def test_a_stock_shows_its_level_and_a_rate_its_own_rate_per_period(run) -> None:
    view = as_json(run, "progress", "--plan", "city", "--by", "quarter", "--as-of", AS_OF)
    targets = {(t["indicator"], t["scope"]): t for t in view["plans"][0]["targets"]}
    stock = targets["1.4", "城市副中心"]
    assert stock["periods"][-1]["amount"] == stock["actual"]  # the stock at the end, not a difference
    rate = targets["2.1", "北京市"]
    assert all(p["amount"] is None or 0 <= p["amount"] <= 100 for p in rate["periods"])


# ---------------------------------------------------------------- rows


def rows_of(run, *args: str) -> list[dict]:
    return as_json(run, "rows", *args)["rows"]


def test_the_rows_of_1_1_in_the_six_districts_add_up_to_its_actual(run) -> None:
    rows = rows_of(run, "--plan", "city", "--indicator", "1.1", "--district", "城六区", "--as-of", AS_OF)
    report = as_json(run, "progress", "--plan", "city", "--indicator", "1.1", "--as-of", AS_OF)
    actual = {t["scope"]: t["actual"] for t in report["plans"][0]["targets"]}["城六區"]
    assert sum(d(r["quantity"]) for r in rows) == d(actual) == 7956000
    assert all(r["file"].startswith("ledgers/city/") and r["line"] >= 2 and r["department"] for r in rows)
    table = run("rows", "--plan", "city", "--indicator", "1.1", "--district", "城六区", "--as-of", AS_OF)
    assert "1.1 total 7,956,000" in table
    listed = list(csv.DictReader(io.StringIO(run("rows", "--plan", "city", "--indicator", "1.1", "--format", "csv"))))
    assert {"file", "line", "date", "area", "quantity", "unit", "ref", "department", "note"} <= set(listed[0])


def test_rows_of_an_unknown_district_is_a_usage_error(cli, in_repo) -> None:
    result = cli("rows", "--district", "火星", "--as-of", AS_OF)
    assert result.exit_code == 2 and "火星" in result.stderr


# ---------------------------------------------------------------- since


def family(ctx, indicator) -> set[str]:
    components = {ind.id: ind.components for _, ind in ctx.plan.indicators()}
    found, pending = set(), [indicator.id]
    while pending:
        ind = pending.pop()
        if ind not in found:
            found.add(ind)
            pending += components.get(ind, []) if indicator.measure == "sum" else []
    return found


def figure(t, rows: list[dict]) -> Decimal | None:
    """A target's figure from its rows, computed here the way the docs define each measure."""
    measure = t.indicator.measure
    if measure in ("sum", "qualitative"):
        return sum((d(r["quantity"]) for r in rows), Decimal(0)) if measure == "sum" else Decimal(len(rows))
    if measure == "distinct":
        parts = t.indicator.distinct_key
        return Decimal(len({tuple(r[p] if p != "item" else fold(r["item"] or "") for p in parts) for r in rows}))
    if measure == "milestone":
        names = {i.name for i in t.items}
        return Decimal(len({r["item"] for r in rows} & names))
    if measure == "latest":
        last: dict[str, tuple[str, int, Decimal]] = {}
        for n, r in enumerate(rows):
            if r["area"] not in last or (r["date"], n) >= last[r["area"]][:2]:
                last[r["area"]] = (r["date"], n, d(r["quantity"]))
        return sum((v[2] for v in last.values()), Decimal(0))
    raise AssertionError(measure)


def test_done_since_is_what_the_rows_say_for_every_target(run) -> None:
    since = as_json(run, "progress", "--since", SINCE, "--as-of", AS_OF)
    now_rows, then_rows = rows_of(run, "--as-of", AS_OF), rows_of(run, "--as-of", SINCE)
    contexts = {c.plan.id: c for c in build_report(None, None, date.fromisoformat(AS_OF)).contexts}
    checked = skipped = 0
    for plan in since["plans"]:
        ctx = contexts[plan["id"]]
        resolved = {(t.task.id, t.indicator.id, t.scope.label): t for t in ctx.targets}
        for shown in plan["targets"]:
            t = resolved[shown["task"], shown["indicator"], shown["scope"]]
            ids = family(ctx, t.indicator)

            def inside(rows, t=t, ids=ids, plan=plan):
                return [
                    r for r in rows if r["plan"] == plan["id"] and r["indicator"] in ids and r["area"] in t.scope.areas
                ]

            now, then = inside(now_rows), inside(then_rows)
            if t.indicator.measure == "ratio":
                quantity = sum((d(r["quantity"]) for r in now), Decimal(0)) - sum((d(r["quantity"]) for r in then), 0)
                base = sum((d(r["base"]) for r in now), Decimal(0)) - sum((d(r["base"]) for r in then), 0)
                expected = quantity / base * (100 if t.unit and t.unit.dimension == "percent" else 1) if base else None
                assert (shown["done"] is None) == (expected is None), shown
                if expected is not None:
                    assert shown["done"] == pytest.approx(float(expected), abs=1e-4), shown
            else:
                if t.indicator.measure == "latest" and not now:
                    assert shown["done"] is None and shown["actual"] is None  # no stock reported: nothing to say
                    skipped += 1
                    continue
                expected = figure(t, now) - (figure(t, then) if then or t.indicator.measure != "latest" else 0)
                assert d(shown["done"]) == expected, (plan["id"], shown["indicator"], shown["scope"])
            checked += 1
    assert checked + skipped == sum(len(p["targets"]) for p in since["plans"]) and checked > 90


def test_since_names_status_changes_and_the_briefing_compares(run) -> None:
    since = as_json(run, "progress", "--plan", "city", "--since", SINCE, "--as-of", AS_OF)
    targets = {(t["indicator"], t["scope"]): t for t in since["plans"][0]["targets"]}
    core = targets["1.1", "核心區"]
    assert (core["status_then"], core["status"], core["newly_met"]) == ("on_track", "met", True)
    assert targets["1.2", "北京市"]["newly_violated"] is True
    assert targets["1.6", "北京市"]["changed"] is True and targets["1.1", "北京市"]["changed"] is False
    table = run("progress", "--plan", "city", "--since", SINCE, "--as-of", AS_OF)
    assert "Behind → On track" in table and "(newly met)" in table
    briefing = run("export", "--plan", "city", "--since", SINCE, "--as-of", AS_OF)
    assert "## Compared with the last report" in briefing and "newly met" in briefing and "(30 June 2024)" in briefing
    assert "Compared with the last report" not in run("export", "--plan", "city", "--as-of", AS_OF)


def test_since_must_come_before_the_as_of_date(cli, in_repo) -> None:
    result = cli("progress", "--since", "2024-10-01", "--as-of", AS_OF)
    assert result.exit_code == 2 and "--since" in result.stderr


# ---------------------------------------------------------------- breakdowns


def test_by_area_ranks_the_16_districts_and_their_parts_make_the_whole(run) -> None:
    view = as_json(run, "progress", "--plan", "city", "--by", "area", "--indicator", "1.1", "--as-of", AS_OF)
    city = {t["scope"]: t for t in view["plans"][0]["targets"]}["北京市"]
    units = city["units"]
    assert len([u for u in units if u["rank"] is not None]) == 16
    assert sum(d(u["actual"]) for u in units) == d(city["actual"])
    assert city["ranked_by"] == "contribution"
    contributions = [d(u["actual"]) for u in units if u["rank"] is not None]
    assert contributions == sorted(contributions, reverse=True) and units[0]["rank"] == 1
    six = {t["scope"]: t for t in view["plans"][0]["targets"]}["城六區"]
    assert {u["unit"] for u in six["units"]} == {"東城區", "西城區", "朝陽區", "海淀區", "豐臺區", "石景山區"}


def test_by_area_with_since_shows_rank_changes(run) -> None:
    view = as_json(
        run, "progress", "--plan", "city", "--by", "area", "--indicator", "1.1", "--since", SINCE, "--as-of", AS_OF
    )
    units = view["plans"][0]["targets"][0]["units"]
    assert any(u["rank_change"] for u in units)
    table = run("progress", "--plan", "city", "--by", "area", "--indicator", "1.1", "--since", SINCE, "--as-of", AS_OF)
    assert "↑" in table and "↓" in table


def test_by_department_names_the_ledgers_departments(run) -> None:
    view = as_json(run, "progress", "--plan", "city", "--by", "department", "--indicator", "1.1", "--as-of", AS_OF)
    rows = rows_of(run, "--plan", "city", "--indicator", "1.1", "--as-of", AS_OF)
    departments = defaultdict(Decimal)
    for r in rows:
        departments[fold(r["department"])] += d(r["quantity"])
    city = {t["scope"]: t for t in view["plans"][0]["targets"]}["北京市"]
    assert {fold(u["unit"]) for u in city["units"]} == set(departments)
    assert {fold(u["unit"]): d(u["actual"]) for u in city["units"]} == dict(departments)
    assert sum(d(u["actual"]) for u in city["units"]) == d(city["actual"])
    assert "城管執法局" in run(
        "progress", "--plan", "city", "--by", "department", "--indicator", "1.1", "--as-of", AS_OF
    )


def test_a_district_without_targets_shows_its_part(run) -> None:
    table = run("progress", "--plan", "city", "--district", "大興", "--as-of", AS_OF)
    assert "(no targets match)" not in table and "大興區" in table and "350萬" in table
    view = as_json(run, "progress", "--plan", "city", "--district", "大興", "--as-of", AS_OF)
    rows = rows_of(run, "--plan", "city", "--district", "大興", "--indicator", "1.1", "--as-of", AS_OF)
    city = {(t["indicator"], t["scope"]): t for t in view["plans"][0]["targets"]}["1.1", "北京市"]
    assert d(city["contribution"]["actual"]) == sum(d(r["quantity"]) for r in rows) == 3500000
    assert city["contribution"]["area"] == "大興區" and city["contribution"]["rows"] == len(rows)


# ---------------------------------------------------------------- lights


def test_every_target_has_a_light(run) -> None:
    report = as_json(run, "progress", "--as-of", AS_OF)
    for plan in report["plans"]:
        for t in plan["targets"]:
            assert (t["light"] is None) == (t["status"] == "no_target"), t
            assert t["light"] in (None, "green", "yellow", "red")
    rows = list(csv.DictReader(io.StringIO(run("progress", "--as-of", AS_OF, "--format", "csv"))))
    assert {r["light"] for r in rows} == {"", "green", "yellow", "red"}
    table = run("progress", "--plan", "city", "--as-of", AS_OF)
    assert "● " in table and "▲ " in table and "■ " in table and "\x1b[" not in table  # readable without colour
    assert re.search(r"\| ■ red +\|", run("progress", "--plan", "city", "--as-of", AS_OF, "--format", "md"))


# ---------------------------------------------------------------- chart


def test_chart_draws_one_target(run, cli) -> None:
    text = run("chart", "1.1", "--scope", "城六区", "--plan", "city", "--as-of", AS_OF)
    assert "1.1 拆除違法建設 (城六區)" in text and "Target 1,417" in text and "\x1b[" not in text
    assert cli("chart", "1.1", "--plan", "city", "--as-of", AS_OF).exit_code == 2  # three targets: which?
    assert cli("chart", "9.9", "--plan", "city", "--as-of", AS_OF).exit_code == 2


# ---------------------------------------------------------------- goldens

VIEWS = {
    "periods": ("progress", "--plan", "city", "--by", "month", "--indicator", "1.1", "--as-of", AS_OF),
    "since": ("progress", "--plan", "city", "--task", "1", "--since", SINCE, "--as-of", AS_OF),
    "area": ("progress", "--plan", "city", "--by", "area", "--indicator", "1.1", "--since", SINCE, "--as-of", AS_OF),
    "department": ("progress", "--plan", "city", "--by", "department", "--indicator", "6.1", "--as-of", AS_OF),
    "district": ("progress", "--plan", "city", "--district", "大興", "--task", "1", "--as-of", AS_OF),
    "rows": ("rows", "--plan", "city", "--indicator", "1.1", "--district", "核心区", "--as-of", AS_OF),
}
FORMATS = {"table": "txt", "json": "json", "csv": "csv", "md": "md"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_golden(run, golden, view: str, fmt: str) -> None:
    if view == "rows" and fmt == "md":
        pytest.skip("rows: table, csv and json")
    golden.check(f"views/{view}.{FORMATS[fmt]}", run(*VIEWS[view], "--format", fmt))


def test_golden_chart(run, golden) -> None:
    golden.check("views/chart.txt", run("chart", "1.1", "--scope", "核心區", "--plan", "city", "--as-of", AS_OF))
