"""Numbers for people: 萬 where the plan writes 萬, thousands separators, one-decimal percents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from ..core.quantity import TEN_THOUSAND
from ..core.report import TargetRow


def rounded(value: Decimal, places: int) -> Decimal:
    """Half up to `places` decimals, with precision for however many digits the value has."""
    return value.quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=Context(prec=max(28, value.adjusted() + places + 4))
    )


def plain(value: Decimal, places: int = 2) -> str:
    """1234567.5 → 1,234,567.5; at most `places` decimals, no trailing zeros."""
    rounded_value = rounded(value, places)
    text = f"{rounded_value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def uses_wan(row: TargetRow) -> bool:
    text = row.value_text or ""
    return "萬" in text or "万" in text


def amount(value: Decimal | None, row: TargetRow) -> str:
    """A target or actual in the row's unit, scaled to 萬 when the plan counts in 萬."""
    if value is None:
        return "—"
    if row.unit == "%":
        return f"{rounded(value, 1):,f}%"
    if uses_wan(row) and value != 0:
        return f"{plain(value / TEN_THOUSAND, 2)}萬"
    return plain(value)


def percent(value: Decimal | None) -> str:
    """A share as a percentage with exactly one decimal: 0.3691 → 36.9%, 1 → 100.0%."""
    if value is None:
        return "—"
    text = f"{rounded(value * 100, 1):,f}"
    return f"{'0.0' if text == '-0.0' else text}%"


def with_unit(text: str, unit: str | None) -> str:
    """1,417萬 + 平方米 → 1,417萬平方米 (no space before a Chinese unit); 12 + m2 → 12 m2."""
    if not unit or unit == "%" or text in ("—", "定性"):
        return text
    return f"{text}{unit}" if not unit[0].isascii() else f"{text} {unit}"


def target_text(row: TargetRow) -> str:
    """The target as a clerk says it: ≥ 1,417萬, 約 1.6萬, ≤ 0."""
    if row.value is None:
        return "—" if row.measure != "qualitative" else "定性"
    sign = {"at_least": "≥", "approx": "約", "at_most": "≤"}[row.comparator]
    value = f"{plain(row.value, 1)}%" if row.unit == "%" else amount(row.value, row)  # 100%, as the plan writes it
    return f"{sign} {value}"


def actual_text(t: TargetRow) -> str:
    """The actual as people read it; a qualitative target counts its records."""
    if t.measure == "qualitative":
        return f"{t.rows}條記錄" if t.rows else "無記錄"
    return amount(t.actual, t)
