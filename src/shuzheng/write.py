"""Writing an export to a file atomically: all of it, or nothing and the old file as it was.

The text goes to a temporary file in the target's own folder (so the rename stays on one
file system), is flushed and synced, and is then renamed over the target. Whatever goes
wrong on the way — a full disk, a permission, Ctrl-C — the temporary file is removed and
an existing target is left byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .core.findings import ShuzhengError, UsageError


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


def write_atomic(path: Path, text: str | bytes, inputs: Iterable[Path] = ()) -> None:
    """Write `text` (UTF-8, exactly these characters; bytes as they are) to `path`, replacing it in one step.

    Refuses (exit 2) a path that is one of `inputs`, the plans and ledgers just read;
    a missing or unwritable folder is an input error (exit 1).
    """
    for source in inputs:
        if _same_file(path, Path(source)):
            raise UsageError(
                f"--output {path} is an input file ({source}); it would overwrite it. Choose another file",
                "output-is-input",
            )
    # Write through a symbolic link to the file it names, keeping the link.
    target = path.resolve() if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ShuzhengError(f"cannot write {path}: it is a folder", "output-error")
    if not folder.is_dir():
        raise ShuzhengError(f"cannot write {path}: the folder {folder} does not exist", "output-error")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise ShuzhengError(f"cannot write {path}: {exc.strerror or exc}", "output-error") from None
    try:
        handle = tempfile.NamedTemporaryFile(dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise ShuzhengError(f"cannot write {path}: {exc.strerror or exc} (folder {folder})", "output-error") from None
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise ShuzhengError(
                f"cannot write {path}: {exc.strerror or exc}; nothing was written", "output-error"
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
