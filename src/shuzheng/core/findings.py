"""Findings about plans, ledgers and usage: one type, values collected, never raised one at a time.

A finding's severity is not stated where it is made: it comes from its code in the registry
(core/codes.py), so a code is an error or a warning everywhere it is used.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import pairwise

from .i18n import N_, _

# Line breaks, other control characters and bidirectional overrides, which would split,
# garble or reverse a one-line finding.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """Text for a one-line message: control characters written as escapes (a\\nb, \\x00, \\u202e)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # listed in reports (a correction), never a problem

    @property
    def word(self) -> str:
        """The severity as a finding's line shows it, in the output's language (error, 错误)."""
        return _(SEVERITY_WORDS[self])


SEVERITY_WORDS = {
    Severity.ERROR: N_("error"),
    Severity.WARNING: N_("warning"),
    Severity.INFO: N_("info"),
}


def severity_of(code: str) -> Severity:
    """A code's severity, from its entry in the registry (core/codes.py)."""
    from .codes import CODES

    return Severity(CODES[code].severity)


def listing(names: Iterable[str], limit: int | None = None) -> str:
    """Names as a message lists them: `a, b, c` in English, 甲、乙、丙 in Chinese; past `limit`
    names, the rest are counted (`a, b and 3 more`)."""
    shown = list(names)
    # Translators: the separator of a list of names; in Chinese 、
    separator = _(", ")
    if limit is None or len(shown) <= limit:
        return separator.join(shown)
    # "and 1 more" reads right too: one form for every count
    return _("{names} and {n} more").format(names=separator.join(shown[:limit]), n=len(shown) - limit)


def column_letter(col: int) -> str:
    """1 → A, 27 → AA: a column as Excel names it."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a finding points: 1-based line (an XLSX row) and column, as editors and Excel count."""

    path: str
    line: int | None = None
    col: int | None = None
    sheet: str | None = None  # a workbook's sheet: shown as file.xlsx[sheet]:row:col

    def __str__(self) -> str:
        parts = [one_line(self.path) + (f"[{one_line(self.sheet)}]" if self.sheet is not None else "")]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    @property
    def file(self) -> str:
        """The file as reports list it: a workbook's sheet is part of where a row is."""
        return self.path if self.sheet is None else f"{self.path}[{self.sheet}]"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    where: Location | None = None
    plan: str | None = None  # the plan whose rules found it, where there is one
    # facts a report lists beside the message (a duplicate's first use, a correction's quantity)
    detail: dict | None = field(default=None, compare=False, hash=False)

    @property
    def severity(self) -> Severity:
        return severity_of(self.code)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity.word}: {one_line(self.message)} [{self.code}]"

    def to_json(self) -> dict:
        where = self.where
        found = {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": where.file if where else None,
            "line": where.line if where else None,
            "col": where.col if where else None,
        }
        if where is not None and where.sheet is not None:
            found["sheet"] = where.sheet
        return found


@dataclass(frozen=True, slots=True)
class FindingRows:
    """Findings about rows of one file that share a code, a class, a column and a plan, kept as columns: a
    million-row ledger has a hundred thousand rows it does not count, and as Finding objects they
    cost more than the rows. Iterating gives the same Findings; reports list them without that."""

    code: str
    path: str
    lines: Sequence[int]  # ascending
    messages: Sequence[int]  # per line: its message, an index into `texts`
    texts: tuple[str, ...]
    details: tuple[dict | None, ...]  # per text
    col: int | None = None
    sheet: str | None = None
    plan: str | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[Finding]:
        texts, details = self.texts, self.details
        for line, text in zip(self.lines, self.messages, strict=True):
            yield Finding(
                self.code, texts[text], Location(self.path, line, self.col, self.sheet), self.plan, details[text]
            )

    @property
    def file(self) -> str:
        return Location(self.path, sheet=self.sheet).file

    def rows(self) -> Iterator[tuple[int, str]]:
        """(line, message) of each finding, in line order."""
        texts = self.texts
        return zip(self.lines, (texts[m] for m in self.messages), strict=True)

    @classmethod
    def joined(cls, parts: list[FindingRows]) -> FindingRows:
        """Blocks of one file, code, column and plan, in line order, as one. Within a code a message
        names what its detail holds (the indicator and area of an outside-scope row), so one text
        keeps one detail."""
        first = parts[0]
        if len(parts) == 1:
            return first
        position: dict[str, int] = {}  # each text's number in the joined block
        details: list[dict | None] = []
        lines = array("q")  # a roll-up's blocks list a million and a half lines: 8 bytes each, not 40
        messages = array("i")
        for part in parts:
            for text, detail in zip(part.texts, part.details, strict=True):
                if text not in position:
                    position[text] = len(details)
                    details.append(detail)
            own = [position[text] for text in part.texts]
            lines.extend(part.lines)
            messages.extend(map(own.__getitem__, part.messages))
        spans = [(part.lines[0], part.lines[-1]) for part in parts if part.lines]
        if any(last > first for (_, last), (first, _) in pairwise(spans)):
            # parts that interleave (a chunk's rows rejected column-wise and by the row code): in line order
            order = sorted(range(len(lines)), key=lines.__getitem__)
            lines = array("q", map(lines.__getitem__, order))
            messages = array("i", map(messages.__getitem__, order))
        return replace(first, lines=lines, messages=messages, texts=tuple(position), details=tuple(details))


Found = Finding | FindingRows  # what readers and the intake collect


def each(found: Iterable[Found]) -> Iterator[Finding]:
    """Every Finding, those kept as columns one by one."""
    for f in found:
        if isinstance(f, FindingRows):
            yield from f
        else:
            yield f


class Findings(Sequence[Finding]):
    """A report's findings, in the order they were made: one by one where few, as columns
    (FindingRows) where many."""

    __slots__ = ("items",)

    def __init__(self, found: Iterable[Found] = ()):
        self.items: tuple[Found, ...] = tuple(found)

    def __iter__(self) -> Iterator[Finding]:
        return each(self.items)

    def __len__(self) -> int:
        return sum(len(f) if isinstance(f, FindingRows) else 1 for f in self.items)

    def __getitem__(self, index):  # type: ignore[override]
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Findings) and list(self) == list(other)

    def __hash__(self) -> int:
        return hash(len(self))

    def __repr__(self) -> str:
        return f"Findings({len(self)})"

    def coded(self, keep: Callable[[str], bool]) -> Iterator[Finding]:
        """The findings whose code `keep` keeps; a block (one code) is asked once and skipped whole."""
        return each(f for f in self.items if keep(f.code))


def sort_key(f: Finding) -> tuple:
    w = f.where
    return (w.path if w else "", w.sheet or "" if w else "", w.line or 0 if w else 0, w.col or 0 if w else 0)


class ShuzhengError(Exception):
    """A finding that stops what it is about: bad input or bad usage. Printed, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, code: str = "unreadable", where: Location | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.where = where

    def finding(self) -> Finding:
        return Finding(self.code, self.message, self.where)


class UsageError(ShuzhengError):
    exit_code = 2

    def __init__(self, message: str, code: str = "usage"):
        super().__init__(message, code)


class ParseError(ShuzhengError, ValueError):
    """A value (quantity, date, name) that does not parse; `code` names the rule. The reader that
    met the value knows where it was and turns it into a positioned Finding."""

    def __init__(self, code: str, message: str):
        super().__init__(message, code)
