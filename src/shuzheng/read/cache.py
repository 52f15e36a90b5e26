"""The caches, like beancount's loader cache: what was read from a file is kept, keyed by the file's
identity (path, size, mtime_ns, ctime_ns, inode) and by the running shuzheng, and trusted only while
every one of those is unchanged.

Three kinds, each a pickle under one folder:

- **plan**: a plan file validated (the Plan, or its findings), so a YAML parse and the schema are paid once;
- **ledger**: a ledger file's records (its cells, line by line, sheet by sheet), so a workbook's zip and XML,
  or a CSV's decoding, are paid once; the rules still run on every read, so a changed plan or as-of date
  sees the same records judged anew;
- **run**: a whole command's output (`check`, `progress`, `export`, `rows` to stdout), with the identity of
  every file and folder the run looked at: a second run with the same arguments, environment and date, on
  inputs that are all unchanged, prints what the first printed without reading or importing anything else.

The running shuzheng is its version plus the size and mtime of every module file, so an edited checkout
never trusts an entry written by another. An entry is written to a temporary file and renamed into place;
one that cannot be read (corrupt, truncated, another Python) is ignored and written again. A file changed
less than a second before it was read is not cached (its mtime might not move on the next change).
`--no-cache` or SHUZHENG_NO_CACHE=1 bypasses all three; SHUZHENG_CACHE_DIR moves the folder (default: the
user's cache folder, as platformdirs names it). The folder is never the shared repository: a pickle from a
folder that others can write is code they could run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

FRESH_NS = 1_000_000_000  # a file changed this recently may change again within its mtime's tick
_state: dict[str, Any] = {"off": False, "watched": None}
_MISSING = ("missing",)


def bypass(off: bool) -> None:
    """--no-cache (off=True): nothing is read from or written to the cache by this command."""
    _state["off"] = off


def enabled() -> bool:
    return not _state["off"] and not os.environ.get("SHUZHENG_NO_CACHE")


def folder() -> Path:
    given = os.environ.get("SHUZHENG_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("shuzheng", appauthor=False))


def running() -> str:
    """The running shuzheng: its version and every module file's size and mtime."""
    found = _state.get("running")
    if found is None:
        from .. import __version__

        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256(__version__.encode())
        for directory, folders, files in os.walk(package):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(directory, name))
                    digest.update(f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
        found = _state["running"] = f"{__version__}+{digest.hexdigest()[:16]}"
    return found


def identity(path: str | os.PathLike[str]) -> tuple:
    """What tells a file (or folder) apart from its next version; ('missing',) when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return _MISSING
    return (info.st_mode >> 12, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def settled(found: tuple, read_at: int | None = None) -> bool:
    """Not modified in the second before it was read (default: now): an edit after this one will
    move its mtime (and the ctime in the identity catches a file whose mtime was set back)."""
    return found == _MISSING or (read_at or time.time_ns()) - found[2] >= FRESH_NS


def _entry(kind: str, key: Any) -> tuple[Path, bytes]:
    text = repr((running(), kind, key)).encode("utf-8", "surrogateescape")
    name = hashlib.sha256(text).hexdigest()
    return folder() / kind / name[:2] / name, text


def load(kind: str, key: Any) -> Any | None:
    """The value stored under (kind, key) by this shuzheng, or None (absent, corrupt, another version)."""
    if not enabled():
        return None
    try:
        path, text = _entry(kind, key)
        with open(path, "rb") as handle:
            stored_key, value = pickle.load(handle)
    except Exception:  # absent, unreadable, truncated, from another Python: ignored
        return None
    return value if stored_key == text else None


def store(kind: str, key: Any, value: Any) -> None:
    """Write (kind, key) → value atomically (a temporary file renamed into place); never fails a command."""
    if not enabled():
        return
    temporary = None
    try:
        path, text = _entry(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump((text, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        temporary = None
    except Exception:  # a read-only or full disk, a value that does not pickle: no cache, same output
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


# --- what a run looked at, for the run cache -------------------------------------------------------


def watch(path: str | os.PathLike[str]) -> None:
    """A file or folder this run read or listed (or looked for and did not find)."""
    watched = _state["watched"]
    if watched is not None:
        watched.add(os.path.abspath(path))


def start_watching() -> int:
    """Record the paths looked at from now on; returns the time it started (for settled())."""
    _state["watched"] = set()
    return time.time_ns()


def watched() -> dict[str, tuple] | None:
    """Every path looked at since start_watching, with its identity now; None if not watching."""
    paths = _state["watched"]
    _state["watched"] = None
    if paths is None:
        return None
    return {path: identity(path) for path in sorted(paths)}


def unchanged(inputs: dict[str, tuple]) -> bool:
    return all(identity(path) == found for path, found in inputs.items())
