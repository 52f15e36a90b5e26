"""Shared fixtures: the repository root, a chdir into it, and golden files.

Golden files live under tests/golden/. A test calls `golden.check(name, actual)`;
`python3 -m pytest --update-golden` rewrites the files from what the code prints now
(read the diff before committing it).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from shuzheng.cli import app
from shuzheng.core.i18n import set_language

# the caches (read/cache.py) are off for every test but those of tests/test_cache.py, which turn them on
# in a folder of their own: a test that changes code in-process must see that code run, not a cached output
os.environ["SHUZHENG_NO_CACHE"] = "1"

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", default=False, help="rewrite tests/golden/* from the current output"
    )


class Golden:
    """Compares text with tests/golden/<name>; rewrites the file under --update-golden."""

    def __init__(self, root: Path, update: bool):
        self.root = root
        self.update = update

    def path(self, name: str) -> Path:
        return self.root / name

    def check(self, name: str, actual: str) -> None:
        path = self.path(name)
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != actual.encode("utf-8"):
                path.write_bytes(actual.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(
                f"no golden file {path.relative_to(REPO_ROOT)}; run pytest --update-golden to create it", pytrace=False
            )
        expected = path.read_bytes().decode("utf-8")
        if actual != expected:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    fromfile=f"golden/{name}",
                    tofile="actual",
                )
            )
            pytest.fail(
                f"output differs from golden/{name} (pytest --update-golden rewrites it):\n{diff}", pytrace=False
            )


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English unless they ask for a language (--lang, SHUZHENG_LANG): the program's
    default is zh-Hans, which tests of the default unset on purpose."""
    monkeypatch.setenv("SHUZHENG_LANG", "en")
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(GOLDEN_DIR, request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch, repo_root: Path) -> Path:
    monkeypatch.chdir(repo_root)
    return repo_root


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


@pytest.fixture
def cli():
    """Run `shuzheng ARGS…` in-process; the result has exit_code, stdout and stderr apart.

    Exceptions are not swallowed by the runner: the command's own boundary turns a bug
    into an 'internal error' line, which the caller can assert is absent.
    """
    runner = _runner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
