"""The caches (read/cache.py), through the command line: a second run is served from them, any change
to a ledger, a plan or the as-of date gives what a cold run gives, a corrupt or foreign entry is
ignored, --no-cache reads everything anew, and the row, columnar and cached paths agree."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from shuzheng import service
from shuzheng.read import cache, ledgers, workspace

PROGRESS = ("progress", "--format", "json", "--as-of", "2024-09-15")


def _age(root: Path) -> None:
    """Everything under root (a file or a folder) last modified a minute ago: old enough to be cached."""
    old = time.time() - 60
    if root.is_file():
        os.utime(root, (old, old))
        return
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (old, old))
        os.utime(folder, (old, old))


@pytest.fixture
def workspace_copy(tmp_path: Path, repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "work"
    shutil.copytree(repo_root / "plans", root / "plans")
    shutil.copytree(repo_root / "ledgers", root / "ledgers")
    _age(root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("SHUZHENG_NO_CACHE", raising=False)
    monkeypatch.setenv("SHUZHENG_CACHE_DIR", str(tmp_path / "cache"))
    return root


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the reports are built, plans parsed and ledger files parsed."""
    counted = {"build_report": 0, "check_workspace": 0, "read_plan": 0, "sources": 0}

    def counting(module, name):  # noqa: ANN001, ANN202
        original = getattr(module, name)

        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            counted[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, call)

    counting(service, "build_report")
    counting(service, "check_workspace")
    counting(workspace, "read_plan")
    counting(ledgers, "sources")
    return counted


def _entries(kind: str) -> list[Path]:
    return sorted(p for p in (cache.folder() / kind).rglob("*") if p.is_file())


def test_a_second_run_is_served_from_the_run_cache(workspace_copy: Path, cli, calls) -> None:
    first = cli(*PROGRESS)
    assert first.exit_code == 0, first.stderr
    assert calls["build_report"] == 1 and calls["read_plan"] == 3 and calls["sources"] == 22
    second = cli(*PROGRESS)
    assert second.exit_code == 0
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr)
    assert calls["build_report"] == 1  # nothing was read again
    checked = [cli("check"), cli("check")]
    assert calls["check_workspace"] == 1
    assert checked[0].stderr == checked[1].stderr and checked[1].exit_code == 0
    assert _entries("run") and len(_entries("plan")) == 3 and len(_entries("ledger")) == 22


def test_an_exit_code_and_stderr_are_replayed(workspace_copy: Path, cli, calls) -> None:
    runs = [cli("check", "--strict") for _ in range(2)]  # the shipped plans have warnings: exit 1
    assert [r.exit_code for r in runs] == [1, 1]
    assert runs[0].stderr == runs[1].stderr and "5 warnings" in runs[1].stderr
    assert calls["check_workspace"] == 1


def _cold(cli, *args: str):  # noqa: ANN001, ANN202
    result = cli(*args, "--no-cache")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_changed_ledger_reads_that_file_only_and_matches_a_cold_run(workspace_copy: Path, cli, calls) -> None:
    before = cli(*PROGRESS).stdout
    ledger = workspace_copy / "ledgers" / "hailing"
    target = sorted(ledger.glob("*.csv"))[0]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:-1]), encoding="utf-8")  # one row fewer
    _age(target)
    calls["sources"] = calls["read_plan"] = 0
    after = cli(*PROGRESS)
    assert after.exit_code == 0
    assert calls["sources"] == 1 and calls["read_plan"] == 0  # the other files and the plans from their caches
    assert after.stdout != before
    assert after.stdout == _cold(cli, *PROGRESS)


def test_a_file_added_to_a_ledger_folder_is_seen(workspace_copy: Path, cli) -> None:
    before = cli(*PROGRESS).stdout
    folder = workspace_copy / "ledgers" / "hailing"
    source = sorted(folder.glob("*.csv"))[0]
    (folder / "more").mkdir()
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "more" / "part.csv").write_text("".join(lines[:2]), encoding="utf-8")  # a folder's mtime moves
    _age(folder / "more")  # the new folder is old; `folder` itself has moved on
    after = cli(*PROGRESS).stdout
    assert after != before
    assert after == _cold(cli, *PROGRESS)


def test_a_changed_plan_matches_a_cold_run(workspace_copy: Path, cli, calls) -> None:
    before = cli(*PROGRESS).stdout
    plan = workspace_copy / "plans" / "hailing.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("{scope: 海陵區, value: 100}", "{scope: 海陵區, value: 120}", 1), encoding="utf-8")
    _age(plan)
    calls["read_plan"] = 0
    after = cli(*PROGRESS).stdout
    assert calls["read_plan"] == 1
    assert after != before
    assert after == _cold(cli, *PROGRESS)


