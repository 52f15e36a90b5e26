"""Quantities as the plans and the clerks write them, read into exact decimals."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from .findings import ParseError, listing
from .i18n import _
from .names import fold


class Comparator(StrEnum):
    AT_LEAST = "at_least"
    APPROX = "approx"
    AT_MOST = "at_most"


@dataclass(frozen=True, slots=True)
class Unit:
    name: str  # canonical spelling, as the plans write it
    dimension: str  # units convert only within one dimension
    scale: Decimal  # how many of the dimension's base unit one of this is (divided by `divisor`)
    divisor: Decimal = Decimal(1)  # 1 畝 = 10000/15 平方米: a scale no decimal holds exactly

    def same(self, other: Unit) -> bool:
        """One of this is exactly one of `other` (平方米 and ㎡, 公頃 and 萬平方米)."""
        return (self.dimension, self.scale, self.divisor) == (other.dimension, other.scale, other.divisor)


TEN_THOUSAND = Decimal(10_000)
_SCALE_PREFIXES = {"万": TEN_THOUSAND, "亿": Decimal(100_000_000)}

# name → (dimension, scale); other spellings map onto these through the fold.
_BASE_UNITS: dict[str, tuple[str, Decimal]] = {
    "平方米": ("area", Decimal(1)),
    "平方公里": ("area", Decimal(1_000_000)),
    "公頃": ("area", Decimal(10_000)),
    "米": ("length", Decimal(1)),
    "公里": ("length", Decimal(1000)),
    "%": ("percent", Decimal(1)),
    "路段·次": ("路段·次", Decimal(1)),
}
# Count units: each its own dimension — 處 and 戶 never add up.
# The count units clerks write in 台賬; each is its own dimension.
COUNT_UNITS = (
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
)
for _count in COUNT_UNITS:
    _BASE_UNITS[_count] = (fold(_count), Decimal(1))
_SPELLINGS = {
    "㎡": "平方米",
    "m2": "平方米",
    "m²": "平方米",
    "平米": "平方米",
    "km2": "平方公里",
    "km²": "平方公里",
    "m": "米",
    "千米": "公里",
    "km": "公里",
    "％": "%",
}


def _registry() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for name, (dimension, scale) in _BASE_UNITS.items():
        units[fold(name)] = Unit(name, dimension, scale)
    units[fold("畝")] = Unit("畝", "area", Decimal(10_000), Decimal(15))
    for spelling, name in _SPELLINGS.items():
        units[fold(spelling)] = units[fold(name)]
    return units


UNITS = _registry()


@lru_cache(maxsize=4096)
def parse_unit(text: str) -> Unit:
    """`萬平方米` → Unit(萬平方米, area, 10000); unknown spellings are a ParseError."""
    key = fold(text)
    if key in UNITS:
        return UNITS[key]
    for prefix, factor in _SCALE_PREFIXES.items():
        if key.startswith(prefix) and key[len(prefix) :] in UNITS:
            base = UNITS[key[len(prefix) :]]
            return Unit(text.strip(), base.dimension, base.scale * factor, base.divisor)
    message = _("unknown unit {text!r}; known units: {known} (with 萬/億 prefixes)")
    raise ParseError("unknown-unit", message.format(text=text, known=listing(_BASE_UNITS)))


CONVERSION_PLACES = Decimal("0.01")


def convert(amount: Decimal, source: Unit, target: Unit) -> Decimal:
    """`amount` of `source` in `target`; exact where a decimal holds the result, else rounded to
    0.01 of the target unit (15畝 = 10000平方米 exactly; 1畝 = 666.67平方米)."""
    if source.dimension != target.dimension:
        message = _("{source} cannot be converted to {target}").format(source=source.name, target=target.name)
        raise ParseError("unit-mismatch", message)
    if source.scale == target.scale and source.divisor == target.divisor:
        return amount
    exact = Fraction(amount) * Fraction(source.scale) * Fraction(target.divisor)
    exact /= Fraction(source.divisor) * Fraction(target.scale)
    denominator = exact.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:  # a finite decimal
        value = Decimal(exact.numerator) / Decimal(exact.denominator)
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CONVERSION_PLACES)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed value: `amount` None means the source left it open (`20xx人`)."""

    amount: Decimal | None
    unit: Unit | None = None
    comparator: Comparator | None = None
    text: str = ""

    @property
    def is_open(self) -> bool:
        return self.amount is None


_PREFIX_QUALIFIERS = {
    "约": Comparator.APPROX,
    "大约": Comparator.APPROX,
    "不少于": Comparator.AT_LEAST,
    "不低于": Comparator.AT_LEAST,
    "不超过": Comparator.AT_MOST,
    "不高于": Comparator.AT_MOST,
}
_SUFFIX_QUALIFIERS = {
    "以上": Comparator.AT_LEAST,
    "以内": Comparator.AT_MOST,
    "以下": Comparator.AT_MOST,
}
_MORE_THAN = ("余", "多")  # 7000余戶: more than 7000

