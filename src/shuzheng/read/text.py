"""Bytes → text, strictly: the one place that decides an encoding."""

from __future__ import annotations

from ..core.diagnostics import Location, ShuzhengError

BOM = b"\xef\xbb\xbf"


def line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as far as they decode) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def decode_utf8(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is dropped); anything else is an error naming line, column and byte offset."""
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        raise ShuzhengError(
            f"not UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); save the file as UTF-8",
            "encoding-error",
            Location(path, line, col),
        ) from None
