"""Dates as clerks write them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日.

A time of day after the date (2024-03-05 10:30, 2024/3/5 8:05:09, 2024-03-05T10:30:00,
2024年3月5日 10時30分) is accepted and ignored: a ledger row counts by its day. Excel
writes one into every date cell that carries a time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from .findings import ParseError

_DATE = r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
# 10:30, 8:05:09, 10:30:00.5 (Excel's microseconds), or 10時30分(15秒) / 10点30分
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?"
_WORDS = r"(\d{1,2})[時时点點](?:(\d{1,2})分(?:(\d{1,2})秒)?)?"
_WHEN = re.compile(rf"{_DATE}(?:(?:\s+|T){_CLOCK}|(?:\s+|(?<=日)){_WORDS})?", re.ASCII)  # ٢٠٢٤ is no year a clerk types


@lru_cache(maxsize=8192)
def parse_date(text: str) -> date:
    norm = unicodedata.normalize("NFKC", text).strip()
    match = _WHEN.fullmatch(norm)
    if not match:
        raise ParseError("invalid-date", f"not a date: {text!r} (write 2024-03-05, 2024/3/5 or 2024年3月5日)")
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    hour, minute, second = (match[6], match[7], match[8]) if match[6] is not None else (match[9], match[10], match[11])
    if hour is not None and not (int(hour) <= 23 and int(minute or 0) <= 59 and int(second or 0) <= 59):
        raise ParseError("invalid-date", f"no such time of day: {text!r}")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ParseError("invalid-date", f"no such date: {text!r}") from None
