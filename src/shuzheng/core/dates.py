"""Dates as clerks write them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from .diagnostics import ParseError

_DATE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)")
# Excel and some exports add a midnight time: 2024-03-05 00:00:00
_MIDNIGHT = re.compile(r"[ T]00:00(?::00)?$")


@lru_cache(maxsize=8192)
def parse_date(text: str) -> date:
    norm = _MIDNIGHT.sub("", unicodedata.normalize("NFKC", text).strip())
    match = _DATE.fullmatch(norm)
    if not match:
        raise ParseError("invalid-date", f"not a date: {text!r} (write 2024-03-05, 2024/3/5 or 2024年3月5日)")
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ParseError("invalid-date", f"no such date: {text!r}") from None
