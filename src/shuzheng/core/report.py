"""The report: plain data every renderer shares. A missing actual or target is None, never 0."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, partial
from itertools import chain, islice, repeat
from operator import le
from typing import NamedTuple

from .findings import Finding, FindingRows, Findings, Found, Location, Severity, severity_of
from .i18n import N_, _
from .tally import RowCounts


class Status(StrEnum):
    NO_TARGET = "no_target"
    NO_DATA = "no_data"
    VIOLATED = "violated"
    MET = "met"
    OVERDUE = "overdue"
    BEHIND = "behind"
    ON_TRACK = "on_track"

    @property
    def label(self) -> str:
        """The status as people read it, in the output's language (behind, 滞后, 滯後)."""
        return _(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.NO_TARGET: N_("Unquantified"),
    Status.NO_DATA: N_("No data"),
    Status.VIOLATED: N_("Violated"),
    Status.MET: N_("Met"),
    Status.OVERDUE: N_("Overdue"),
    Status.BEHIND: N_("Behind"),
    Status.ON_TRACK: N_("On track"),
}
# The Chinese names a person may type for a status (--status 滞后), whatever the output's language;
# the catalogue's zh_Hans translations of STATUS_LABELS are these.
STATUS_NAMES_ZH = {
    Status.NO_TARGET: "无量化目标",
    Status.NO_DATA: "无数据",
    Status.VIOLATED: "突破",
    Status.MET: "已完成",
    Status.OVERDUE: "逾期",
    Status.BEHIND: "滞后",
    Status.ON_TRACK: "正常推进",
}
# Worst first: the order a briefing lists problems in.
SEVERITY_ORDER = (
    Status.VIOLATED,
    Status.OVERDUE,
    Status.BEHIND,
    Status.NO_DATA,
    Status.ON_TRACK,
    Status.NO_TARGET,
    Status.MET,
)


@dataclass(frozen=True)
class TargetRow:
    task: str
    task_title: str
    indicator: str
    name: str
    scope: str
    unit: str | None
    measure: str
    comparator: str
    value: Decimal | None
    value_text: str | None  # the plan's own wording of the value (4000萬平方米以上)
    actual: Decimal | None
    ratio: Decimal | None
    expected: Decimal | None  # None where pace means nothing: ratios, ceilings, no value
    status: Status
    deadline: date
    lead: str
    lead_department: str | None
    lead_leader: str | None
    missing_items: tuple[str, ...] = ()
    rows: int = 0
    latest_note: str | None = None
    scope_areas: frozenset[str] = frozenset()  # for --district; not rendered
    unreported: tuple[str, ...] = ()  # a stock's areas in scope that never reported
    # views (core/views): the ratio's parts, the traffic light and the forecast; None where they say nothing
    numerator: Decimal | None = None  # ratio: sum of quantity in scope
    base: Decimal | None = None  # ratio: sum of base in scope
    light: str | None = None  # green | yellow | red
    remaining: Decimal | None = None
    required_per_month: Decimal | None = None
    achieved_per_month: Decimal | None = None
    forecast: date | None = None
    projected_ratio: Decimal | None = None


@dataclass(frozen=True)
class PlanReport:
    id: str
    title: str
    start: date
    end: date
    expected: Decimal
    targets: tuple[TargetRow, ...]

    def count(self, status: Status) -> int:
        return sum(t.status == status for t in self.targets)


class RejectedRow(NamedTuple):  # a tuple: a million-row report lists a hundred thousand
    file: str
    line: int
    code: str
    reason: str
    plan: str | None = None


_row = partial(tuple.__new__, RejectedRow)  # (file, line, code, reason, plan) → RejectedRow, in C


@dataclass(frozen=True)
class DuplicateRow:
    file: str
    line: int
    first_file: str
    first_line: int
    ref: str
    indicator: str


@dataclass(frozen=True)
class CorrectionRow:
    file: str
    line: int
    indicator: str
    area: str
    quantity: Decimal


# The codes of row findings that the report lists apart; every other ledger error is a rejected row.
DUPLICATE_CODES = frozenset({"duplicate-ref"})
CONFLICT_CODES = frozenset({"conflicting-ref"})
OUTSIDE_CODES = frozenset({"outside-scope"})
CORRECTION_CODES = frozenset({"correction"})
# Errors that leave a whole file (or its header) uncounted: listed with the rejected rows.
UNCOUNTABLE = frozenset(
    {
        "unreadable",
        "encoding-error",
        "not-a-file",
        "missing-file",
        "file-changed",
        "xlsx-too-large",
        "missing-column",
        "duplicate-label",
        "old-workbook",
    }
)
# Findings about a whole file or folder, listed under `files`, not as rows.
FILE_CODES = frozenset(
    {
        "duplicate-file",
        "same-file",
        "hidden-sheet",
        "sheet-without-header",
        "unassigned-folder",
        "no-ledgers",
        "unsupported-file",
        "not-a-file",
        "missing-file",
        "unreadable",
        "encoding-error",
        "file-changed",
        "xlsx-too-large",
    }
)


