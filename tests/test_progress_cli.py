"""`shuzheng progress` and `shuzheng check --ledger` through the command line (DOMAIN §8, §9),
run in-process from the repository root with the test's own ledgers."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

RECON = "tests/fixtures/plans/recon.yaml"
BASIC = "tests/fixtures/ledgers/recon/basic.csv"
REJECTS = "tests/fixtures/ledgers/recon/rejects.csv"
ROLLUP = "tests/fixtures/ledgers/city/rollup.csv"
SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "report.schema.json"

TOP_KEYS = {"as_of", "plans", "rejected", "duplicates"}
TOP_EXTRA = {"corrections", "conflicts", "outside_scope", "files", "rows"}  # every row accounted for
PLAN_KEYS = {"id", "title", "period", "expected", "targets"}
TARGET_KEYS = {
    "task",
    "indicator",
    "name",
    "scope",
    "unit",
    "measure",
    "comparator",
    "value",
    "actual",
    "ratio",
    "expected",
    "status",
    "deadline",
    "lead",
    "missing_items",
    # views: traffic light, forecast, a ratio's parts
    "light",
    "remaining",
    "required_per_month",
    "achieved_per_month",
    "forecast",
    "projected_ratio",
    "numerator",
    "base",
}
REJECTED_KEYS = {"file", "line", "reason"}
DUPLICATE_KEYS = {"file", "line", "first_line", "ref"}
STATUSES = {"no_target", "no_data", "violated", "met", "overdue", "behind", "on_track"}

RECON_TARGETS = [
    ("1.1", "北京市"),
    ("1.1", "朝陽區"),
    ("1.2", "北京市"),
    ("1.2", "朝陽區"),
    ("1.3", "北京市"),
    ("1.4", "北京市"),
    ("1.4", "城區"),
    ("1.4", "城市副中心"),
    ("2.1", "北京市"),
    ("2.1", "海淀區"),
    ("2.8", "北京市"),
    ("2.2", "北京市"),
    ("2.3", "北京市"),
    ("2.4", "北京市"),
    ("2.5", "北京市"),
    ("2.5", "朝陽區"),
    ("2.6", "北京市"),
    ("2.7", "北京市"),
]
# at 2024-06-30: 1.1 朝陽區 and 2.5 北京市 are due that day; the stocks of 1.4 fall on pace;
# 2.2 and 2.4 are on pace in whole items (test_reconcile.py has the figures)
RECON_BEHIND = {
    ("1.1", "朝陽區"),
    ("2.1", "北京市"),
    ("2.3", "北京市"),
    ("2.5", "北京市"),
}
INSIDE_CITY_SIX = {
    ("1.1", "城六區"),
    ("1.1", "核心區"),
    ("1.3", "石景山區"),
    ("2.5", "城六區"),
    ("3.1", "朝陽區、海淀區、豐臺區、石景山區"),
    ("3.2", "朝陽區"),
    ("4.1", "東城區"),
    ("4.1", "西城區"),
    ("4.1", "朝陽區"),
    ("4.1", "海淀區"),
    ("4.1", "豐臺區"),
    ("4.1", "石景山區"),
    ("5.1", "核心區"),
    ("5.3", "城六區"),
    ("6.1", "城六區"),
    ("6.2", "城六區"),
    ("7.1", "城六區"),
    ("7.4", "城六區"),
    ("8.1", "城六區"),
    ("9.1", "城六區"),
    ("9.3", "城六區"),
    ("9.4", "城六區"),
    ("9.5", "城六區"),
    ("10.1", "城六區"),
}


@pytest.fixture
def progress(cli, in_repo):
    """`shuzheng progress ARGS… --format json` → the parsed report (exit code 0 asserted)."""

    def run(*args: str) -> dict:
        result = cli("progress", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert "internal error" not in result.stderr
        return json.loads(result.stdout)

    return run


def pairs(report: dict) -> list[tuple[str, str]]:
    return [(t["indicator"], t["scope"]) for plan in report["plans"] for t in plan["targets"]]


def by_pair(report: dict) -> dict[tuple[str, str], dict]:
    return {(t["indicator"], t["scope"]): t for plan in report["plans"] for t in plan["targets"]}


# --- the JSON report (§9) ------------------------------------------------------------------


def test_json_report_has_exactly_the_keys_of_section_9(progress):
    report = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert TOP_KEYS <= set(report) <= TOP_KEYS | TOP_EXTRA
    assert report["as_of"] == "2024-06-30"
    (plan,) = report["plans"]
    assert set(plan) == PLAN_KEYS
    assert (plan["id"], plan["title"], plan["period"], plan["expected"]) == (
        "recon",
        "測試方案（對賬）",
        {"start": "2024-01-01", "end": "2024-12-31"},
        0.4973,
    )
    assert pairs(report) == RECON_TARGETS
    for target in plan["targets"]:
        assert set(target) - {"unreported"} == TARGET_KEYS  # a stock also lists its areas never reported
        assert target["status"] in STATUSES
    assert by_pair(report)["1.1", "北京市"] == {
        "task": "1",
        "indicator": "1.1",
        "name": "拆除違法建設",
        "scope": "北京市",
        "unit": "平方米",
        "measure": "sum",
        "comparator": "at_least",
        "value": 1000,
        "actual": 40000.5,
        "ratio": 40.0005,
        "expected": 0.4973,
        "status": "met",
        "deadline": "2024-12-31",
        "lead": "城管執法局（分管副區長）",
        "missing_items": [],
        "light": "green",
        **dict.fromkeys(("remaining", "required_per_month", "achieved_per_month", "forecast", "projected_ratio")),
        **dict.fromkeys(("numerator", "base")),
    }
    assert by_pair(report)["2.2", "北京市"]["missing_items"] == ["乙點位", "丙點位"]
    assert by_pair(report)["2.1", "北京市"]["ratio"] == 0.6667
    assert by_pair(report)["2.6", "北京市"]["value"] is None
    assert by_pair(report)["1.4", "城市副中心"]["actual"] is None
    assert [{k: r[k] for k in REJECTED_KEYS} for r in report["rejected"]] == [
        {"file": BASIC, "line": 24, "reason": "area: unknown area '火星區'"}
    ]
    assert all(set(r) <= REJECTED_KEYS | {"code"} for r in report["rejected"])
    assert report["rejected"][0]["code"] == "unknown-area"
    assert report["duplicates"] == [
        {"file": BASIC, "line": 7, "first_line": 3, "ref": "R2", "first_file": BASIC, "indicator": "1.1"}
    ]
    assert report["corrections"] == [{"file": BASIC, "line": 6, "indicator": "1.1", "area": "東城區", "quantity": -500}]


def test_json_report_validates_against_the_schema(progress):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for args in (
        ("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30"),
        ("--plan", RECON, "--ledger", REJECTS, "--as-of", "2025-01-01"),
        ("--plan", "city", "--ledger", ROLLUP, "--as-of", "2024-06-30"),
    ):
        report = progress(*args)
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]
    statuses = {
        t["status"]
        for t in progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-07-01")["plans"][0]["targets"]
    }
    assert statuses == STATUSES  # all seven occur in the sample on 2024-07-01


def test_the_schema_rejects_what_section_9_does_not_allow(progress):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    report = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert validator.is_valid(report)
    broken = json.loads(json.dumps(report))
    broken["plans"][0]["targets"][0]["status"] = "done"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(report))
    del broken["plans"][0]["targets"][0]["missing_items"]
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(report))
    broken["plans"][0]["targets"][0]["actual"] = "40000.5"
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(report))
    broken["rejected"][0]["line"] = 0
    assert not validator.is_valid(broken)
    broken = json.loads(json.dumps(report))
    broken["extra"] = 1
    assert not validator.is_valid(broken)


# --- filters -------------------------------------------------------------------------------


def test_district_city_six_keeps_the_targets_inside_it(progress):
    report = progress("--plan", "city", "--ledger", ROLLUP, "--as-of", "2024-06-30", "--district", "城六区")
    assert [p["id"] for p in report["plans"]] == ["city"]
    assert set(pairs(report)) == INSIDE_CITY_SIX
    assert len(pairs(report)) == len(INSIDE_CITY_SIX)
    found = by_pair(report)
    assert found["1.1", "城六區"]["actual"] == 2_100_000
    assert found["1.1", "核心區"]["actual"] == 100_000
    assert found["3.1", "朝陽區、海淀區、豐臺區、石景山區"]["actual"] == 30


@pytest.mark.parametrize("name", ["朝阳", "朝陽區", "朝阳区", " 朝 陽 ", "朝陽"])
def test_district_without_suffix_or_in_simplified(progress, name):
    report = progress("--plan", "city", "--ledger", ROLLUP, "--as-of", "2024-06-30", "--district", name)
    assert pairs(report) == [("3.2", "朝陽區"), ("4.1", "朝陽區")]
    assert by_pair(report)["3.2", "朝陽區"]["missing_items"] == ["太陽宮", "將臺", "南磨房", "豆各莊", "常營"]


def test_district_of_a_group_member_below_a_district(progress):
    report = progress("--plan", "city", "--ledger", ROLLUP, "--as-of", "2024-06-30", "--district", "通州区")
    assert pairs(report) == [("1.4", "城市副中心")]
    assert by_pair(report)["1.4", "城市副中心"]["actual"] == 5000


def test_unknown_district_exits_2_and_lists_the_known_names(cli, in_repo):
    result = cli("progress", "--plan", "city", "--ledger", ROLLUP, "--district", "火星")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "火星" in result.stderr
    for name in ("北京市", "朝陽區", "城市副中心", "城六區", "核心區"):
        assert name in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("status", [["behind"], ["滯後"], ["滞后"], ["BEHIND"]])
def test_status_filter(progress, status):
    args = [x for s in status for x in ("--status", s)]
    report = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", *args)
    assert set(pairs(report)) == RECON_BEHIND
    every = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert set(pairs(report)) == {pair for pair, t in by_pair(every).items() if t["status"] == "behind"}
    assert {t["status"] for t in report["plans"][0]["targets"]} == {"behind"}


def test_several_statuses(progress):
    repeated = progress(
        "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", "--status", "met", "--status", "violated"
    )
    commas = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", "--status", "met,violated")
    assert (
        pairs(repeated) == pairs(commas) == [("1.1", "北京市"), ("1.2", "朝陽區"), ("1.3", "北京市"), ("2.1", "海淀區")]
    )


def test_an_unknown_status_exits_2(cli, in_repo):
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--status", "done")
    assert result.exit_code == 2
    assert "done" in result.stderr and "behind" in result.stderr


def test_task_and_indicator_filters(progress):
    base = ("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert pairs(progress(*base, "--task", "1")) == RECON_TARGETS[:8]
    assert pairs(progress(*base, "--indicator", "1.1")) == [("1.1", "北京市"), ("1.1", "朝陽區")]
    assert pairs(progress(*base, "--indicator", "1.1", "--indicator", "2.5")) == [
        ("1.1", "北京市"),
        ("1.1", "朝陽區"),
        ("2.5", "北京市"),
        ("2.5", "朝陽區"),
    ]
    assert pairs(progress(*base, "--task", "2", "--status", "on_track")) == [
        ("2.2", "北京市"),
        ("2.4", "北京市"),
        ("2.5", "朝陽區"),
    ]
    assert pairs(progress(*base, "--task", "2", "--district", "海淀")) == [("2.1", "海淀區")]
    assert pairs(progress(*base, "--task", "2", "--indicator", "1.1")) == []  # both kept: no target is in both


def test_plan_by_id_and_by_path(progress):
    by_id = progress("--plan", "city", "--ledger", ROLLUP, "--as-of", "2024-06-30")
    by_path = progress("--plan", "plans/city.yaml", "--ledger", ROLLUP, "--as-of", "2024-06-30")
    assert by_id == by_path
    assert [p["id"] for p in by_id["plans"]] == ["city"]


def test_unknown_plan_exits_2(cli, in_repo):
    result = cli("progress", "--plan", "citty", "--ledger", ROLLUP)
    assert result.exit_code == 2
    assert "city" in result.stderr


# --- as-of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["2024-06-30", "2024/6/30", "2024.6.30", "2024年6月30日", "２０２４－０６－３０", "2024/06/30"]
)
def test_as_of_in_several_spellings(progress, spelling):
    report = progress("--plan", RECON, "--ledger", BASIC, "--as-of", spelling)
    assert report["as_of"] == "2024-06-30"
    assert report["plans"][0]["expected"] == 0.4973
    assert by_pair(report)["1.1", "北京市"]["actual"] == 40000.5


def test_as_of_cuts_rows_off(progress):
    early = by_pair(progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-03-01"))
    assert early["1.1", "北京市"]["actual"] == 300
    assert early["1.4", "北京市"]["actual"] == 7
    assert early["1.1", "朝陽區"]["status"] == "on_track"
    late = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-12-31")
    assert by_pair(late)["1.1", "朝陽區"]["status"] == "overdue"
    assert [(d["line"], d["first_line"]) for d in late["duplicates"]] == [(7, 3)]
    assert [(d["line"], d["first_line"]) for d in late["conflicts"]] == [(25, 2)]


@pytest.mark.parametrize("spelling", ["2024-06-31", "2024-13-01", "tomorrow", "30/6/2024", ""])
def test_a_bad_as_of_exits_2(cli, in_repo, spelling):
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", spelling)
    assert result.exit_code == 2
    assert "--as-of" in result.stderr
    assert result.stdout == ""


# --- other formats -------------------------------------------------------------------------


def test_csv_has_one_row_per_target(cli, in_repo):
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["indicator"], r["scope"]) for r in rows] == RECON_TARGETS
    first = rows[0]
    assert (
        first["plan"],
        first["value"],
        first["actual"],
        first["status"],
        first["status_label"],
        first["deadline"],
    ) == (
        "recon",
        "1000",
        "40000.5",
        "met",
        "Met",  # the label people read, in the output's language; `status` is the value tools match
        "2024-12-31",
    )
    assert rows[11]["missing_items"] == "乙點位、丙點位"


def test_markdown_has_one_table_row_per_target(cli, in_repo):
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", "--format", "md")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("|")]
    rules = [line for line in lines if re.fullmatch(r"\|( :?-+:? \|)+", line)]
    headers = [line for line in lines if line.startswith("| Indicator ")]
    body = [line for line in lines if line not in rules and line not in headers]
    assert len(rules) == len(headers) == 2  # one table per task
    assert len(body) == len(RECON_TARGETS)
    assert [line.split("|")[2].strip() for line in body] == [scope for _, scope in RECON_TARGETS]


def test_table_ends_with_the_rejected_and_duplicate_counts(cli, in_repo):
    result = cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert result.exit_code == 0
    last = " ".join(result.stdout.rstrip().split("\n\n")[-1].splitlines())  # the closing paragraph, wrapped or not
    # every row read, in its class: 24 read = 21 counted + 1 rejected + 1 duplicate + 1 after 06-30
    assert last.startswith("24 ledger rows read: 21 counted, 1 rejected, 1 duplicate (counted once)"), last
    assert "shuzheng check" in last
    for _, scope in RECON_TARGETS:
        assert scope in result.stdout


def test_progress_does_not_fail_on_rejected_rows(cli, in_repo):
    # as of 2025-01-01 the row of that day (line 18) exists, and is outside the period
    result = cli("progress", "--plan", RECON, "--ledger", REJECTS, "--as-of", "2025-01-01", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [(r["line"], r["code"]) for r in report["rejected"]] == [
        (2, "unknown-indicator"),
        (3, "unknown-area"),
        (4, "invalid-date"),
        (5, "invalid-date"),
        (6, "invalid-number"),
        (7, "out-of-period"),
        (8, "unit-mismatch"),
        (9, "unknown-item"),
        (10, "missing-cell"),
        (11, "extra-cell"),
        (12, "missing-cell"),
        (18, "out-of-period"),
    ]
    assert all(r["file"] == REJECTS for r in report["rejected"])


def test_an_unreadable_ledger_is_listed_and_fails(cli, in_repo, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("日期,指標,地區,數量\n".encode() + "2024-03-01,1.1,朝陽區,1\n".encode("gbk"))
    result = cli("progress", "--plan", RECON, "--ledger", str(bad), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(r["file"], r["line"], r["code"]) for r in report["rejected"]] == [(str(bad), 2, "encoding-error")]
    assert f"{bad}:2: error: " in result.stderr


# --- check --ledger --------------------------------------------------------------------------


def test_check_lists_every_rejected_row_and_duplicate(cli, in_repo):
    result = cli("check", RECON, "--ledger", REJECTS)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    ledger_lines = [line for line in lines if line.startswith(REJECTS + ":")]
    pattern = re.compile(rf"{re.escape(REJECTS)}:(\d+)(?::\d+)?: (error|warning): (.+) \[([a-z-]+)\]")
    parsed = [pattern.fullmatch(line) for line in ledger_lines]
    assert all(parsed), ledger_lines
    assert [(int(m[1]), m[2], m[4]) for m in parsed] == [
        (2, "error", "unknown-indicator"),
        (3, "error", "unknown-area"),
        (4, "error", "invalid-date"),
        (5, "error", "invalid-date"),
        (6, "error", "invalid-number"),
        (7, "error", "out-of-period"),
        (8, "error", "unit-mismatch"),
        (9, "error", "unknown-item"),
        (10, "error", "missing-cell"),
        (11, "error", "extra-cell"),
        (12, "error", "missing-cell"),
        (16, "warning", "duplicate-ref"),
        (18, "error", "out-of-period"),
    ]
    assert "line 15" in parsed[11][3] and "'A1'" in parsed[11][3]
    assert lines[-1] == "1 plan, 17 ledger rows in 1 file: 12 errors, 2 warnings"


def test_check_messages_match_the_progress_reasons(cli, in_repo):
    report = json.loads(
        cli("progress", "--plan", RECON, "--ledger", REJECTS, "--as-of", "2024-12-31", "--format", "json").stdout
    )
    stderr = cli("check", RECON, "--ledger", REJECTS).stderr.splitlines()
    for row in report["rejected"]:
        said = re.compile(rf"{re.escape(row['file'])}:{row['line']}(:\d+)?: error: {re.escape(row['reason'])} ")
        assert any(said.match(line) and line.endswith(f"[{row['code']}]") for line in stderr), row
    for row in report["duplicates"]:
        assert any(
            line.startswith(f"{row['file']}:{row['line']}: warning: ") and line.endswith("[duplicate-ref]")
            for line in stderr
        )


def test_check_sees_rows_at_every_date(cli, in_repo):
    """check has no as-of: the row of August using R1 for another record is a conflict there."""
    result = cli("check", RECON, "--ledger", BASIC)
    assert result.exit_code == 1
    assert [
        line.split(": ")[0] + " " + line.rsplit(" ", 1)[1]
        for line in result.stderr.splitlines()
        if line.startswith(BASIC)
    ] == [
        f"{BASIC}:4 [implausible-quantity]",  # 3萬平方米 in one row, 1.1's largest target is 1000
        f"{BASIC}:5 [implausible-quantity]",
        f"{BASIC}:7 [duplicate-ref]",
        f"{BASIC}:24:3 [unknown-area]",
        f"{BASIC}:25 [conflicting-ref]",
    ]


def test_check_with_a_clean_ledger_exits_0(cli, in_repo):
    result = cli("check", "city", "--ledger", ROLLUP)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "1 plan, 13 ledger rows in 1 file: 0 errors, 1 warning"
    assert "rollup.csv:6: warning: 通州區 is in no target's scope of 1.4" in result.stderr  # valid, counts to nothing


def test_check_json_carries_the_ledger_findings(cli, in_repo):
    result = cli("check", RECON, "--ledger", REJECTS, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    found = [(d["file"], d["line"], d["severity"], d["code"]) for d in document["diagnostics"] if d["file"] == REJECTS]
    assert len(found) == 13
    assert (REJECTS, 16, "warning", "duplicate-ref") in found
    assert (document["ledger_files"], document["ledger_rows"]) == (1, 17)


# --- where ledgers come from -------------------------------------------------------------------


def test_ledger_folder_is_read_recursively_without_lock_and_hidden_files(cli, in_repo, tmp_path):
    from openpyxl import Workbook

    (tmp_path / "sub").mkdir()
    (tmp_path / "a.csv").write_text("日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,100\n", encoding="utf-8")
    workbook = Workbook()
    workbook.active.append(["日期", "指標", "地區", "數量"])
    workbook.active.append(["2024-03-02", "1.1", "海淀區", 20])
    workbook.save(tmp_path / "sub" / "b.xlsx")
    (tmp_path / "~$b.xlsx").write_bytes(b"lock file, not a workbook")
    (tmp_path / ".hidden.csv").write_text("日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,5000\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a ledger", encoding="utf-8")
    result = cli("progress", "--plan", RECON, "--ledger", str(tmp_path), "--as-of", "2024-06-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert by_pair(report)["1.1", "北京市"]["actual"] == 120
    assert report["rejected"] == []


def test_several_ledger_options_add_up(progress, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,100\n", encoding="utf-8")
    report = progress("--plan", RECON, "--ledger", BASIC, "--ledger", str(other), "--as-of", "2024-06-30")
    assert by_pair(report)["1.1", "北京市"]["actual"] == 40100.5
    assert by_pair(report)["1.1", "朝陽區"]["actual"] == 400


def test_a_missing_ledger_path_is_an_error(cli, in_repo):
    """A --ledger that does not exist is bad usage, found before anything is read or printed."""
    for command in (["progress", "--plan", RECON, "--format", "json"], ["check", RECON]):
        result = cli(*command, "--ledger", "tests/fixtures/ledgers/nowhere.csv")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            "shuzheng: error: --ledger tests/fixtures/ledgers/nowhere.csv: no such ledger file or folder"
            " [missing-file]\n"
        )


# --- numbers in the report -------------------------------------------------------------------


def test_the_actual_of_a_ratio_is_rounded_to_four_places(cli, progress):
    report = progress("--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30")
    assert by_pair(report)["2.1", "北京市"]["actual"] == 66.6667  # (9 + 1) / (10 + 5) × 100
    assert by_pair(report)["2.1", "海淀區"]["actual"] == 90
    assert by_pair(report)["1.1", "北京市"]["actual"] == 40000.5  # other measures as they are
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli("progress", "--plan", RECON, "--ledger", BASIC, "--as-of", "2024-06-30", "--format", "csv").stdout
            )
        )
    )
    assert [r["actual"] for r in rows if (r["indicator"], r["scope"]) == ("2.1", "北京市")] == ["66.6667"]


CEILING = "          - {scope: 城市副中心, value: 0, comparator: at_most}\n"


@pytest.fixture
def ceiling_plan(in_repo, tmp_path) -> Path:
    """recon with a ceiling that is not 0: 1.4 (latest) at most 10 in 海淀區."""
    text = (in_repo / RECON).read_text(encoding="utf-8")
    assert CEILING in text
    path = tmp_path / "recon" / "plan.yaml"
    path.parent.mkdir()
    path.write_text(
        text.replace(CEILING, CEILING + "          - {scope: 海淀區, value: 10, comparator: at_most}\n", 1),
        encoding="utf-8",
    )
    (tmp_path / "recon" / "ledger.csv").write_text(
        "日期,指標,地區,數量\n2024-03-01,1.4,海淀區,9.98\n", encoding="utf-8"
    )
    return path


def test_an_at_most_target_has_no_completion(cli, ceiling_plan):
    args = (
        "progress",
        "--plan",
        str(ceiling_plan),
        "--ledger",
        str(ceiling_plan.parent / "ledger.csv"),
        "--as-of",
        "2024-06-30",
    )
    report = json.loads(cli(*args, "--format", "json").stdout)
    target = by_pair(report)["1.4", "海淀區"]
    assert (target["comparator"], target["value"], target["actual"], target["ratio"], target["status"]) == (
        "at_most",
        10,
        9.98,
        None,
        "met",
    )
    rows = list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv").stdout)))
    assert [(r["ratio"], r["status"]) for r in rows if (r["indicator"], r["scope"]) == ("1.4", "海淀區")] == [
        ("", "met")
    ]
    (line,) = [
        line for line in cli(*args, "--format", "md").stdout.splitlines() if "| 海淀區 " in line and "1.4" in line
    ]
    assert [cell.strip() for cell in line.split("|")[3:7]] == ["≤ 10處", "9.98", "—", "Met"]
    (line,) = [
        line for line in cli(*args, "--format", "table").stdout.splitlines() if "海淀區" in line and "1.4" in line
    ]
    assert "99.8%" not in line and "█" not in line and "—" in line


# --- both readers say the same ------------------------------------------------------------------


def both_readers(cli, monkeypatch, *args: str) -> dict:
    """`progress ARGS… --format json` with the row reader and with the columnar one: the same JSON."""
    found = {}
    for mode in ("rows", "columnar"):
        monkeypatch.setenv("SHUZHENG_READER", mode)
        result = cli("progress", *args, "--format", "json")
        assert "internal error" not in result.stderr, result.stderr
        found[mode] = (result.exit_code, json.loads(result.stdout))
    assert found["rows"] == found["columnar"]
    assert found["rows"][0] == 0, "progress does not fail on these files"
    return found["rows"][1]


def recon_ledger(tmp_path: Path, text: str, name: str = "ledger.csv") -> str:
    folder = tmp_path / "recon"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


LATE = (
    "日期,指標,地區,數量,單位\n"
    "2024-03-01,1.1,朝陽區,1,\n"
    "2024-05-01,1.1,火星區,1,\n"
    "2024-08-01,1.1,火星區,1,\n"
    "2024-08-01,9.9,朝陽區,1,\n"
    "2024-08-01,1.1,朝陽區,abc,\n"
    "2024-08-01,1.1,朝陽區,1,處\n"
    "2025-02-01,1.1,朝陽區,1,\n"
    "2024-08-01,1.1,朝陽區\n"
    "2024-13-01,1.1,朝陽區,1,\n"
    "2024-08-01,1.1,朝陽區,2,\n"
)


@pytest.mark.parametrize(
    ("as_of", "lines"),
    [
        ("2024-06-30", [3, 10]),
        ("2024-12-31", [3, 4, 5, 6, 7, 9, 10]),
        ("2025-06-30", [3, 4, 5, 6, 7, 8, 9, 10]),
    ],
)
def test_rows_after_the_as_of_date_are_not_rejected_by_either_reader(cli, in_repo, monkeypatch, tmp_path, as_of, lines):
    path = recon_ledger(tmp_path, LATE)
    report = both_readers(cli, monkeypatch, "--plan", RECON, "--ledger", path, "--as-of", as_of)
    assert [r["line"] for r in report["rejected"]] == lines
    assert by_pair(report)["1.1", "朝陽區"]["actual"] == (1 if as_of == "2024-06-30" else 3)


def test_check_still_lists_the_rows_after_any_as_of_date(cli, in_repo, tmp_path):
    path = recon_ledger(tmp_path, LATE)
    result = cli("check", RECON, "--ledger", path)
    assert result.exit_code == 1
    assert [int(line.split(":")[1]) for line in result.stderr.splitlines() if line.startswith(path + ":")] == [
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
    ]


def test_a_blank_header_cell_is_only_a_warning(cli, in_repo, monkeypatch, tmp_path):
    path = recon_ledger(tmp_path, "日期,指標,,地區,數量\n2024-03-01,1.1,甲,朝陽區,1\n2024-03-02,1.1,,海淀區,2\n")
    report = both_readers(cli, monkeypatch, "--plan", RECON, "--ledger", path, "--as-of", "2024-06-30")
    assert report["rejected"] == []
    assert by_pair(report)["1.1", "北京市"]["actual"] == 3
    for mode in ("rows", "columnar"):
        monkeypatch.setenv("SHUZHENG_READER", mode)
        result = cli("progress", "--plan", RECON, "--ledger", path, "--as-of", "2024-06-30")
        assert result.exit_code == 0 and result.stderr == ""
        check = cli("check", RECON, "--ledger", path)
        assert check.exit_code == 0, check.stderr
        assert (
            f"{path}:1:3: warning: column 3 has no header and is ignored; name it or delete the column [blank-header]"
            in check.stderr
        )
        assert cli("check", RECON, "--ledger", path, "--strict").exit_code == 1


def test_title_rows_read_the_same_with_either_reader(cli, in_repo, monkeypatch, tmp_path):
    text = (
        "2024年拆違台賬（截至9月）,,,\n"
        ",,,\n"
        "日期,指標,地區,數量\n"
        "2024-03-01,1.1,朝陽區,1\n"
        "2024-03-02,1.1,火星區,2\n"
        "2024-03-03,1.1,海淀區,4\n"
    )
    path = recon_ledger(tmp_path, text)
    report = both_readers(cli, monkeypatch, "--plan", RECON, "--ledger", path, "--as-of", "2024-06-30")
    assert by_pair(report)["1.1", "北京市"]["actual"] == 5
    assert [(r["line"], r["code"]) for r in report["rejected"]] == [(5, "unknown-area")]
    check = cli("check", RECON, "--ledger", path)
    assert (
        f"{path}:1: warning: rows 1–2 above the header (line 3) are taken as a title and skipped [title-rows]"
        in check.stderr
    )


def test_the_columnar_reader_leaves_title_rows_to_the_row_reader(in_repo, tmp_path):
    from shuzheng.core.checks import check_plan
    from shuzheng.core.rules import LedgerRules
    from shuzheng.core.tally import Intake
    from shuzheng.read import columnar
    from shuzheng.read.plan import read_plan
    from shuzheng.read.records import Source

    plan, _ = read_plan(in_repo / RECON)
    ctx, _ = check_plan(plan)
    rules = LedgerRules(ctx.plan, ctx.tree)
    path = tmp_path / "titled.csv"
    path.write_text("2024年拆違台賬,,,\n日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,1\n", encoding="utf-8")
    intake = Intake(ctx, ctx.plan.period.end)
    with pytest.raises(columnar.FallBack):
        columnar.read_fast(Source(path, "titled.csv", None, iter(())), rules, intake, 0, columnar.Lookups(rules))
    assert intake.finish().cells == {} and intake.findings == []


# --- --ledger with several plans: each file to the plan its folder names ----------------------------

CITY_ROWS = "日期,指標,地區,數量\n2024-03-01,1.1,朝陽區,10萬\n"
HUAIROU_ROWS = "日期,指標,地區,數量\n2024-03-01,1.1,懷柔區,1000\n"


def put(root: Path, relative: str, text: str) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_reads_a_ledger_only_against_the_plan_its_folder_names(cli, in_repo, tmp_path):
    city = put(tmp_path, "city/a.csv", CITY_ROWS)
    huairou = put(tmp_path, "tmp/huairou/2024/b.csv", HUAIROU_ROWS)
    result = cli("check", "--ledger", city, "--ledger", huairou)
    assert result.exit_code == 0, result.stderr
    assert city not in result.stderr and huairou not in result.stderr  # no plan rejects the other's rows
    assert result.stderr.splitlines()[-1].startswith("3 plans, 2 ledger rows in 2 files: 0 errors")


def test_a_ledger_folder_is_shared_out_by_subfolder(cli, in_repo, tmp_path):
    put(tmp_path, "all/city/a.csv", CITY_ROWS)
    put(tmp_path, "all/huairou/b.csv", HUAIROU_ROWS)
    result = cli("progress", "--ledger", str(tmp_path / "all"), "--as-of", "2024-06-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rejected"] == []
    actual = {(p["id"], t["indicator"], t["scope"]): t["actual"] for p in report["plans"] for t in p["targets"]}
    assert actual["city", "1.1", "北京市"] == 100_000
    assert actual["huairou", "1.1", "懷柔區"] == 1000
    check = cli("check", "--ledger", str(tmp_path / "all"))
    assert check.exit_code == 0, check.stderr


@pytest.mark.parametrize("command", [("check",), ("progress", "--format", "json")])
def test_a_ledger_without_a_plan_folder_needs_the_plan_named(cli, in_repo, tmp_path, command):
    path = put(tmp_path, "x.csv", CITY_ROWS)
    result = cli(*command, "--ledger", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert path in result.stderr and "--plan" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_ledger_without_a_plan_folder_goes_to_the_one_plan_named(cli, in_repo, tmp_path):
    path = put(tmp_path, "x.csv", CITY_ROWS)
    check = cli("check", "city", "--ledger", path)
    assert check.exit_code == 0, check.stderr
    assert check.stderr.splitlines()[-1].startswith("1 plan, 1 ledger row in 1 file")
    result = cli("progress", "--plan", "city", "--ledger", path, "--as-of", "2024-06-30", "--format", "json")
    assert result.exit_code == 0
    assert by_pair(json.loads(result.stdout))["1.1", "北京市"]["actual"] == 100_000
    # with one plan loaded, a folder naming a plan that is not loaded does not matter
    other = put(tmp_path, "huairou/y.csv", CITY_ROWS)
    assert cli("check", "city", "--ledger", other).exit_code == 0


def test_two_plans_named_and_a_file_of_neither(cli, in_repo, tmp_path):
    path = put(tmp_path, "hailing/x.csv", CITY_ROWS)
    result = cli("progress", "--plan", "city", "--plan", "huairou", "--ledger", path, "--format", "json")
    assert result.exit_code == 2
    assert "--plan" in result.stderr


def test_a_missing_ledger_path_is_reported_once_with_several_plans(cli, in_repo):
    result = cli("check", "--ledger", "nowhere/x.csv")
    assert result.exit_code == 2
    assert result.stderr.count("--ledger nowhere/x.csv: no such ledger file or folder [missing-file]") == 1


def test_a_plan_named_twice_is_one_plan(in_repo, cli) -> None:
    once = cli("progress", "--plan", "hailing", "--as-of", "2024-09-15", "--format", "csv")
    twice = cli(
        "progress", "--plan", "hailing", "--plan", "plans/hailing.yaml", "--as-of", "2024-09-15", "--format", "csv"
    )
    assert twice.stdout == once.stdout
    checked = cli("check", "hailing", "hailing")
    assert checked.stderr.splitlines()[-1] == "1 plan, 72 ledger rows in 2 files: 0 errors, 3 warnings"
