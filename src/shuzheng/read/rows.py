"""The row reader, the reference: one table's records → header, then each row checked by the plan's
rules (core/rules.py) and handed to the intake, or a finding saying why not."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from ..core.columns import Header, match_header
from ..core.dates import parse_date
from ..core.findings import Finding, Location, ParseError
from ..core.i18n import _
from ..core.rules import LedgerRules, Row
from ..core.tally import Intake, RowCounts
from .records import Record, Source

TITLE_SCAN = 10  # the header is looked for among this many non-blank rows at the top


class _Outcome:
    """Why a record below the header is not a row to count."""


BLANK = _Outcome()
AFTER_AS_OF = _Outcome()


@dataclass
class SourceRead:
    findings: list[Finding] = field(default_factory=list)
    counts: RowCounts = field(default_factory=RowCounts)
    header_found: bool = False


def header_findings(header: Header, source: Source, line: int) -> list[Finding]:
    return [Finding(p.code, p.message, source.where(line, p.column)) for p in header.problems]


def classify(
    line: int, cells: list[str], header: Header, source: Source, rules: LedgerRules, as_of: date | None
) -> Row | Finding | _Outcome:
    """One record below the header: a Row to count, a Finding saying why not, BLANK, or AFTER_AS_OF
    (a row dated after the as-of date does not exist for the report, valid or not)."""
    if not any(c.strip() for c in cells):
        return BLANK
    if source.sheet is not None and len(cells) < header.width:
        cells = cells + [""] * (header.width - len(cells))  # a sheet's row ends at its last filled cell
    if len(cells) < header.width:
        bad: Finding | None = Finding(
            "missing-cell",
            _("the row has {cells} cells, the header {width}; a cell is missing").format(
                cells=len(cells), width=header.width
            ),
            source.where(line),
        )
    elif any(c.strip() for c in cells[header.width :]):
        bad = Finding(
            "extra-cell",
            _("the row has {cells} cells, the header {width}; remove the extra cells or add headers").format(
                cells=len(cells), width=header.width
            ),
            source.where(line),
        )
    else:
        fields = {name: cells[index].strip() for name, index in header.fields.items()}
        try:
            row = rules.row(fields, source.where(line), header.units)
        except ParseError as exc:
            column = header.fields.get(getattr(exc, "field", ""))
            bad = Finding(exc.code, exc.message, source.where(line, None if column is None else column + 1))
        else:
            return AFTER_AS_OF if as_of is not None and row.date > as_of else row
    return AFTER_AS_OF if _dated_after(cells, header, as_of) else bad


def _dated_after(cells: list[str], header: Header, as_of: date | None) -> bool:
    """The row's date cell reads as a date after `as_of` (never, when every row is checked)."""
    index = header.fields.get("date")
    if as_of is None or index is None or index >= len(cells):
        return False
    try:
        return parse_date(cells[index].strip()) > as_of
    except ParseError:
        return False


def rejected_row(finding: Finding) -> Finding:
    """A finding that stands for a row left out: the report lists it among the rejected rows."""
    return replace(finding, detail={**(finding.detail or {}), "class": "rejected"})


def tell(outcome: Row | Finding | _Outcome, read: SourceRead, intake: Intake, order: int, where: Location) -> None:
    """One classified record into the account: the one place a row's class is counted."""
    read.counts.read += 1
    if isinstance(outcome, Row):
        intake.row(outcome, order)
    elif isinstance(outcome, Finding):
        read.counts.rejected += 1
        read.findings.append(rejected_row(outcome))
    elif outcome is BLANK:
        read.counts.blank += 1
        read.findings.append(Finding("blank-row", _("blank row, skipped"), where))
    else:
        read.counts.after_as_of += 1


def read_source(source: Source, rules: LedgerRules, intake: Intake, order: int) -> SourceRead:
    read = SourceRead()
    header: Header | None = None
    header_line = 0
    first: tuple[int, Header] | None = None  # the first non-blank row, reported when no row is a header
    titles: list[int] = []  # non-blank rows above the header
    broken: list[Finding] = []  # broken records above the header: rejected once it is found
    records: list[Record] = []
    for record in source.records:
        if header is not None:
            if isinstance(record, Finding):
                tell(record, read, intake, order, record.where or source.where())
                continue
            line, cells = record
            again = match_header(cells) if any(c.strip() for c in cells) else None
            if again is not None and again.complete and again.usable and _all_labels(again, cells):
                read.findings.append(
                    Finding(
                        "repeated-header",
                        _(
                            "a header row again (first at line {first}); the rows below it are read with its columns"
                        ).format(first=header_line),
                        source.where(line),
                    )
                )
                header, header_line = again, line
                continue
            tell(classify(line, cells, header, source, rules, intake.as_of), read, intake, order, source.where(line))
            continue
        if isinstance(record, Finding):
            broken.append(record)
            continue
        line, cells = record
        if not any(c.strip() for c in cells):
            continue  # blank lines above the header
        candidate = match_header(cells)
        if first is None:
            first = (line, candidate)
        if not candidate.complete:
            titles.append(line)
            records.append(record)
            if len(titles) < TITLE_SCAN:
                continue
            break  # no header near the top
        header, header_line = candidate, line
        read.header_found = True
        if titles:
            # from the first title row down to the header, blank rows between included
            said = (
                _("row {first} above the header (line {line}) is taken as a title and skipped")
                if titles[0] == line - 1
                else _("rows {first}–{last} above the header (line {line}) are taken as a title and skipped")
            )
            said = said.format(first=titles[0], last=line - 1, line=line)
            read.findings.append(Finding("title-rows", said, source.where(titles[0])))
        read.findings += header_findings(header, source, line)
        if not header.usable:
            read.header_found = True
            return read
        for bad in broken:
            tell(bad, read, intake, order, bad.where or source.where())
    if header is None:
        # the table is not counted; its broken records are said all the same, not lost
        read.findings += broken
        if first is not None:
            read.findings += header_findings(first[1], source, first[0])
        else:
            read.findings.append(
                Finding(
                    "missing-column",
                    _("the file has no header row; the first row names the columns (日期, 指標, 地區, 數量 …)"),
                    source.where(1),
                )
            )
    return read


def _all_labels(header: Header, cells: list[str]) -> bool:
    """Every non-empty cell of the row is a column name: a header pasted in again, not data."""
    return not any(p.code == "unknown-column" for p in header.problems)