@dataclass(frozen=True)
class Report:
    as_of: date
    plans: tuple[PlanReport, ...]
    findings: Findings = field(default_factory=Findings)  # every finding about the ledgers read: rows and files
    rows: RowCounts = field(default_factory=RowCounts)

    def __post_init__(self) -> None:
        if not isinstance(self.findings, Findings):
            object.__setattr__(self, "findings", Findings(self.findings))

    def _of(self, codes: frozenset[str]) -> list[Finding]:
        return sorted(self.findings.coded(codes.__contains__), key=_by_place)

    @cached_property
    def rejected_listing(self) -> Listing:
        """Rows left out for a reason of their own, and files or headers that could not be counted."""
        return Listing(self.findings, lambda f: (f.detail or {}).get("class") == "rejected" or f.code in UNCOUNTABLE, 1)

    @cached_property
    def rejected(self) -> tuple[RejectedRow, ...]:
        return self.rejected_listing.rows()

    @property
    def duplicates(self) -> tuple[DuplicateRow, ...]:
        return tuple(_listed_twice(f) for f in self._of(DUPLICATE_CODES))

    @property
    def conflicts(self) -> tuple[DuplicateRow, ...]:
        return tuple(_listed_twice(f) for f in self._of(CONFLICT_CODES))

    @property
    def corrections(self) -> tuple[CorrectionRow, ...]:
        return tuple(
            CorrectionRow(
                f.where.file, f.where.line or 0, f.detail["indicator"], f.detail["area"], f.detail["quantity"]
            )
            for f in self._of(CORRECTION_CODES)
            if f.where is not None and f.detail is not None
        )

    @cached_property
    def outside_listing(self) -> Listing:
        return Listing(self.findings, lambda f: f.code in OUTSIDE_CODES, 0)

    @cached_property
    def outside_scope(self) -> tuple[RejectedRow, ...]:
        return self.outside_listing.rows()

    @property
    def files(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings.coded(FILE_CODES.__contains__) if f.where is None or f.where.line is None)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Row warnings that do not stop a row being counted (implausible quantities …)."""
        listed = DUPLICATE_CODES | OUTSIDE_CODES | CORRECTION_CODES | FILE_CODES
        return tuple(self.findings.coded(lambda code: code not in listed and severity_of(code) != Severity.ERROR))


class Listing:
    """Rows not counted of one kind, as they were found: for each (path, sheet), in sorted order, its blocks
    (FindingRows) and single findings in the order they were made. `rows()` lists them as RejectedRows in
    file and line order; the JSON report writes a long listing from the blocks' columns instead."""

    def __init__(self, findings: Findings, wanted: Callable[[Finding], bool], no_line: int):
        self.no_line = no_line
        places: dict[tuple[str, str], list[Found]] = {}
        for item in findings.items:
            if isinstance(item, FindingRows):
                if item.lines and wanted(next(iter(item))):  # a block is asked once, by its first finding
                    places.setdefault((item.path, item.sheet or ""), []).append(item)
            elif item.where is not None and wanted(item):
                places.setdefault((item.where.path, item.where.sheet or ""), []).append(item)
        self.places: tuple[tuple[Found, ...], ...] = tuple(tuple(places[place]) for place in sorted(places))

    def __len__(self) -> int:
        return sum(len(item) if isinstance(item, FindingRows) else 1 for place in self.places for item in place)

    def single(self, finding: Finding) -> tuple[int, tuple]:
        """A single finding's line to sort by (a whole file's first, as 0) and its row (file, line, code,
        reason, plan), a whole file's shown at `no_line`."""
        w = finding.where
        assert w is not None
        return w.line or 0, (w.file, w.line or self.no_line, finding.code, finding.message, finding.plan)

    def rows(self) -> tuple[RejectedRow, ...]:
        """The rows in file and line order, each place's sorted by line by index, with no key tuples: a
        million-row report lists a hundred thousand, ten files of a million rows a million and a half."""
        listed: list[RejectedRow] = []
        for place in self.places:
            lines: list[Iterable[int]] = []
            rows: list[Iterable[tuple]] = []
            for item in place:
                if isinstance(item, FindingRows):
                    lines.append(item.lines)
                    texts = map(item.texts.__getitem__, item.messages)
                    file, code, plan = repeat(item.file), repeat(item.code), repeat(item.plan)
                    rows.append(zip(file, item.lines, code, texts, plan, strict=False))  # repeat() is endless
                else:
                    at, row = self.single(item)
                    lines.append((at,))
                    rows.append((row,))
            found = list(map(_row, chain.from_iterable(rows)))
            if len(lines) > 1 or not all(map(le, lines[0], islice(lines[0], 1, None))):  # merged, stably
                at = list(chain.from_iterable(lines))
                found = list(map(found.__getitem__, sorted(range(len(at)), key=at.__getitem__)))
            listed += found
        return tuple(listed)


def _by_place(f: Finding) -> tuple:
    w = f.where
    return ("", "", 0) if w is None else (w.path, w.sheet or "", w.line or 0)


def _listed_twice(f: Finding) -> DuplicateRow:
    assert f.where is not None and f.detail is not None
    first: Location = f.detail["first"]
    return DuplicateRow(
        f.where.file, f.where.line or 0, first.file, first.line or 0, f.detail["ref"], f.detail["indicator"]
    )


@dataclass(frozen=True)
class Selection:
    """Which targets a report keeps; None keeps all."""

    areas: dict[str, frozenset[str]] | None = None  # per plan id: targets whose scope lies inside
    tasks: frozenset[str] | None = None
    indicators: frozenset[str] | None = None
    statuses: frozenset[Status] | None = None

    def keeps(self, plan: str, row: TargetRow) -> bool:
        if self.areas is not None and not (plan in self.areas and row.scope_areas <= self.areas[plan]):
            return False
        if self.tasks is not None and row.task not in self.tasks:
            return False
        if self.indicators is not None and row.indicator not in self.indicators:
            return False
        return self.statuses is None or row.status in self.statuses


def select(report: Report, selection: Selection) -> Report:
    plans = tuple(
        replace(plan, targets=tuple(t for t in plan.targets if selection.keeps(plan.id, t)))
        for plan in report.plans
        if selection.areas is None or plan.id in selection.areas
    )
    return replace(report, plans=plans)
