"""XLSX workbooks read with the standard library (zipfile + expat): streaming, bounded, and as the clerk sees them.

A workbook is a zip of XML parts. Everything cheap is checked when it is opened: the zip's
central directory (each part's inflated size, before anything is inflated), the sheets
through workbook.xml and its relations, the number formats, the shared strings. A sheet is
then read as a stream of rows, each `(row_number, cells)` or, for a row with a cell that
cannot be read, one `Finding` for that row; the next row is read all the same.

Cells are the text Excel displays: numbers through their cell's number format (dates as ISO
dates, percentages as percentages, fixed decimals as written), shared and inline strings,
cached formula results. Quantities stay exact: a number's text is read as a Decimal.

expat rather than ElementTree.iterparse: it builds no element tree (nothing to clear), it is
as fast or faster, its text arrives in pieces so a cell's text is capped while it is read,
and a document type declaration (the root of entity bombs, never in a workbook) is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from ..core.findings import Finding, Location, ShuzhengError, column_letter
from ..core.i18n import _

FIELD_LIMIT = 131072  # characters in one cell, as for a CSV field (read/ledger.py FIELD_LIMIT)
ROW_LIMIT = 8 * FIELD_LIMIT  # characters in one row
PART_LIMIT = 256 << 20  # inflated bytes of the shared strings, or of any other part but a sheet
SHEET_LIMIT = 1 << 30  # inflated bytes of one sheet (streamed: this bounds time, not memory)
TOTAL_LIMIT = 2 << 30  # inflated bytes of every part read
RATIO_LIMIT = 200  # inflated / compressed, for a part inflating past RATIO_FLOOR
RATIO_FLOOR = 1 << 20
MAX_ROW = 1048576
MAX_COL = 16384
CHUNK = 1 << 16

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = {".xls", ".xlt", ".et", ".ett", ".xlsb", ".ods"}  # workbooks that are not read: save them as .xlsx

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class SheetInfo:
    name: str
    index: int  # 0-based position in the workbook
    hidden: bool  # state="hidden" or "veryHidden"


class _CellProblem(Exception):
    """A cell that cannot be shown: its row becomes a Finding with this code and message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def workbook_kind_problem(path: Path, shown: str) -> Finding | None:
    """A finding for a workbook file that is not read (.xls, .et, .xlsb, .ods …), None for others."""
    suffix = path.suffix.lower()
    if suffix not in NOT_XLSX:
        return None
    return Finding(
        "old-workbook",
        _("an old Excel or WPS workbook ({suffix}) is not read; save it as .xlsx").format(suffix=suffix),
        Location(shown),
    )


def open_workbook(path: Path, shown: str, data: bytes | None = None) -> Workbook:
    """Open a workbook (from `data`, the file's bytes read once, when given), checking its parts;
    raises ShuzhengError for one that cannot be read."""
    return Workbook(path, shown, data)


