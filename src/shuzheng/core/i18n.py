"""Every text a person reads goes through _() (and ngettext() for counts), so that one catalogue
per language holds it. Placeholder: the catalogues are not wired yet, text comes out as written."""

from __future__ import annotations


def _(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural
