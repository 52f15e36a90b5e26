"""Hostile environments: whatever the pipe, locale, folder, signal or bug, no traceback
reaches the user and the exit code says what happened.

These run the real program (`python3 -m shuzheng …`, a fresh interpreter with its own
streams), except where a bug or an interrupt is simulated in-process. Where a case needs
the program itself altered (a bug, a refused read, a Ctrl-C at a known point) a few lines
of PRELUDE run before the entry point, in the same process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test here runs the program in a subprocess

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
INTERNAL_ERROR = "shuzheng: internal error ("
REPORT = "); please report it with the command you ran (SHUZHENG_DEBUG=1 shows the traceback)"


def clean_env(**changes: str | None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SHUZHENG_", "PYTHONIOENCODING", "PYTHONUTF8", "LC_"))
    }
    env["LANG"] = "C.UTF-8"
    env["SHUZHENG_LANG"] = "en"  # the messages asserted below; a test of Chinese output asks for it
    env["SHUZHENG_NO_CACHE"] = "1"  # a replayed run would not show what these tests provoke
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def shuzheng(
    *args: str, prelude: str = "", cwd: Path = REPO, env: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    """Run the program as a user does; `prelude` is Python run first, in the same process."""
    if prelude:
        code = (
            f"{prelude}\nimport sys\nsys.argv = ['shuzheng', *{json.dumps(list(args))}]\n"
            "from shuzheng.cli import main\nmain()\n"
        )
        command = [sys.executable, "-c", code]
    else:
        command = [sys.executable, "-m", "shuzheng", *args]
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(command, cwd=cwd, env=env or clean_env(), timeout=60, **kwargs)


def assert_no_traceback(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text, text
    assert "Exception ignored" not in text, text
    assert not any(name in text for name in ("BrokenPipeError", "UnicodeEncodeError", "UnicodeDecodeError")), text
    return text


# --- stdout closed early --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--as-of", "2024-09-15"],
        ["export", "--format", "json", "--as-of", "2024-09-15"],
        ["check", "--format", "json"],
    ],
    ids=["progress", "export", "check"],
)
def test_stdout_closed_before_the_output_ends_exits_quietly(args: list[str]) -> None:
    """`shuzheng progress | head -1` where head is gone before shuzheng writes: exit 141 (128 +
    SIGPIPE, what a shell reports for any tool), and not a word on stderr."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = shuzheng(*args, stdout=write)
    finally:
        os.close(write)
    assert assert_no_traceback(result.stderr) == ""
    assert result.returncode == 141


def test_head_minus_one_in_a_shell() -> None:
    command = (
        f"set -o pipefail; {sys.executable} -m shuzheng progress --as-of 2024-09-15 | head -1; "
        "echo status=${PIPESTATUS[0]}"
    )
    env = clean_env(SHUZHENG_LANG="zh-Hans")
    result = subprocess.run(["bash", "-c", command], cwd=REPO, env=env, capture_output=True, timeout=60)
    assert_no_traceback(result.stderr)
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0] == "截至 2024-09-15"
    assert lines[-1] in ("status=0", "status=141")  # 0 when all of it fit in the pipe before head left


@pytest.mark.parametrize("closed", ["1", "2"])
def test_a_stream_closed_from_the_start(closed: str) -> None:
    """`shuzheng check 2>&-`: the findings have nowhere to go; the exit code still tells."""
    command = f"{sys.executable} -m shuzheng check {closed}>&-; echo status=$?"
    result = subprocess.run(["bash", "-c", command], cwd=REPO, env=clean_env(), capture_output=True, timeout=60)
    assert "status=0" in result.stdout.decode()
    assert "Traceback" not in result.stderr.decode()


# --- locales that cannot write Chinese ------------------------------------------------------------

