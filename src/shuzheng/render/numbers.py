"""Numbers for people: 万/萬 where the plan counts in ten thousands (in the output's script),
thousands separators, one-decimal percents; the few words around them (定性, 条记录, 约) in the
output's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

from ..core.i18n import _, ngettext, plan_text
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


def wan(row: TargetRow) -> str:
    """Ten thousand as the plan writes it, in the output's script: 万 in Simplified, 萬 in Traditional,
    the plan's own character in English (only the formats people read show it)."""
    return "万" if "万" in plan_text(row.value_text or "") else "萬"


def amount(value: Decimal | None, row: TargetRow) -> str:
    """A target or actual in the row's unit, scaled to 萬 when the plan counts in 萬."""
    if value is None:
        return "—"
    if row.unit == "%":
        return f"{rounded(value, 1):,f}%"
    if uses_wan(row) and value != 0:
        return f"{plain(value / TEN_THOUSAND, 2)}{wan(row)}"
    return plain(value)


def percent(value: Decimal | None) -> str:
    """A share as a percentage with exactly one decimal: 0.3691 → 36.9%, 1 → 100.0%."""
    if value is None:
        return "—"
    text = f"{rounded(value * 100, 1):,f}"
    return f"{'0.0' if text == '-0.0' else text}%"


def qualitative() -> str:
    """定性: what stands for the target of a qualitative indicator."""
    # Translators: the target of an indicator without a number (定性)
    return _("qualitative")


def with_unit(text: str, unit: str | None) -> str:
    """1,417萬 + 平方米 → 1,417萬平方米 (no space before a Chinese unit); 12 + m2 → 12 m2."""
    if not unit or unit == "%" or text in ("—", qualitative()):
        return text
    return f"{text}{unit}" if not unit[0].isascii() else f"{text} {unit}"


def comparator_sign(comparator: str) -> str:
    """≥, ≤, or 约 (≈ in English)."""
    if comparator == "approx":
        # Translators: the sign before an approximate target (约 1.6万); English has ≈, as short as 约
        return _("≈")
    return {"at_least": "≥", "at_most": "≤"}[comparator]


def target_text(row: TargetRow) -> str:
    """The target as a clerk says it: ≥ 1,417萬, 約 1.6萬, ≤ 0."""
    if row.value is None:
        return "—" if row.measure != "qualitative" else qualitative()
    value = f"{plain(row.value, 1)}%" if row.unit == "%" else amount(row.value, row)  # 100%, as the plan writes it
    return f"{comparator_sign(row.comparator)} {value}"


def actual_text(t: TargetRow) -> str:
    """The actual as people read it; a qualitative target counts its records."""
    if t.measure == "qualitative":
        return ngettext("{n} record", "{n} records", t.rows).format(n=t.rows) if t.rows else _("no records")
    return amount(t.actual, t)
