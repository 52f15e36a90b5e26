"""The sample ledgers under ledgers/ and the broken ones under examples/bad-ledgers/:
the ones scripts/make_sample_ledgers.py makes (GB18030, XLSX, the examples) are what it
makes, and together they tell the story the script's docstring promises at 2024-09-15.

ledgers/ holds nothing worse than a warning (`shuzheng check` exits 0 on the repository);
the rows rejected on purpose live in examples/bad-ledgers/<plan>/, among a few good
neighbours, and `shuzheng check <plan> --ledger examples/bad-ledgers/<plan>` reports
exactly them.

If a ledger changes on purpose (edited in ledgers/, or its text in scripts/sample_ledgers/),
rerun `python3 scripts/make_sample_ledgers.py`, read the diff of ledgers/ and examples/,
and update the expectations below (the script prints where its deliberate rows landed).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuzheng.core.report import Status

PLANS = ("city", "huairou", "hailing")
AS_OF = "2024-09-15"

EXAMPLES = "examples/bad-ledgers"
# plan → (file, line, code) of every row of examples/bad-ledgers/<plan>/ rejected on purpose;
# nothing else there may be rejected, and nothing in ledgers/ may be.
REJECTED = {
    "city": {
        (f"{EXAMPLES}/city/拆違台賬_2024年7-9月.csv", 5, "unknown-area"),  # 北京經濟技術開發區
        (f"{EXAMPLES}/city/地下空间和群租房整治台账.csv", 5, "invalid-date"),  # 2024年6月
        (f"{EXAMPLES}/city/市住房城鄉建設委_城鄉結合部和老舊小區.csv", 5, "unknown-item"),  # 十八里店
    },
    "huairou": {(f"{EXAMPLES}/huairou/区经济信息化局_产业疏解台账.csv", 5, "unit-mismatch")},  # 家 for 畝
    "hailing": {(f"{EXAMPLES}/hailing/各中隊下午出勤登記.csv", 2, "out-of-period")},  # 2024-09-10 rehearsal
}
# The last 1.1 row of 1-6月 copied into the first line of 7-9月.
DUPLICATES = [
    {
        "file": "ledgers/city/拆違台賬_2024年7-9月.csv",
        "line": 2,
        "first_file": "ledgers/city/拆违台账_2024年1-6月.csv",
        "first_line": 48,
        "ref": "CG-2024-0047",
        "indicator": "1.1",
    }
]
CORRECTIONS = [
    {
        "file": "ledgers/city/拆違台賬_2024年7-9月.csv",
        "line": 23,
        "indicator": "1.1",
        "area": "朝陽區",
        "quantity": -12000,
    }
]


def _runner():  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def _ledger_files(root: Path) -> dict[str, Path]:
    """Every ledger under root/ledgers/<plan>/ and root/examples/bad-ledgers/<plan>/, by path from root."""
    found = {}
    for top in ("ledgers", EXAMPLES):
        for plan in PLANS:
            folder = root / top / plan
            if folder.is_dir():
                found.update(
                    {f"{top}/{plan}/{p.name}": p for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".xlsx")}
                )
    return found


def _xlsx_values(path: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(path, data_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ledgers")
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_sample_ledgers.py"
    done = subprocess.run([sys.executable, str(script), "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def report(repo_root: Path) -> dict:
    from shuzheng.cli import app

    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(repo_root)
        result = _runner().invoke(app, ["progress", "--as-of", AS_OF, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _target(report: dict, plan: str, indicator: str, scope: str | None = None) -> dict:
    targets = next(p for p in report["plans"] if p["id"] == plan)["targets"]
    return next(t for t in targets if t["indicator"] == indicator and (scope is None or t["scope"] == scope))


# --- the generator -------------------------------------------------------------------


@pytest.mark.slow
def test_generator_reproduces_the_committed_ledgers(regenerated: Path, repo_root: Path) -> None:
    """It writes the GB18030 and XLSX ledgers and every example, each byte for byte as committed."""
    made = _ledger_files(regenerated)
    committed = _ledger_files(repo_root)
    derived = {name for name, path in committed.items() if name.startswith("ledgers/") and _is_derived(path)}
    examples = {name for name in committed if name.startswith(EXAMPLES)}
    assert derived and examples
    assert sorted(made) == sorted(derived | examples)
    for name, path in made.items():
        assert path.read_bytes() == committed[name].read_bytes(), f"{name} differs from the committed ledger"
    readme = f"{EXAMPLES}/README.md"
    assert (regenerated / readme).read_bytes() == (repo_root / readme).read_bytes()


def _is_derived(path: Path) -> bool:
    """XLSX and GB18030 ledgers are made from text; UTF-8 ones are edited where they lie."""
    if path.suffix == ".xlsx":
        return True
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@pytest.mark.slow
def test_generator_is_deterministic(regenerated: Path, tmp_path: Path) -> None:
    """Twice the same bytes; stale examples go, but nothing it did not make is touched under ledgers/."""
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_sample_ledgers.py"
    for folder in (tmp_path / "ledgers" / "city", tmp_path / EXAMPLES / "hailing"):
        folder.mkdir(parents=True)
        (folder / "stale.csv").write_text("日期,指標,地區\n", encoding="utf-8")
        (folder / "keep.txt").write_text("not a ledger", encoding="utf-8")
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, check=True)
    assert not (tmp_path / EXAMPLES / "hailing" / "stale.csv").exists()
    assert (tmp_path / "ledgers" / "city" / "stale.csv").exists()  # a ledger someone keeps by hand
    (tmp_path / "ledgers" / "city" / "stale.csv").unlink()
    for folder in (tmp_path / "ledgers" / "city", tmp_path / EXAMPLES / "hailing"):
        assert (folder / "keep.txt").exists()
    first, second = _ledger_files(regenerated), _ledger_files(tmp_path)
    assert sorted(first) == sorted(second)
    for name in first:  # the XLSX too: fixed workbook properties and zip timestamps
        assert first[name].read_bytes() == second[name].read_bytes(), name


def test_the_ledgers_come_in_every_format(repo_root: Path) -> None:
    files = [path for name, path in _ledger_files(repo_root).items() if name.startswith("ledgers/")]
    kinds = set()
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".xlsx":
            kinds.add("xlsx")
        elif data.startswith(b"\xef\xbb\xbf"):
            kinds.add("utf-8-sig")
        else:
            try:
                data.decode("utf-8")
                kinds.add("utf-8")
            except UnicodeDecodeError:
                data.decode("gb18030")
                kinds.add("gb18030")
    assert kinds == {"xlsx", "utf-8-sig", "utf-8", "gb18030"}


# --- what they say at 2024-09-15 -------------------------------------------------------


def test_every_status_appears(report: dict) -> None:
    statuses = {t["status"] for p in report["plans"] for t in p["targets"]}
    assert statuses == {s.value for s in Status}


def test_every_measure_has_data(report: dict) -> None:
    counted = {t["measure"] for p in report["plans"] for t in p["targets"] if t["actual"]}
    assert counted == {"sum", "latest", "ratio", "distinct", "milestone", "qualitative"}
    # distinct by item and distinct by [area, date]
    assert _target(report, "city", "1.6")["actual"] == 66
    assert _target(report, "hailing", "0.1")["actual"] == 44


@pytest.mark.parametrize(
    ("plan", "indicator", "scope", "status"),
    [
        ("city", "1.1", "北京市", "on_track"),
        ("city", "1.1", "城六區", "behind"),
        ("city", "1.1", "核心區", "met"),
        ("city", "1.2", "北京市", "violated"),
        ("city", "1.3", "石景山區", "no_target"),
        ("city", "1.4", "城市副中心", "on_track"),  # a stock cut on pace to its 2025 deadline
        ("city", "9.2", "北京市", "met"),
        ("city", "9.5", "城六區", "no_data"),
        ("huairou", "0.1", "懷柔區", "met"),
        ("huairou", "1.2", "懷柔區", "on_track"),
        ("huairou", "2.6", "懷柔區", "no_data"),
        ("huairou", "9.3", "懷柔區", "no_target"),
        ("huairou", "11.1", "懷柔區", "overdue"),
        ("hailing", "0.1", "海陵區", "on_track"),
        ("hailing", "1.1", "海陵區", "met"),
        ("hailing", "1.3", "海陵區", "behind"),
    ],
)
def test_the_story(report: dict, plan: str, indicator: str, scope: str, status: str) -> None:
    assert _target(report, plan, indicator, scope)["status"] == status


def test_the_headline_numbers(report: dict) -> None:
    assert 0.60 <= _target(report, "city", "1.1", "北京市")["ratio"] <= 0.75
    assert _target(report, "city", "1.1", "北京市")["actual"] == 27_158_000  # after the -1.2萬 correction
    assert _target(report, "huairou", "11.1")["missing_items"] == ["交通營運市場秩序整治專項行動"]
    assert _target(report, "city", "3.2")["missing_items"] == ["豆各莊", "常營"]


def test_no_shipped_row_is_rejected(report: dict) -> None:
    assert report["rejected"] == []


def test_the_duplicate_and_the_correction(report: dict) -> None:
    assert report["duplicates"] == DUPLICATES
    assert report["corrections"] == CORRECTIONS


def test_check_passes_with_only_the_duplicate_as_a_ledger_warning(in_repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["errors"] == 0
    found = [
        (d["file"], d["line"], d["severity"], d["code"])
        for d in document["diagnostics"]
        if d["file"].startswith("ledgers/")
    ]
    assert found == [(DUPLICATES[0]["file"], DUPLICATES[0]["line"], "warning", "duplicate-ref")]
    assert document["ledger_files"] == len([n for n in _ledger_files(in_repo) if n.startswith("ledgers/")])


# --- the broken examples -----------------------------------------------------------------


@pytest.mark.parametrize("plan", PLANS)
def test_check_rejects_exactly_the_deliberate_rows(plan: str, in_repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", plan, "--ledger", f"{EXAMPLES}/{plan}", "--format", "json")
    assert result.exit_code == 1
    diagnostics = json.loads(result.stdout)["diagnostics"]
    ledger = [d for d in diagnostics if not d["file"].startswith("plans/")]
    assert {(d["file"], d["line"], d["code"]) for d in ledger} == REJECTED[plan]
    assert len(ledger) == len(REJECTED[plan])
    assert all(d["severity"] == "error" for d in ledger)
    assert all(d["severity"] == "warning" for d in diagnostics if d["file"].startswith("plans/"))


@pytest.mark.parametrize("plan", PLANS)
def test_check_text_names_file_line_and_code(plan: str, in_repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", plan, "--ledger", f"{EXAMPLES}/{plan}")
    assert result.exit_code == 1
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == len(REJECTED[plan])
    for file, line, code in REJECTED[plan]:
        assert any(
            re.match(rf"{re.escape(file)}:{line}(:\d+)?: error: ", e) and e.endswith(f" [{code}]") for e in errors
        ), (
            file,
            line,
            code,
        )
    assert re.search(rf": {len(REJECTED[plan])} errors?, \d+ warnings?$", result.stderr.splitlines()[-1])


@pytest.mark.parametrize("plan", PLANS)
def test_progress_lists_the_rejected_examples(plan: str, in_repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("progress", "--plan", plan, "--ledger", f"{EXAMPLES}/{plan}", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {(r["file"], r["line"], r["code"]) for r in report["rejected"]} == REJECTED[plan]
    assert report["duplicates"] == []


def test_the_examples_are_excerpts_of_the_shipped_ledgers(repo_root: Path) -> None:
    """Every good line of an example file is a line of the shipped ledger of the same name."""
    files = _ledger_files(repo_root)
    examples = {name: path for name, path in files.items() if name.startswith(EXAMPLES)}
    assert {name.split("/")[2] for name in examples} == set(PLANS)
    for name, path in examples.items():
        assert path.suffix == ".csv"  # no rejected row lives in an XLSX today
        shipped = files["ledgers/" + name.removeprefix(EXAMPLES + "/")]
        encoding = next(e for e in ("utf-8-sig", "utf-8", "gb18030") if _decodes(path.read_bytes(), e))
        shipped_lines = shipped.read_bytes().decode(encoding).splitlines()
        bad = {line for file, line, _ in REJECTED[name.split("/")[2]] if file == name}
        lines = path.read_bytes().decode(encoding).splitlines()
        assert lines[0] == shipped_lines[0]  # the same header
        assert bad and all(1 < n <= len(lines) for n in bad)
        for number, text in enumerate(lines[1:], start=2):
            assert (text in shipped_lines) == (number not in bad), (name, number)


def _decodes(data: bytes, encoding: str) -> bool:
    if encoding == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
