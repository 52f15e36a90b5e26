"""Bytes → text, strictly: the one place that decides an encoding."""

from __future__ import annotations

from ..core.findings import Location, ShuzhengError

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
            f"not UTF-8 at byte {offset} (0x{data[offset]:02x}); save the file as UTF-8",
            "encoding-error",
            Location(path, line, col),
        ) from None
