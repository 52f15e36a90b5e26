"""`shuzheng check`: golden stderr for broken plans, and the shipped plans' own findings.

Each tests/golden/check/<case>.yaml is a copy of plans/city.yaml or plans/huairou.yaml
with one small edit (gbk.yaml is city.yaml saved as GBK; empty.yaml is empty).
It is checked from inside that folder, by bare file name, so the expected
tests/golden/check/<case>.stderr holds no absolute path. `LOCATIONS` repeats, for
each case, where the first finding must point and its code: a golden file rewritten
with --update-golden cannot quietly move a caret.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from shuzheng.read.plan import read_plan

CASES_DIR = Path(__file__).parent / "golden" / "check"

# case → (path:line:col of its first finding, code); columns checked by eye against the file.
LOCATIONS = {
    "nested-target": ("53:33", "nested-target"),  # value of 城六區 1.1, 4417萬 > 北京市 4000萬
    "components-sum": ("289:33", "components-sum"),  # value of 7.1 北京市 (7.2 became 78)
    "duplicate-indicator-id": ("63:13", "duplicate-id"),  # the second id "1.2"
    "unknown-scope": ("270:21", "unknown-area"),  # 城七區
    "unknown-unit": ("265:15", "unknown-unit"),  # unit: 間
    "deadline-before-period": ("75:69", "out-of-period"),  # deadline: 2023-12-31 of 1.4
    "phase-outside-period": ("17:42", "out-of-period"),  # end: 2025-02-20 of 考核收尾
    "yaml-syntax": ("182:11", "yaml-syntax"),  # the '{' of line 181 is never closed
    "duplicate-key": ("59:9", "yaml-duplicate-key"),  # the second unit:
    "python-tag": ("6:9", "yaml-tag"),  # issuer: !!python/object/apply:os.system
    "alias-bomb": ("40:8", "yaml-anchor"),  # &a of the billion laughs
    "empty": ("1:1", "empty-plan"),
    "misspelled-key": ("271:9", "missing-key"),  # indicator 6.2 lacks measure (it says measrue)
    "missing-key": ("196:5", "missing-key"),  # task 4 lacks title
    "gbk": ("2:3", "encoding-error"),  # the first Chinese character, in line 2's comment
    "multi-document": ("452:1", "yaml-multi-document"),  # the second '---'
    "yaml-directive": ("1:1", "yaml-directive"),  # %YAML 1.1
    "plain-no": ("6:9", "yaml-ambiguous"),  # issuer: no
    "plain-octal": ("196:9", "yaml-ambiguous"),  # id: 010
}


@pytest.fixture
def in_cases(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(CASES_DIR)
    return CASES_DIR


def test_every_case_file_has_an_expected_location() -> None:
    assert sorted(p.stem for p in CASES_DIR.glob("*.yaml")) == sorted(LOCATIONS)


@pytest.mark.parametrize("case", sorted(LOCATIONS))
def test_broken_plan(case: str, in_cases: Path, cli, golden) -> None:
    result = cli("check", f"{case}.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    at, code = LOCATIONS[case]
    assert first.startswith(f"{case}.yaml:{at}: error: ")
    assert first.endswith(f" [{code}]")
    golden.check(f"check/{case}.stderr", result.stderr)


def test_alias_bomb_costs_nothing(in_cases: Path) -> None:
    """A billion laughs is refused from parser events: nothing is expanded or built."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        plan, diagnostics = read_plan(Path("alias-bomb.yaml"))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert plan is None
    assert {d.code for d in diagnostics} == {"yaml-anchor", "yaml-alias"}
    assert elapsed < 1.0
    assert peak < 20_000_000


def test_gbk_case_really_is_gbk(in_cases: Path, repo_root: Path) -> None:
    """The non-UTF-8 case is the city plan, byte for byte, in GBK."""
    city = (repo_root / "plans" / "city.yaml").read_text("utf-8")
    assert (in_cases / "gbk.yaml").read_bytes() == city.encode("gbk")


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
        "plans/hailing.yaml:32:36: warning: 市容科 負責人 is left blank [blank-owner]",
        "plans/huairou.yaml:268:33: warning: 9.3 懷柔區: the source leaves the value open (20xx人); reported as no_target [open-value]",
    ]
    assert result.stderr.splitlines()[-1].startswith("3 plans, ")
    assert result.stderr.splitlines()[-1].endswith(": 0 errors, 5 warnings")


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
    assert (
        result.stderr
        == "shuzheng: error: unknown plan 'huairuo'; did you mean huairou? (known plans: city, hailing, huairou) [unknown-plan]\n"
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


def test_broken_plan_among_good_ones(in_repo: Path, cli) -> None:
    """One plan's errors do not hide the others' findings, and fail the run."""
    result = cli("check", "tests/golden/check/unknown-unit.yaml", "hailing")
    assert result.exit_code == 1
    assert "tests/golden/check/unknown-unit.yaml:265:15: error: unknown unit '坪'" in result.stderr
    assert result.stderr.count("[blank-owner]") == 3