LOCALES = {
    "LANG=C": clean_env(LANG="C", LC_ALL="C"),
    "C-without-utf8-mode": clean_env(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0"),
    "PYTHONIOENCODING=ascii": clean_env(PYTHONIOENCODING="ascii"),
    "PYTHONIOENCODING=latin-1": clean_env(PYTHONIOENCODING="latin-1"),
}


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_chinese_output_in_a_locale_that_cannot_encode_it(locale: str) -> None:
    env = LOCALES[locale]
    table = shuzheng(
        "progress", "--district", "朝阳", "--as-of", "2024-09-15", env=env
    )  # argv: bytes the locale cannot decode
    assert_no_traceback(table.stderr)
    assert table.returncode == 0
    assert "朝陽區" in table.stdout.decode("utf-8")  # UTF-8, since the locale's encoding cannot say it
    wrong = shuzheng("check", "plans/懷柔.yaml", env=env)
    assert wrong.returncode == 2
    assert assert_no_traceback(wrong.stderr) == "shuzheng: error: no such plan file: plans/懷柔.yaml [missing-file]\n"


# --- a folder export cannot write ---------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "recon.yaml").write_bytes((FIXTURES / "plans" / "recon.yaml").read_bytes())
    (tmp_path / "ledgers" / "recon").mkdir(parents=True)
    (tmp_path / "ledgers" / "recon" / "basic.csv").write_bytes(
        (FIXTURES / "ledgers" / "recon" / "basic.csv").read_bytes()
    )
    return tmp_path


def read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: chmod 555, or for root (whom chmod does not
    stop) a read-only mount such as /sys; skipped where there is none."""
    if os.geteuid() != 0:
        folder = tmp_path / "只讀"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    for candidate in (Path("/sys"), Path("/proc/sys")):
        try:
            (candidate / ".shuzheng-probe").touch()
        except OSError:
            return candidate
        (candidate / ".shuzheng-probe").unlink()
    pytest.skip("no read-only folder for root here")


def test_export_into_a_read_only_working_folder(workspace: Path, tmp_path: Path) -> None:
    folder = read_only_folder(tmp_path)
    plan, ledgers = workspace / "plans" / "recon.yaml", workspace / "ledgers" / "recon"
    result = shuzheng(
        "export",
        "--plan",
        str(plan),
        "--ledger",
        str(ledgers),
        "--as-of",
        "2024-06-30",
        "--output",
        "簡報.md",
        cwd=folder,
    )
    stderr = assert_no_traceback(result.stderr)
    assert result.returncode == 1
    assert stderr.startswith("shuzheng: error: cannot write 簡報.md: ")
    assert stderr.rstrip("\n").endswith("[output-error]") and stderr.count("\n") == 1
    assert not (folder / "簡報.md").exists()
    if os.geteuid() != 0:
        folder.chmod(0o755)


# --- unreadable files, as the OS refuses them ---------------------------------------------------------

REFUSE_READS = """
import pathlib
_open, _read_bytes = pathlib.Path.open, pathlib.Path.read_bytes
def _refuse(path):
    if pathlib.Path(path).name in {names!r}:
        raise PermissionError(13, "Permission denied", str(path))
def _open_refusing(self, *args, **kwargs):
    _refuse(self)
    return _open(self, *args, **kwargs)
def _read_bytes_refusing(self):
    _refuse(self)
    return _read_bytes(self)
pathlib.Path.open, pathlib.Path.read_bytes = _open_refusing, _read_bytes_refusing
"""


@pytest.mark.parametrize(
    ("name", "shown", "exit_code"), [("recon.yaml", "plans/recon.yaml", 1), ("basic.csv", "ledgers/recon/basic.csv", 1)]
)
def test_a_file_the_os_refuses_to_read(name: str, shown: str, exit_code: int, workspace: Path) -> None:
    result = shuzheng("check", "recon", prelude=REFUSE_READS.format(names={name}), cwd=workspace)
    stderr = assert_no_traceback(result.stderr)
    assert result.returncode == exit_code
    assert f"{shown}: error: cannot read: Permission denied [unreadable]\n" in stderr


def test_a_pipe_named_as_a_plan_does_not_hang(workspace: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(workspace / "plans" / "pipe.yaml")
    result = shuzheng("check", "plans/pipe.yaml", cwd=workspace)
    assert result.returncode == 1
    assert assert_no_traceback(result.stderr).startswith("plans/pipe.yaml: error: is not a regular file")


# --- bugs and interrupts ------------------------------------------------------------------------

BUG = """
import shuzheng.service
def _bug(*args, **kwargs):
    raise RuntimeError("boom\\n  with a second line")
shuzheng.service.check_plan = _bug
"""


def test_a_bug_is_one_line_asking_for_a_report() -> None:
    result = shuzheng("check", prelude=BUG)
    assert result.returncode == 1
    assert assert_no_traceback(result.stderr) == f"{INTERNAL_ERROR}RuntimeError: boom with a second line{REPORT}\n"
    assert result.stdout == b""


def test_shuzheng_debug_shows_the_traceback_of_a_bug() -> None:
    result = shuzheng("check", prelude=BUG, env=clean_env(SHUZHENG_DEBUG="1"))
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: boom" in stderr and "_bug" in stderr


def test_a_bug_outside_any_command_is_one_line_too() -> None:
    prelude = (
        "import shuzheng.cli\ndef _broken(*a, **k):\n    raise LookupError('no app')\nshuzheng.cli.app = _broken\n"
    )
    result = shuzheng("check", prelude=prelude)
    assert result.returncode == 1
    assert assert_no_traceback(result.stderr) == f"{INTERNAL_ERROR}LookupError: no app{REPORT}\n"


def test_ctrl_c_exits_130_with_one_line() -> None:
    """A real SIGINT while plans are being checked."""
    prelude = (
        "import sys, time, shuzheng.service\n"
        "def _slow(*args, **kwargs):\n"
        "    sys.stdout.write('ready\\n'); sys.stdout.flush(); time.sleep(30)\n"
        "shuzheng.service.check_plan = _slow\n"
    )
    code = f"{prelude}\nimport sys\nsys.argv = ['shuzheng', 'check']\nfrom shuzheng.cli import main\nmain()\n"
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == b"ready\n"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert assert_no_traceback(stderr) == "shuzheng: interrupted\n"


# In-process: the command boundary itself (shuzheng.cli.user_errors).


@pytest.fixture
def repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("SHUZHENG_DEBUG", raising=False)
    return REPO


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["check"], "shuzheng.service.check_plan"),
        (["progress", "--as-of", "2024-09-15"], "shuzheng.core.tally.Intake.row"),
        (["export", "--as-of", "2024-09-15"], "shuzheng.render.briefing.render"),
    ],
)
def test_a_bug_in_any_command_is_caught_at_its_boundary(
    command: list[str], target: str, repo: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("decimal division by zero")

    monkeypatch.setattr(target, bug)
    result = cli(*command)
    assert result.exit_code == 1
    assert result.stderr == f"{INTERNAL_ERROR}ZeroDivisionError: decimal division by zero{REPORT}\n"
    monkeypatch.setenv("SHUZHENG_DEBUG", "1")
    result = cli(*command)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and "ZeroDivisionError" in result.stderr


def test_keyboard_interrupt_in_a_command(repo: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("shuzheng.service.check_plan", interrupted)
    result = cli("check")
    assert result.exit_code == 130
    assert result.stderr == "shuzheng: interrupted\n"


def test_a_long_bug_message_stays_one_short_line(repo: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("x" * 5000 + "\n" + "y" * 10)

    monkeypatch.setattr("shuzheng.service.check_plan", bug)
    result = cli("check")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 400
    assert result.stderr.startswith(INTERNAL_ERROR) and result.stderr.endswith(f"{REPORT}\n")


# --- stdout that cannot take the output (issue 12, case 3) -----------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "args",
    [["progress", "--as-of", "2024-09-15"], ["export", "--as-of", "2024-09-15"], ["check", "--format", "json"]],
    ids=["progress", "export", "check"],
)
def test_a_full_disk_on_stdout_is_an_output_error(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        result = shuzheng(*args, stdout=full)
    assert result.returncode == 1
    assert assert_no_traceback(result.stderr) == (
        "shuzheng: error: cannot write to standard output: No space left on device; the output is incomplete "
        "[output-error]\n"
    )


EIO_STDOUT = """
import io, os, sys
class _Failing(io.RawIOBase):
    # EIO on every write, until the program sends fd 1 to /dev/null as it gives up on stdout
    def writable(self):
        return True
    def write(self, data):
        if os.path.samestat(os.fstat(1), os.stat(os.devnull)):
            return len(data)
        raise OSError(5, "Input/output error")
    def fileno(self):
        return 1
sys.stdout = io.TextIOWrapper(io.BufferedWriter(_Failing()), encoding="utf-8")
"""


def test_an_io_error_on_stdout_is_an_output_error_not_a_bug() -> None:
    """EIO (a terminal gone, a failing disk) at the write: the same user-facing error."""
    result = shuzheng("schema", prelude=EIO_STDOUT)
    assert result.returncode == 1
    assert assert_no_traceback(result.stderr) == (
        "shuzheng: error: cannot write to standard output: Input/output error; the output is incomplete "
        "[output-error]\n"
    )


# --- encodings and widths of the terminal (issue 12, cases 10-11) ----------------------------------


def test_gbk_stream_gets_an_ascii_bar_not_escapes() -> None:
    result = shuzheng("progress", "--as-of", "2024-09-15", "--plan", "city", env=clean_env(PYTHONIOENCODING="gbk"))
    assert result.returncode == 0
    text = result.stdout.decode("gbk")
    assert "\\u2591" not in text and "\\u2588" not in text and "\\u2500" not in text
    assert "#####" in text and "拆除違法建設" in text


@pytest.mark.parametrize("columns", ["20", "80"])
def test_numbers_never_wrap_mid_digit(columns: str) -> None:
    result = shuzheng("progress", "--as-of", "2024-09-15", "--plan", "city", env=clean_env(COLUMNS=columns))
    text = result.stdout.decode("utf-8")
    from wcwidth import wcswidth

    assert [line for line in text.splitlines() if wcswidth(line) > int(columns) and "萬" in line] == []
    assert "4,000萬平方米" in text and "2,715.8萬" in text
