"""How a traffic light is shown: a symbol and a word, so it reads without colour and on paper."""

from __future__ import annotations

from ..core.i18n import N_, _

LIGHT_SYMBOL = {"green": "●", "yellow": "▲", "red": "■"}
LIGHT_LABEL = {"green": N_("green"), "yellow": N_("yellow"), "red": N_("red")}  # shown through _()
LIGHT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red"}


def light_label(light: str) -> str:
    """绿 / green."""
    return _(LIGHT_LABEL[light])


def light_text(light: str | None) -> str:
    """● 绿 / ▲ 黄 / ■ 红 (● green in English), or — for a target without a light."""
    return f"{LIGHT_SYMBOL[light]} {light_label(light)}" if light else "—"
