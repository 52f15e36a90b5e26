"""Bytes → text, strictly: the one place that decides an encoding."""

from __future__ import annotations

import errno

from ..core.findings import Location, ShuzhengError
from ..core.i18n import N_, _

BOM = b"\xef\xbb\xbf"


def line_breaks(data: bytes, end: int | None = None) -> int:
    """Line breaks in `data[:end]`: \\n, \\r\\n or a lone \\r (old Mac files), as editors and the csv module count "
    "them."""
    end = len(data) if end is None else end
    return data.count(b"\n", 0, end) + data.count(b"\r", 0, end) - data.count(b"\r\n", 0, end)


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as far as they decode) of a byte offset."""
    line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    line = line_breaks(data, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def decode_utf8(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is dropped); anything else is an error naming line, column and byte offset."""
    skip = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data[skip:], exc.start)
        offset = skip + exc.start  # in the file, BOM included
        raise ShuzhengError(
            _("not UTF-8 at byte {offset} (0x{byte:02x}); save the file as UTF-8").format(
                offset=offset, byte=data[offset]
            ),
            "encoding-error",
            Location(path, line, col),
        ) from None


# The system's words for why a file cannot be read, as the C library writes them in English
# (strerror is English whatever the language): shown translated.
_OS_REASONS = {
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.ENOENT: N_("No such file or directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EIO: N_("Input/output error"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EBUSY: N_("Device or resource busy"),
}


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in the output's language where it is a common reason."""
    reason = _OS_REASONS.get(exc.errno or 0)
    return _(reason) if reason and exc.strerror == reason else str(exc.strerror or exc)
