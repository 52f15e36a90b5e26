"""Ledger files (CSV in UTF-8, UTF-8 with BOM or GB18030; XLSX) → checked rows into a Ledger.

Line numbers are physical (header = line 1; a quoted cell spanning lines moves the
next row's number on), so an editor jumps to the right place.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.checks import PlanContext
from ..core.columns import Header, match_header
from ..core.dates import parse_date
from ..core.findings import Finding, Location, ParseError, ShuzhengError
from ..core.ledger import LedgerRules, Row
from ..core.reconcile import Ledger
from .text import line_breaks, line_col

if TYPE_CHECKING:
    from .ledger_fast import Lookups

CHUNK = 1 << 20
ReadProgress = Callable[[str, int, int], None]  # (file as shown, bytes read, bytes in all)
COLUMNAR_MIN_BYTES = 1 << 20  # below this the row reader is as quick and needs no polars
FIELD_LIMIT = 131072
csv.field_size_limit(FIELD_LIMIT)


@dataclass(frozen=True, slots=True)
class BadRecord:
    line: int
    code: str
    message: str


@dataclass
class FileResult:
    rows: int = 0
    diagnostics: list[Finding] = field(default_factory=list)


def detect_encoding(path: Path, shown: str) -> str:
    """utf-8-sig if every byte is UTF-8, else gb18030 if that decodes it all; never a guess."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, seen_non_ascii, after_cr = 1, False, False
    with path.open("rb") as handle:
        _not_a_text_file(handle.read(8), shown)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            pending = decoder.getstate()[0]  # an unfinished character from the last chunk
            split = after_cr and chunk.startswith(b"\n")  # a \r\n across two chunks is one break
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data = pending + chunk
                line, _ = line_col(data, exc.start)
                return _not_utf8(
                    path, shown, lines + line - 1 - split, seen_non_ascii or not data[: exc.start].isascii()
                )
            lines += line_breaks(chunk) - split
            after_cr = chunk.endswith(b"\r")
            seen_non_ascii = seen_non_ascii or not chunk.isascii()
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _not_utf8(path, shown, lines, seen_non_ascii)
    return "utf-8-sig"


_WORKBOOKS = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an Excel 97-2003 workbook (.xls), which is not read; save it as .xlsx, or as CSV",
    b"PK\x03\x04": "a zip file (an .xlsx workbook with another name?); name it .xlsx, or save it as CSV",
}


def _not_a_text_file(start: bytes, shown: str) -> None:
    """A workbook saved under a .csv name (or passed with --ledger) is said to be one, not an encoding error."""
    for magic, what in _WORKBOOKS.items():
        if start.startswith(magic):
            raise ShuzhengError(f"not a CSV file but {what}", "unreadable", Location(shown))


def _not_utf8(path: Path, shown: str, line: int, utf8_before: bool) -> str:
    if utf8_before:
        raise ShuzhengError(
            f"line {line} is not UTF-8 but the lines before it are: the file mixes encodings; save it again as UTF-8",
            "encoding-error",
            Location(shown, line),
        )
    data = path.read_bytes()
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        bad_line, col = line_col(data, exc.start)
        raise ShuzhengError(
            f"neither UTF-8 nor GB18030 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            "encoding-error",
            Location(shown, bad_line, col),
        ) from None
    for number, raw in enumerate(re.split(rb"\r\n|\r|\n", data), start=1):
        if number > line and not raw.isascii() and _is_utf8(raw):
            raise ShuzhengError(
                f"line {line} is GB18030 but line {number} is UTF-8: the file mixes encodings; save it again as UTF-8",
                "encoding-error",
                Location(shown, line),
            )
    return "gb18030"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def csv_records(path: Path, shown: str) -> Iterator[tuple[int, list[str]] | BadRecord]:
    encoding = detect_encoding(path, shown)
    skip = 0  # physical lines already handled, when restarting after a broken record
    while True:
        restart = None
        with path.open(encoding=encoding, newline="") as handle:
            for _ in range(skip):
                next(handle, None)
            reader = csv.reader(handle, strict=True)
            done = 0
            while True:
                start = skip + done + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield _bad_record(start, str(exc))
                    if skip + reader.line_num > start:
                        restart = start  # a quote ran on past its line: resume right after it
                        break
                    done = reader.line_num
                    continue
                done = reader.line_num
                if any("\x00" in cell for cell in cells):  # csv takes NUL as text since Python 3.11
                    yield _bad_record(start, "line contains NUL")
                    continue
                yield start, cells
        if restart is None:
            return
        skip = restart


