"""Ledger columns: which header means which field, in Chinese or English."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import _, plan_text
from .names import fold

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "時間", "完成日期"),
    "indicator": ("指標", "指標編號", "任務編號"),
    "area": ("地區", "區域", "區", "街鄉", "路段"),
    "quantity": ("數量", "完成量"),
    "base": ("基數", "分母"),
    "unit": ("單位",),
    "item": ("項目", "點位", "名稱"),
    "ref": ("編號", "台賬編號"),
    "department": ("責任單位",),
    "location": ("地址",),
    "note": ("備註",),
}
REQUIRED = ("date", "indicator", "area")
_BY_KEY = {fold(alias): field for field, aliases in COLUMN_ALIASES.items() for alias in (field, *aliases)}


def column_for(header: str) -> str | None:
    return _BY_KEY.get(fold(header))


# Header problems that leave the file readable: the column is ignored, the rows are counted.
HEADER_WARNINGS = frozenset({"unknown-column", "blank-header"})


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

    @property
    def complete(self) -> bool:
        """Every required column is there: this row is the header (usable or not)."""
        return all(field in self.fields for field in REQUIRED)

    @property
    def usable(self) -> bool:
        return not any(p.code in ("missing-column", "duplicate-label") for p in self.problems)


def match_header(cells: list[str]) -> Header:
    """Map header cells to fields; blank, duplicate, unknown and missing columns are problems."""
    fields: dict[str, int] = {}
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
        field = column_for(label)
        if field is None:
            problems.append(
                HeaderProblem(
                    "unknown-column",
                    _("column {label!r} is not a ledger field and is ignored").format(label=label),
                    index + 1,
                )
            )
        elif field in fields:
            problems.append(
                HeaderProblem(
                    "duplicate-label",
                    _("{label!r} and column {col} both mean {field}; keep one").format(
                        label=label, col=fields[field] + 1, field=field
                    ),
                    index + 1,
                )
            )
        else:
            fields[field] = index
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
    return Header(fields, width, tuple(problems))
