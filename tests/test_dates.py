"""Dates as clerks write them (DOMAIN §7): 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.core.dates import parse_date
from shuzheng.core.findings import ParseError


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024.3.5",
        "2024年3月5日",
        "2024年03月05日",
        "2024年3月5",
        "２０２４－０３－０５",  # full-width
        "２０２４年３月５日",
        " 2024-03-05 ",
        "2024-03-05 00:00:00",  # Excel's midnight
        "2024-03-05T00:00",
        # a time of day is accepted and ignored
        "2024-03-05 10:30",
        "2024/3/5 8:05:09",
        "2024-03-05T10:30:00",
        "2024-03-05 23:59:59.999999",  # Excel's datetime cell, as the XLSX reader writes it
        "2024.3.5  7:00",
        "2024年3月5日 10时30分",
        "2024年3月5日10時",
        "2024年3月5日 8點05分09秒",
        "２０２４－０３－０５　１０：３０",  # full-width, with an ideographic space
    ],
)
def test_accepted_forms(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid-date"),
        ("   ", "invalid-date"),
        ("2024-03", "invalid-date"),
        ("24-03-05", "invalid-date"),
        ("03/05/2024", "invalid-date"),
        ("2024-03-05 24:00", "invalid-date"),  # no such time of day
        ("2024-03-05 10:60", "invalid-date"),
        ("2024-03-05 10", "invalid-date"),
        ("2024-03-05 10:3", "invalid-date"),
        ("2024-03-0510:30", "invalid-date"),  # the time must be set off from the date
        ("2024-03-0510時", "invalid-date"),
        ("2024-03-05 10:30 am", "invalid-date"),
        ("2024-02-30 10:30", "invalid-date"),  # the date is still checked
        ("2024年3月", "invalid-date"),
        ("二〇二四年三月五日", "invalid-date"),
        ("next monday", "invalid-date"),
        ("2024-02-30", "invalid-date"),
        ("2023-02-29", "invalid-date"),
        ("2024-13-01", "invalid-date"),
        ("2024-00-10", "invalid-date"),
        ("0000-01-01", "invalid-date"),
    ],
)
def test_rejected_forms(text: str, code: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_date(text)
    assert raised.value.code == code


def test_leap_day() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)


def test_no_such_date_says_so() -> None:
    with pytest.raises(ParseError, match="no such date"):
        parse_date("2024-02-30")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1)))
def test_every_form_round_trips(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    for text in (day.isoformat(), f"{y}/{m}/{d}", f"{y}.{m:02}.{d}", f"{y}年{m}月{d}日"):
        assert parse_date(text) == day


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_date_raises_only_parse_error(text: str) -> None:
    try:
        parse_date(text)
    except ParseError:
        pass


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789-/.年月日 T:０１２３", max_size=16))
def test_parse_date_raises_only_parse_error_near_dates(text: str) -> None:
    try:
        parse_date(text)
    except ParseError:
        pass