def _bad_record(line: int, problem: str) -> BadRecord:
    if "NUL" in problem:
        return BadRecord(line, "nul-byte", "the row contains a NUL byte; remove it")
    if "field larger" in problem:
        return BadRecord(
            line, "field-too-large", f"a cell runs past {FIELD_LIMIT} characters, most likely an unclosed quote"
        )
    if "unexpected end of data" in problem or "EOF" in problem:
        return BadRecord(
            line,
            "unterminated-quote",
            "a quote opened on this line is never closed; the rows after it are read on their own",
        )
    return BadRecord(line, "csv-syntax", f"malformed CSV ({problem}); check the quotes")


def _import_openpyxl() -> None:
    """openpyxl imports numpy (a third of its import time) only to recognise numpy numbers,
    which cells read from a file never are; keep numpy out of that import."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


def xlsx_records(path: Path, shown: str) -> Iterator[tuple[int, list[str]] | BadRecord]:
    import zipfile

    _import_openpyxl()
    # openpyxl warns on stderr about what it repairs in odd workbooks (a bad relation, a
    # missing style): noise to a clerk, who gets a finding when something is really wrong
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ShuzhengError(
            f"not a readable XLSX workbook ({exc}); save it again from Excel", "unreadable", Location(shown)
        ) from None
    except Exception as exc:  # damaged XML inside the zip, or anything else openpyxl trips on
        raise ShuzhengError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc}); save it again from Excel",
            "unreadable",
            Location(shown),
        ) from None
    number = 0
    try:
        if not workbook.worksheets:
            raise ShuzhengError(
                "the workbook has no worksheet; a ledger is read from the first one", "unreadable", Location(shown)
            )
        rows = workbook.worksheets[0].iter_rows(values_only=True)  # read lazily: a damaged sheet fails part way
        while True:
            try:
                values = next(rows, None)
            except Exception as exc:
                above = "; the rows above it were read" if number else ""
                raise ShuzhengError(
                    f"the workbook is damaged at row {number + 1} ({type(exc).__name__}: {exc}){above}; save it again from Excel",
                    "unreadable",
                    Location(shown, number + 1),
                ) from None
            if values is None:
                return
            number += 1
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float; 'f' keeps 1e-05 a plain number
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


class LedgerReader:
    """Reads a plan's ledger files into its Ledger.

    mode "auto" takes the columnar reader (ledger_fast) for large CSV files and the row
    reader for the rest; "rows" always the row reader, the reference the other is tested
    against; "columnar" the columnar reader wherever it can (tests use it on small files).
    """

    def __init__(self, rules: LedgerRules, ledger: Ledger, mode: str = "auto", progress: ReadProgress | None = None):
        self.rules, self.ledger, self.mode, self.progress = rules, ledger, mode, progress
        self._lookups: Lookups | None = None

    def read(self, path: Path, shown: str) -> FileResult:
        try:
            if self.mode != "rows":
                found = self._columnar(path, shown)
                if found is not None:
                    return found
            result = FileResult()
            records = xlsx_records(path, shown) if path.suffix.lower() == ".xlsx" else csv_records(path, shown)
            _read(records, shown, self.rules, self.ledger, result)
            return result
        except ShuzhengError as exc:
            return FileResult(diagnostics=[exc.finding()])
        except IsADirectoryError:
            return FileResult(diagnostics=[Finding("not-a-file", "is a folder, not a ledger file", Location(shown))])
        except OSError as exc:
            return FileResult(
                diagnostics=[Finding("unreadable", f"cannot read: {exc.strerror or exc}", Location(shown))]
            )

    def _columnar(self, path: Path, shown: str) -> FileResult | None:
        if path.suffix.lower() != ".csv":
            return None
        size = path.stat().st_size
        if self.mode == "auto" and size < COLUMNAR_MIN_BYTES:
            return None
        from . import ledger_fast  # polars is imported only when a file is worth it

        if self._lookups is None:
            self._lookups = ledger_fast.Lookups(self.rules)
        report = self.progress
        try:
            return ledger_fast.read_fast(
                path,
                shown,
                self.rules,
                self.ledger,
                self._lookups,
                (lambda done: report(shown, done, size)) if report else None,
            )
        except ledger_fast.FallBack:
            return None


def process_record(
    line: int, cells: list[str], header: Header, shown: str, rules: LedgerRules, result: FileResult, as_of: dt.date
) -> Row | BadRecord | None:
    """One record below the header: a Row to count, a BadRecord saying why not, or None (blank,
    or a row that cannot be counted but is dated after `as_of`: it does not exist for the report)."""
    if not any(c.strip() for c in cells):
        result.diagnostics.append(Finding("blank-row", "blank row, skipped", Location(shown, line)))
        return None
    result.rows += 1
    if len(cells) < header.width:
        bad = BadRecord(
            line, "missing-cell", f"the row has {len(cells)} cells, the header {header.width}; a cell is missing"
        )
    elif any(c.strip() for c in cells[header.width :]):
        bad = BadRecord(
            line,
            "extra-cell",
            f"the row has {len(cells)} cells, the header {header.width}; remove the extra cells or add headers",
        )
    else:
        fields = {name: cells[index].strip() for name, index in header.fields.items()}
        try:
            return rules.row(fields, shown, line)
        except ParseError as exc:
            bad = BadRecord(line, exc.code, exc.message)
    return None if _dated_after(cells, header, as_of) else bad


def _dated_after(cells: list[str], header: Header, as_of: dt.date) -> bool:
    """The row's date cell reads as a date after `as_of` (check reads with date.max: never)."""
    index = header.fields.get("date")
    if as_of == dt.date.max or index is None or index >= len(cells):
        return False
    try:
        return parse_date(cells[index].strip()) > as_of
    except ParseError:
        return False


