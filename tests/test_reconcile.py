"""The reconciler (DOMAIN §5, §6): every measure × comparator × status, the as-of cut-off,
the pace arithmetic, and the roll-up through groups and the area tree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger_support import Outcome, read_files
from shuzheng.core.checks import PlanContext, check_plan
from shuzheng.core.findings import Location
from shuzheng.core.reconcile import expected_pace, reconcile  # noqa: F401
from shuzheng.core.report import PlanReport, Status, TargetRow
from shuzheng.core.rules import LedgerRules
from shuzheng.core.tally import Intake
from shuzheng.read.plan import plan_from_text, read_plan
from shuzheng.service import build_report

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
RECON = FIXTURES / "plans" / "recon.yaml"
PACED = FIXTURES / "plans" / "paced.yaml"
CITY = REPO / "plans" / "city.yaml"
BASIC = FIXTURES / "ledgers" / "recon" / "basic.csv"
ROLLUP = FIXTURES / "ledgers" / "city" / "rollup.csv"

HEADER = "日期,指標,地區,數量,基數,單位,項目,編號,備註\n"
MID_YEAR = date(2024, 6, 30)  # 182/366 of 2024
EXPECTED_MID_YEAR = Decimal(182) / Decimal(366)


@cache
def context(path: Path) -> PlanContext:
    plan, problems = read_plan(path)
    assert plan is not None, problems
    ctx, _ = check_plan(plan)
    return ctx


def context_from_text(text: str) -> PlanContext:
    plan, problems = plan_from_text(text, "plan.yaml")
    assert plan is not None, problems
    ctx, found = check_plan(plan)
    assert [d for d in found if d.severity == "error"] == []
    return ctx


def run(ctx: PlanContext, files: list[Path], as_of: date) -> tuple[PlanReport, Outcome]:
    report, ledger = read_files(ctx, files, as_of)
    assert [str(d) for d in ledger.diagnostics if d.severity == "error"] == []
    return report, ledger


def ledger_csv(tmp_path: Path, rows: str, header: str = HEADER, name: str = "ledger.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + rows, encoding="utf-8")
    return path


def targets(report: PlanReport) -> dict[tuple[str, str], TargetRow]:
    found = {(t.indicator, t.scope): t for t in report.targets}
    assert len(found) == len(report.targets), "one row per (indicator, scope)"
    return found


def recon(tmp_path: Path, rows: str, as_of: date = MID_YEAR, rejected: tuple = ()) -> dict[tuple[str, str], TargetRow]:
    report, ledger = run(context(RECON), [ledger_csv(tmp_path, rows)], as_of)
    assert [(r.line, r.code) for r in ledger.rejected] == list(rejected), ledger.rejected
    return targets(report)


def brief(t: TargetRow) -> tuple:
    return (t.value, t.actual, t.ratio, t.status)


# --- the shipped-style sample: one file, every measure --------------------------------------


def test_basic_ledger_mid_year_every_measure():
    report, ledger = run(context(RECON), [BASIC], MID_YEAR)
    assert report.expected == EXPECTED_MID_YEAR
    found = targets(report)
    # sum at_least: 300 + 200.5 + 3萬平方米 + 1萬平方米 − 500 (a correction); the repeated R2 once
    assert brief(found["1.1", "北京市"]) == (Decimal(1000), Decimal("40000.5"), Decimal("40.0005"), Status.MET)
    # due 2024-06-30: on its deadline the whole 400 is expected by now, and 300 < 400 × (1 − 0.10)
    assert brief(found["1.1", "朝陽區"]) == (Decimal(400), Decimal(300), Decimal("0.75"), Status.BEHIND)
    assert found["1.1", "朝陽區"].expected == 1
    # approx: 85 of 約100; default tolerance 0.05 needs 95, the overridden 0.2 needs 80
    assert brief(found["1.2", "北京市"]) == (Decimal(100), Decimal(85), Decimal("0.85"), Status.ON_TRACK)
    assert brief(found["1.2", "朝陽區"]) == (Decimal(100), Decimal(85), Decimal("0.85"), Status.MET)
    assert found["1.2", "北京市"].comparator == found["1.2", "朝陽區"].comparator == "approx"
    # sum at_most 0 (零增長) broken at once
    assert brief(found["1.3", "北京市"]) == (Decimal(0), Decimal(1), None, Status.VIOLATED)
    # latest: 朝陽區's latest row is 0 (after 5), 海淀區's is 2
    # a stock cut to 0 by 12-31 from its first report, 7 on 03-01: at 06-30 (122 of 306 days) the
    # expected level is 7 − 7 × 122/306 ≈ 4.2, so 2 is on track (behind only above 4.2 + 0.7)
    assert brief(found["1.4", "北京市"]) == (Decimal(0), Decimal(2), None, Status.ON_TRACK)
    assert found["1.4", "北京市"].expected == Decimal(122) / Decimal(306)
    assert brief(found["1.4", "城區"]) == (Decimal(0), Decimal(2), None, Status.ON_TRACK)
    assert brief(found["1.4", "城市副中心"]) == (Decimal(0), None, None, Status.NO_DATA)
    # ratio in %: (9 + 1) / (10 + 5)
    share = Decimal(10) / Decimal(15) * 100
    assert brief(found["2.1", "北京市"]) == (Decimal(100), share, share / 100, Status.BEHIND)
    assert brief(found["2.1", "海淀區"]) == (Decimal(90), Decimal(90), Decimal(1), Status.MET)
    assert brief(found["2.8", "北京市"]) == (Decimal("0.9"), None, None, Status.NO_DATA)
    # distinct by item, the item repeated on two days counted once
    # 3 × (182/366 − 0.10) = 1.19, rounded down to whole items: 1 is on pace
    assert brief(found["2.2", "北京市"]) == (Decimal(3), Decimal(1), Decimal(1) / 3, Status.ON_TRACK)
    assert found["2.2", "北京市"].missing_items == ("乙點位", "丙點位")
    # distinct by [area, date]: 海淀區 on 3-01 twice and 3-02
    assert brief(found["2.3", "北京市"]) == (Decimal(10), Decimal(2), Decimal("0.2"), Status.BEHIND)
    # whole items: 4 × 0.397 rounds down to 1, 3 × 0.397 to 1; 2.3's 10 × 0.397 to 3, so 2 is behind
    assert brief(found["2.4", "北京市"]) == (Decimal(4), Decimal(1), Decimal("0.25"), Status.ON_TRACK)
    assert found["2.4", "北京市"].missing_items == ()
    # milestone: every declared item in scope is the value
    # due 06-30: all 3 expected by now, 3 × 0.9 rounds down to 2, so 1 is behind
    assert brief(found["2.5", "北京市"]) == (Decimal(3), Decimal(1), Decimal(1) / 3, Status.BEHIND)
    assert found["2.5", "北京市"].missing_items == ("太陽宮", "海淀鎮")
    assert brief(found["2.5", "朝陽區"]) == (Decimal(2), Decimal(1), Decimal("0.5"), Status.ON_TRACK)
    assert found["2.5", "朝陽區"].missing_items == ("太陽宮",)
    # qualitative: rows counted, latest note, no ratio
    assert brief(found["2.6", "北京市"]) == (None, Decimal(2), None, Status.NO_TARGET)
    assert (found["2.6", "北京市"].rows, found["2.6", "北京市"].latest_note) == (2, "長效機制已建立")
    # open value (20xx人)
    assert brief(found["2.7", "北京市"]) == (None, Decimal(0), None, Status.NO_TARGET)
    assert found["2.7", "北京市"].value_text == "20xx人"
    assert [(r.line, r.code) for r in ledger.rejected] == [(24, "unknown-area")]
    # R2 again, the same record: a duplicate, counted once
    assert [(d.line, d.first_line, d.ref) for d in ledger.duplicates] == [(7, 3, "R2")]
    assert [(c.line, c.indicator, c.area, c.quantity) for c in ledger.corrections] == [
        (6, "1.1", "東城區", Decimal(-500))
    ]


def test_lead_and_deadline_of_each_target():
    report, _ = run(context(RECON), [BASIC], MID_YEAR)
    found = targets(report)
    assert found["1.1", "北京市"].lead == "城管執法局（分管副區長）"
    assert found["2.1", "北京市"].lead == "分管副區長"  # the organisation's default lead
    assert found["1.1", "朝陽區"].deadline == date(2024, 6, 30)  # its own
    assert found["1.1", "北京市"].deadline == date(2024, 12, 31)  # the period end


def test_overdue_after_the_deadline():
    found = targets(run(context(RECON), [BASIC], date(2024, 7, 1))[0])
    assert brief(found["1.1", "朝陽區"]) == (Decimal(400), Decimal(300), Decimal("0.75"), Status.OVERDUE)
    assert brief(found["2.5", "北京市"])[3] == Status.OVERDUE
    assert found["2.5", "朝陽區"].status == Status.ON_TRACK  # deadline: the period end
    later = targets(run(context(RECON), [BASIC], date(2025, 1, 1))[0])
    assert later["1.4", "北京市"].status == Status.OVERDUE  # latest not met, deadline passed
    assert later["2.1", "北京市"].status == Status.OVERDUE  # ratio not met, deadline passed
    assert later["1.3", "北京市"].status == Status.VIOLATED  # violated wins over overdue
    assert later["1.4", "城市副中心"].status == Status.OVERDUE  # not met once due, with or without data


# --- sum ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "as_of", "actual", "status"),
    [
        ("2024-03-01,1.1,朝陽區,400,,,,,\n", MID_YEAR, Decimal(400), Status.MET),
        ("2024-03-01,1.1,朝陽區,399,,,,,\n", MID_YEAR, Decimal(399), Status.ON_TRACK),
        ("2024-03-01,1.1,朝陽區,100,,,,,\n", MID_YEAR, Decimal(100), Status.BEHIND),
        ("2024-03-01,1.1,朝陽區,399.99,,,,,\n", date(2024, 7, 1), Decimal("399.99"), Status.OVERDUE),
        ("2024-03-01,1.1,朝陽區,400,,,,,\n", date(2024, 7, 1), Decimal(400), Status.MET),
        ("", MID_YEAR, Decimal(0), Status.BEHIND),
    ],
)
def test_sum_at_least(tmp_path, rows, as_of, actual, status):
    t = recon(tmp_path, rows, as_of)["1.1", "朝陽區"]
    assert (t.comparator, t.actual, t.status) == ("at_least", actual, status)
    assert t.ratio == actual / 400


@pytest.mark.parametrize(
    ("quantity", "country", "chaoyang"),
    [
        ("95", Status.MET, Status.MET),  # 95 = 100 × (1 − 0.05)
        ("94.99", Status.ON_TRACK, Status.MET),
        ("80", Status.ON_TRACK, Status.MET),  # 80 = 100 × (1 − 0.2)
        ("79.99", Status.ON_TRACK, Status.ON_TRACK),
        ("30", Status.BEHIND, Status.BEHIND),
    ],
)
def test_sum_approx_with_default_and_overridden_tolerance(tmp_path, quantity, country, chaoyang):
    found = recon(tmp_path, f"2024-03-01,1.2,朝陽區,{quantity},,,,,\n")
    assert (found["1.2", "北京市"].actual, found["1.2", "北京市"].status) == (Decimal(quantity), country)
    assert (found["1.2", "朝陽區"].actual, found["1.2", "朝陽區"].status) == (Decimal(quantity), chaoyang)


def test_approx_tolerance_comes_from_the_plan(tmp_path):
    text = RECON.read_text(encoding="utf-8").replace(
        "period: {start: 2024-01-01, end: 2024-12-31}\n",
        "period: {start: 2024-01-01, end: 2024-12-31}\ntolerance: 0.1\n",
        1,
    )
    ctx = context_from_text(text)
    report, _ = run(ctx, [ledger_csv(tmp_path, "2024-03-01,1.2,海淀區,90,,,,,\n")], MID_YEAR)
    found = targets(report)
    assert found["1.2", "北京市"].status == Status.MET  # 90 = 100 × (1 − 0.1)
    assert found["1.2", "朝陽區"].status == Status.BEHIND  # its own 0.2 still; no row in 朝陽區


@pytest.mark.parametrize(
    ("rows", "as_of", "actual", "status"),
    [
        ("2024-01-15,1.3,朝陽區,1,,,,,\n", date(2024, 1, 20), Decimal(1), Status.VIOLATED),  # at once
        ("2024-01-15,1.3,朝陽區,1,,,,,\n", date(2025, 3, 1), Decimal(1), Status.VIOLATED),
        ("", date(2024, 1, 20), Decimal(0), Status.ON_TRACK),  # holds, before the deadline
        ("", date(2024, 12, 31), Decimal(0), Status.ON_TRACK),  # the deadline day itself
        ("", date(2025, 1, 1), Decimal(0), Status.MET),  # held to the end
        ("2024-01-15,1.3,朝陽區,1,,,,,\n2024-01-16,1.3,朝陽區,-1,,,,,\n", date(2025, 1, 1), Decimal(0), Status.MET),
        ("2024-12-15,1.3,朝陽區,1,,,,,\n", date(2024, 12, 14), Decimal(0), Status.ON_TRACK),  # not yet
    ],
)
def test_sum_at_most_zero_growth(tmp_path, rows, as_of, actual, status):
    t = recon(tmp_path, rows, as_of)["1.3", "北京市"]
    assert (t.comparator, t.value, t.actual, t.ratio, t.status) == ("at_most", Decimal(0), actual, None, status)


# --- latest ------------------------------------------------------------------------------

LATEST_ROWS = (
    "2024-03-01,1.4,朝陽區,5,,,,,\n"
    "2024-04-01,1.4,朝陽區,1,,,,,\n"
    "2024-03-15,1.4,太陽宮鄉,4,,,,,\n"
    "2024-03-01,1.4,海淀區,2,,,,,\n"
    "2024-05-01,1.4,海淀區,0,,,,,\n"
    "2024-02-01,1.4,城市副中心,7,,,,,\n"
)


@pytest.mark.parametrize(
    ("as_of", "country", "district", "centre"),
    [
        (date(2024, 1, 31), None, None, None),
        (date(2024, 2, 1), Decimal(7), None, Decimal(7)),
        (date(2024, 3, 1), Decimal(14), Decimal(7), Decimal(7)),  # 5 + 2 + 7
        # 太陽宮鄉 reports 4 after 朝陽區's 5: the fresher figure below replaces the parent's, 4 + 2 + 7
        (date(2024, 3, 31), Decimal(13), Decimal(6), Decimal(7)),
        (date(2024, 4, 1), Decimal(10), Decimal(3), Decimal(7)),  # 朝陽區's own 1 is fresher again
        (date(2024, 6, 30), Decimal(8), Decimal(1), Decimal(7)),  # 海淀區 now 0
    ],
)
def test_latest_per_area_summed_over_the_scope(tmp_path, as_of, country, district, centre):
    found = recon(tmp_path, LATEST_ROWS, as_of)
    assert found["1.4", "北京市"].actual == country
    assert found["1.4", "城區"].actual == district
    assert found["1.4", "城市副中心"].actual == centre
    for key in (("1.4", "北京市"), ("1.4", "城區"), ("1.4", "城市副中心")):
        if found[key].actual is None:
            assert found[key].status == Status.NO_DATA
        else:  # above its first report's level: the cut to 0 has not begun
            assert found[key].status in (Status.BEHIND, Status.ON_TRACK)
    if as_of >= date(2024, 3, 31):  # 13 against a start of 7 on 02-01: behind the cut's pace
        assert found["1.4", "北京市"].status == Status.BEHIND


def test_latest_at_most_zero_met_when_every_area_is_cleared(tmp_path):
    rows = "2024-03-01,1.4,朝陽區,5,,,,,\n2024-04-01,1.4,朝陽區,0,,,,,\n2024-03-01,1.4,城市副中心,0,,,,,\n"
    found = recon(tmp_path, rows)
    assert brief(found["1.4", "北京市"]) == (Decimal(0), Decimal(0), None, Status.MET)
    assert brief(found["1.4", "城區"]) == (Decimal(0), Decimal(0), None, Status.MET)
    assert brief(found["1.4", "城市副中心"]) == (Decimal(0), Decimal(0), None, Status.MET)


def test_latest_same_day_the_later_row_wins(tmp_path):
    found = recon(tmp_path, "2024-03-01,1.4,朝陽區,0,,,,,\n2024-03-01,1.4,朝陽區,3,,,,,\n")
    assert found["1.4", "北京市"].actual == Decimal(3)
    found = recon(tmp_path, "2024-03-01,1.4,朝陽區,3,,,,,\n2024-03-01,1.4,朝陽區,0,,,,,\n")
    assert found["1.4", "北京市"].actual == Decimal(0)


def test_latest_by_date_not_by_file_order(tmp_path):
    found = recon(tmp_path, "2024-04-01,1.4,朝陽區,0,,,,,\n2024-03-01,1.4,朝陽區,9,,,,,\n")
    assert brief(found["1.4", "北京市"]) == (Decimal(0), Decimal(0), None, Status.MET)


# --- ratio -------------------------------------------------------------------------------


def test_ratio_sum_over_sum_in_percent(tmp_path):
    rows = "2024-03-01,2.1,海淀區,45,50,,,,\n2024-04-01,2.1,海淀區,45,50,,,,\n2024-03-01,2.1,朝陽區,0,0,,,,\n"
    found = recon(tmp_path, rows, rejected=[(4, "invalid-base")])  # a base of 0 is no base
    assert brief(found["2.1", "海淀區"]) == (Decimal(90), Decimal(90), Decimal(1), Status.MET)
    assert brief(found["2.1", "北京市"]) == (Decimal(100), Decimal(90), Decimal("0.9"), Status.BEHIND)
    assert found["2.1", "北京市"].unit == "%"


def test_ratio_met_at_one_hundred_percent(tmp_path):
    found = recon(tmp_path, "2024-03-01,2.1,海淀區,7,7,,,,\n2024-03-01,2.1,東城區,3,3,,,,\n")
    assert brief(found["2.1", "北京市"]) == (Decimal(100), Decimal(100), Decimal(1), Status.MET)


def test_ratio_without_unit_is_a_fraction(tmp_path):
    found = recon(tmp_path, "2024-03-01,2.8,海淀區,17,20,,,,\n")
    assert brief(found["2.8", "北京市"]) == (
        Decimal("0.9"),
        Decimal("0.85"),
        Decimal("0.85") / Decimal("0.9"),
        Status.BEHIND,
    )
    found = recon(tmp_path, "2024-03-01,2.8,海淀區,18,20,,,,\n")
    assert brief(found["2.8", "北京市"]) == (Decimal("0.9"), Decimal("0.9"), Decimal(1), Status.MET)


@pytest.mark.parametrize("rows", ["", "2024-03-01,2.1,海淀區,0,0,,,,\n", "2024-03-01,2.1,海淀區,3,0,,,,\n"])
def test_ratio_base_zero_is_no_data(tmp_path, rows):
    t = recon(tmp_path, rows, rejected=[(2, "invalid-base")] if rows else [])["2.1", "北京市"]
    assert (t.actual, t.ratio, t.status) == (None, None, Status.NO_DATA)


# --- distinct ----------------------------------------------------------------------------


def test_distinct_by_item_counts_each_item_once(tmp_path):
    rows = (
        "2024-03-01,2.2,海淀區,,,,甲點位,,\n"
        "2024-03-05,2.2,朝陽區,,,,甲点位,,\n"  # Simplified spelling: the same item
        "2024-03-06,2.2,東城區,,,,丙點位,,\n"
    )
    t = recon(tmp_path, rows)["2.2", "北京市"]
    assert (t.actual, t.missing_items, t.status) == (Decimal(2), ("乙點位",), Status.ON_TRACK)
    t = recon(tmp_path, rows + "2024-06-30,2.2,東城區,,,,乙點位,,\n")["2.2", "北京市"]
    assert (t.actual, t.missing_items, t.status) == (Decimal(3), (), Status.MET)


def test_distinct_undeclared_items_fold_to_one(tmp_path):
    rows = (
        "2024-03-01,2.4,東城區,,,,瀏陽會館,,\n"
        "2024-03-02,2.4,東城區,,,,浏阳会馆,,\n"
        "2024-03-03,2.4,海淀區,,,, 湖廣會館 ,,\n"
    )
    t = recon(tmp_path, rows)["2.4", "北京市"]
    assert (t.actual, t.ratio, t.missing_items, t.status) == (Decimal(2), Decimal("0.5"), (), Status.ON_TRACK)


def test_distinct_by_area_and_date(tmp_path):
    rows = (
        "2024-03-01,2.3,海淀區,,,,,,\n"
        "2024-03-01,2.3,海淀區,,,,,,\n"  # same area, same day: once
        "2024/3/1,2.3,朝陽區,,,,,,\n"  # another area, same day
        "2024-03-02,2.3,海淀區,3,,,,,\n"  # a quantity does not matter
    )
    t = recon(tmp_path, rows)["2.3", "北京市"]
    # pace: 10 × (182/366 − 0.10) = 3.97, rounded down to whole (area, day) pairs: 3 is not behind
    assert (t.actual, t.ratio, t.status) == (Decimal(3), Decimal("0.3"), Status.ON_TRACK)
    t = recon(tmp_path, rows, date(2024, 7, 31))["2.3", "北京市"]  # 10 × (213/366 − 0.10) = 4.8: 4
    assert t.status == Status.BEHIND


def test_distinct_key_item_and_date_lists_missing_items_by_name(tmp_path):
    text = RECON.read_text(encoding="utf-8").replace(
        "        items: [甲點位, 乙點位, 丙點位]\n",
        "        items: [甲點位, 乙點位, 丙點位]\n        key: [item, date]\n",
        1,
    )
    ctx = context_from_text(text)
    rows = "".join(
        f"{day},2.2,海淀區,,,,{item},,\n"
        for day, item in [("2024-03-01", "甲點位"), ("2024-03-02", "甲點位"), ("2024-03-02", "甲點位")]
    )
    report, _ = run(ctx, [ledger_csv(tmp_path, rows)], MID_YEAR)
    t = targets(report)["2.2", "北京市"]
    assert (t.actual, t.missing_items) == (Decimal(2), ("乙點位", "丙點位"))


# --- milestone ---------------------------------------------------------------------------


def test_milestone_every_item_done_is_met(tmp_path):
    rows = "2024-03-01,2.5,朝陽區,,,,来广营,,\n2024-04-01,2.5,朝陽區,,,,太陽宮,,\n2024-05-01,2.5,海淀區,,,,海淀鎮,,\n"
    found = recon(tmp_path, rows)
    assert brief(found["2.5", "北京市"]) == (Decimal(3), Decimal(3), Decimal(1), Status.MET)
    assert brief(found["2.5", "朝陽區"]) == (Decimal(2), Decimal(2), Decimal(1), Status.MET)
    assert found["2.5", "北京市"].missing_items == found["2.5", "朝陽區"].missing_items == ()


def test_milestone_item_recorded_outside_its_own_area_is_rejected(tmp_path):
    # 來廣營 is declared at 朝陽區: a row recording it at 海淀區 is a wrong row, not a done item
    found = recon(tmp_path, "2024-03-01,2.5,海淀區,,,,來廣營,,\n", rejected=[(2, "item-area")])
    assert found["2.5", "北京市"].actual == Decimal(0)
    assert (found["2.5", "朝陽區"].actual, found["2.5", "朝陽區"].missing_items) == (Decimal(0), ("來廣營", "太陽宮"))


@pytest.mark.parametrize(
    ("as_of", "status"), [(date(2024, 6, 30), Status.ON_TRACK), (date(2024, 7, 1), Status.OVERDUE)]
)
def test_milestone_overdue_after_its_deadline(tmp_path, as_of, status):
    rows = "2024-03-01,2.5,朝陽區,,,,來廣營,,\n2024-04-01,2.5,朝陽區,,,,太陽宮,,\n"
    t = recon(tmp_path, rows, as_of)["2.5", "北京市"]
    assert (t.actual, t.missing_items, t.status) == (Decimal(2), ("海淀鎮",), status)


# --- qualitative and open values ---------------------------------------------------------


def test_qualitative_counts_rows_and_keeps_the_latest_note(tmp_path):
    rows = "2024-05-01,2.6,朝陽區,,,,,,五月\n2024-03-01,2.6,海淀區,,,,,,三月\n2024-04-01,2.6,東城區,,,,,,\n"
    t = recon(tmp_path, rows)["2.6", "北京市"]
    assert (t.value, t.actual, t.ratio, t.status, t.rows, t.latest_note) == (
        None,
        Decimal(3),
        None,
        Status.NO_TARGET,
        3,
        "五月",
    )
    t = recon(tmp_path, rows, date(2024, 4, 30))["2.6", "北京市"]
    assert (t.actual, t.latest_note) == (Decimal(2), "三月")


def test_open_value_is_no_target_whatever_the_rows(tmp_path):
    t = recon(tmp_path, "2024-03-01,2.7,朝陽區,50,,,,,\n", date(2025, 6, 1))["2.7", "北京市"]
    assert (t.value, t.actual, t.ratio, t.status) == (None, Decimal(50), None, Status.NO_TARGET)


# --- the as-of cut-off -------------------------------------------------------------------


def test_rows_after_the_as_of_date_do_not_exist(tmp_path):
    rows = "2024-03-01,1.1,朝陽區,100,,,,A,\n2024-03-02,1.1,朝陽區,50,,,,,\n2024-03-03,1.1,朝陽區,25,,,,,\n"
    for as_of, actual in (
        (date(2024, 2, 29), 0),
        (date(2024, 3, 1), 100),
        (date(2024, 3, 2), 150),
        (date(2024, 3, 3), 175),
    ):
        assert recon(tmp_path, rows, as_of)["1.1", "朝陽區"].actual == Decimal(actual)


def test_the_first_use_of_a_ref_is_its_earliest_dated_row(tmp_path):
    path = ledger_csv(tmp_path, "2024-08-01,1.1,朝陽區,100,,,,A,\n2024-03-01,1.1,朝陽區,40,,,,A,\n")
    report, ledger = run(context(RECON), [path], MID_YEAR)
    assert targets(report)["1.1", "朝陽區"].actual == Decimal(40)
    assert ledger.duplicates == ledger.conflicts == []  # the 08-01 row does not exist yet
    report, ledger = run(context(RECON), [path], date(2024, 12, 31))
    assert targets(report)["1.1", "朝陽區"].actual == Decimal(40)  # the earliest-dated use, whatever the line
    assert [(d.line, d.first_line, d.ref, d.indicator) for d in ledger.conflicts] == [(2, 3, "A", "1.1")]


def test_basic_ledger_duplicates_depend_on_the_as_of_date():
    _, mid = run(context(RECON), [BASIC], MID_YEAR)
    _, end = run(context(RECON), [BASIC], date(2024, 12, 31))
    assert [(d.line, d.first_line) for d in mid.duplicates] == [(7, 3)]
    assert mid.conflicts == []  # R1's other record is dated 08-01: it does not exist yet
    assert [(d.line, d.first_line) for d in end.duplicates] == [(7, 3)]
    assert [(d.line, d.first_line) for d in end.conflicts] == [(25, 2)]  # R1: 300 then 999


def test_duplicates_across_files_name_the_first_file(tmp_path):
    first = ledger_csv(tmp_path, "2024-03-01,1.1,朝陽區,100,,,,A,\n", name="a.csv")
    second = ledger_csv(tmp_path, "2024-03-01,1.1,朝陽區,100,,,,a,\n2024-03-01,1.1,朝陽區,1,,,,B,\n", name="b.csv")
    report, ledger = run(context(RECON), [first, second], MID_YEAR)
    assert targets(report)["1.1", "朝陽區"].actual == Decimal(101)
    assert [(d.file, d.line, d.first_file, d.first_line) for d in ledger.duplicates] == [("b.csv", 2, "a.csv", 2)]


# --- pace --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2024, 6, 30), Decimal(182) / Decimal(366)),
        (date(2024, 1, 1), Decimal(1) / Decimal(366)),
        (date(2024, 12, 31), Decimal(1)),
        (date(2023, 12, 31), Decimal(0)),
        (date(2020, 1, 1), Decimal(0)),
        (date(2025, 1, 1), Decimal(1)),
        (date(2030, 6, 1), Decimal(1)),
    ],
)
def test_expected_pace_whole_days_both_ends_in(as_of, expected):
    assert expected_pace(date(2024, 1, 1), date(2024, 12, 31), as_of) == expected


def test_expected_pace_in_the_report_is_182_of_366():
    report, _ = run(context(RECON), [], MID_YEAR)
    assert report.expected == Decimal(182) / Decimal(366)
    due_at_year_end = [t for t in report.targets if t.deadline == date(2024, 12, 31) and t.expected is not None]
    assert due_at_year_end and all(t.expected == report.expected for t in due_at_year_end)
    # pace says nothing of ratios, ceilings without a baseline and targets without a value
    assert all(t.expected is None for t in report.targets if t.measure in ("ratio", "qualitative"))


def test_the_pace_window_runs_from_the_pace_phase_to_the_deadline():
    def paced(day: date) -> Decimal:
        (expected,) = {t.expected for t in run(context(PACED), [], day)[0].targets}
        return expected

    assert paced(date(2024, 2, 19)) == Decimal("0.5")  # 50 of the 100 days to the 04-09 deadline, not 50/366
    assert paced(date(2024, 4, 9)) == Decimal(1)
    assert paced(date(2024, 6, 30)) == Decimal(1)


@pytest.mark.parametrize(
    ("rows", "indicator", "status"),
    [
        ("2024-01-05,1.1,朝陽區,400,\n", "1.1", Status.ON_TRACK),  # ratio 0.4 = 0.5 − 0.10: not behind
        ("2024-01-05,1.1,朝陽區,399.99,\n", "1.1", Status.BEHIND),
        ("2024-01-05,1.1,朝陽區,1000,\n", "1.1", Status.MET),
        ("".join(f"2024-01-05,1.2,朝陽區,,點{n}\n" for n in range(4)), "1.2", Status.ON_TRACK),
        ("".join(f"2024-01-05,1.2,朝陽區,,點{n}\n" for n in range(3)), "1.2", Status.BEHIND),
        ("".join(f"2024-01-05,1.3,朝陽區,,{n}\n" for n in "甲乙丙丁"), "1.3", Status.ON_TRACK),
        ("".join(f"2024-01-05,1.3,朝陽區,,{n}\n" for n in "甲乙丙"), "1.3", Status.BEHIND),
    ],
)
def test_behind_threshold_is_expected_minus_ten_points(tmp_path, rows, indicator, status):
    path = ledger_csv(tmp_path, rows, header="日期,指標,地區,數量,項目\n")
    report, ledger = run(context(PACED), [path], date(2024, 2, 19))
    assert ledger.rejected == []
    assert targets(report)[indicator, "北京市"].expected == Decimal("0.5")
    assert targets(report)[indicator, "北京市"].status == status


# --- roll-up through groups and the area tree (plans/city.yaml) ----------------------------


def test_city_rollup_through_the_area_tree():
    report, ledger = run(context(CITY), [ROLLUP], MID_YEAR)
    assert ledger.rejected == []
    found = targets(report)
    wan = Decimal(10_000)
    # 城市副中心 100萬 + 東城區 10萬 + 朝陽區 200萬
    assert found["1.1", "北京市"].actual == 310 * wan
    assert found["1.1", "城六區"].actual == 210 * wan  # not 城市副中心
    assert found["1.1", "核心區"].actual == 10 * wan  # 東城區 only
    # latest in 城市副中心 (written 北京城市副中心, an alias); 通州區's own row is outside it
    assert brief(found["1.4", "城市副中心"]) == (Decimal(0), Decimal(5000), None, Status.BEHIND)
    # the explicit list [朝陽區, 海淀區, 豐臺區, 石景山區] of 3.1, not 東城區
    assert found["3.1", "北京市"].actual == Decimal(35)
    assert found["3.1", "朝陽區、海淀區、豐臺區、石景山區"].actual == Decimal(30)
    assert found["3.1", "朝陽區、海淀區、豐臺區、石景山區"].scope_areas == frozenset(
        {"朝陽區", "海淀區", "豐臺區", "石景山區"}
    )
    # latest over 城六區: 海淀區 3 + 東城區 0; 懷柔區 counts for 北京市 only
    assert found["9.5", "城六區"].actual == Decimal(3)
    assert found["9.2", "北京市"].actual == Decimal(4)
    assert brief(found["3.2", "朝陽區"]) == (Decimal(6), Decimal(1), Decimal(1) / 6, Status.BEHIND)
    assert found["3.2", "朝陽區"].missing_items == ("太陽宮", "將臺", "南磨房", "豆各莊", "常營")
    assert found["1.2", "北京市"].status == Status.VIOLATED


CITY_ANCHOR = "          - {scope: 核心區, value: 24萬平方米}\n"


def test_a_row_counts_in_every_enclosing_scope_and_no_other(tmp_path):
    """A row in 城市副中心 counts toward 城市副中心, 通州區 and 北京市, not 城六區; a row in
    東城區 toward 核心區, 城六區 and 北京市 (targets at 通州區 and 城市副中心 added for the test)."""
    text = CITY.read_text(encoding="utf-8")
    assert CITY_ANCHOR in text, "plans/city.yaml changed: update the anchor of this test"
    extra = "          - {scope: 通州區, value: 200萬平方米}\n          - {scope: 城市副中心, value: 150萬平方米}\n"
    ctx = context_from_text(text.replace(CITY_ANCHOR, CITY_ANCHOR + extra, 1))
    centre = ledger_csv(tmp_path, "2024-03-01,1.1,副中心,7,,,,,\n", name="centre.csv")
    dongcheng = ledger_csv(tmp_path, "2024-03-01,1.1,东城,11,,,,,\n", name="dongcheng.csv")
    actual = lambda report: {scope: t.actual for (ind, scope), t in targets(report).items() if ind == "1.1"}  # noqa: E731
    assert actual(run(ctx, [centre], MID_YEAR)[0]) == {
        "北京市": 7,
        "城六區": 0,
        "核心區": 0,
        "通州區": 7,
        "城市副中心": 7,
    }
    assert actual(run(ctx, [dongcheng], MID_YEAR)[0]) == {
        "北京市": 11,
        "城六區": 11,
        "核心區": 11,
        "通州區": 0,
        "城市副中心": 0,
    }


# --- properties --------------------------------------------------------------------------

AREAS = ("東城區", "朝陽區", "太陽宮鄉", "海淀區", "城市副中心")
quantities = st.decimals(min_value=-(10**6), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
entries = st.lists(st.tuples(st.sampled_from(AREAS), quantities, st.integers(0, 365)), max_size=40)


def _sum_ledger(rows: list[tuple[str, Decimal, int]]) -> PlanReport:
    ctx = context(RECON)
    intake = Intake(ctx, date(2024, 12, 31))  # the core alone: rows in, one merge, report out
    rules = LedgerRules(ctx.plan, ctx.tree, ctx.targets)
    for line, (area, amount, day) in enumerate(rows, start=2):
        when = date.fromordinal(date(2024, 1, 1).toordinal() + day).isoformat()
        fields = {"date": when, "indicator": "1.1", "area": area, "quantity": format(amount, "f")}
        intake.row(rules.row(fields, Location("p.csv", line)), 0)
    return reconcile(ctx, intake.finish(), date(2024, 12, 31))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries)
def test_sum_is_the_exact_decimal_sum(rows):
    found = targets(_sum_ledger(rows))
    assert found["1.1", "北京市"].actual == sum((q for _, q, _ in rows), Decimal(0))
    assert found["1.1", "朝陽區"].actual == sum((q for a, q, _ in rows if a in ("朝陽區", "太陽宮鄉")), Decimal(0))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(entries, st.randoms(use_true_random=False))
def test_sum_does_not_depend_on_row_order(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    first, second = _sum_ledger(rows), _sum_ledger(shuffled)
    assert [(t.actual, t.ratio, t.status) for t in first.targets if t.measure == "sum"] == [
        (t.actual, t.ratio, t.status) for t in second.targets if t.measure == "sum"
    ]


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.dates(date(2023, 1, 1), date(2026, 12, 31)), st.dates(date(2023, 1, 1), date(2026, 12, 31)))
def test_expected_pace_is_clamped_and_monotonic(a, b):
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    first, second = expected_pace(start, end, min(a, b)), expected_pace(start, end, max(a, b))
    assert Decimal(0) <= first <= second <= Decimal(1)


def test_service_build_report_agrees_with_the_core():
    """The service (what the commands run) gives the same rows as reading the file directly."""
    direct, _ = run(context(RECON), [BASIC], MID_YEAR)
    result = build_report([str(RECON)], [str(BASIC)], MID_YEAR)
    (served,) = result.report.plans
    assert [brief(t) for t in served.targets] == [brief(t) for t in direct.targets]
    assert [(r.line, r.code) for r in result.report.rejected] == [(24, "unknown-area")]
    assert result.diagnostics == []


# --- components roll up (7.1 = 7.2 + 7.3) -------------------------------------------------

COMPONENTS_PLAN = """\
id: parts
title: 測試方案（組成）
issuer: 測試辦公室
year: 2024
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: 北京市
  children:
    - name: 東城區
    - name: 朝陽區
    - name: 海淀區
