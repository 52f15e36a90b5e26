"""`shuzheng check`: golden stderr for broken plans, and the shipped plans' own findings.

Each broken plan is a shipped plan with one small edit (tests/check_cases.py says which
and where its first finding must point). It is built in a temporary folder and checked
from inside it, by bare file name, so the expected tests/golden/check/<case>.stderr
holds no absolute path.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from check_cases import CASES, PLANS_DIR, case_bytes, replace, write_case
from shuzheng.read.plan import read_plan

GOLDEN_CHECK = Path(__file__).parent / "golden" / "check"


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_broken_case_has_a_golden_file_and_no_more() -> None:
    goldens = {p.stem for p in GOLDEN_CHECK.glob("*.stderr") if not p.stem.startswith("shipped-")}
    assert sorted(goldens) == sorted(CASES)
    assert not list(GOLDEN_CHECK.glob("*.yaml")), "cases are built from plans/, not stored as copies"


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_plan(case: str, in_tmp: Path, cli, golden) -> None:
    write_case(case, in_tmp)
    result = cli("check", f"{case}.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{case}.yaml:{CASES[case].first}: error: ")
    assert first.endswith(f" [{CASES[case].code}]")
    golden.check(f"check/{case}.stderr", result.stderr)


def test_an_edit_that_no_longer_applies_fails_loudly() -> None:
    with pytest.raises(AssertionError, match="exactly once"):
        replace("no such text in any plan", "x")("plan text")
    with pytest.raises(AssertionError, match="found it 2 times"):
        replace("unit: 家", "unit: 戶")("unit: 家\nunit: 家\n")


@pytest.mark.slow
def test_alias_bomb_costs_nothing(in_tmp: Path) -> None:
    """A billion laughs is refused from parser events: nothing is expanded or built."""
    path = write_case("alias-bomb", in_tmp)
    tracemalloc.start()
    started = time.process_time()  # CPU time: other work on a busy machine does not count
    try:
        plan, diagnostics = read_plan(path)
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert plan is None
    assert {d.code for d in diagnostics} == {"yaml-anchor", "yaml-alias"}
    assert elapsed < 1.0
    assert peak < 20_000_000


def test_gbk_case_really_is_not_utf8() -> None:
    """The non-UTF-8 case is the whole city plan in GBK, so it fails on its first Chinese character."""
    data = case_bytes("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gbk") == (PLANS_DIR / "city.yaml").read_text("utf-8")


# The shipped plans, from the repository root, with their sample ledgers (ledgers/<plan>/):
# nothing worse than a warning. The ledgers' one finding is city's deliberate duplicate
# 編號; the rows rejected on purpose live in examples/bad-ledgers/ (tests/test_sample_ledgers.py).

DUPLICATE = (
    "ledgers/city/拆違台賬_2024年7-9月.csv:2: warning: 編號 'CG-2024-0047' of 1.1 was already counted"
    " at ledgers/city/拆违台账_2024年1-6月.csv:48; this row is not counted again [duplicate-ref]"
)


@pytest.mark.parametrize("plan", ["city", "hailing", "huairou"])
def test_shipped_plan(plan: str, in_repo: Path, cli, golden) -> None:
    """city: its ledgers' duplicate 編號 only; hailing: its three blank owners; huairou: its open 20xx人."""
    result = cli("check", plan)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert " 0 ledger rows in 0 files" not in result.stderr  # the sample ledgers were read
    golden.check(f"check/shipped-{plan}.stderr", result.stderr)


def test_shipped_warnings_are_exactly_these(in_repo: Path, cli) -> None:
    result = cli("check")
    assert result.exit_code == 0
    findings = [line for line in result.stderr.splitlines() if ": warning: " in line or ": error: " in line]
    assert findings == [
        DUPLICATE,
        "plans/hailing.yaml:27:23: warning: 組長 is left blank [blank-owner]",
        "plans/hailing.yaml:28:24: warning: 副組長 is left blank [blank-owner]",
        "plans/hailing.yaml:32:36: warning: the head (負責人) of 市容科 is left blank [blank-owner]",
        "plans/huairou.yaml:268:33: warning: 9.3 懷柔區: the source leaves the value open (20xx人); reported as "
        "no_target [open-value]",
    ]
    assert result.stderr.splitlines()[-1].startswith("3 plans, ")
    assert result.stderr.splitlines()[-1].endswith(": 0 errors, 5 warnings")