# Digits are ASCII (after NFKC, full-width ones are too): ٣ or ๓ is no number a clerk types.
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"(?P<pre>{'|'.join(_PREFIX_QUALIFIERS)})?"
    rf"(?P<num>\d*xx\d*|{_NUMBER})"
    rf"(?P<more>{'|'.join(_MORE_THAN)})?"
    rf"(?P<scale>{'|'.join(_SCALE_PREFIXES)})?"
    rf"(?P<more2>{'|'.join(_MORE_THAN)})?"
    rf"(?P<unit>[^\d.,_+\-].*?)??"  # lazy: in `4000以上` the 以上 is a qualifier, not a unit
    rf"(?P<post>{'|'.join(_SUFFIX_QUALIFIERS)})?",
    re.IGNORECASE | re.ASCII,
)
_SPACED_DIGITS = re.compile(r"[0-9０-９]\s+[0-9０-９]")
_EXPONENT = re.compile(r"e[+-]?[0-9]+", re.IGNORECASE)
# More digits before the point than any plan or ledger has (after 萬/億) is a wrong cell, not a
# number: it would also overflow the exact sums and the reports' rounding.
MAX_DIGITS = 18


def parse_quantity(text: str) -> Quantity:
    """Parse `4,000`, `４０００`, `1.6萬`, `3萬戶`, `100%`, `約1.6萬處`, `7000余戶`, `20xx人`."""
    if not isinstance(text, str):
        raise ParseError("invalid-number", _("expected a number, got {text!r}").format(text=text)[:200])
    return _parse_quantity(text)


# Characters NFKC would make digits that no clerk means as a number: 5² is not 52, ① not 1, ⑩ not 10.
# Full-width digits are what a Chinese keyboard types, and are read.
_ASCII_DIGIT = frozenset("0123456789")


def _decorated_digit(text: str) -> str | None:
    for char in text:
        if char.isascii() or "０" <= char <= "９":
            continue
        compatible = unicodedata.normalize("NFKC", char)
        if _ASCII_DIGIT & set(compatible) and not any(c.isalpha() for c in compatible):  # ㎡ is m2: a unit
            return char
    return None


@lru_cache(maxsize=65536)
def _parse_quantity(text: str) -> Quantity:
    odd = _decorated_digit(text)
    if odd is not None:
        message = _("not a number: {text} ({char!r} is not a digit; write plain digits)")
        raise ParseError("invalid-number", message.format(text=_short(text), char=odd))
    if _SPACED_DIGITS.search(text):  # "1 000" or two numbers in one cell: which is meant?
        message = _("not a number: {text} (digits separated by a space; write 1000 or 1,000)")
        raise ParseError("invalid-number", message.format(text=_short(text)))
    norm = fold(text)  # NFKC makes full-width digits, commas and ％ ASCII; t2s makes 萬 万
    match = _QUANTITY.fullmatch(norm)
    if not match or not norm:
        message = _("not a number: {text} (write e.g. 4000, 4,000, 1.6萬, 100%)")
        raise ParseError("invalid-number", message.format(text=_short(text)))
    comparators = {
        _PREFIX_QUALIFIERS.get(match["pre"] or ""),
        _SUFFIX_QUALIFIERS.get(match["post"] or ""),
        Comparator.AT_LEAST if (match["more"] or match["more2"]) else None,
    } - {None}
    if len(comparators) > 1:
        raise ParseError("invalid-number", _("contradictory qualifiers in {text!r}").format(text=text))
    comparator = comparators.pop() if comparators else None
    if match["unit"] and _EXPONENT.fullmatch(match["unit"]):
        message = _("not a number: {text} (scientific notation is not read; write the number out in full)")
        raise ParseError("invalid-number", message.format(text=_short(text)))
    unit = parse_unit(match["unit"]) if match["unit"] else None
    number = match["num"]
    if "x" in number.lower():
        return Quantity(None, unit, comparator, text)
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation as exc:  # the regex admits only digits; kept for safety
        raise ParseError("invalid-number", _("not a number: {text!r}").format(text=text)) from exc
    if match["scale"]:
        amount *= _SCALE_PREFIXES[match["scale"]]
    if amount and amount.adjusted() >= MAX_DIGITS:
        message = _("too large: {text} has more than {digits} digits before the point; is it the right cell?")
        raise ParseError("invalid-number", message.format(text=_short(text), digits=MAX_DIGITS))
    return Quantity(amount, unit, comparator, text)


def _short(text: str) -> str:
    """The text as a message quotes it, cut short when it is long."""
    return repr(text) if len(text) <= 40 else repr(text[:37]) + "…"


def parse_amount(text: str, unit: Unit | None, written: Unit | None = None) -> Decimal:
    """A ledger quantity in `unit`, converted from the unit the text names (3萬平方米) or else
    from `written` (the row's 單位); as it stands when either side has none. Never open."""
    quantity = parse_quantity(text)
    if quantity.amount is None:
        raise ParseError("invalid-number", _("not a number: {text!r}").format(text=text))
    source = quantity.unit or written
    if source is None or unit is None:
        return quantity.amount
    return convert(quantity.amount, source, unit)
