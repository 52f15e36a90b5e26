"""Writing an export to a file atomically: all of it, or nothing and the old file as it was.

The text goes to a temporary file in the target's own folder (so the rename stays on one
file system), is flushed and synced, and is then renamed over the target. Whatever goes
wrong on the way — a full disk, a permission, Ctrl-C, SIGTERM or SIGHUP — the temporary file
is removed and an existing target is left byte for byte as it was. (kill -9 cannot be caught:
it may leave the temporary file, never a half-written target.)

Only a regular file, or a path where nothing is yet, is written: a device, a FIFO, a socket or
a folder named as the output is refused before anything happens, so `-o /dev/null` run as
root can never replace the machine's /dev/null with a file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from .core.findings import ShuzhengError, UsageError
from .core.i18n import _

# Signals that end the process and that a handler may catch; during the write each one
# raises Signalled, so the clean-up below runs before the process ends.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
# The workspace folders every file of which is read as a plan or a ledger.
INPUT_FOLDERS = ("plans", "ledgers")


class Signalled(BaseException):
    """A signal that ends the process arrived; raised where the program was, so clean-ups run."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # as a shell reports a process ended by that signal


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # hard links, case-insensitive file systems
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    for test, name in (
        (stat.S_ISDIR, _("a folder")),
        (stat.S_ISCHR, _("a character device")),
        (stat.S_ISBLK, _("a block device")),
        (stat.S_ISFIFO, _("a named pipe (FIFO)")),
        (stat.S_ISSOCK, _("a socket")),
    ):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else _("not a regular file")


def check_output(path: Path, inputs: Iterable[Path] = (), workspace: Path | None = None) -> Path:
    """The file to write for `--output path`, or a UsageError (exit 2) before anything is read or written:
    an input just read, a file inside plans/ or ledgers/, a device, FIFO, socket or folder."""
    for source in inputs:
        if _same_file(path, Path(source)):
            raise UsageError(
                _("--output {path} is an input file ({source}); it would overwrite it. Choose another file").format(
                    path=path, source=source
                ),
                "output-is-input",
            )
    # Write through a symbolic link to the file it names, keeping the link.
    target = path.resolve() if path.is_symlink() else path
    try:
        kind = _kind(os.stat(target).st_mode)
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise ShuzhengError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc), "output-error"
        ) from None
    if kind is not None:
        raise UsageError(
            _("--output {path} is {kind}, not a regular file; nothing was written").format(path=path, kind=kind),
            "output-not-a-file",
        )
    root = (workspace or Path.cwd()).resolve()
    where = path.resolve()
    for folder in INPUT_FOLDERS:
        if where.is_relative_to(root / folder):
            template = (
                _("--output {path} is an input file (inside {folder}/); it would overwrite it. Choose another file")
                if os.path.lexists(where)
                else _("--output {path} is inside {folder}/, where every file is read as input; write outside it")
            )
            raise UsageError(template.format(path=path, folder=folder), "output-is-input")
    return target


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While inside: SIGTERM, SIGHUP and SIGINT raise Signalled (SIGINT: KeyboardInterrupt, as Python does)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be set from the main thread; an embedding program keeps its own
        return

    def stop(signum: int, frame: object) -> None:
        if signum == getattr(signal, "SIGINT", None):
            raise KeyboardInterrupt
        raise Signalled(signum)

    previous = {}
    for signum in ENDING_SIGNALS:
        with contextlib.suppress(OSError, ValueError):
            previous[signum] = signal.signal(signum, stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Signals wait (are delivered on leaving) while the temporary file is made and named, so one
    arriving in between is handled where the clean-up knows the file."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    mask(signal.SIG_BLOCK, ENDING_SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_UNBLOCK, ENDING_SIGNALS)


def write_atomic(path: Path, text: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8, exactly these characters; or bytes as they are) to `path`, replacing it in one step.

    Refuses (exit 2) a path that is one of `inputs`, the plans and ledgers just read, or that is
    not a regular file; a missing or unwritable folder is an input error (exit 1).
    """
    target = check_output(path, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ShuzhengError(
            _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=folder),
            "output-error",
        )
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise ShuzhengError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc), "output-error"
        ) from None
    temp: Path | None = None
    with _signals_raise():
        try:
            with _signals_held():
                try:
                    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, or removed
                        dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
                    )
                except OSError as exc:
                    raise ShuzhengError(
                        _("cannot write {path}: {reason} (folder {folder})").format(
                            path=path, reason=exc.strerror or exc, folder=folder
                        ),
                        "output-error",
                    ) from None
                temp = Path(handle.name)
            with handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
            with _signals_held():
                os.replace(temp, target)
                temp = None
        except BaseException as exc:
            if temp is not None:
                with contextlib.suppress(OSError):
                    temp.unlink()
            if isinstance(exc, OSError):
                raise ShuzhengError(
                    _("cannot write {path}: {reason}; nothing was written").format(
                        path=path, reason=exc.strerror or exc
                    ),
                    "output-error",
                ) from None
            raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (POSIX); best effort."""
    flags = getattr(os, "O_DIRECTORY", 0) | os.O_RDONLY
    with contextlib.suppress(OSError):
        fd = os.open(folder, flags)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
