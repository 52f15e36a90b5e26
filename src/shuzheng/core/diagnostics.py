"""Findings about plans and ledgers: values, collected, never raised one at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# Line breaks and other control characters, which would split or garble a one-line finding.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """Text for a one-line message: control characters written as escapes (a\\nb, \\x00)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """Where a finding points: 1-based line and column, as editors count."""

    path: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [one_line(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    where: Location | None = None

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity}: {one_line(self.message)} [{self.code}]"

    def to_json(self) -> dict:
        where = self.where
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "file": where.path if where else None,
            "line": where.line if where else None,
            "col": where.col if where else None,
        }


def error(code: str, message: str, where: Location | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, where)


def warning(code: str, message: str, where: Location | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, where)


def sort_key(d: Diagnostic) -> tuple:
    w = d.where
    return (w.path if w else "", w.line or 0 if w else 0, w.col or 0 if w else 0)


class ShuzhengError(Exception):
    """A user's error: bad input or bad usage. Printed as a message, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, code: str = "unreadable", where: Location | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.where = where

    def diagnostic(self) -> Diagnostic:
        return error(self.code, self.message, self.where)


class UsageError(ShuzhengError):
    exit_code = 2

    def __init__(self, message: str, code: str = "usage"):
        super().__init__(message, code)


class ParseError(ValueError):
    """A value (quantity, date, name) that does not parse; `code` names the rule."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