class Workbook:
    """An open XLSX workbook: `sheets` in workbook order, `records(sheet)` streams one sheet's rows."""

    def __init__(self, path: Path, shown: str, data: bytes | None = None):
        self.shown = shown
        if data is None:
            with path.open("rb") as handle:
                start = handle.read(8)
        else:
            start = data[:8]
        if start.startswith(OLE_MAGIC):
            raise ShuzhengError(
                _("encrypted or old .xls workbook: save it as .xlsx (without a password)"),
                "old-workbook",
                Location(shown),
            )
        try:
            self._zip = zipfile.ZipFile(path if data is None else io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise self._damaged(exc) from None
        try:
            self._open()
        except _XMLDamage as exc:
            self._zip.close()
            raise self._damaged(str(exc)) from None
        except BaseException:
            self._zip.close()
            raise

    def _damaged(self, exc: BaseException | str) -> ShuzhengError:
        detail = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        return ShuzhengError(
            _("not a readable XLSX workbook ({detail}); save it again from Excel").format(detail=detail),
            "unreadable",
            Location(self.shown),
        )

    def _open(self) -> None:
        self._names = {info.filename.replace("\\", "/").lstrip("/").lower(): info for info in self._zip.infolist()}
        top = self._relations("_rels/.rels", "")
        workbook_part = next((t for kind, t in top.values() if kind == "officeDocument"), None)
        workbook_part = workbook_part or "xl/workbook.xml"
        if workbook_part.lower().endswith(".bin"):
            raise ShuzhengError(
                _("a binary workbook (.xlsb) is not read: save it as .xlsx"), "old-workbook", Location(self.shown)
            )
        if self._info(workbook_part) is None:
            raise self._damaged(_("it holds no workbook.xml"))
        base = posixpath.dirname(workbook_part)
        relations = self._relations(posixpath.join(base, "_rels", posixpath.basename(workbook_part) + ".rels"), base)
        listed, self.date1904 = _parse_workbook(self._read_part(workbook_part))
        self.sheets: list[SheetInfo] = []
        self._parts: list[str | None] = []
        for index, (name, state, rid) in enumerate(listed):
            kind, target = relations.get(rid or "", ("", ""))
            if not target or self._info(target) is None:
                raise self._damaged(_("the part of sheet {name} is missing").format(name=name))
            self.sheets.append(SheetInfo(name, index, state in ("hidden", "veryHidden")))
            self._parts.append(target if kind == "worksheet" else None)  # a chart sheet has no rows
        styles = next((t for kind, t in relations.values() if kind == "styles"), None)
        strings = next((t for kind, t in relations.values() if kind == "sharedStrings"), None)
        self._check_sizes([workbook_part, styles, strings, *self._parts])
        self._formats = _parse_styles(self._read_part(styles)) if styles and self._info(styles) else []
        self._strings = _parse_strings(self._read_part(strings)) if strings and self._info(strings) else []
        self._formatters: dict[str | None, Callable[[str], str]] = {}

    def _info(self, name: str) -> zipfile.ZipInfo | None:
        return self._names.get(name.lstrip("/").lower())

    def _relations(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        """rId → (type's last word, target part name) of a .rels part (none if it is missing)."""
        if self._info(part) is None:
            return {}
        found = {}
        for rid, kind, target, external in _parse_relations(self._read_part(part)):
            if external or not target:
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            found[rid] = (kind.rpartition("/")[2], name)
        return found

    def _check_sizes(self, parts: list[str | None]) -> None:
        total = 0
        for name in dict.fromkeys(p for p in parts if p):
            info = self._info(name)
            if info is None:
                continue
            size, packed = info.file_size, info.compress_size
            limit = SHEET_LIMIT if "worksheets/" in name.lower() else PART_LIMIT
            total += size
            ratio = size / max(packed, 1)
            if size > limit or total > TOTAL_LIMIT or (size > RATIO_FLOOR and ratio > RATIO_LIMIT):
                raise ShuzhengError(
                    _(
                        "the workbook's part {part} would inflate to {size:,} bytes ({ratio:,.0f} times its packed "
                        "size); it is refused unread, as a zip bomb or more than a ledger workbook holds (at most "
                        "{limit:,} bytes a part, {ratio_limit} times packed)"
                    ).format(part=name, size=size, ratio=ratio, limit=limit, ratio_limit=RATIO_LIMIT),
                    "xlsx-too-large",
                    Location(self.shown),
                )

    def _stream(self, name: str) -> BinaryIO:
        info = self._info(name)
        assert info is not None
        try:
            return self._zip.open(info)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
            raise self._damaged(exc) from None  # an encrypted entry, an unknown compression, a bad header

    def _read_part(self, name: str) -> Iterator[bytes]:
        """The chunks of a part, as _parse_* take them; damage is a ShuzhengError."""
        return self._guard(_chunks(self._stream(name)))

    def _guard(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from chunks
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise self._damaged(exc) from None

    def records(self, sheet: SheetInfo) -> Iterator[tuple[int, list[str]] | Finding]:
        """Rows of a sheet, top down: (Excel's row number, displayed text from column A to the row's
        last non-empty cell), or a Finding for a row with a cell that cannot be read. Blank rows are
        yielded (as []) only when a later row has content. A sheet damaged part way yields one
        `unreadable` Finding at the row it reached, and ends."""
        part = self._parts[sheet.index]
        if part is None:
            return
        reader = _SheetReader(self, sheet)
        yield from reader.read(part)

    def formatter(self, style: str | None) -> Callable[[str], str]:
        """The function showing a number cell's text under cell style `style` (its s attribute)."""
        found = self._formatters.get(style)
        if found is None:
            try:
                code = self._formats[int(style)] if style else "General"
            except (ValueError, IndexError):
                code = "General"
            found = self._formatters[style] = _number_formatter(code, self.date1904)
        return found

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


# --- XML parts -------------------------------------------------------------------------------------------


def _parser(namespaces: bool = True) -> expat.XMLParserType:
    """An expat parser that refuses document type declarations; with `namespaces`, element names
    come as namespace}local (small parts), without as written, prefix:local (sheets: quicker)."""
    parser = expat.ParserCreate(namespace_separator="}") if namespaces else expat.ParserCreate()
    parser.buffer_text = True

    def no_doctype(*_args: object) -> None:
        raise expat.ExpatError(_("a document type declaration, which workbooks never have"))

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    return parser


def _feed(parser: expat.XMLParserType, chunks: Iterator[bytes]) -> None:
    for chunk in chunks:
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _XMLDamage(Exception):
    """A part whose XML does not parse."""


def _run(chunks: Iterator[bytes], start: Callable[[str, dict[str, str]], None]) -> None:
    """Feed a small part to `start`, element by element."""
    parser = _parser()
    parser.StartElementHandler = start
    try:
        _feed(parser, chunks)
    except expat.ExpatError as exc:
        raise _XMLDamage(str(exc)) from None


def _parse_relations(chunks: Iterator[bytes]) -> list[tuple[str, str, str, bool]]:
    found: list[tuple[str, str, str, bool]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            external = attrs.get("TargetMode") == "External"
            found.append((attrs.get("Id", ""), attrs.get("Type", ""), attrs.get("Target", ""), external))

    _run(chunks, start)
    return found


def _parse_workbook(chunks: Iterator[bytes]) -> tuple[list[tuple[str, str, str | None]], bool]:
    sheets: list[tuple[str, str, str | None]] = []
    date1904 = [False]

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith("}id") and "relationships" in k), None)
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif local == "workbookPr":
            date1904[0] = attrs.get("date1904", "").lower() in ("1", "true")

    _run(chunks, start)
    return sheets, date1904[0]


def _parse_styles(chunks: Iterator[bytes]) -> list[str]:
    """The number format code of each cell style (cellXfs), by its index."""
    custom: dict[int, str] = {}
    ids: list[str] = []
    where: list[str] = []  # the open elements' local names

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        parent = where[-1] if where else ""
        if local == "numFmt" and parent == "numFmts":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "General")
            except ValueError:
                pass
        elif local == "xf" and parent == "cellXfs":
            ids.append(attrs.get("numFmtId", "0"))
        where.append(local)

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: where.pop()
    try:
        _feed(parser, chunks)
    except expat.ExpatError as exc:
        raise _XMLDamage(_("the styles: {detail}").format(detail=exc)) from None
    formats = []
    for text in ids:
        try:
            number = int(text)
        except ValueError:
            number = 0
        formats.append(custom.get(number, BUILTIN_FORMATS.get(number, "General")))
    return formats


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """OOXML writes characters XML cannot hold as _xHHHH_ (_x000D_ a carriage return, _x005F_ an underscore)."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _parse_strings(chunks: Iterator[bytes]) -> list[str | None]:
    """The shared string table; a string past FIELD_LIMIT is kept as None (a cell using it is rejected)."""
    strings: list[str | None] = []
    parts: list[str] = []
    SI = T = RPH = ""  # noqa: N806 - the names with the part's prefix, set from its root element
    text = False
    phonetic = size = 0

    def root(name: str, attrs: dict[str, str]) -> None:
        nonlocal SI, T, RPH
        prefix = name.rpartition(":")[0] + ":" if ":" in name else ""
        SI, T, RPH = prefix + "si", prefix + "t", prefix + "rPh"
        parser.StartElementHandler = start

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal text, phonetic, size
        if name == T:
            text = not phonetic
        elif name == SI:
            parts.clear()
            size = 0
        elif name == RPH:
            phonetic += 1

    def end(name: str) -> None:
        nonlocal text, phonetic
        if name == T:
            text = False
        elif name == SI:
            strings.append(None if size > FIELD_LIMIT else _unescape("".join(parts)))
        elif name == RPH:
            phonetic -= 1

    def data(piece: str) -> None:
        nonlocal size
        if text:
            size += len(piece)
            if size <= FIELD_LIMIT:
                parts.append(piece)

    parser = _parser(namespaces=False)
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = root, end, data
    try:
        _feed(parser, chunks)
    except expat.ExpatError as exc:
        raise _XMLDamage(_("the shared strings: {detail}").format(detail=exc)) from None
    return strings


# --- sheets ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    number = 0
    for char in letters:
        if not "A" <= char <= "Z":
            return 0
        number = number * 26 + ord(char) - 64
    return number if number <= MAX_COL else 0


_DIGITS = "0123456789"


class _SheetReader:
    def __init__(self, workbook: Workbook, sheet: SheetInfo):
        self.workbook, self.sheet = workbook, sheet

    def where(self, row: int | None, col: int | None = None) -> Location:
        return Location(self.workbook.shown, row, col, self.sheet.name)

    def read(self, part: str) -> Iterator[tuple[int, list[str]] | Finding]:  # noqa: C901 - one state machine
        workbook, strings = self.workbook, self.workbook._strings
        out: list[tuple[int, list[str]] | Finding] = []  # what the last chunk completed
        row_cells: dict[int, str] = {}
        problem: list[Finding] = []
        text_parts: list[str] = []
        shown_numbers: dict[tuple[str | None, str], str] = {}  # (style, stored text) → shown: dates repeat
        columns = {letter: n for n, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ", start=1)}
        # element names with the sheet's prefix (most write none, some x:), set from the root element
        C = V = ROW = T = IS = RPH = ""  # noqa: N806
        # the state of the parse, shared by the handlers below
        row_number = shown_row = col = size = row_size = phonetic = 0
        cell_type: str | None = None
        cell_style: str | None = None
        cell_ref: str | None = None
        value: str | None = None
        collecting = in_inline = in_row = False

        def fail(code: str, message: str, column: int | None) -> None:
            if not problem:
                problem.append(Finding(code, message, self.where(row_number, column)))

        def root(name: str, attrs: dict[str, str]) -> None:
            nonlocal C, V, ROW, T, IS, RPH
            prefix = name.rpartition(":")[0] + ":" if ":" in name else ""
            C, V, ROW, T, IS, RPH = (prefix + local for local in ("c", "v", "row", "t", "is", "rPh"))
            parser.StartElementHandler = start

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_number, col, cell_type, cell_style, cell_ref, collecting, in_inline, phonetic, size, value
            nonlocal in_row
            if name == C:
                cell_ref, cell_type, cell_style = attrs.get("r"), attrs.get("t"), attrs.get("s")
                value, size, in_inline = None, 0, False
            elif name == V:
                collecting = True
                text_parts.clear()
                size = 0
            elif name == ROW:
                in_row = True
                row_cells.clear()
                problem.clear()
                col = 0
                reference = attrs.get("r")
                if reference is None:
                    row_number += 1
                elif reference.isascii() and reference.isdigit() and 0 < int(reference) <= MAX_ROW:
                    row_number = int(reference)
                else:
                    row_number += 1
                    fail(
                        code="bad-cell",
                        message=_("the row's number {r!r} is not a row number").format(r=reference),
                        column=None,
                    )
            elif name == IS:
                in_inline = True
                text_parts.clear()
                size = 0
            elif name == T:
                collecting = in_inline and not phonetic
            elif name == RPH:
                phonetic += 1

        def end(name: str) -> None:
            nonlocal collecting, value, phonetic, col, row_size
            if name == V:
                collecting = False
                value = "".join(text_parts)
            elif name == C:
                if cell_ref is None:
                    col += 1
                else:
                    letters = cell_ref.rstrip(_DIGITS)
                    col = columns.get(letters) or _column(letters)
                    if not col:
                        fail(
                            code="bad-cell",
                            message=_("a cell's reference {ref!r} is not a cell").format(ref=cell_ref[:20]),
                            column=None,
                        )
                        return
                if size > FIELD_LIMIT:
                    fail(code="field-too-large", message=_too_long(col, row_number), column=col)
                    return
                try:
                    if value is None or in_inline:
                        shown = cell_text()
                    elif cell_type == "s":  # the common cases first: a shared string, a number
                        try:
                            found = strings[int(value)] if value[:1] != "-" else None
                        except (ValueError, IndexError):
                            found = None
                        shown = cell_text() if found is None else found
                    elif cell_type is None or cell_type == "n":
                        key = (cell_style, value)
                        shown = shown_numbers.get(key)
                        if shown is None:
                            if len(shown_numbers) > 65536:
                                shown_numbers.clear()
                            shown = shown_numbers[key] = workbook.formatter(cell_style)(value) if value else ""
                    else:
                        shown = cell_text()
                except _CellProblem as exc:
                    fail(code=exc.code, message=exc.message, column=col)
                    return
                if shown:
                    row_size += len(shown)
                    if row_size > ROW_LIMIT:
                        fail(
                            code="field-too-large",
                            message=_("the row holds more than {n:,} characters").format(n=ROW_LIMIT),
                            column=col,
                        )
                        return
                    row_cells[col] = shown
                else:
                    row_cells.pop(col, None)
            elif name == ROW:
                row_end()
            elif name == T:
                collecting = False
            elif name == RPH:
                phonetic -= 1

        def data(text: str) -> None:
            nonlocal size
            if collecting:
                size += len(text)
                if size <= FIELD_LIMIT:
                    text_parts.append(text)

        def here() -> str:
            return f"{column_letter(col)}{row_number}"

        def cell_text() -> str:
            """A cell that is not a plain number or a shared string, or one that cannot be shown."""
            kind = cell_type
            if in_inline or kind == "inlineStr":
                return _unescape("".join(text_parts)) if in_inline else ""
            if value is None or value == "":
                return ""
            if kind == "s":
                try:
                    index = int(value)
                    if index < 0:
                        raise IndexError(index)
                    found = strings[index]
                except (ValueError, IndexError):
                    raise _CellProblem(
                        code="bad-cell",
                        message=_(
                            "cell {cell} points to shared string {value!r}, which the workbook does not hold"
                        ).format(cell=here(), value=value[:20]),
                    ) from None
                if found is None:
                    raise _CellProblem(code="field-too-large", message=_too_long(col, row_number))
                return found
            if kind == "str":
                return _unescape(value)
            if kind == "b" and value.strip() in ("0", "1"):
                return "TRUE" if value.strip() == "1" else "FALSE"
            if kind == "e":
                raise _CellProblem(
                    code="cell-error",
                    message=_("cell {cell} shows the error {value} instead of a value; correct its formula").format(
                        cell=here(), value=value[:20]
                    ),
                )
            if kind == "d":
                return _iso_date_cell(value, here())
            said = (
                _("cell {cell} holds {value!r}, which is not a boolean; save the workbook again from Excel")
                if kind == "b"
                else _(
                    "cell {cell} holds {value!r}, which is not a cell of type {kind!r}; save the workbook again "
                    "from Excel"
                )
            )
            raise _CellProblem(code="bad-cell", message=said.format(cell=here(), value=value[:40], kind=kind[:20]))

        def row_end() -> None:
            nonlocal shown_row, row_size, in_row
            row_size, in_row = 0, False
            if problem:
                finding: tuple[int, list[str]] | Finding = problem[0]
            elif row_cells:
                cells = [""] * max(row_cells)
                for index, text in row_cells.items():
                    cells[index - 1] = text
                finding = (row_number, cells)
            else:
                return  # an empty or styled row: yielded as blank only once a later row has content
            for blank in range(shown_row + 1, row_number):
                out.append((blank, []))
            out.append(finding)
            shown_row = max(shown_row, row_number)

        parser = _parser(namespaces=False)
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = root, end, data
        try:
            with workbook._stream(part) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                    if out:
                        yield from out
                        out.clear()
                parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ShuzhengError) as exc:
            yield from out
            detail = exc.message if isinstance(exc, ShuzhengError) else f"{type(exc).__name__}: {exc}"
            said = (
                _("the sheet is damaged at row {row} ({detail}); the rows above it were read; save it again from Excel")
                if shown_row
                else _("the sheet is damaged at row {row} ({detail}); save it again from Excel")
            )
            at = row_number if in_row else row_number + 1  # in the row it was reading, or after the last whole one
            yield Finding("unreadable", said.format(row=at, detail=detail), self.where(at))
            return
        yield from out


def _too_long(col: int, row: int) -> str:
    return _("cell {cell} holds more than {n} characters; shorten it").format(
        cell=f"{column_letter(col)}{row}", n=FIELD_LIMIT
    )


def _iso_date_cell(value: str, cell: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        said = _("cell {cell} holds {value!r}, which is not a date; save the workbook again from Excel")
        raise _CellProblem(code="bad-cell", message=said.format(cell=cell, value=value[:40])) from None
    return _moment_text(moment.date(), moment.hour * 3600 + moment.minute * 60 + moment.second, moment.microsecond)


# --- number formats --------------------------------------------------------------------------------------

_CJK_DATE = 'yyyy"年"m"月"d"日"'
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: "#,##0",  # 5-8: currency in the workbook's locale; the amount is shown without its symbol
    6: "#,##0",
    7: "#,##0.00",
    8: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    42: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    44: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
# 27-36 and 50-58 are dates and times in the Chinese, Japanese and Korean locales
BUILTIN_FORMATS.update({n: _CJK_DATE for n in (*range(27, 37), *range(50, 59))})

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_EPOCH_1900 = dt.date(1899, 12, 30)  # serial 61 is 1900-03-01 (Excel keeps Lotus's 1900-02-29 as serial 60)
_EPOCH_1904 = dt.date(1904, 1, 1)
_DAY_MILLIS = Decimal(86_400_000)


def _decimal(text: str) -> Decimal:
    """The number a cell stores, exactly: its own digits, or, for a double written out to 16-17
    digits (2.6749999999999998), the shortest text that reads back as the same double (2.675)."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    number = Decimal(text)
    if len(number.as_tuple().digits) > 15:
        number = Decimal(repr(float(text)))
    return number


def _general(number: Decimal) -> str:
    """Excel's General, as the ledger reader has always shown numbers: 12.0 → 12, 1e-05 → 0.00001."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


@dataclass(frozen=True, slots=True)
class _Section:
    """One ;-separated section of a number format, for numbers."""

    kind: str  # general | fixed | date | literal
    prefix: str = ""
    suffix: str = ""
    int_digits: int = 1
    min_decimals: int = 0
    max_decimals: int = 0
    group: bool = False
    scale: int = 0  # a power of ten: +2 a percent sign, -3 a trailing comma


def _split_sections(code: str) -> list[str]:
    sections, current, i = [], [], 0
    while i < len(code):
        char = code[i]
        if char == '"':
            end = code.find('"', i + 1)
            end = len(code) if end < 0 else end
            current.append(code[i : end + 1])
            i = end + 1
            continue
        if char in "\\_*" and i + 1 < len(code):
            current.append(code[i : i + 2])
            i += 2
            continue
        if char == "[":
            end = code.find("]", i)
            end = len(code) if end < 0 else end
            current.append(code[i : end + 1])
            i = end + 1
            continue
        if char == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of a section: "lit" quoted or escaped text, "raw" a bare character
    (shown as it is, or a date letter), "code" a placeholder, point, comma, percent, @, E or /,
    or General; colours, locales, currencies in brackets and padding are dropped."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1 : end]))
            i = end + 1
        elif char == "\\":
            tokens.append(("lit", section[i + 1 : i + 2]))
            i += 2
        elif char in "_*":
            i += 2  # _x: a space as wide as x; *x: x repeated to fill the cell
        elif char == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inner = section[i + 1 : end].lower()
            if inner and set(inner) <= set("hms"):
                tokens.append(("code", "[elapsed]"))
            elif inner[:1] in ("<", ">", "="):
                tokens.append(("code", "[condition]"))
            i = end + 1
        elif section[i : i + 7].lower() == "general":
            tokens.append(("code", "General"))
            i += 7
        else:
            tokens.append(("code" if char in "0#?.,%@eE/" else "raw", char))
            i += 1
    return tokens


_DATE_LETTERS = set("yYmMdDhHsS")
_CURRENCY = "$¥￥€£"


def _shown(tokens: list[tuple[str, str]]) -> str:
    """The literal text of some tokens, as a number's prefix or suffix (without currency symbols)."""
    text = "".join(text for kind, text in tokens if kind != "code" or text == "%")
    return text.translate({ord(c): None for c in _CURRENCY})


def _section(section: str) -> _Section:
    tokens = _tokens(section)
    codes = [text for kind, text in tokens if kind == "code"]
    raw = {text for kind, text in tokens if kind == "raw"}
    if "[condition]" in codes or "[elapsed]" in codes:
        return _Section("general")  # conditions and durations: the plain number
    if _DATE_LETTERS & raw or "AM/PM" in section.upper() or "上午/下午" in section:
        return _Section("date")
    if "/" in codes or "E" in codes or "e" in codes:
        return _Section("general")  # fractions and scientific notation: the plain number
    places = [i for i, (kind, text) in enumerate(tokens) if kind == "code" and text in ("0", "#", "?", "General")]
    if not places:
        return _Section("general") if "@" in codes else _Section("literal", prefix=_shown(tokens).strip())
    first, last = places[0], places[-1]
    after = tokens[last + 1 :]
    trailing_commas = 0
    while trailing_commas < len(after) and after[trailing_commas] == ("code", ","):
        trailing_commas += 1
    prefix, suffix = _shown(tokens[:first]), _shown(after)
    if "General" in codes:
        return _Section("general", prefix=prefix, suffix=suffix)
    body = "".join(text for kind, text in tokens[first : last + 1] if kind == "code")
    whole, _point, fraction = body.partition(".")
    return _Section(
        "fixed",
        prefix=prefix,
        suffix=suffix,
        int_digits=max(1, whole.count("0")),
        min_decimals=fraction.count("0"),
        max_decimals=sum(fraction.count(c) for c in "0#?"),
        group="," in whole.strip(","),
        scale=2 * codes.count("%") - 3 * trailing_commas,
    )


def _show_fixed(section: _Section, number: Decimal) -> str:
    scaled = number.scaleb(section.scale)
    rounded = scaled.quantize(Decimal(1).scaleb(-section.max_decimals), rounding=ROUND_HALF_UP)
    text = format(abs(rounded), ",f" if section.group else "f")
    whole, _point, fraction = text.partition(".")
    if len(fraction) > section.min_decimals:
        fraction = fraction.rstrip("0").ljust(section.min_decimals, "0")
    whole = whole.rjust(section.int_digits, "0")
    digits = f"{whole}.{fraction}" if fraction else whole
    return section.prefix + digits + section.suffix


@lru_cache(maxsize=512)
def _number_formatter(code: str, date1904: bool) -> Callable[[str], str]:
    """A function from a number cell's stored text to what Excel shows under format `code`."""
    sections = [_section(s) for s in _split_sections(code)]
    if sections[0].kind == "date":
        return lambda text: _date_text(_number(text), date1904)
    if len(sections) == 1 and sections[0].kind == "general" and not sections[0].prefix + sections[0].suffix:
        return _general_text
    signed = len(sections) == 1  # one section: a minus sign before negative numbers; more: the sections say

    def show(text: str) -> str:
        number = _number(text)
        section = sections[0]
        if number < 0 and len(sections) > 1:
            section, number = sections[1], -number
        elif number == 0 and len(sections) > 2:
            section = sections[2]
        if section.kind == "literal":
            return section.prefix
        if section.kind == "general" or section.kind == "date":
            shown = section.prefix + _general(abs(number) if not signed else number) + section.suffix
            return shown
        shown = _show_fixed(section, number)
        negative = signed and number < 0 and any(c in "123456789" for c in shown)
        return "-" + shown if negative else shown

    return show


def _number(text: str) -> Decimal:
    try:
        return _decimal(text)
    except (ValueError, InvalidOperation):
        raise _CellProblem(
            code="bad-cell", message=_("a number cell holds {value!r}, which is not a number").format(value=text[:40])
        ) from None


def _general_text(text: str) -> str:
    if text.isascii() and text.isdigit() and len(text) <= 15:
        return str(int(text))
    return _general(_number(text))


def _date_text(serial: Decimal, date1904: bool) -> str:
    """A date serial as an ISO date, with the time of day when it has one."""
    if serial < 0:
        raise _CellProblem(
            code="bad-cell", message=_("a date cell holds a negative number ({n}), which is no date").format(n=serial)
        )
    days = int(serial)
    # to the millisecond, as Excel keeps times: a double near 45,000 days is exact to about a microsecond only
    millis = int(((serial - days) * _DAY_MILLIS).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if millis >= _DAY_MILLIS:
        days, millis = days + 1, 0
    micros = millis * 1000
    seconds, micro = divmod(micros, 1_000_000)
    if days == 0 and not date1904:
        return _clock(seconds, micro)  # a time of day only (Excel's day 0 is no date)
    try:
        if date1904:
            day = _EPOCH_1904 + dt.timedelta(days=days)
        elif days == 60:
            return "1900-02-29" + (" " + _clock(seconds, micro) if micros else "")  # Lotus's day, kept by Excel
        else:
            day = _EPOCH_1900 + dt.timedelta(days=days if days > 60 else days + 1)
    except OverflowError:
        raise _CellProblem(
            code="bad-cell", message=_("a date cell holds {n}, past any date").format(n=serial)
        ) from None
    return _moment_text(day, seconds, micro)


def _clock(seconds: int, micro: int) -> str:
    hours, rest = divmod(seconds, 3600)
    text = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{text}.{micro:06d}" if micro else text


def _moment_text(day: dt.date, seconds: int, micro: int) -> str:
    if not seconds and not micro:
        return day.isoformat()
    return f"{day.isoformat()} {_clock(seconds, micro)}"
