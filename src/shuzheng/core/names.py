"""One fold for every name: districts, groups, items, departments, headers."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import Generic, TypeVar

import opencc

from .i18n import _

_T2S = opencc.OpenCC("t2s")
_SPACE = re.compile(r"\s+")
# Administrative suffixes, in folded (Simplified) spelling, longest first.
SUFFIXES = ("街道", "区", "市", "镇", "乡")

T = TypeVar("T")

# Hints: an index this small is compared whole; a larger one by its best _COMPARED candidates,
# picked through characters that at most _COMMON keys share.
_COMPARE_ALL = 500
_COMPARED = 20
_COMMON = 2000


def fold(text: str) -> str:
    """NFKC, Traditional→Simplified (also 墻/牆 → 墙), no whitespace, case-folded."""
    if text.isascii():  # NFKC and OpenCC leave ASCII as it is, and its case fold is its lower case
        return _SPACE.sub("", text).lower()
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    try:
        text = _T2S.convert(text)
    except UnicodeEncodeError:  # lone surrogates: bytes a C locale could not decode (argv, file names)
        text = _T2S.convert(_without_surrogates(text))
    # Normalised again: removing a space can join a combining mark to the letter before it.
    return unicodedata.normalize("NFKC", _SPACE.sub("", text).casefold())


def _without_surrogates(text: str) -> str:
    """The text its undecoded bytes most likely were (UTF-8 typed into a C-locale terminal);
    anything still undecodable becomes U+FFFD."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def strip_suffix(key: str) -> str | None:
    """The folded key without its administrative suffix, or None if it has none."""
    for suffix in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return None


class AmbiguousName(LookupError):
    def __init__(self, text: str, candidates: list[str]):
        super().__init__(text)
        self.text = text
        self.candidates = candidates


class NameIndex(Generic[T]):
    """Finds the value a name stands for, through the fold, the suffix rule and aliases.

    A name without its suffix matches only when exactly one value has that short form.
    """

    def __init__(self) -> None:
        self._exact: dict[str, dict[str, T]] = {}
        self._short: dict[str, dict[str, T]] = {}
        self._display: dict[str, str] = {}
        self._by_char: dict[str, list[str]] | None = None  # for hints: each character → the keys with it

    def add(self, name: str, value: T, aliases: Iterable[str] = (), label: str | None = None) -> None:
        label = label or name
        for spelling in (name, *aliases):
            key = fold(spelling)
            if not key:
                continue
            self._exact.setdefault(key, {})[label] = value
            short = strip_suffix(key)
            if short:
                self._short.setdefault(short, {})[label] = value
            self._display.setdefault(key, spelling)
        self._by_char = None

    def labels(self) -> list[str]:
        seen: dict[str, None] = {}
        for found in self._exact.values():
            for label in found:
                seen.setdefault(label)
        return list(seen)

    def get(self, text: str) -> T | None:
        """The value, None if unknown; AmbiguousName if the name could mean several."""
        key = fold(text)
        for table, probe in ((self._exact, key), (self._short, key), (self._exact, strip_suffix(key))):
            if probe is None:
                continue
            found = table.get(probe)
            if found:
                if len(found) > 1:
                    raise AmbiguousName(text, sorted(found))
                return next(iter(found.values()))
        return None

    def suggest(self, text: str) -> str | None:
        """The nearest known spelling, for 'did you mean' hints."""
        key = fold(text)
        if not key:
            return None
        close = difflib.get_close_matches(key, self._candidates(key), n=1, cutoff=0.5)
        return self._display[close[0]] if close else None

    def _candidates(self, key: str) -> list[str]:
        """The keys worth comparing with `key`. A small index is compared whole; in a large one
        (a plan of 20,000 areas) only the keys sharing the most of its characters are, so a hint
        costs about the same whatever the size. A key can only be close (difflib's ratio ≥ 0.5)
        if it shares characters with `key`; characters that nearly every key has (區, 街道) are
        not used to pick, unless `key` has no other."""
        if len(self._exact) <= _COMPARE_ALL:
            return list(self._exact)
        if self._by_char is None:
            self._by_char = {}
            for known in self._exact:
                for char in dict.fromkeys(known):
                    self._by_char.setdefault(char, []).append(known)
        postings = [self._by_char[char] for char in dict.fromkeys(key) if char in self._by_char]
        if not postings:
            return []
        usable = [p for p in postings if len(p) <= _COMMON] or [min(postings, key=len)[:_COMMON]]
        shared = Counter(chain.from_iterable(usable))
        return [known for known, _ in shared.most_common(_COMPARED)]

    def hint(self, text: str) -> str:
        """The tail `; did you mean X?` of a message about an unknown name; empty when nothing is near."""
        near = self.suggest(text)
        return _("; did you mean {near}?").format(near=near) if near else ""


def id_key(text: str) -> str:
    """An indicator or task id as compared: folded (１.１ is 1.1) and without a trailing dot (1.1.)."""
    return fold(text).rstrip(".")
