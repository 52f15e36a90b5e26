"""`--output` writes only a regular file, and a signal in the write window changes nothing (issue 12, cases 1-2).

The device, FIFO and socket cases use private nodes in tmp_path (a character device needs root:
skipped without it). The signal cases run the real program with os.fsync slowed down (a PRELUDE
in the same process), so the signal lands inside the write window every time, not by luck.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shuzheng.core.findings import ShuzhengError, UsageError
from shuzheng.write import check_output, write_atomic

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "tests" / "fixtures" / "plans" / "recon.yaml"
LEDGER = REPO / "tests" / "fixtures" / "ledgers" / "recon" / "basic.csv"
OLD = b"old briefing\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def export(cli, output: str):  # type: ignore[no-untyped-def]
    return cli("export", "--plan", str(PLAN), "--ledger", str(LEDGER), "--as-of", "2024-06-30", "-o", output)


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- only a regular file, or a new path ------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mknod") or os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize(("kind", "shown"), [(stat.S_IFCHR, "a character device"), (stat.S_IFBLK, "a block device")])
def test_a_device_is_refused_and_stays_a_device(cli, folder: Path, kind: int, shown: str) -> None:
    node = folder / "null"
    os.mknod(node, 0o666 | kind, os.makedev(1, 3))  # the numbers of /dev/null: a write would be lost
    result = export(cli, "null")
    assert result.exit_code == 2
    assert result.stderr == (
        f"shuzheng: error: --output null is {shown}, not a regular file; nothing was written [output-not-a-file]\n"
    )
    mode = node.lstat().st_mode
    assert (stat.S_ISCHR(mode) if kind == stat.S_IFCHR else stat.S_ISBLK(mode)) and os.major(node.lstat().st_rdev) == 1
    assert temp_files(folder) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_and_stays_a_fifo(cli, folder: Path) -> None:
    os.mkfifo(folder / "pipe")
    result = export(cli, "pipe")  # opening it to write would block until a reader came
    assert result.exit_code == 2
    assert "--output pipe is a named pipe (FIFO), not a regular file" in result.stderr
    assert stat.S_ISFIFO((folder / "pipe").lstat().st_mode)
    assert temp_files(folder) == []


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_is_refused(cli, folder: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind("sock")
        result = export(cli, "sock")
    finally:
        server.close()
    assert result.exit_code == 2
    assert "--output sock is a socket, not a regular file" in result.stderr
    assert stat.S_ISSOCK((folder / "sock").lstat().st_mode)


def test_a_folder_and_a_link_to_a_fifo_are_refused(cli, folder: Path) -> None:
    (folder / "out").mkdir()
    assert export(cli, "out").exit_code == 2
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe")
        (folder / "link").symlink_to(folder / "pipe")
        result = export(cli, "link")
        assert result.exit_code == 2 and "named pipe" in result.stderr
        assert (folder / "link").is_symlink()


def test_a_regular_file_and_a_new_path_are_written(cli, folder: Path) -> None:
    (folder / "old.md").write_bytes(OLD)
    assert export(cli, "old.md").exit_code == 0
    assert export(cli, "new.md").exit_code == 0
    assert (folder / "old.md").read_bytes() == (folder / "new.md").read_bytes() != OLD


def test_check_output_refuses_before_anything_is_read(folder: Path) -> None:
    (folder / "plans").mkdir()
    (folder / "ledgers" / "city").mkdir(parents=True)
    for inside in ("plans/brief.md", "ledgers/city/x.csv", "ledgers/new/x.csv"):
        with pytest.raises(UsageError) as refused:
            check_output(Path(inside))
        assert refused.value.code == "output-is-input" and "inside" in refused.value.message
    assert check_output(Path("brief.md")) == Path("brief.md")


def test_write_atomic_refuses_a_device(tmp_path: Path) -> None:
    if not Path("/dev/null").is_char_device():
        pytest.skip("no /dev/null here")
    with pytest.raises(UsageError, match="character device"):
        write_atomic(Path("/dev/null"), "x")
    assert Path("/dev/null").is_char_device()


def test_an_unwritable_stat_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.stat

    def refuse(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("follow_symlinks", True) and Path(path).name == "x.md":
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr("shuzheng.write.os.stat", refuse)
    with pytest.raises(ShuzhengError, match="Permission denied") as failed:
        check_output(tmp_path / "x.md", workspace=tmp_path)
    assert failed.value.code == "output-error" and failed.value.exit_code == 1


# --- signals inside the write window ---------------------------------------------------------------

SLOW_FSYNC = """
import os, sys, time
_fsync = os.fsync
def _slow(fd):
    sys.stderr.write('in-window\\n'); sys.stderr.flush()
    time.sleep(30)
    _fsync(fd)
os.fsync = _slow
"""


def run_until_in_window(folder: Path, output: str) -> subprocess.Popen:
    args = ["export", "--plan", str(PLAN), "--ledger", str(LEDGER), "--as-of", "2024-06-30", "-o", output]
    code = f"{SLOW_FSYNC}\nimport sys\nsys.argv = ['shuzheng', *{args!r}]\nfrom shuzheng.cli import main\nmain()\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUZHENG_")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line == b"in-window\n", line + process.stderr.read()
    assert [p for p in folder.iterdir() if p.name.endswith(".tmp")], "the temporary file exists in the window"
    return process


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_in_the_write_window_leaves_the_old_file_and_no_temp(tmp_path: Path, signame: str) -> None:
    (tmp_path / "brief.md").write_bytes(OLD)
    process = run_until_in_window(tmp_path, "brief.md")
    signum = getattr(signal, signame)
    try:
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 128 + signum
    assert "Traceback" not in stderr.decode()
    assert (tmp_path / "brief.md").read_bytes() == OLD
    assert temp_files(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_kill_9_in_the_write_window_leaves_the_old_file(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the temporary file may stay, the old file is whole."""
    (tmp_path / "brief.md").write_bytes(OLD)
    process = run_until_in_window(tmp_path, "brief.md")
    process.kill()
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert (tmp_path / "brief.md").read_bytes() == OLD


def test_the_signal_handlers_are_restored_after_the_write(tmp_path: Path) -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    write_atomic(tmp_path / "x.md", "新")
    assert {s: signal.getsignal(s) for s in before} == before
    assert (tmp_path / "x.md").read_text(encoding="utf-8") == "新"
