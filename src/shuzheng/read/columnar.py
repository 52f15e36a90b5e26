"""The columnar path for large UTF-8 CSV ledgers: the same rows, reasons and sums as the
row reader (read/rows.py), at polars speed.

Each chunk of the file is read twice by polars: once as raw lines (to keep physical line
numbers and spot quotes, ragged and blank rows) and once as cells. Columns whose values
repeat (date, indicator, area, unit, base, item) are read as categoricals, so each
distinct value is checked once, in Python, by the row reader's own rules, and its answer
reaches every row as a small integer code. Rows whose every value is plain are counted
column-wise; every other row goes through the row reader's own code, so its reason is
word for word the same. A file this path cannot vouch for (not UTF-8, a quoted cell
spanning lines, lone CR line ends, NUL bytes) raises FallBack before anything is
counted, and the row reader reads it instead.

What it hands the intake is one BulkPart per file: its 編號 claims, and once the registry has
decided, the file's counted rows summed into cells.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from threading import Lock
from typing import Any

import polars as pl

from ..core.columns import REQUIRED, Header, column_for, match_header
from ..core.dates import parse_date
from ..core.findings import Finding, FindingRows, Found, Location, ParseError
from ..core.i18n import _
from ..core.names import fold
from ..core.quantity import parse_amount, parse_unit
from ..core.rules import LedgerRules, Row
from ..core.tally import BulkPart, Cell, Claim, Intake, RowCounts, Settled, correction, outside_scope
from .records import FIELD_LIMIT, Source, bad_record
from .rows import AFTER_AS_OF, BLANK, classify, rejected_row

CHUNK_BYTES = 4 << 20
CHECKERS = 2  # chunks checked at once, ahead of the one being counted
SETTLED_ROWS = 125_000  # rows unpacked and summed at once once the 編號 are decided
# bytes of CSV whose rows a run keeps as frames, not packed: files this small are read without
# compressing a row, and a large one is packed whole, so its peak is what it was
UNPACKED_BYTES = 16 << 20
_HASHES_AT_ONCE = 2_000_000  # claim hashes sorted at once when asking which 編號 repeat
# as the row reader takes them, exact in Decimal(38, 10): 1234.5, -3, 4,000 (grouped by thousands)
_NUMBER = r"^-?(?:[0-9]{1,18}|[0-9]{1,3}(?:,[0-9]{3}){1,5})(?:\.[0-9]{1,10})?$"
_PLAIN_REF = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: its fold is its lower case
_CATEGORICAL = ("date", "indicator", "area", "base", "unit", "item")  # few distinct values each
_EPOCH = dt.date(1970, 1, 1)


@dataclass
class _Checked:
    """One chunk, checked: its rows to count (dated by the as-of date), its account and findings."""

    counts: RowCounts = field(default_factory=RowCounts)
    findings: list[Found] = field(default_factory=list)
    rows: _Packed | None = None
    # warnings about rows to count: said only of the rows that are counted, once the 編號 are decided
    warnings: list[Found] = field(default_factory=list)


class _Packed:
    """One chunk's rows to count, held as zstd-compressed Arrow IPC until the registry has decided:
    about 10 bytes a row where the frame takes 115, so a roll-up holds its files' rows in memory
    in proportion to their bytes on disk, not ten times more. Their claim hashes and line range stay
    unpacked, so a question about some 編號 or lines unpacks only the chunks that hold them. The
    rows of the run's first UNPACKED_BYTES of files stay a frame (`keep`): compressing and unpacking
    them again was a tenth of a 100k-row report's time, for memory a small file does not need."""

    def __init__(self, rows: pl.DataFrame, warnings: list[Found], keep: bool):
        self.warnings = warnings
        lines = rows.get_column("line")
        self.first, self.last = lines.min(), lines.max()
        self.height = rows.height
        self.h: pl.Series | None = rows.get_column("h")  # random: packed, it would be most of the bytes
        rows = rows.drop("h")
        self.frame: pl.DataFrame | None = rows if keep else None
        self.packed = b"" if self.frame is not None else rows.write_ipc(None, compression="zstd").getvalue()

    def rows(self, *columns: str) -> pl.DataFrame:
        """The rows, with only `columns` if named: each column is compressed apart, so only they are unpacked."""
        if self.frame is not None:
            return self.frame.select(columns) if columns else self.frame
        return pl.read_ipc(self.packed, columns=list(columns) if columns else None)

    @property
    def hashes(self) -> pl.Series:
        assert self.h is not None, "the hashes were let go once the registry asked for its claims"
        return self.h.drop_nulls()

    def holds(self, lines: list[int]) -> bool:
        return any(self.first <= line <= self.last for line in lines)


class _Room:
    """How many more bytes of files the run may keep unpacked; each file takes its size, or none."""

    def __init__(self, size: int):
        self.left = size

    def take(self, size: int) -> bool:
        if size > self.left:
            return False
        self.left -= size
        return True


@dataclass
class _Summed:
    """One batch of a file's rows to count, settled: how many are counted and how many outside every
    scope (listed in `away`), its corrections, and its cells."""

    counted: int = 0
    outside: int = 0
    away: FindingRows | None = None
    corrections: list[Found] = field(default_factory=list)
    cells: list[tuple[str, str, Cell]] = field(default_factory=list)


def _chunks(handle: Any) -> Iterator[tuple[bytes, int, int]]:
    """(bytes, first line, lines) of each chunk of the file below its header, cut at a line end."""
    line = 2
    while data := handle.read(CHUNK_BYTES):
        data += handle.readline()
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        yield data, line, lines
        line += lines


def _in_order(workers: ThreadPoolExecutor, work: Callable[[Any], Any], items: Iterator[Any]) -> Iterator[Any]:
    """work(item) for each item, in the workers, at most CHECKERS ahead of the one taken; in order."""
    pending: deque[Future[Any]] = deque()
    for item in items:
        pending.append(workers.submit(work, item))
        if len(pending) > CHECKERS:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class FallBack(Exception):
    """This file needs the row reader."""


