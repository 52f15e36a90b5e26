"""Dates as clerks write them: 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日.

A time of day after the date (2024-03-05 10:30, 2024/3/5 8:05:09, 2024-03-05T10:30:00,
2024年3月5日 10時30分) is accepted and ignored: a ledger row counts by its day. Excel
writes one into every date cell that carries a time.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from functools import lru_cache

from .findings import ParseError
from .i18n import _

_DATE = r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)"
# 10:30, 8:05:09, 10:30:00.5 (Excel's microseconds), or 10時30分(15秒) / 10点30分
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?"
_WORDS = r"(\d{1,2})[時时点點](?:(\d{1,2})分(?:(\d{1,2})秒)?)?"
_WHEN = re.compile(rf"{_DATE}(?:(?:\s+|T){_CLOCK}|(?:\s+|(?<=日)){_WORDS})?", re.ASCII)  # ٢٠٢٤ is no year a clerk types


class NoSuchDate(ParseError):
    """A date written right that does not exist (2024年2月30日, 25:00): no other reading helps."""


@lru_cache(maxsize=8192)  # dates only: an error is raised anew each time, in the language of the moment
def parse_date(text: str) -> date:
    norm = unicodedata.normalize("NFKC", text).strip()
    match = _WHEN.fullmatch(norm)
    if not match:
        message = _("not a date: {text!r} (write 2024-03-05, 2024/3/5 or 2024年3月5日)")
        raise ParseError("invalid-date", message.format(text=text))
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    hour, minute, second = (match[6], match[7], match[8]) if match[6] is not None else (match[9], match[10], match[11])
    if hour is not None and not (int(hour) <= 23 and int(minute or 0) <= 59 and int(second or 0) <= 59):
        raise NoSuchDate("invalid-date", _("no such time of day: {text!r}").format(text=text))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise NoSuchDate("invalid-date", _("no such date: {text!r}").format(text=text)) from None


# --as-of only: a ledger row needs its day, but a person asking "as of when" may name a month
# or a quarter (its last day), write the day without separators, or say today.
_TODAY = frozenset({"today", "今天", "今日"})
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_HAO = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[号號]", re.ASCII)
_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月)", re.ASCII)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"(\d{4})(?:\s*[-/]?\s*[Qq]([1-4])|年?第([一二三四1-4])季度?)")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_as_of(text: str, today: date) -> date:
    """The day `--as-of` names: any date parse_date reads, 20240630, 2024年06月30号, today,
    a month (2024-06 → 2024-06-30) or a quarter (2024Q2, 2024年第二季度 → 2024-06-30)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if norm.casefold() in _TODAY:
        return today
    try:
        return parse_date(norm)
    except NoSuchDate:
        raise
    except ParseError:
        pass
    if match := _COMPACT.fullmatch(norm) or _HAO.fullmatch(norm):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise NoSuchDate("invalid-date", _("no such date: {text!r}").format(text=text)) from None
    if match := _MONTH.fullmatch(norm):
        month = int(match[2] or match[3])
        if not 1 <= month <= 12:
            raise NoSuchDate("invalid-date", _("no such month: {text!r}").format(text=text))
        return _last_day(int(match[1]), month)
    if match := _QUARTER.fullmatch(norm):
        quarter = _QUARTERS[match[2] or match[3]]
        return _last_day(int(match[1]), quarter * 3)
    message = _(
        "not a date: {text!r} (write 2024-06-30, 20240630, 2024年6月30日, a month 2024-06, a quarter 2024Q2 or today)"
    )
    raise ParseError("invalid-date", message.format(text=text))
