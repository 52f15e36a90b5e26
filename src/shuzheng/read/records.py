"""Ledger files → records: the encodings, CSV and XLSX records, and what makes a record bad.

A record is `(line, cells)`, or a Finding for a line that is no record (broken quoting, a NUL, a
cell no workbook should hold). A file is read from disk once, into memory: the encoding is
decided and the rows are parsed from that one snapshot, so a file re-saved while it is read
cannot mix two versions. Line numbers are physical (header = line 1; a quoted cell spanning
lines moves the next row's number on), so an editor jumps to the right place.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..core.findings import Finding, Location, ShuzhengError
from ..core.i18n import N_, _
from .text import BOM, line_col

FIELD_LIMIT = 131072
csv.field_size_limit(FIELD_LIMIT)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

Record = tuple[int, list[str]] | Finding


@dataclass
class Source:
    """One table of a ledger file: a CSV file, or one visible sheet of a workbook."""

    path: Path
    shown: str
    sheet: str | None
    records: Iterator[Record]

    def where(self, line: int | None = None, col: int | None = None) -> Location:
        return Location(self.shown, line, col, self.sheet)


@dataclass
class Snapshot:
    """A file's bytes, read once, and what they say as a whole."""

    path: Path
    shown: str
    data: bytes

    @property
    def identity(self) -> str:
        """Two files with this equal hold the same ledger, whatever their encoding."""
        data = self.data
        if data.startswith(BOM):
            data = data[len(BOM) :]
        if self.path.suffix.lower() not in WORKBOOK_SUFFIXES:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    data = data.decode("gb18030").encode("utf-8")
                except UnicodeDecodeError:
                    pass
        return hashlib.sha256(data).hexdigest()


def snapshot(path: Path, shown: str) -> Snapshot:
    with path.open("rb") as handle:
        return Snapshot(path, shown, handle.read())


def decode(snap: Snapshot) -> str:
    """utf-8 (a BOM dropped) if every byte is UTF-8, else GB18030 if that decodes it all; never a guess."""
    data, shown = snap.data, snap.shown
    _not_a_text_file(data[:8], shown)
    skip = len(BOM) if data.startswith(BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        line, _col = line_col(data, skip + exc.start)
        utf8_before = not data[: skip + exc.start].isascii()
        if utf8_before:
            raise ShuzhengError(
                _(
                    "line {line} is not UTF-8 but the lines before it are: the file mixes encodings; "
                    "save it again as UTF-8"
                ).format(line=line),
                "encoding-error",
                Location(shown, line),
            ) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        bad_line, col = line_col(data, exc.start)
        raise ShuzhengError(
            _("neither UTF-8 nor GB18030 (byte 0x{byte:02x} at offset {offset}); save the file as UTF-8").format(
                byte=data[exc.start], offset=exc.start
            ),
            "encoding-error",
            Location(shown, bad_line, col),
        ) from None
    first_bad, _col = line_col(data, _first_non_utf8(data))
    for number, raw in enumerate(re.split(rb"\r\n|\r|\n", data), start=1):
        if number > first_bad and not raw.isascii() and _is_utf8(raw):
            raise ShuzhengError(
                _(
                    "line {line} is GB18030 but line {number} is UTF-8: the file mixes encodings; "
                    "save it again as UTF-8"
                ).format(line=first_bad, number=number),
                "encoding-error",
                Location(shown, first_bad),
            )
    return text


def _first_non_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


_WORKBOOKS = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": N_(
        "not a CSV file but an Excel 97-2003 workbook (.xls), which is not read; save it as .xlsx, or as CSV"
    ),
    b"PK\x03\x04": N_(
        "not a CSV file but a zip file (an .xlsx workbook with another name?); name it .xlsx, or save it as CSV"
    ),
}


def _not_a_text_file(start: bytes, shown: str) -> None:
    """A workbook saved under a .csv name (or passed with --ledger) is said to be one, not an encoding error."""
    for magic, message in _WORKBOOKS.items():
        if start.startswith(magic):
            raise ShuzhengError(_(message), "unreadable", Location(shown))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def csv_records(text: str, shown: str) -> Iterator[Record]:
    """Records of a decoded CSV text; a line that breaks the CSV rules is a Finding, and reading
    resumes right after it."""
    lines = _PHYSICAL_LINE.findall(text)
    skip = 0  # physical lines already handled, when restarting after a broken record
    while True:
        restart = None
        reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""), strict=True)
        done = 0
        while True:
            start = skip + done + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield bad_record(Location(shown, start), str(exc))
                if skip + reader.line_num > start:
                    restart = start  # a quote ran on past its line: resume right after it
                    break
                done = reader.line_num
                continue
            done = reader.line_num
            if any("\x00" in cell for cell in cells):  # csv takes NUL as text since Python 3.11
                yield bad_record(Location(shown, start), "line contains NUL")
                continue
            yield start, cells
        if restart is None:
            return
        skip = restart


# Lines as the csv module and editors count them: \n, \r\n or a lone \r end one (not \x0c or U+2028).
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def bad_record(where: Location, problem: str) -> Finding:
    """What a line that is no record means, from the csv module's word for it."""
    if "NUL" in problem:
        return Finding("nul-byte", _("the row contains a NUL byte; remove it"), where)
    if "field larger" in problem:
        return Finding(
            "field-too-large",
            _("a cell runs past {limit} characters, most likely an unclosed quote").format(limit=FIELD_LIMIT),
            where,
        )
    if "unexpected end of data" in problem or "EOF" in problem:
        return Finding(
            "unterminated-quote",
            _("a quote opened on this line is never closed; the rows after it are read on their own"),
            where,
        )
    return Finding(
        "csv-syntax",
        _("malformed CSV ({problem}); check the quotes").format(problem=_(problem) if problem else problem),
        where,
    )


# The csv module's words for a broken line, marked so that _(problem) shows them translated.
_CSV_PROBLEMS = (N_("',' expected after '\"'"),)


def sources(snap: Snapshot) -> tuple[list[Source], list[Finding]]:
    """The tables of a ledger file, and findings about the file as a whole (hidden sheets …)."""
    if snap.path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _workbook_sources(snap)
    from .xlsx import workbook_kind_problem

    problem = workbook_kind_problem(snap.path, snap.shown)
    if problem is not None:
        raise ShuzhengError(problem.message, problem.code, problem.where)
    return [Source(snap.path, snap.shown, None, csv_records(decode(snap), snap.shown))], []


def _workbook_sources(snap: Snapshot) -> tuple[list[Source], list[Finding]]:
    """Every visible sheet of a workbook is a table; a hidden one is named in a finding."""
    from .xlsx import open_workbook

    workbook = open_workbook(snap.path, snap.shown, snap.data)
    found: list[Source] = []
    findings: list[Finding] = []
    for sheet in workbook.sheets:
        if sheet.hidden:
            findings.append(
                Finding(
                    "hidden-sheet",
                    _("sheet {sheet!r} is hidden and is not read; unhide it if it holds ledger rows").format(
                        sheet=sheet.name
                    ),
                    Location(snap.shown, sheet=sheet.name),
                )
            )
            continue
        found.append(Source(snap.path, snap.shown, sheet.name, workbook.records(sheet)))
    if not found and not findings:
        raise ShuzhengError(_("the workbook has no worksheet"), "unreadable", Location(snap.shown))
    return found, findings


def cell_text(value: object) -> str:
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
