"""How a traffic light is shown: a symbol and a word, so it reads without colour and on paper."""

from __future__ import annotations

LIGHT_SYMBOL = {"green": "●", "yellow": "▲", "red": "■"}
LIGHT_LABEL = {"green": "綠", "yellow": "黃", "red": "紅"}
LIGHT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red"}


def light_text(light: str | None) -> str:
    """● 綠 / ▲ 黃 / ■ 紅, or — for a target without a light."""
    return f"{LIGHT_SYMBOL[light]} {LIGHT_LABEL[light]}" if light else "—"
