"""Quantities as plans and clerks write them (DOMAIN §4): exact decimals, units, qualifiers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuzheng.core.findings import ParseError
from shuzheng.core.quantity import Comparator, convert, parse_amount, parse_quantity, parse_unit

AT_LEAST, APPROX, AT_MOST = Comparator.AT_LEAST, Comparator.APPROX, Comparator.AT_MOST


@pytest.mark.parametrize(
    ("text", "amount", "unit", "comparator"),
    [
        ("4000", "4000", None, None),
        ("4,000", "4000", None, None),
        ("1,234,567.5", "1234567.5", None, None),
        ("４０００", "4000", None, None),  # full-width digits
        ("４，０００", "4000", None, None),  # full-width comma
        (" 4000 ", "4000", None, None),
        ("0", "0", None, None),
        ("0.5", "0.5", None, None),
        ("1.6萬", "16000", None, None),
        ("1.6万", "16000", None, None),
        ("１.６萬", "16000", None, None),
        ("1.5億", "150000000", None, None),
        ("3萬戶", "30000", "戶", None),
        ("3万户", "30000", "戶", None),
        ("1417萬平方米", "14170000", "平方米", None),
        ("100條", "100", "條", None),
        ("10萬㎡", "100000", "平方米", None),
        ("10m2", "10", "平方米", None),
        ("100%", "100", "%", None),
        ("100％", "100", "%", None),
        ("4000萬平方米以上", "40000000", "平方米", AT_LEAST),
        ("4000以上", "4000", None, AT_LEAST),
        ("不少於10", "10", None, AT_LEAST),
        ("不少于10", "10", None, AT_LEAST),
        ("約1.6萬", "16000", None, APPROX),
        ("约1.6万处", "16000", "處", APPROX),
        ("7000余", "7000", None, AT_LEAST),
        ("7000余戶", "7000", "戶", AT_LEAST),
        ("5600多", "5600", None, AT_LEAST),
        ("30多萬", "300000", None, AT_LEAST),
        ("10萬多戶", "100000", "戶", AT_LEAST),
        ("10以內", "10", None, AT_MOST),
        ("10以内", "10", None, AT_MOST),
        ("5萬平方米以內", "50000", "平方米", AT_MOST),
        ("不超過5", "5", None, AT_MOST),
        ("不超过5處", "5", "處", AT_MOST),
        ("10%以上", "10", "%", AT_LEAST),
    ],
)
def test_accepted_forms(text: str, amount: str, unit: str | None, comparator: Comparator | None) -> None:
    quantity = parse_quantity(text)
    assert isinstance(quantity.amount, Decimal)
    assert quantity.amount == Decimal(amount)
    assert (quantity.unit.name if quantity.unit else None) == unit
    assert quantity.comparator == comparator
    assert quantity.text == text
    assert not quantity.is_open


def test_ten_thousand_scale_is_exact() -> None:
    """1.1萬 is 11000 exactly: no binary float ever touches it (float(1.1) * 10000 is 11000.000000000002)."""
    assert parse_quantity("1.1萬").amount == Decimal("11000")
    assert parse_quantity("0.0001萬").amount == Decimal("1")
    assert sum((parse_quantity("0.1萬").amount for _ in range(10)), Decimal(0)) == Decimal("10000")


@pytest.mark.parametrize("text", ["20xx人", "20xx", "xx萬平方米", "20XX人"])
def test_open_values(text: str) -> None:
    quantity = parse_quantity(text)
    assert quantity.is_open
    assert quantity.amount is None


def test_open_value_keeps_its_unit() -> None:
    assert parse_quantity("20xx人").unit == parse_unit("人")


@pytest.mark.parametrize(
    "text",
    [
        "nan", "NaN", "Infinity", "-Infinity", "inf", "1_000", "(123)", "—", "-", "", "   ",
        "1e5", ".5", "5.", "1..2", "4,00", "1,0000", "abc", "萬", "以上", "約", "0x10", "一千",
    ],
)  # fmt: skip
def test_rejected_forms(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_quantity(text)
    assert raised.value.code in ("invalid-number", "unknown-unit")


@pytest.mark.parametrize("text", ["約10以上", "不超過10以上", "10余以內"])
def test_contradictory_qualifiers(text: str) -> None:
    with pytest.raises(ParseError, match="contradictory"):
        parse_quantity(text)


@pytest.mark.parametrize("text", ["7千", "3萬噸", "10公斤"])
def test_unknown_unit(text: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_quantity(text)
    assert raised.value.code == "unknown-unit"


def test_not_text_is_rejected() -> None:
    with pytest.raises(ParseError):
        parse_quantity(4000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spelling", "canonical", "scale"),
    [
        ("平方米", "平方米", 1),
        ("㎡", "平方米", 1),
        ("m2", "平方米", 1),
        ("平米", "平方米", 1),
        ("萬平方米", "萬平方米", 10_000),
        ("万平方米", "万平方米", 10_000),
        ("平方公里", "平方公里", 1_000_000),
        ("%", "%", 1),
        ("％", "%", 1),
        ("戶", "戶", 1),
        ("户", "戶", 1),
        ("處", "處", 1),
        ("处", "處", 1),
    ],
)
def test_unit_registry(spelling: str, canonical: str, scale: int) -> None:
    unit = parse_unit(spelling)
    assert unit.name == canonical
    assert unit.scale == scale


def test_area_units_convert() -> None:
    assert convert(Decimal("4000"), parse_unit("萬平方米"), parse_unit("平方米")) == Decimal("40000000")
    assert convert(Decimal("40000000"), parse_unit("平方米"), parse_unit("萬平方米")) == Decimal("4000")
    assert convert(Decimal("1"), parse_unit("平方公里"), parse_unit("㎡")) == Decimal("1000000")


# DOMAIN §4's ten, and the ones clerks use beyond it
COUNT_UNITS = [
    "處",
    "戶",
    "家",
    "個",
    "件",
    "次",
    "人",
    "所",
    "條",
    "輛",
    "塊",
    "張",
    "座",
    "棟",
    "間",
    "套",
    "項",
    "名",
    "宗",
]


def test_the_registry_has_every_count_unit() -> None:
    from shuzheng.core.quantity import COUNT_UNITS as REGISTERED

    assert list(REGISTERED) == COUNT_UNITS


@pytest.mark.parametrize(
    ("traditional", "simplified"), [("輛", "辆"), ("塊", "块"), ("張", "张"), ("棟", "栋"), ("間", "间"), ("項", "项")]
)
def test_new_count_units_in_simplified(traditional: str, simplified: str) -> None:
    assert parse_unit(simplified) == parse_unit(traditional)
    assert parse_unit(simplified).name == traditional


@pytest.mark.parametrize(
    ("spelling", "canonical", "scale"),
    [
        ("米", "米", 1),
        ("m", "米", 1),
        ("公里", "公里", 1000),
        ("千米", "公里", 1000),
        ("km", "公里", 1000),
        ("KM", "公里", 1000),
        ("萬米", "萬米", 10_000),
    ],
)
def test_length_units(spelling: str, canonical: str, scale: int) -> None:
    unit = parse_unit(spelling)
    assert (unit.name, unit.dimension, unit.scale) == (canonical, "length", scale)


def test_length_units_convert_and_stay_apart_from_area() -> None:
    assert convert(Decimal("2.5"), parse_unit("公里"), parse_unit("米")) == Decimal("2500")
    assert convert(Decimal("1500"), parse_unit("米"), parse_unit("公里")) == Decimal("1.5")
    assert parse_amount("3.2公里", parse_unit("米")) == Decimal("3200")
    assert parse_amount("1.2萬米", parse_unit("公里")) == Decimal("12")
    for length, area in (("米", "平方米"), ("公里", "平方公里"), ("m", "m2"), ("km", "km2")):
        assert parse_unit(length).dimension == "length" and parse_unit(area).dimension == "area"
        with pytest.raises(ParseError):
            convert(Decimal(1), parse_unit(length), parse_unit(area))
    with pytest.raises(ParseError):
        convert(Decimal(1), parse_unit("米"), parse_unit("條"))


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [("5輛", "5", "輛"), ("3萬間", "30000", "間"), ("12套以上", "12", "套"), ("800米", "800", "米")],
)
def test_values_with_the_new_units(text: str, amount: str, unit: str) -> None:
    quantity = parse_quantity(text)
    assert (quantity.amount, quantity.unit.name) == (Decimal(amount), unit)


@pytest.mark.parametrize("source", COUNT_UNITS)
def test_count_units_are_distinct(source: str) -> None:
    for target in COUNT_UNITS:
        if target == source:
            assert convert(Decimal(3), parse_unit(source), parse_unit(target)) == 3
        else:
            with pytest.raises(ParseError) as raised:
                convert(Decimal(3), parse_unit(source), parse_unit(target))
            assert raised.value.code == "unit-mismatch"
    with pytest.raises(ParseError):
        convert(Decimal(3), parse_unit(source), parse_unit("平方米"))


def test_parse_amount_converts_to_the_indicator_unit() -> None:
    assert parse_amount("1.5萬平方米", parse_unit("平方米")) == Decimal("15000")
    assert parse_amount("1.5萬平方米", parse_unit("萬平方米")) == Decimal("1.5")
    assert parse_amount("200", parse_unit("平方米")) == Decimal("200")
    with pytest.raises(ParseError):
        parse_amount("3戶", parse_unit("處"))
    with pytest.raises(ParseError):
        parse_amount("20xx", parse_unit("人"))  # a ledger quantity is never open


# Properties.

# Plan and ledger sizes: far inside the 28 significant digits of the decimal context.
plan_decimals = st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(plan_decimals, st.sampled_from(["萬", "万"]))
def test_wan_is_exactly_ten_thousand(number: Decimal, wan: str) -> None:
    amount = parse_quantity(f"{number:f}{wan}").amount
    assert isinstance(amount, Decimal)
    assert amount == number * 10_000


FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(plan_decimals)
def test_plain_grouped_and_full_width_agree(number: Decimal) -> None:
    plain = f"{number:f}"
    grouped = f"{number:,f}"
    assert parse_quantity(plain).amount == number
    assert parse_quantity(grouped).amount == number
    assert parse_quantity(plain.translate(FULL_WIDTH)).amount == number


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_quantity_raises_only_parse_error(text: str) -> None:
    try:
        parse_quantity(text)
    except ParseError:
        pass


NUMBERISH = st.text(
    alphabet="0123456789,.xX+-_ 萬万億亿%％約约余多以上內内不超過少於平方米㎡戶户處nNaIfity()—", max_size=12
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(NUMBERISH)
def test_parse_quantity_raises_only_parse_error_near_numbers(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except ParseError:
        return
    assert quantity.amount is None or quantity.amount.is_finite()


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [
        ("15畝", "平方米", "10000"),  # 1 畝 = 10000/15 平方米: exact here
        ("1畝", "平方米", "666.67"),  # not exact: rounded to 0.01 of the target unit
        ("3公頃", "萬平方米", "3"),
        ("1平方公里", "公頃", "100"),
        ("1.5萬畝", "畝", "15000"),
    ],
)
def test_area_units_convert_and_round_to_a_hundredth(text: str, unit: str, amount: str) -> None:
    assert parse_amount(text, parse_unit(unit)) == Decimal(amount)


@pytest.mark.parametrize("text", ["5²", "①", "⑩", "⑴", "２³"])
def test_decorated_digits_are_not_numbers(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_amount(text, None)
    assert caught.value.code == "invalid-number"
