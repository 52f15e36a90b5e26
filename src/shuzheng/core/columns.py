"""Ledger columns: which header means which field, in Chinese or English, and the unit a
header may carry in brackets (完成量（平方米）)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from .findings import ParseError
from .i18n import _, plan_text
from .names import fold
from .quantity import parse_unit

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "時間", "完成日期"),
    "indicator": ("指標", "指標編號", "任務編號", "indicator id"),
    "area": ("地區", "區域", "區", "街鄉", "路段", "街道", "鄉鎮", "街鄉鎮"),
    "quantity": ("數量", "完成量"),
    "base": ("基數", "分母"),
    "unit": ("單位",),
    "item": ("項目", "點位", "名稱"),
    "ref": ("編號", "台賬編號"),
    "department": ("責任單位",),
    "location": ("地址",),
    "note": ("備註",),
}
# Columns every ledger may have that mean nothing to the count: known, read by no rule, never warned about.
IGNORED_COLUMNS = ("序號", "No.", "serial")  # the serial number every Excel ledger has
REQUIRED = ("date", "indicator", "area")
# The fields whose header may name their cells' unit in brackets: 完成量（平方米）, 基數(戶).
UNIT_FIELDS = ("quantity", "base")
_BY_KEY = {fold(alias): name for name, aliases in COLUMN_ALIASES.items() for alias in (name, *aliases)}
_IGNORED = frozenset(fold(name) for name in IGNORED_COLUMNS)
# A label ending in a bracketed part: full-width or ASCII round, square, 【】 or 〔〕 brackets.
_BRACKETED = re.compile(r"(?P<name>.+?)[(（\[［【〔](?P<unit>[^()（）\[\]［］【】〔〕]+)[)）\]］】〕]", re.DOTALL)


def column_for(header: str) -> str | None:
    return _BY_KEY.get(fold(header))


def split_unit(label: str) -> tuple[str, str | None]:
    """`完成量（平方米）` → (完成量, 平方米): the label's name and the text in its closing brackets, if any."""
    found = _BRACKETED.fullmatch(label.strip())
    if found is None:
        return label, None
    return found["name"].strip(), found["unit"].strip() or None


# Header problems that leave the file readable: the column is ignored, the rows are counted.
HEADER_WARNINGS = frozenset({"unknown-column", "blank-header"})
# Header problems that make the file unreadable: which column is which, or in what unit, is unclear.
HEADER_FATAL = frozenset({"missing-column", "duplicate-label", "unknown-unit"})


@dataclass(frozen=True)
class HeaderProblem:
    code: str
    message: str
    column: int  # 1-based

    @property
    def severity(self) -> str:
        return "warning" if self.code in HEADER_WARNINGS else "error"


@dataclass(frozen=True)
class Header:
    fields: dict[str, int]  # field → 0-based cell index
    width: int
    problems: tuple[HeaderProblem, ...]
    units: dict[str, str] = dataclasses.field(default_factory=dict)  # field → its header's unit: 完成量（平方米）

    @property
    def complete(self) -> bool:
        """Every required column is there: this row is the header (usable or not)."""
        return all(field in self.fields for field in REQUIRED)

    @property
    def usable(self) -> bool:
        return not any(p.code in HEADER_FATAL for p in self.problems)


def match_header(cells: list[str]) -> Header:
    """Map header cells to fields; blank, duplicate, unknown and missing columns are problems.
    A unit in brackets after a quantity or base header is that column's unit."""
    fields: dict[str, int] = {}
    units: dict[str, str] = {}
    problems: list[HeaderProblem] = []
    seen: dict[str, int] = {}
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1  # trailing empty header cells: Excel's habit, not a column
    for index, cell in enumerate(cells[:width]):
        label = cell.strip()
        if not label:
            problems.append(
                HeaderProblem(
                    "blank-header",
                    _("column {col} has no header and is ignored; name it or delete the column").format(col=index + 1),
                    index + 1,
                )
            )
            continue
        key = fold(label)
        if key in _IGNORED:
            continue
        if key in seen:
            problems.append(
                HeaderProblem(
                    "duplicate-label",
                    _("header {label!r} repeats column {col}; keep one").format(label=label, col=seen[key]),
                    index + 1,
                )
            )
            continue
        seen[key] = index + 1
        found, unit = column_for(label), None
        if found is None:
            name, unit = split_unit(label)
            found = column_for(name) if unit is not None else None
        if found is None:
            problems.append(
                HeaderProblem(
                    "unknown-column",
                    _("column {label!r} is not a ledger field and is ignored").format(label=label),
                    index + 1,
                )
            )
        elif found in fields:
            problems.append(
                HeaderProblem(
                    "duplicate-label",
                    _("{label!r} and column {col} both mean {field}; keep one").format(
                        label=label, col=fields[found] + 1, field=found
                    ),
                    index + 1,
                )
            )
        else:
            fields[found] = index
            if unit is not None and found in UNIT_FIELDS:
                try:
                    parse_unit(unit)
                except ParseError as exc:
                    problems.append(
                        HeaderProblem(
                            "unknown-unit",
                            _("header {label!r}: {reason}; the file cannot be counted").format(
                                label=label, reason=exc.message
                            ),
                            index + 1,
                        )
                    )
                else:
                    units[found] = unit
    for field in REQUIRED:
        if field not in fields:
            names = "/".join(plan_text(alias) for alias in COLUMN_ALIASES[field][:2])
            problems.append(
                HeaderProblem(
                    "missing-column",
                    _("no {field} column ({names} or {field}); the file cannot be counted").format(
                        field=field, names=names
                    ),
                    1,
                )
            )
    return Header(fields, width, tuple(problems), units)
