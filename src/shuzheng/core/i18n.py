"""The language people read: every text goes through _() (ngettext() for counts), and one gettext
catalogue per language holds its words (src/shuzheng/locale/).

English is the source language: the msgids in the code are the English texts. zh_Hans is written
by hand (locale/zh_Hans/LC_MESSAGES/shuzheng.po); zh_Hant is derived from it by OpenCC when the
catalogues are built (scripts/make_catalogues.py), so only one translation is kept by hand.

Plan text (titles, names, areas, items, units, leads) is not in any catalogue: plan_text() shows it
in the output's script, whatever script the plan is written in. JSON and positions keep the plan's
own spelling, where tools match it.

The language is process state, set once by the command line before anything is read
(set_language); a text built at import time would miss it, so no module calls _() at import
except the command line's own help texts, which the entry point sets the language for first.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
DEFAULT_LANGUAGE = "zh-Hans"
TRADITIONAL_LOCALES = ("zh_TW", "zh_HK", "zh_MO")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "shuzheng"

# What people type for each language; folded to lower case with "_" as "-".
_SPELLINGS = {
    "zh-hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh": "zh-Hans",
    "hans": "zh-Hans",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "hant": "zh-Hant",
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
}


class _State:
    language: str = "en"  # until the command line says otherwise: library use and tests read English
    catalogue: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _State.catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _State.catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; _() translates it where it is shown."""
    return message


def language() -> str:
    return _State.language


def known_language(text: str) -> str | None:
    """The language a spelling names (zh-Hans, zh_CN, ZH-tw, en), or None."""
    return _SPELLINGS.get(text.strip().lower().replace("_", "-"))


def set_language(name: str) -> None:
    """Switch every text that follows to this language (one of LANGUAGES)."""
    if name not in LANGUAGES:
        raise ValueError(f"unknown language {name!r}")
    _State.language = name
    _State.catalogue = _catalogue(name)


@cache
def _catalogue(name: str) -> gettext.NullTranslations:
    if name == "en":
        return gettext.NullTranslations()
    folder = name.replace("-", "_")
    try:
        with (LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    except OSError:  # an install without its catalogues: English rather than nothing
        return gettext.NullTranslations()


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """SHUZHENG_LANG if it names a language; else zh-Hant for a zh_TW, zh_HK or zh_MO locale; else
    zh-Hans, the office's language. An unknown SHUZHENG_LANG is the caller's usage error."""
    env = os.environ if environ is None else environ
    chosen = env.get("SHUZHENG_LANG", "").strip()
    if chosen:
        return known_language(chosen) or chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            locale = value.replace("-", "_")
            return "zh-Hant" if locale.startswith(TRADITIONAL_LOCALES) else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def language_in_argv(argv: Sequence[str]) -> str | None:
    """The value of --lang (or --lang=X) anywhere before a lone "--", as written; None if absent."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


# --- plan text in the output's script ----------------------------------------------------------


def plan_text(text: str) -> str:
    """Plan words in the output's script: Simplified for zh-Hans, Traditional for zh-Hant; as
    written for English (the names are the plan's)."""
    if not text or _State.language == "en" or text.isascii():
        return text
    return _convert(_State.language, text)


def plan_texts(texts: Sequence[str]) -> tuple[str, ...]:
    return tuple(plan_text(t) for t in texts)


# Where OpenCC's standard Traditional is not what Beijing's Traditional documents write.
TRADITIONAL_USAGE = (("臺賬", "台賬"), ("覈", "核"))


def to_traditional(text: str) -> str:
    """Simplified → Traditional as the office writes it (the catalogue's zh_Hant is made by this too)."""
    converted = _converter("s2t").convert(text)
    for standard, usual in TRADITIONAL_USAGE:
        converted = converted.replace(standard, usual)
    return converted


@lru_cache(maxsize=65536)
def _convert(language: str, text: str) -> str:
    try:
        simplified = _converter("t2s").convert(text)
        if language == "zh-Hans":
            return simplified
        # A plan already written in Traditional stays as written: s2t would still respell 占道 as 佔道.
        return text if simplified != text else to_traditional(text)
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes of a file name): shown as they are
        return text


@lru_cache(maxsize=2)
def _converter(config: str):  # noqa: ANN202 - opencc has no types
    import opencc  # 30 ms; only where plan text is shown

    return opencc.OpenCC(config)
