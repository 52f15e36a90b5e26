"""Ledger files (CSV in UTF-8, UTF-8 with BOM or GB18030; XLSX) → checked rows into a Ledger.

Line numbers are physical (header = line 1; a quoted cell spanning lines moves the
next row's number on), so an editor jumps to the right place.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.checks import PlanContext
from ..core.columns import match_header
from ..core.diagnostics import Diagnostic, Location, ParseError, ShuzhengError, error, warning
from ..core.ledger import LedgerRules
from ..core.reconcile import Ledger
from .text import line_col

CHUNK = 1 << 20
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
    diagnostics: list[Diagnostic] = field(default_factory=list)


def detect_encoding(path: Path, shown: str) -> str:
    """utf-8-sig if every byte is UTF-8, else gb18030 if that decodes it all; never a guess."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, seen_non_ascii = 1, False
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            pending = decoder.getstate()[0]  # an unfinished character from the last chunk
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data = pending + chunk
                line, _ = line_col(data, exc.start)
                return _not_utf8(path, shown, lines + line - 1, seen_non_ascii or not data[: exc.start].isascii())
            lines += chunk.count(b"\n")
            seen_non_ascii = seen_non_ascii or not chunk.isascii()
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _not_utf8(path, shown, lines, seen_non_ascii)
    return "utf-8-sig"


def _not_utf8(path: Path, shown: str, line: int, utf8_before: bool) -> str:
    if utf8_before:
        raise ShuzhengError(f"line {line} is not UTF-8 but the lines before it are: the file mixes encodings; save it again as UTF-8", "encoding-error", Location(shown, line))
    data = path.read_bytes()
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        bad_line, col = line_col(data, exc.start)
        raise ShuzhengError(f"neither UTF-8 nor GB18030 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8", "encoding-error", Location(shown, bad_line, col)) from None
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number > line and not raw.isascii() and _is_utf8(raw):
            raise ShuzhengError(f"line {line} is GB18030 but line {number} is UTF-8: the file mixes encodings; save it again as UTF-8", "encoding-error", Location(shown, line))
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
                yield start, cells
        if restart is None:
            return
        skip = restart


def _bad_record(line: int, problem: str) -> BadRecord:
    if "NUL" in problem:
        return BadRecord(line, "nul-byte", "the row contains a NUL byte; remove it")
    if "field larger" in problem:
        return BadRecord(line, "field-too-large", f"a cell runs past {FIELD_LIMIT} characters, most likely an unclosed quote")
    if "unexpected end of data" in problem or "EOF" in problem:
        return BadRecord(line, "unterminated-quote", "a quote opened on this line is never closed; the rows after it are read on their own")
    return BadRecord(line, "csv-syntax", f"malformed CSV ({problem}); check the quotes")


def xlsx_records(path: Path, shown: str) -> Iterator[tuple[int, list[str]] | BadRecord]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ShuzhengError(f"not a readable XLSX workbook ({exc}); save it again from Excel", "unreadable", Location(shown)) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
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
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value)


def read_ledger_file(path: Path, shown: str, ctx: PlanContext, rules: LedgerRules, ledger: Ledger) -> FileResult:
    """Check every row of one file into `ledger`; problems of the file itself are diagnostics."""
    result = FileResult()
    try:
        records = xlsx_records(path, shown) if path.suffix.lower() == ".xlsx" else csv_records(path, shown)
        _read(records, shown, rules, ledger, result)
    except ShuzhengError as exc:
        result.diagnostics.append(exc.diagnostic())
    except IsADirectoryError:
        result.diagnostics.append(error("not-a-file", "is a folder, not a ledger file", Location(shown)))
    except OSError as exc:
        result.diagnostics.append(error("unreadable", f"cannot read: {exc.strerror or exc}", Location(shown)))
    return result


def _read(records: Iterator[tuple[int, list[str]] | BadRecord], shown: str, rules: LedgerRules, ledger: Ledger, result: FileResult) -> None:
    header = None
    for record in records:
        if isinstance(record, BadRecord):
            ledger.reject(shown, record.line, record.code, record.message)
            continue
        line, cells = record
        if header is None:
            if not any(c.strip() for c in cells):
                continue  # blank lines above the header
            header = match_header(cells)
            for problem in header.problems:
                make = warning if problem.code == "unknown-column" else error
                result.diagnostics.append(make(problem.code, problem.message, Location(shown, line, problem.column)))
            if not header.usable:
                return
            continue
        if not any(c.strip() for c in cells):
            result.diagnostics.append(warning("blank-row", "blank row, skipped", Location(shown, line)))
            continue
        result.rows += 1
        if len(cells) < header.width:
            ledger.reject(shown, line, "missing-cell", f"the row has {len(cells)} cells, the header {header.width}; a cell is missing")
            continue
        if any(c.strip() for c in cells[header.width:]):
            ledger.reject(shown, line, "extra-cell", f"the row has {len(cells)} cells, the header {header.width}; remove the extra cells or add headers")
            continue
        fields = {name: cells[index].strip() for name, index in header.fields.items()}
        try:
            ledger.add(rules.row(fields, shown, line))
        except ParseError as exc:
            ledger.reject(shown, line, exc.code, exc.message)
    if header is None:
        result.diagnostics.append(error("missing-column", "the file has no header row; the first row names the columns (日期, 指標, 地區, 數量 …)", Location(shown, 1)))