TITLE_SCAN = 10  # the header is looked for among this many non-blank rows at the top


def _header_diagnostics(header: Header, shown: str, line: int) -> list[Finding]:
    return [Finding(p.code, p.message, Location(shown, line, p.column)) for p in header.problems]


def _read(
    records: Iterator[tuple[int, list[str]] | BadRecord],
    shown: str,
    rules: LedgerRules,
    ledger: Ledger,
    result: FileResult,
) -> None:
    header: Header | None = None
    first: tuple[int, Header] | None = None  # the first non-blank row, reported when no row is a header
    titles: list[int] = []  # non-blank rows above the header
    broken: list[BadRecord] = []  # broken records above the header: rejected once it is found
    for record in records:
        if header is None:
            if isinstance(record, BadRecord):
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
                if len(titles) < TITLE_SCAN:
                    continue
                break  # no header near the top
            header = candidate
            if titles:
                # from the first title row down to the header, blank rows between included
                span = (
                    f"row {titles[0]} above the header (line {line}) is"
                    if titles[0] == line - 1
                    else f"rows {titles[0]}–{line - 1} above the header (line {line}) are"
                )
                result.diagnostics.append(
                    Finding("title-rows", f"{span} taken as a title and skipped", Location(shown, titles[0]))
                )
            result.diagnostics += _header_diagnostics(header, shown, line)
            if not header.usable:
                return
            for bad in broken:
                ledger.reject(shown, bad.line, bad.code, bad.message)
            result.rows += len(broken)
            continue
        if isinstance(record, BadRecord):
            ledger.reject(shown, record.line, record.code, record.message)
            result.rows += 1  # a row of the file, as the columnar reader counts it
            continue
        line, cells = record
        outcome = process_record(line, cells, header, shown, rules, result, ledger.as_of)
        if isinstance(outcome, BadRecord):
            ledger.reject(shown, outcome.line, outcome.code, outcome.message)
        elif outcome is not None:
            ledger.add(outcome)
    if header is None:
        # the file is not counted; its broken records are said all the same, not lost
        result.diagnostics += [Finding(bad.code, bad.message, Location(shown, bad.line)) for bad in broken]
        if first is not None:
            result.diagnostics += _header_diagnostics(first[1], shown, first[0])
        else:
            result.diagnostics.append(
                Finding(
                    "missing-column",
                    "the file has no header row; the first row names the columns (日期, 指標, 地區, 數量 …)",
                    Location(shown, 1),
                )
            )


def read_ledger_file(path: Path, shown: str, ctx: PlanContext, rules: LedgerRules, ledger: Ledger) -> FileResult:
    """One file with the default reader choice; for callers that read a single file."""
    return LedgerReader(rules, ledger).read(path, shown)