@pytest.mark.slow
def test_strict_fails_on_warnings(in_repo: Path, cli) -> None:
    assert cli("check").exit_code == 0
    assert cli("check", "--strict").exit_code == 1
    assert cli("check", "--strict", "hailing").exit_code == 1
    assert cli("check", "--strict", "city").exit_code == 1  # the duplicate 編號 of its ledgers
    # city's plan and its first-half ledger (without the copied row) have nothing to say
    first_half = "ledgers/city/拆违台账_2024年1-6月.csv"
    assert cli("check", "--strict", "city", "--ledger", first_half).exit_code == 0
    assert cli("check", "--strict", "city", "--ledger", first_half).stderr.endswith(": 0 errors, 0 warnings\n")


def test_json_lists_the_findings(in_repo: Path, cli) -> None:
    result = cli("check", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["plans"] == ["city", "hailing", "huairou"]
    assert (document["errors"], document["warnings"]) == (0, 5)
    found = [(d["file"], d["line"], d["col"], d["severity"], d["code"]) for d in document["diagnostics"]]
    assert found[0][:2] == ("ledgers/city/拆違台賬_2024年7-9月.csv", 2)
    assert found[0][3:] == ("warning", "duplicate-ref")
    assert found[1:] == [
        ("plans/hailing.yaml", 27, 23, "warning", "blank-owner"),
        ("plans/hailing.yaml", 28, 24, "warning", "blank-owner"),
        ("plans/hailing.yaml", 32, 36, "warning", "blank-owner"),
        ("plans/huairou.yaml", 268, 33, "warning", "open-value"),
    ]
    assert document["diagnostics"][4]["message"].startswith("9.3 懷柔區: the source leaves the value open (20xx人)")


def test_json_strict_exit_code(in_repo: Path, cli) -> None:
    result = cli("check", "--format", "json", "--strict", "huairou")
    assert result.exit_code == 1
    assert [d["code"] for d in json.loads(result.stdout)["diagnostics"]] == ["open-value"]


def test_unknown_plan_id_is_a_usage_error(in_repo: Path, cli) -> None:
    result = cli("check", "huairuo")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "shuzheng: error: unknown plan 'huairuo'; did you mean huairou? "
        "(known plans: city, hailing, huairou) [unknown-plan]\n"
    )


def test_missing_plan_file_is_a_usage_error(in_repo: Path, cli) -> None:
    result = cli("check", "plans/nowhere.yaml")
    assert result.exit_code == 2
    assert "no such plan file: plans/nowhere.yaml" in result.stderr


@pytest.mark.parametrize("plan", ["hailing", "huairou"])
def test_plan_by_id_or_by_path(plan: str, in_repo: Path, cli) -> None:
    by_id = cli("check", plan)
    by_path = cli("check", f"plans/{plan}.yaml")
    assert by_id.exit_code == by_path.exit_code == 0
    assert by_id.stderr == by_path.stderr
    assert f"plans/{plan}.yaml:" in by_id.stderr


def test_several_plans_in_one_run(in_repo: Path, cli) -> None:
    result = cli("check", "city", "plans/hailing.yaml")
    assert result.exit_code == 0
    assert result.stderr.count("plans/hailing.yaml:") == 3
    assert result.stderr.splitlines()[-1].startswith("2 plans, ")


def test_broken_plan_among_good_ones(in_repo: Path, tmp_path: Path, cli) -> None:
    """One plan's errors do not hide the others' findings, and fail the run."""
    broken = write_case("unknown-unit", tmp_path)
    result = cli("check", str(broken), "hailing")
    assert result.exit_code == 1
    assert f"{broken}:265:15: error: unknown unit '坪'" in result.stderr
    assert result.stderr.count("[blank-owner]") == 3