groups:
  - {name: 城區, members: [東城區, 朝陽區]}
organisation:
  lead: {leader: 分管副區長}
tasks:
  - id: "7"
    title: 市場
    indicators:
      - id: "7.1"
        name: 疏解提升市場
        unit: 個
        measure: sum
        components: ["7.2", "7.3", "7.2"]   # 7.2 listed twice
        targets:
          - {scope: 北京市, value: 2000}
          - {scope: 城區, value: 1500}
          - {scope: 海淀區, value: 500}
      - id: "7.2"
        name: 疏解清退市場
        unit: 個
        measure: sum
        components: ["7.4"]
        targets:
          - {scope: 朝陽區, value: 1000}
      - id: "7.3"
        name: 升級改造市場
        unit: 個
        measure: sum
        components: ["7.4"]                 # 7.4 reached through 7.2 and 7.3
        targets:
          - {scope: 海淀區, value: 200}
      - id: "7.4"
        name: 其中：批發市場
        unit: 個
        measure: sum
        targets:
          - {scope: 朝陽區, value: 1000}
"""
COMPONENT_ROWS = (
    "2024-03-01,7.1,東城區,1,,,,,\n"  # a row of the whole itself
    "2024-03-01,7.2,朝陽區,10,,,,,\n"
    "2024-03-01,7.3,海淀區,100,,,,,\n"
    "2024-03-01,7.4,朝陽區,1000,,,,,\n"
    "2024-08-01,7.2,朝陽區,5,,,,,\n"  # after the as-of date
)


def component_actuals(tmp_path: Path, as_of: date = MID_YEAR) -> dict[tuple[str, str], Decimal | None]:
    report, ledger = run(context_from_text(COMPONENTS_PLAN), [ledger_csv(tmp_path, COMPONENT_ROWS)], as_of)
    assert ledger.rejected == []
    return {key: t.actual for key, t in targets(report).items()}


def test_components_roll_up_into_the_whole_in_every_scope(tmp_path):
    actual = component_actuals(tmp_path)
    # 7.1: its own 1 + 7.2's 10 + 7.3's 100 + 7.4's 1000, each row once
    assert actual["7.1", "北京市"] == Decimal(1111)
    assert actual["7.1", "城區"] == Decimal(1011)  # 東城區 1 + 朝陽區 10 + 1000
    assert actual["7.1", "海淀區"] == Decimal(100)
    # recursively: 7.2 and 7.3 take in 7.4; 7.4 has no components
    assert actual["7.2", "朝陽區"] == Decimal(1010)
    assert actual["7.3", "海淀區"] == Decimal(100)  # its own; 7.4's row is in 朝陽區
    assert actual["7.4", "朝陽區"] == Decimal(1000)


def test_components_roll_up_respects_the_as_of_date(tmp_path):
    assert component_actuals(tmp_path, date(2024, 2, 1))["7.1", "北京市"] == Decimal(0)
    assert component_actuals(tmp_path, date(2024, 12, 31))["7.1", "北京市"] == Decimal(1116)


def test_components_status_and_ratio_use_the_rolled_up_actual(tmp_path):
    report, _ = run(context_from_text(COMPONENTS_PLAN), [ledger_csv(tmp_path, COMPONENT_ROWS)], MID_YEAR)
    whole = targets(report)["7.1", "城區"]
    assert (whole.actual, whole.ratio, whole.rows) == (Decimal(1011), Decimal(1011) / 1500, 3)
    assert whole.status == Status.ON_TRACK  # 67.4% against 49.7% expected


def test_a_component_cycle_counts_each_row_once(tmp_path):
    text = COMPONENTS_PLAN.replace(
        "        measure: sum\n        targets:\n          - {scope: 朝陽區, value: 1000}",
        '        measure: sum\n        components: ["7.1"]\n        targets:\n          - {scope: 朝陽區, value: 1000}',
    )
    assert 'components: ["7.1"]' in text
    plan, problems = plan_from_text(text, "plan.yaml")
    assert plan is not None, problems
    ctx, found = check_plan(plan)
    assert [d.code for d in found if d.is_error] == ["component-cycle"]  # check says so; the tally never loops
    report, _ = run(ctx, [ledger_csv(tmp_path, COMPONENT_ROWS)], MID_YEAR)
    found = targets(report)
    assert found["7.1", "北京市"].actual == Decimal(1111)
    assert found["7.4", "朝陽區"].actual == Decimal(1010)  # 7.4 → 7.1 → 7.2, 7.3 → back to 7.4: once


def test_the_shipped_city_plan_rolls_7_2_and_7_3_into_7_1(tmp_path):
    rows = "2024-03-01,7.2,朝陽區,3,,,,,\n2024-03-01,7.3,大興區,2,,,,,\n2024-03-01,7.1,海淀區,1,,,,,\n"
    report, ledger = run(context(CITY), [ledger_csv(tmp_path, rows)], MID_YEAR)
    assert ledger.rejected == []
    found = targets(report)
    assert found["7.1", "北京市"].actual == Decimal(6)
    assert found["7.1", "城六區"].actual == Decimal(4)  # not 大興區
    assert found["7.2", "北京市"].actual == Decimal(3)


# --- at_most: no completion ratio -----------------------------------------------------------

CEILINGS = "          - {scope: 城市副中心, value: 0, comparator: at_most}\n"
CEILING_TARGETS = "          - {scope: 海淀區, value: 10, comparator: at_most}\n"


def ceiling_context() -> PlanContext:
    """recon with non-zero ceilings: 1.4 (latest) ≤ 10 in 海淀區, 1.3 (sum) ≤ 5 in 朝陽區."""
    text = RECON.read_text(encoding="utf-8")
    assert CEILINGS in text and '          - {scope: 北京市, value: 0, comparator: at_most}\n  - id: "2"' not in text
    text = text.replace(CEILINGS, CEILINGS + CEILING_TARGETS, 1)
    old = '        targets:\n          - {scope: 北京市, value: 0, comparator: at_most}\n      - id: "1.4"'
    assert old in text
    text = text.replace(
        old,
        "        targets:\n"
        "          - {scope: 北京市, value: 0, comparator: at_most}\n"
        "          - {scope: 朝陽區, value: 5, comparator: at_most}\n"
        '      - id: "1.4"',
        1,
    )
    return context_from_text(text)


@pytest.mark.parametrize(
    ("rows", "as_of", "latest", "zero_growth"),
    [
        ("2024-03-01,1.4,海淀區,4,,,,,\n2024-03-01,1.3,朝陽區,3,,,,,\n", MID_YEAR, Status.MET, Status.ON_TRACK),
        ("2024-03-01,1.4,海淀區,10,,,,,\n2024-03-01,1.3,朝陽區,5,,,,,\n", MID_YEAR, Status.MET, Status.ON_TRACK),
        ("2024-03-01,1.4,海淀區,12,,,,,\n2024-03-01,1.3,朝陽區,6,,,,,\n", MID_YEAR, Status.BEHIND, Status.VIOLATED),
        (
            "2024-03-01,1.4,海淀區,9.98,,,,,\n2024-03-01,1.3,朝陽區,4.99,,,,,\n",
            date(2025, 1, 1),
            Status.MET,
            Status.MET,
        ),
        ("2024-03-01,1.4,海淀區,12,,,,,\n", date(2025, 1, 1), Status.OVERDUE, Status.MET),
    ],
)
def test_at_most_targets_have_no_ratio_and_keep_their_status(tmp_path, rows, as_of, latest, zero_growth):
    report, ledger = run(ceiling_context(), [ledger_csv(tmp_path, rows)], as_of)
    assert ledger.rejected == []
    found = targets(report)
    ceiling, growth = found["1.4", "海淀區"], found["1.3", "朝陽區"]
    assert (ceiling.comparator, ceiling.ratio, ceiling.status) == ("at_most", None, latest)
    assert (growth.comparator, growth.ratio, growth.status) == ("at_most", None, zero_growth)
    assert ceiling.actual is not None and growth.actual is not None  # the actual is still reported