ProgressCallback = Callable[[int], None]


class Codes:
    """Strings ↔ small integers, so frames carry integers and Python sees each string once."""

    def __init__(self, *first: str):
        self.names: list[str] = []
        self._codes: dict[str, int] = {}
        self._lock = Lock()  # checker threads add names
        for name in first:
            self.code(name)

    def code(self, name: str) -> int:
        found = self._codes.get(name)
        if found is None:
            with self._lock:
                found = self._codes.get(name)
                if found is None:
                    found = len(self.names)
                    self.names.append(name)
                    self._codes[name] = found
        return found

    def series(self) -> pl.Series:
        return pl.Series(self.names, dtype=pl.String)


class Lookups:
    """Per-value answers, kept for the whole run: areas, dates and units repeat a lot; and the room the
    run's files share for rows kept unpacked.

    An answer of None means "not plain": the row goes to the row reader's code."""

    def __init__(self, rules: LedgerRules):
        self.rules = rules
        self.indicators = rules.indicator_rules()
        self.ids = [r.indicator.id for r in self.indicators]  # by indicator code
        self.position = {id_: i for i, id_ in enumerate(self.ids)}
        self.areas = Codes()
        self.items = Codes("")  # item texts as written (stripped) and as counted; 0 is none
        self.units = Codes("")  # unit texts (stripped); 0 is none
        self.answers: dict[str, dict[str, Any]] = {field: {} for field in _CATEGORICAL}
        self._unit_fits: dict[tuple[int, int], bool] = {}
        self._agrees: dict[tuple[int, str], bool] = {}
        self._counted_item: dict[tuple[int, int], int | None] = {}
        self._misplaced: dict[tuple[int, int, int], str | None] = {}
        self.unpacked = _Room(UNPACKED_BYTES)  # shared by the run's files, as the answers are

    # answers for one stripped value of each categorical field
    def indicator(self, text: str) -> int | None:
        return self.position[self.rules.indicator(text).indicator.id] if text else None

    def area(self, text: str) -> int | None:
        return self.areas.code(self.rules.area(text)) if text else None

    @staticmethod
    def date(text: str) -> int | None:
        return (parse_date(text) - _EPOCH).days if text else None

    @staticmethod
    def base(text: str) -> str | None:
        return text.replace(",", "") if _NUMBER_RE.match(text) else None

    def unit(self, text: str) -> int | None:
        if text:
            parse_unit(text)  # an unknown unit is the row code's to report
        return self.units.code(text)

    def item(self, text: str) -> int:
        return self.items.code(text)

    def column(self, field: str, column: pl.Series, dtype: pl.DataType) -> pl.Series:
        """A categorical column → each row's answer, each distinct value asked once."""
        cache = self.answers[field]
        answer: Callable[[str], Any] = getattr(self, field)
        present = column.unique()
        table: list[Any] = [None] * ((present.to_physical().max() or 0) + 2)  # the last: empty cells
        for code, text in zip(present.to_physical().to_list(), present.cast(pl.String).to_list(), strict=True):
            key = text or ""
            if key not in cache:
                try:
                    cache[key] = answer(key.strip())
                except ParseError:
                    cache[key] = None
            table[len(table) - 1 if code is None else code] = cache[key]
        # decimals go in as text: polars builds a string column far faster than one of Decimals
        answers = pl.Series(table, dtype=pl.String).cast(dtype) if dtype == _DECIMAL else pl.Series(table, dtype=dtype)
        return answers.gather(column.to_physical().fill_null(len(table) - 1))

    def unit_fits(self, indicator: int, unit: int) -> bool:
        """A row unit the plain path can take as it is: none, or one of the indicator's own scale."""
        key = (indicator, unit)
        if key not in self._unit_fits:
            rules = self.indicators[indicator]
            row_unit = parse_unit(self.units.names[unit]) if unit else None
            own = rules.unit
            if row_unit is None or rules.indicator.measure == "ratio" or own is None:
                self._unit_fits[key] = True
            else:
                self._unit_fits[key] = row_unit.same(own)  # 畝 is not 萬平方米, though its scale is 10000
        return self._unit_fits[key]

    def agrees(self, unit: int, named: str) -> bool:
        """A row unit that agrees with the unit a header names: none, or one of the same size."""
        key = (unit, named)
        if key not in self._agrees:
            self._agrees[key] = not unit or parse_unit(self.units.names[unit]).same(parse_unit(named))
        return self._agrees[key]

    def counted_item(self, indicator: int, item: int) -> int | None:
        """A declared item's code by the plan's spelling, or None when the plan has no such item."""
        key = (indicator, item)
        if key not in self._counted_item:
            declared = self.indicators[indicator].items
            assert declared is not None
            name = declared.get(self.items.names[item])
            self._counted_item[key] = None if name is None else self.items.code(name)
        return self._counted_item[key]

    def misplaced(self, pair: int, area: int, items: int) -> str | None:
        """The item-area error's message for (indicator, counted item) packed as `pair` (indicator ×
        `items` + item: the count when packed, as other threads may add items since), at `area`."""
        indicator, item = divmod(pair, items)
        key = (indicator, item, area)
        if key not in self._misplaced:  # each chunk holds most of the (item, area) pairs again
            rules, name, where = self.indicators[indicator], self.items.names[item], self.areas.names[area]
            error = self.rules.item_area_error(rules, name, where)
            self._misplaced[key] = None if error is None else error.message
        return self._misplaced[key]

    def pairs(
        self, indicator: pl.Series, other: pl.Series, answer: Callable[[int, int], Any], dtype: pl.DataType
    ) -> pl.Series:
        """answer(indicator, other) for each row, each distinct pair asked once."""
        width = int(other.max() or 0) + 1
        key = indicator.cast(pl.Int64) * width + other.cast(pl.Int64)
        present = key.drop_nulls().unique().to_list()
        mapping = {k: answer(k // width, k % width) for k in present}
        return (
            key.replace_strict(mapping, default=None, return_dtype=dtype)
            if mapping
            else pl.Series([None] * key.len(), dtype=dtype)
        )


_NUMBER_RE = re.compile(_NUMBER)


def read_fast(
    source: Source,
    rules: LedgerRules,
    intake: Intake,
    order: int,
    lookups: Lookups,
    progress: ProgressCallback | None = None,
) -> tuple[BulkPart, RowCounts, list[Finding]]:
    """Read one CSV file as one bulk part for the intake, or raise FallBack."""
    reader = _FastFile(source, rules, intake, order, lookups)
    reader.run(progress)
    return reader.part(), reader.counts, joined(reader.findings)


class _FastFile:
    def __init__(self, source: Source, rules: LedgerRules, intake: Intake, order: int, lookups: Lookups):
        self.source, self.rules, self.intake, self.order, self.lookups = source, rules, intake, order, lookups
        self.path, self.shown = source.path, source.shown
        self.counts = RowCounts()
        self.findings: list[Found] = []
        self.header: Header | None = None
        self.chunks: list[_Packed] = []
        self.unpacked = False  # whether this file's rows stay frames
        self.as_of = (intake.as_of - _EPOCH).days if intake.as_of is not None else 2**31 - 1
        rules_of = lookups.indicators
        self.start = pl.Series([(r.start - _EPOCH).days for r in rules_of], dtype=pl.Int32)
        self.end = pl.Series([(r.end - _EPOCH).days for r in rules_of], dtype=pl.Int32)
        self.measure = pl.Series([r.indicator.measure for r in rules_of], dtype=pl.String)
        self.needs_item = pl.Series([r.needs_item for r in rules_of], dtype=pl.Boolean)
        self.declares_items = pl.Series([r.items is not None for r in rules_of], dtype=pl.Boolean)
        # rows the row code must see whatever they hold: an item bound to an area is checked there
        self.item_areas = pl.Series([bool(r.item_areas) for r in rules_of], dtype=pl.Boolean)
        # a 編號 is unique per indicator family: each family a number, for the claim hash
        families = intake.families
        names = dict.fromkeys(families.get(i, i) for i in lookups.ids)
        self.family_codes = {name: code for code, name in enumerate(names)}
        self.family = pl.Series([self.family_codes[families.get(i, i)] for i in lookups.ids], dtype=pl.UInt32)
        self.largest = pl.Series(
            [str(r.largest) if r.largest is not None and r.indicator.measure == "sum" else None for r in rules_of],
            dtype=pl.String,
        ).cast(_DECIMAL)

    # -- reading ---------------------------------------------------------------------------
    def run(self, progress: ProgressCallback | None) -> None:
        with self.path.open("rb") as handle:
            first = handle.readline()
            if first.startswith(b"\xef\xbb\xbf"):
                first = first[3:]
            try:
                text = first.decode("utf-8")
            except UnicodeDecodeError:
                raise FallBack from None  # GB18030 or worse: the row reader decides
            if not text.strip() or '"' in text or "\r" in text.rstrip("\r\n") or "\x00" in text:
                raise FallBack  # blank lines above the header, or a quoted header: rare, row reader
            self._header(text.rstrip("\r\n"))
            self.unpacked = self.lookups.unpacked.take(os.fstat(handle.fileno()).st_size)
            # chunks are checked in worker threads while this thread takes them in file order;
            # polars lets go of the GIL, so the stages share the cores
            with ThreadPoolExecutor(max_workers=CHECKERS) as checkers:
                for checked in _in_order(checkers, lambda chunk: self._chunk(*chunk), _chunks(handle)):
                    self._take(checked)
                    if progress:
                        progress(handle.tell())

    def _header(self, text: str) -> None:
        cells = next(csv.reader([text]))
        self.header = match_header(cells)
        if not self.header.usable or not self.header.complete:
            raise FallBack  # the row reader reports it, or looks below title rows
        self.findings += [Finding(p.code, p.message, self.source.where(1, p.column)) for p in self.header.problems]
        self.area_column = self.header.fields["area"] + 1

    def _take(self, checked: _Checked) -> None:
        self.counts.add(checked.counts)
        self.findings += checked.findings
        if checked.rows is not None:
            self.chunks.append(checked.rows)

    def part(self) -> _FilePart:
        return _FilePart(self, self.chunks)

    def _chunk(self, data: bytes, first_line: int, expected: int) -> _Checked:
        """The chunk's `expected` lines, from `first_line` on, checked; in a worker thread, so
        it changes nothing but the lookups' caches."""
        assert self.header is not None
        if b"\x00" in data or b"\x1f" in data:
            raise FallBack
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            raise FallBack  # lone CR line ends: physical lines the raw read would not see
        try:
            # polars refuses invalid UTF-8; the row reader then decides between GB18030 and an error
            raw = (
                pl.read_csv(data, has_header=False, separator="\x1f", quote_char=None, schema={"l": pl.String})
                .get_column("l")
                .fill_null("")
            )
        except pl.exceptions.ComputeError:
            raise FallBack from None
        if raw.len() != expected:
            raise FallBack
        width = self.header.width
        kinds = {index: field for field, index in self.header.fields.items()}
        names = [f"c{i}" for i in range(width)]
        schema = {n: pl.Categorical if kinds.get(i) in _CATEGORICAL else pl.String for i, n in enumerate(names)}
        cells = pl.read_csv(
            data,
            has_header=False,
            schema=schema,
            truncate_ragged_lines=True,
            missing_columns="insert",
            extra_columns="ignore",
            empty_string_is_null=False,
        )
        if cells.height != expected:
            raise FallBack
        # a quote-free line has exactly the header's cells when its bytes are theirs plus the commas
        lengths = cells.select(
            pl.sum_horizontal(
                (pl.col(n).cat.len_bytes() if schema[n] == pl.Categorical else pl.col(n).str.len_bytes()).fill_null(0)
                for n in names
            )
        ).to_series()
        plain = raw.str.len_bytes() == lengths + (width - 1)
        quoted = raw.str.contains('"', literal=True)
        if quoted.any():
            at = quoted.arg_true()
            some = raw.gather(at)
            if (some.str.count_matches('"', literal=True) % 2 == 1).any():
                raise FallBack  # a quoted cell runs over a line end
            # a well-formed quoted line reads the same in polars and in csv; others go to csv
            separators = some.str.replace_all(r'"(?:[^"]|"")*"', "").str.count_matches(",", literal=True)
            plain = plain.scatter(at, some.str.contains(_WELL_FORMED) & (separators == width - 1))
        plain = plain & ~raw.str.contains(r"^[\s,]*$")
        # a line that may hold a cell past the row reader's limit is the row reader's to judge
        plain = plain & (raw.str.len_bytes() <= FIELD_LIMIT)
        lines = pl.int_range(first_line, first_line + expected, dtype=pl.Int64, eager=True)
        fields = {field: cells.get_column(names[index]).filter(plain) for field, index in self.header.fields.items()}
        del cells
        checked, refused, flagged, doubt = self._plain_rows(lines.filter(plain), fields)
        # rows the column-wise check cannot vouch for go to the row code whole, from their raw line
        sent = (~plain).scatter(plain.arg_true(), doubt) if doubt.any() else ~plain
        special = pl.DataFrame({"line": lines, "raw": raw}).filter(sent)
        del raw
        outcome = _Checked()
        outcome.counts.read += checked.height
        after = checked.get_column("day") > self.as_of
        outcome.counts.after_as_of += int(after.sum())
        checked = checked.filter(~after)
        if refused.height:
            self._refused(refused, outcome)
        flagged = flagged.filter(pl.col("day") <= self.as_of)
        if flagged.height:
            self._implausible(flagged, outcome)
        if special.height:
            checked = pl.concat([checked, self._special_rows(special, outcome)])
        if checked.height:
            outcome.rows = _Packed(self._claimed(checked), outcome.warnings, self.unpacked)  # in the checker thread
        return outcome

    def _claimed(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The rows with `h`, a 64-bit hash of their claim (family, folded 編號), null for a row
        without one: whether a 編號 is used twice is asked of the hashes of all files (contested),
        and only rows whose hash repeats have their 編號 folded and compared as text (claims_for)."""
        ref = rows.get_column("ref")
        plain = ref.str.contains(_PLAIN_REF)
        key = ref.str.to_lowercase()
        odd = ref.filter(~plain).unique().to_list()  # nulls are dropped by the filter
        if odd:
            folded = {text: fold(text) or None for text in odd}  # blank after folding: no 編號
            key = pl.select(
                pl.when(plain).then(key).otherwise(ref.replace_strict(folded, default=None, return_dtype=pl.String))
            ).to_series()
        return rows.with_columns(h=_claim_hash(self.family.gather(rows.get_column("ind")), key))

    def _plain_rows(
        self, lines: pl.Series, fields: dict[str, pl.Series]
    ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.Series]:
        """Check plain rows column-wise: (rows to count, rows rejected with their reason, rows to count
        with a warning, rows in doubt for the row code)."""
        look = self.lookups
        height = lines.len()

        def text(field: str) -> pl.Series:
            found = fields.get(field)
            return pl.Series([""], dtype=pl.String).new_from_index(0, height) if found is None else found

        def answer(field: str, dtype: pl.DataType, when_absent: Any) -> pl.Series:
            found = fields.get(field)
            return (
                pl.Series([when_absent], dtype=dtype).new_from_index(0, height)
                if found is None
                else look.column(field, found, dtype)
            )

        ind = look.column("indicator", fields["indicator"], pl.Int32)
        area = look.column("area", fields["area"], pl.Int32)
        day = look.column("date", fields["date"], pl.Int32)
        unit = answer("unit", pl.Int32, 0)
        quantity = text("quantity")
        header_units = self.header.units if self.header is not None else {}
        units_ok = pl.Series([True], dtype=pl.Boolean).new_from_index(0, height)
        if header_units:
            # a 單位 that disagrees with a header's unit is the row code's to report
            named = header_units.values()
            agreeing = [c for c in unit.drop_nulls().unique().to_list() if all(look.agrees(c, n) for n in named)]
            units_ok = unit.is_in(agreeing)
        if "quantity" in header_units:
            # no 單位: a filled quantity is in its header's unit (完成量（平方米）)
            own = pl.lit(look.units.code(header_units["quantity"]), pl.Int32)
            unit = pl.select(pl.when((unit == 0) & (quantity != "")).then(own).otherwise(unit)).to_series()
        base = answer("base", _DECIMAL, None)
        item = answer("item", pl.Int32, 0)
        measure = self.measure.gather(ind)
        declares = self.declares_items.gather(ind).fill_null(False)
        unit_ok = look.pairs(ind, unit, look.unit_fits, pl.Boolean)
        has_item = item != 0
        counted_item = look.pairs(
            ind.filter(declares & has_item), item.filter(declares & has_item), look.counted_item, pl.Int32
        )
        counted_item = (
            pl.Series([None], dtype=pl.Int32)
            .new_from_index(0, height)
            .scatter((declares & has_item).arg_true(), counted_item)
        )
        number = quantity.str.contains(_NUMBER)
        defaulted = measure.is_in(["milestone", "distinct", "qualitative"])
        ok = (
            ind.is_not_null()
            & area.is_not_null()
            & (day >= self.start.gather(ind))
            & (day <= self.end.gather(ind))
            & unit_ok
            & units_ok
            & (number | ((quantity == "") & defaulted))
            & ((measure != "ratio") | base.is_not_null())
            & ~(self.needs_item.gather(ind) & ~has_item)
            & (~declares | ~has_item | counted_item.is_not_null())
        ).fill_null(False)
        ratio = measure == "ratio"
        frame = pl.DataFrame(
            {
                "line": lines,
                "ind": ind,
                "area": area,
                "day": day,
                "q": pl.select(
                    pl.when(quantity == "")
                    .then(pl.lit(1, dtype=_DECIMAL))
                    .otherwise(quantity.str.replace_all(",", "", literal=True).cast(_DECIMAL, strict=False))
                ).to_series(),
                "b": pl.select(pl.when(ratio).then(base)).to_series(),
                "item": pl.select(
                    pl.when(~has_item).then(None).when(declares).then(counted_item).otherwise(item)
                ).to_series(),
                "ref": text("ref"),
                "note": text("note"),
            }
        )
        # the rules no single value decides: a ratio's base, and a quantity above every target
        within = (
            (measure != "ratio") | ((frame.get_column("b") > 0) & (frame.get_column("q") <= frame.get_column("b")))
        ).fill_null(True)
        ok = ok & within & frame.get_column("q").is_not_null()
        # a declared item bound to an area, recorded elsewhere: the last rule, so such a row that
        # passed every other is rejected here, with the row code's message for its (item, area)
        bound = (ok & self.item_areas.gather(ind).fill_null(False)).fill_null(False)
        misplaced = pl.Series([None], dtype=pl.String).new_from_index(0, height)
        if bound.any():
            items = len(look.items.names) + 1
            pair = ind.filter(bound).cast(pl.Int64) * items + counted_item.filter(bound).cast(pl.Int64)
            misplaced = misplaced.scatter(
                bound.arg_true(),
                look.pairs(pair, area.filter(bound), lambda p, a: look.misplaced(p, a, items), pl.String),
            )
        rejected = misplaced.is_not_null()
        ok = ok & ~rejected
        checked = frame.filter(ok).with_columns(pl.col("ref").replace("", None), pl.col("note").replace("", None))
        refused = pl.DataFrame({"line": lines, "day": day, "reason": misplaced}).filter(rejected)
        # counted, but above every target of a sum: warned of as the row code warns, once per distinct cell
        above = ok & (frame.get_column("q") > self.largest.gather(ind)).fill_null(False)
        flagged = pl.DataFrame({"line": lines, "ind": ind, "unit": unit, "day": day, "text": quantity}).filter(above)
        return checked, refused, flagged, ~ok & ~rejected

    def _refused(self, refused: pl.DataFrame, outcome: _Checked) -> None:
        """Rows rejected column-wise, each with its reason; one dated after the as-of date is not there."""
        outcome.counts.read += refused.height
        after = refused.get_column("day") > self.as_of
        outcome.counts.after_as_of += int(after.sum())
        refused = refused.filter(~after)
        outcome.counts.rejected += refused.height
        reasons = refused.get_column("reason")
        texts = reasons.unique(maintain_order=True).to_list()  # the chunk's distinct reasons
        outcome.findings.append(
            _block(
                "item-area",
                self.source,
                refused.get_column("line"),
                reasons,
                {text: (text, _REJECTED) for text in texts},
                self.area_column,
            )
        )

    def _implausible(self, flagged: pl.DataFrame, outcome: _Checked) -> None:
        """Counted rows whose quantity is above every target of their indicator: the row code's warning,
        made once for each distinct (indicator, unit, cell)."""
        look = self.lookups
        key = pl.concat_str(
            [pl.col("ind").cast(pl.String), pl.col("unit").cast(pl.String), pl.col("text")], separator="\x1f"
        )
        keyed = flagged.select("line", "ind", "unit", "text", key=key)
        said: dict[str, tuple[str, dict | None]] = {}
        for text_key, ind, unit, text in keyed.select("key", "ind", "unit", "text").unique().iter_rows():
            rules = look.indicators[ind]
            written = parse_unit(look.units.names[unit]) if unit else None
            message = self.rules.implausible(rules, text, parse_amount(text, rules.unit, written))
            assert message is not None  # the column-wise test is the row code's: above the largest target
            said[text_key] = (message, None)
        plan = self.intake.plan
        outcome.warnings.append(
            _block("implausible-quantity", self.source, keyed["line"], keyed["key"], said, None, plan)
        )

    @staticmethod
    def _may_be_header(cells: list[str]) -> bool:
        """Whether some cell names each required column, which a complete header needs: a full
        match_header on every doubtful row (its problems and messages) was a third of a chunk's time."""
        found = {column_for(cell.strip()) for cell in cells if cell.strip()}
        return all(field in found for field in REQUIRED)

    def _special_rows(self, frame: pl.DataFrame, outcome: _Checked) -> pl.DataFrame:
        """Rows the row reader's code decides: quotes, ragged, blank, or any doubt."""
        assert self.header is not None
        rows: list[Row] = []
        rejected: dict[tuple[str, int | None], tuple[list[int], list[str]]] = {}  # (code, column) → lines, reasons
        as_of = self.intake.as_of
        source = self.source
        # the row reader takes a row for its header again only when every filled cell is a column name, and
        # no column name has a digit (a unit in brackets may: 面積(m2)): a line with a digit and no bracket is data
        data = frame.get_column("raw").str.contains(r"\d") & ~frame.get_column("raw").str.contains(_BRACKET)
        for line, raw, surely_data in frame.select("line", "raw", data=data).iter_rows():
            outcome.counts.read += 1
            try:
                cells = next(csv.reader([raw or ""], strict=True), [])
            except csv.Error as exc:
                outcome.counts.rejected += 1
                outcome.findings.append(rejected_row(bad_record(source.where(line), str(exc))))
                continue
            if (
                not surely_data
                and any(c.strip() for c in cells)
                and self._may_be_header(cells)
                and match_header(cells).complete
            ):
                raise FallBack  # a header again (two exports pasted together): the row reader re-maps
            found = classify(line, cells, self.header, source, self.rules, as_of)
            if isinstance(found, Row):
                rows.append(found)
            elif isinstance(found, Finding):
                outcome.counts.rejected += 1
                if found.detail is None and found.where is not None:  # kept as columns, as a block
                    lines, reasons = rejected.setdefault((found.code, found.where.col), ([], []))
                    lines.append(line)
                    reasons.append(found.message)
                else:
                    outcome.findings.append(rejected_row(found))
            elif found is BLANK:
                outcome.counts.blank += 1
                outcome.findings.append(Finding("blank-row", _("blank row, skipped"), source.where(line)))
            elif found is AFTER_AS_OF:
                outcome.counts.after_as_of += 1
        if any(_too_fine(r.quantity) or (r.base is not None and _too_fine(r.base)) for r in rows):
            raise FallBack  # more decimals than the exact columnar sum carries
        for (code, col), (lines, reasons) in rejected.items():
            # a roll-up's row code rejects tens of thousands of rows: as columns, not a Finding each
            said = {reason: (reason, _REJECTED) for reason in reasons}
            at = pl.Series(lines, dtype=pl.Int64)
            outcome.findings.append(_block(code, source, at, pl.Series(reasons, dtype=pl.String), said, col))
        for r in rows:
            outcome.warnings += r.warnings
        look = self.lookups
        return pl.DataFrame(
            {
                "line": [r.line for r in rows],
                "ind": [look.position[r.indicator] for r in rows],
                "area": [look.areas.code(r.area) for r in rows],
                "day": [(r.date - _EPOCH).days for r in rows],
                # as text, cast: polars builds a Decimal column from Python Decimals through numpy,
                # whose import alone (0.1 s) is a 100k-row run's sixth
                "q": _decimals([r.quantity for r in rows]),
                "b": _decimals([r.base for r in rows]),
                "item": [None if r.item is None else look.items.code(r.item) for r in rows],
                "ref": [r.ref for r in rows],
                "note": [r.note for r in rows],
            },
            schema=_ROW_SCHEMA,
        )


class _FilePart(BulkPart):
    """One file's rows to count, as the intake takes them: claims first, cells once decided.

    Its claims stay columns (bulk): the registry asks all parts at once which 編號 are used more
    than once (one polars pass over every key of the plan), and only those become Claim objects."""

    bulk = True

    def __init__(self, reader: _FastFile, chunks: list[_Packed]):
        self.reader = reader
        self.chunks = chunks
        self._content: dict[int, tuple] = {}  # the content of the rows claims_for made claims of
        self.look = reader.lookups
        self.order = reader.order

    @classmethod
    def contested(cls, parts: list[BulkPart], others: list[tuple[str, str]]) -> set[int]:
        """The claim hashes used more than once among all the parts and the `others` (family, key) listed.
        Two claims that differ but share a hash only make their rows compared as text in claims_for."""
        mine = [part for part in parts if isinstance(part, _FilePart)]
        hashes = [chunk.hashes for part in mine for chunk in part.chunks]
        if others and mine:
            codes = mine[0].reader.family_codes
            family = pl.Series([codes.get(f, len(codes) + 1) for f, _key in others], dtype=pl.UInt32)
            hashes.append(_claim_hash(family, pl.Series([key for _family, key in others], dtype=pl.String)))
        # sorted, a repeat is next to its twin: 0.02 s and a copy, where is_duplicated's hash table took
        # 0.1 s and 100 MB at a million rows. Sorted by their top bits' range a few million at a time, so
        # a roll-up's ten million hashes (80 MB) are never copied and sorted whole
        total = sum(h.len() for h in hashes)
        if not total:
            return set()
        slices = max(1, -(-total // _HASHES_AT_ONCE))
        step = -(-(1 << 64) // slices)
        repeated: set[int] = set()
        for low in range(0, 1 << 64, step):
            high = min(low + step, 1 << 64) - 1
            some = [h.filter(h.is_between(low, high)) for h in hashes] if slices > 1 else hashes
            every = pl.concat(some).sort()
            repeated.update(every.head(-1).filter(every.head(-1) == every.tail(-1)).to_list())
        return repeated

    def claims_for(self, keys: set[int]) -> Iterator[Claim]:
        """Claims of the rows whose hash is among `keys`. The registry asks once, after contested: the
        hashes are let go here (a roll-up's are 80 MB)."""
        wanted = pl.Series(list(keys), dtype=pl.UInt64).implode()

        def claimed(chunk: _Packed) -> pl.DataFrame | None:
            hashes, chunk.h = chunk.h, None
            mine = hashes.is_in(wanted).fill_null(False) if keys and hashes is not None else None
            return chunk.rows(*_CLAIMED).filter(mine) if mine is not None and mine.any() else None

        with ThreadPoolExecutor(max_workers=CHECKERS) as workers:  # unpacked two at a time
            found = [rows for rows in _in_order(workers, claimed, iter(self.chunks)) if rows is not None]
        if not found:
            self._content = {}
            return
        # the registry asks next for the content of exactly these rows: kept, so no chunk is unpacked twice
        self._content = self._contents(pl.concat(found))
        ids, families = self.look.ids, self.reader.intake.families
        source, order = self.reader.source, self.order
        shown = source.shown
        days: dict[int, dt.date] = {}
        for line, ind, day, ref in (row for frame in found for row in frame.select(*_CLAIM).iter_rows()):
            indicator = ids[ind]
            yield Claim(
                families.get(indicator, indicator),
                fold(ref),  # what _claimed hashed: a plain 編號's fold is its lower case
                days.get(day) or days.setdefault(day, _day(day)),
                order,
                line,
                Location(shown, line),
                ref.strip(),
                indicator,
            )

    def content(self, lines: list[int]) -> dict[int, tuple]:
        kept = self._content
        if all(line in kept for line in lines):
            return {line: kept[line] for line in lines}
        wanted = pl.Series(lines, dtype=pl.Int64).implode()
        found = [
            chunk.rows(*_CONTENT).filter(pl.col("line").is_in(wanted)) for chunk in self.chunks if chunk.holds(lines)
        ]
        return self._contents(pl.concat(found)) if found else {}

    def _contents(self, rows: pl.DataFrame) -> dict[int, tuple]:
        """(indicator, area, quantity, base, item) of each row: what two uses of one 編號 must share."""
        look = self.look
        return {
            line: (look.ids[ind], look.areas.names[area], q, b, fold(look.items.names[item or 0]))
            for line, ind, area, q, b, item in rows.select(*_CONTENT).iter_rows()
        }

    def settle(self, losers: set[tuple[int, int]], covered: dict[str, frozenset[str]]) -> Settled:
        """A few chunks at a time, each batch unpacked and summed in a worker thread while the next is: its
        rows less the losers, outside every scope or counted, summed into cells that the one merge joins
        (Cell.merge, as it joins files), in file order."""
        order = self.order
        lost_lines = {line for o, line in losers if o == order}
        lost = pl.Series(sorted(lost_lines), dtype=pl.Int64).implode()
        settled = Settled()
        # a row's warnings, as the row reader says them: only of a row counted, not of a repeat of a 編號
        warned = joined([w for chunk in self.chunks for w in _without(chunk.warnings, lost_lines)])
        cells: dict[tuple[str, str], Cell] = {}
        outside: list[FindingRows] = []
        inside: dict[int, bool] = {}  # whether some target covers (indicator, area), packed: asked once

        def summed(batch: list[_Packed]) -> _Summed:
            return self._summed(pl.concat([chunk.rows(*_SETTLED) for chunk in batch]), lost, covered, inside)

        with ThreadPoolExecutor(max_workers=CHECKERS) as workers:
            for part in _in_order(workers, summed, self._batches()):
                settled.outside += part.outside
                settled.counted += part.counted
                settled.findings += part.corrections
                if part.away is not None:
                    outside.append(part.away)
                for indicator, area, cell in part.cells:
                    found = cells.get((indicator, area))
                    if found is None:
                        cells[indicator, area] = cell
                    else:
                        found.merge(cell)
        if outside:
            settled.findings.append(FindingRows.joined(outside))
        settled.findings = warned + settled.findings
        settled.cells = [(indicator, area, cell) for (indicator, area), cell in cells.items()]
        self.chunks = []  # settled once; what was packed is let go
        return settled

    def _summed(
        self,
        rows: pl.DataFrame,
        lost: pl.Series,
        covered: dict[str, frozenset[str]],
        inside: dict[int, bool],
    ) -> _Summed:
        """One batch of rows to count, less the losers: those outside every scope, and the rest summed."""
        look, plan = self.look, self.reader.intake.plan
        shown = self.reader.source.shown
        part = _Summed()
        # (indicator, area) as one number: what is asked of each pair once is keyed by it
        code = pl.col("ind").cast(pl.Int64) * (1 << 32) + pl.col("area").cast(pl.Int64)
        rows = rows.filter(~pl.col("line").is_in(lost))
        codes = rows.select(code).to_series()  # a Series beside the rows: a column would widen every batch
        for packed in codes.unique().to_list():
            if packed not in inside:
                inside[packed] = look.areas.names[packed & 0xFFFFFFFF] in covered.get(look.ids[packed >> 32], ())
        is_inside = codes.is_in([packed for packed, yes in list(inside.items()) if yes])
        away = pl.DataFrame({"line": rows.get_column("line"), "code": codes}).filter(~is_inside).sort("line")
        if away.height:
            part.outside = away.height
            said = {}
            for packed in away.get_column("code").unique().to_list():
                found = outside_scope(look.ids[packed >> 32], look.areas.names[packed & 0xFFFFFFFF], None, plan)
                said[packed] = (found.message, found.detail)
            part.away = _block("outside-scope", self.reader.source, away["line"], away["code"], said, None, plan)
        rows = rows.filter(is_inside)
        part.counted = rows.height
        for line, ind, area, quantity in rows.filter(pl.col("q") < 0).select("line", "ind", "area", "q").iter_rows():
            part.corrections.append(
                correction(look.ids[ind], look.areas.names[area], quantity, Location(shown, line), plan)
            )
        part.cells = self._cells(rows)
        return part

    def _batches(self) -> Iterator[list[_Packed]]:
        """The chunks a few at a time, in file order: each batch of a few hundred thousand rows is summed
        at once (summing chunk by chunk made 17 times the cells to merge at a million rows)."""
        batch: list[_Packed] = []
        size = 0
        for chunk in self.chunks:
            batch.append(chunk)
            size += chunk.height
            if size >= SETTLED_ROWS:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    def _cells(self, rows: pl.DataFrame) -> list[tuple[str, str, Cell]]:
        """Counted rows → one Cell per (indicator, area), merged into the tally by its one merge."""
        look, order = self.look, self.order
        ids, areas, items = look.ids, look.areas.names, look.items.names
        # within one file, (day, line) orders rows; the file's place in path order is `order`
        stamp = pl.col("day").cast(pl.Int64) * (1 << 32) + pl.col("line")
        # the opening row is the last line of the first day: the least of day, then of -line
        first = (pl.col("day").cast(pl.Int64) * (1 << 32) - pl.col("line")).arg_min()
        rows = rows.with_columns(stamp=stamp)
        sums = rows.group_by("ind", "area").agg(
            rows=pl.len(),
            total=pl.col("q").sum(),
            base=pl.col("b").sum(),
            latest=pl.col("q").get(pl.col("stamp").arg_max()),
            stamp=pl.col("stamp").max(),
            opened=pl.col("q").get(first),
            open_day=pl.col("day").min(),
            open_line=pl.col("line").get(first),
        )
        cells: dict[tuple[int, int], Cell] = {}

        def at(packed: int) -> tuple[dt.date, int, int]:
            return (_day(packed >> 32), order, packed & 0xFFFFFFFF)

        for ind, area, count, total, base, latest, packed, opened, open_day, open_line in sums.iter_rows():
            cells[ind, area] = Cell(
                rows=count,
                total=total if total is not None else Decimal(0),
                base=base if base is not None else Decimal(0),
                latest=(at(packed), latest),
                opening=((_day(open_day), order, open_line), opened),
            )
        noted = rows.filter(pl.col("note").is_not_null())
        if noted.height:
            notes = noted.group_by("ind", "area").agg(
                note=pl.col("note").get(pl.col("stamp").arg_max()), stamp=pl.col("stamp").max()
            )
            for ind, area, note, packed in notes.iter_rows():
                cells[ind, area].note = (at(packed), note)
        distinct = [i for i, r in enumerate(look.indicators) if r.indicator.measure == "distinct"]
        if distinct:
            folded = [fold(name) for name in items]
            days: dict[int, dt.date] = {}
            key_parts = self.reader.intake.key_parts
            # the day only where some indicator counts by it: else each (item, day) would be a key to fold
            by_day = any("date" in key_parts[ids[i]] for i in distinct)
            fields = ("ind", "area", "item", "day") if by_day else ("ind", "area", "item")
            keys = rows.filter(pl.col("ind").is_in(distinct)).select(fields).unique()
            for ind, area, item_codes, *day_numbers in keys.group_by("ind", "area").agg(*fields[2:]).iter_rows():
                parts = key_parts[ids[ind]]
                item_texts = [folded[0 if i is None else i] for i in item_codes]
                if "date" in parts:
                    dates = [days.get(d) or days.setdefault(d, _day(d)) for d in day_numbers[0]]
                    columns = [dates if part == "date" else item_texts for part in parts]
                else:
                    columns = [item_texts] * len(parts)
                # keyed by area alone (key: [area]), each area's rows are one key, as the row reader counts
                cells[ind, area].keys.update(zip(*columns, strict=True) if parts else [()])
        milestone = [i for i, r in enumerate(look.indicators) if r.indicator.measure == "milestone"]
        if milestone:
            done = (
                rows.filter(pl.col("ind").is_in(milestone) & pl.col("item").is_not_null())
                .group_by("ind", "area", "item")
                .agg(pl.col("day").min())
            )
            for ind, area, item, day in done.iter_rows():
                cells[ind, area].items[items[item]] = _day(day)
        return [(ids[ind], areas[area], cell) for (ind, area), cell in cells.items()]


_CONTENT = ("line", "ind", "area", "q", "b", "item")
_CLAIM = ("line", "ind", "day", "ref")
_CLAIMED = (*_CONTENT, "day", "ref")
_SETTLED = ("line", "ind", "area", "day", "q", "b", "item", "note")
_FIELDS = ("date", "indicator", "area", "quantity", "base", "unit", "item", "ref", "note")
_DECIMAL = pl.Decimal(38, 10)
_ROW_SCHEMA = {
    "line": pl.Int64,
    "ind": pl.Int32,
    "area": pl.Int32,
    "day": pl.Int32,
    "q": _DECIMAL,
    "b": _DECIMAL,
    "item": pl.Int32,
    "ref": pl.String,
    "note": pl.String,
}
_BRACKET = r"[(（\[［【〔]"  # what opens a header's unit, as core.columns reads it
_REJECTED = {"class": "rejected"}  # a rejected row's detail, as rejected_row gives it
_CLAIM_SEED = 0x5348555A  # any fixed seed: the hashes are compared within one run only
_WELL_FORMED = r'^(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*$'


def _block(
    code: str,
    source: Source,
    lines: pl.Series,
    keys: pl.Series,
    said: dict[Any, tuple[str, dict | None]],
    col: int | None,
    plan: str | None = None,
) -> FindingRows:
    """Findings of one code about rows of one file: each row's key picks its (message, detail)."""
    order = list(said)
    index = {key: i for i, key in enumerate(order)}
    messages = keys.replace_strict(index, return_dtype=pl.Int32)
    return FindingRows(
        code,
        source.shown,
        array("q", lines.to_list()),  # 8 bytes a line where a list of ints takes 40
        array("i", messages.to_list()),
        tuple(said[k][0] for k in order),
        tuple(said[k][1] for k in order),
        col,
        source.sheet,
        plan,
    )


def joined(found: list[Found]) -> list[Found]:
    """One file's findings, its blocks of one code, column and plan joined into one."""
    blocks: dict[tuple, list[FindingRows]] = {}
    single: list[Found] = []
    for f in found:
        if isinstance(f, FindingRows):
            blocks.setdefault((f.code, f.col, f.plan, f.sheet), []).append(f)
        else:
            single.append(f)
    return single + [FindingRows.joined(parts) for parts in blocks.values()]


def _without(found: list[Found], lines: set[int]) -> Iterator[Found]:
    """The findings, less those about `lines`."""
    for f in found:
        if isinstance(f, FindingRows):
            kept = [i for i, line in enumerate(f.lines) if line not in lines] if lines else None
            if kept is None or len(kept) == len(f.lines):
                yield f
            elif kept:
                yield replace(
                    f,
                    lines=array("q", map(f.lines.__getitem__, kept)),
                    messages=array("i", map(f.messages.__getitem__, kept)),
                )
        elif f.where is None or f.where.line not in lines:
            yield f


def _claim_hash(family: pl.Series, key: pl.Series) -> pl.Series:
    """The hash of each (family, key); null where the key is. Every hash is made here, by one seed."""
    hashed = pl.DataFrame({"family": family, "key": key}).hash_rows(seed=_CLAIM_SEED)
    return pl.select(pl.when(key.is_not_null()).then(hashed)).to_series().alias("h")


def _decimals(values: list[Decimal | None]) -> pl.Series:
    return pl.Series([None if v is None else format(v, "f") for v in values], dtype=pl.String).cast(_DECIMAL)


def _day(days: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=days)


def _too_fine(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -10