def test_another_as_of_date_matches_a_cold_run(workspace_copy: Path, cli, calls) -> None:
    cli(*PROGRESS)
    later = ("progress", "--format", "json", "--as-of", "2024-07-31")
    result = cli(*later)
    assert calls["build_report"] == 2 and calls["sources"] == 22  # the records of each file: cached once
    assert result.stdout == _cold(cli, *later) != cli(*PROGRESS).stdout


def test_a_corrupt_cache_is_ignored(workspace_copy: Path, cli, calls) -> None:
    first = cli(*PROGRESS).stdout
    for kind in ("run", "plan", "ledger"):
        for n, path in enumerate(_entries(kind)):
            path.write_bytes(b"" if n % 2 else b"\x80\x05not a pickle")
    again = cli(*PROGRESS)
    assert again.exit_code == 0 and again.stdout == first
    assert calls["build_report"] == 2 and calls["read_plan"] == 6
    assert cli(*PROGRESS).stdout == first and calls["build_report"] == 2  # written again, and used


def test_an_entry_of_another_version_is_not_trusted(workspace_copy: Path, cli, calls, monkeypatch) -> None:
    first = cli(*PROGRESS).stdout
    monkeypatch.setitem(cache._state, "running", "0.0.0+another")
    assert cli(*PROGRESS).stdout == first
    assert calls["build_report"] == 2 and calls["read_plan"] == 6 and calls["sources"] == 44


def test_no_cache_reads_everything_and_writes_nothing(workspace_copy: Path, cli, calls) -> None:
    cold = _cold(cli, *PROGRESS)
    assert not cache.folder().exists()
    cli(*PROGRESS)
    assert _cold(cli, *PROGRESS) == cold
    assert calls["build_report"] == 3 and calls["sources"] == 66


def test_no_cache_from_the_environment(workspace_copy: Path, cli, calls, monkeypatch) -> None:
    monkeypatch.setenv("SHUZHENG_NO_CACHE", "1")
    cli(*PROGRESS)
    cli(*PROGRESS)
    assert calls["build_report"] == 2 and not cache.folder().exists()


def test_a_file_changed_just_now_is_not_cached(workspace_copy: Path, cli) -> None:
    target = sorted((workspace_copy / "ledgers" / "city").glob("*.csv"))[0]
    soon = time.time() + 3600  # modified "now" as far as the cache can tell, however slow this run is
    os.utime(target, (soon, soon))
    cli(*PROGRESS)
    assert len(_entries("ledger")) == 21 and not _entries("run")


@pytest.mark.parametrize("reader", ["rows", "columnar"])
def test_row_columnar_and_cached_json_are_identical(workspace_copy: Path, cli, monkeypatch, reader: str) -> None:
    monkeypatch.setenv("SHUZHENG_READER", "rows")
    reference = _cold(cli, *PROGRESS)
    monkeypatch.setenv("SHUZHENG_READER", reader)
    assert _cold(cli, *PROGRESS) == reference
    assert cli(*PROGRESS).stdout == reference  # the first run with the cache
    assert cli(*PROGRESS).stdout == reference  # served from it


# (PYTHONIOENCODING, what stdout writes): a stream that cannot write Chinese writes UTF-8 (cli._setup_streams)
@pytest.mark.parametrize(
    ("encoding", "written"), [("utf-8", "utf-8"), ("gb18030", "gb18030"), ("ascii:backslashreplace", "utf-8")]
)
def test_a_long_output_reaches_stdout_in_its_encoding_first_and_from_the_cache(
    workspace_copy: Path, encoding: str, written: str
) -> None:
    """A streamed report is encoded once, as stdout encodes (and kept so in the run cache): the bytes
    are what a text write would have made, on the first run and the replayed one."""
    import subprocess
    import sys

    run = [sys.executable, "-m", "shuzheng", "progress", "--format", "json", "--as-of", "2024-09-15"]
    utf8 = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    reference = subprocess.run([*run, "--no-cache"], capture_output=True, env=utf8)
    assert reference.returncode == 0, reference.stderr.decode()
    expected = reference.stdout.decode("utf-8").encode(written)
    assert written == "utf-8" or expected != reference.stdout
    outputs = [subprocess.run(run, capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding}) for _ in "12"]
    assert [o.returncode for o in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout == expected
    assert _entries("run"), "the second run was not served from the cache"
