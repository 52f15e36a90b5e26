"""The columnar path for large UTF-8 CSV ledgers: the same rows, reasons and sums as the
row-by-row reader in ledger.py, at polars speed.

Each chunk of the file is read twice by polars: once as raw lines (to keep physical line
numbers and spot quotes, ragged and blank rows) and once as cells. Columns whose values
repeat (date, indicator, area, unit, base, item) are read as categoricals, so each
distinct value is checked once, in Python, by the row reader's own rules, and its answer
reaches every row as a small integer code. Rows whose every value is plain are counted
column-wise; every other row goes through the row reader's own code, so its reason is
word for word the same. A file this path cannot vouch for (not UTF-8, a quoted cell
spanning lines, lone CR line ends, NUL bytes) raises FallBack before anything is
counted, and the row reader reads it instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from threading import Lock
from typing import Any

from ..core.columns import Header, match_header
from ..core.dates import parse_date
from ..core.findings import ParseError
from ..core.ledger import LedgerRules, Row
from ..core.names import fold
from ..core.quantity import parse_unit
from ..core.reconcile import Ledger
from ..core.report import CorrectionRow, DuplicateRow
from .ledger import BadRecord, FileResult, _bad_record, _header_diagnostics, process_record

# polars' jemalloc keeps an arena and a cache per thread and returns freed pages lazily; one
# arena that gives pages back within 0.3 s keeps ~40 MB less resident at no cost in time
# (read at the allocator's start, so only when polars is not loaded yet; a user's own wins)
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,tcache:false,dirty_decay_ms:300,muzzy_decay_ms:0")

import polars as pl

CHUNK_BYTES = 4 << 20
CHECKERS = 2  # chunks checked at once, ahead of the one being counted
# as the row reader takes them, exact in Decimal(38, 10): 1234.5, -3, 4,000 (grouped by thousands)
_NUMBER = r"^-?(?:[0-9]{1,18}|[0-9]{1,3}(?:,[0-9]{3}){1,5})(?:\.[0-9]{1,10})?$"
_PLAIN_REF = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: its fold is its lower case
_CATEGORICAL = ("date", "indicator", "area", "base", "unit", "item")  # few distinct values each
_EPOCH = dt.date(1970, 1, 1)


@dataclass
class _Parts:
    """A chunk's counted rows, summed: what the ledger's cells take."""

    sums: pl.DataFrame
    corrections: list[CorrectionRow] = field(default_factory=list)
    notes: pl.DataFrame | None = None
    keys: pl.DataFrame | None = None
    items: pl.DataFrame | None = None


@dataclass
class _Checked:
    """One chunk, checked and counted as far as it can be on its own."""

    result: FileResult
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)  # counted unless an earlier chunk used their 編號
    keyed: pl.DataFrame = field(default_factory=pl.DataFrame)  # the first use in the chunk of each 編號
    repeats: pl.DataFrame = field(default_factory=pl.DataFrame)  # later uses, with the first's line
    parts: _Parts | None = None


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
    """Per-value answers, kept for the whole run: areas, dates and units repeat a lot.

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
        self._counted_item: dict[tuple[int, int], int | None] = {}

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
                self._unit_fits[key] = row_unit.dimension == own.dimension and row_unit.scale == own.scale
        return self._unit_fits[key]

    def counted_item(self, indicator: int, item: int) -> int | None:
        """A declared item's code by the plan's spelling, or None when the plan has no such item."""
        key = (indicator, item)
        if key not in self._counted_item:
            declared = self.indicators[indicator].items
            assert declared is not None
            name = declared.get(self.items.names[item])
            self._counted_item[key] = None if name is None else self.items.code(name)
        return self._counted_item[key]

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
    path: Path,
    shown: str,
    rules: LedgerRules,
    ledger: Ledger,
    lookups: Lookups,
    progress: ProgressCallback | None = None,
) -> FileResult:
    """Read one file into `ledger`, or raise FallBack having changed nothing."""
    reader = _FastFile(path, shown, rules, ledger, lookups)
    reader.run(progress)
    reader.commit()
    return reader.result


class _FastFile:
    def __init__(self, path: Path, shown: str, rules: LedgerRules, ledger: Ledger, lookups: Lookups):
        self.path, self.shown, self.rules, self.ledger, self.lookups = path, shown, rules, ledger, lookups
        self.result = FileResult()
        self.header: Header | None = None
        self.rejected: list[tuple[int, str, str]] = []
        self.duplicates: list[DuplicateRow] = []
        self.corrections: list[CorrectionRow] = []
        # this file's partial sums per chunk, reduced and merged into the ledger at commit
        self.partials: list[pl.DataFrame] = []
        self.note_parts: list[pl.DataFrame] = []
        self.key_parts: list[pl.DataFrame] = []
        self.item_parts: list[pl.DataFrame] = []
        self.last_line = 0
        self.counted: list[pl.DataFrame] = list(ledger.columnar_state or [])  # first uses, earlier files
        self.fresh: list[pl.DataFrame] = []  # first uses in this file
        self.seen = pl.concat([*self.counted, _refs_frame(ledger)])  # every 編號 counted so far
        self.as_of = (ledger.as_of - _EPOCH).days if ledger.as_of < dt.date(9999, 1, 1) else 2**31 - 1
        ids = pl.Series(lookups.ids, dtype=pl.String)
        self.salt_1, self.salt_2 = ids.hash(_SEED_1), ids.hash(_SEED_2)
        rules_of = lookups.indicators
        self.start = pl.Series([(r.start - _EPOCH).days for r in rules_of], dtype=pl.Int32)
        self.end = pl.Series([(r.end - _EPOCH).days for r in rules_of], dtype=pl.Int32)
        self.measure = pl.Series([r.indicator.measure for r in rules_of], dtype=pl.String)
        self.needs_item = pl.Series([r.needs_item for r in rules_of], dtype=pl.Boolean)
        self.declares_items = pl.Series([r.items is not None for r in rules_of], dtype=pl.Boolean)
        self.distinct = [i for i, r in enumerate(rules_of) if r.indicator.measure == "distinct"]
        self.milestone = [i for i, r in enumerate(rules_of) if r.indicator.measure == "milestone"]

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
            # chunks are checked ahead in worker threads while this thread counts them in file
            # order; polars lets go of the GIL, so the stages share the cores
            with ThreadPoolExecutor(max_workers=CHECKERS) as checkers:
                checking: deque[Future[_Checked]] = deque()
                line = 2
                while True:
                    data = handle.read(CHUNK_BYTES)
                    if data:
                        data += handle.readline()
                        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
                        checking.append(checkers.submit(self._chunk, data, line, lines))
                        line += lines
                    if checking and (len(checking) > CHECKERS or not data):
                        self._count(checking.popleft().result())
                        if progress:
                            progress(handle.tell())
                    elif not data:
                        break
                self.last_line = line

    def _header(self, text: str) -> None:
        cells = next(csv.reader([text]))
        self.header = match_header(cells)
        if not self.header.usable or not self.header.complete:
            raise FallBack  # the row reader reports it, or looks for the header below title rows
        self.result.diagnostics += _header_diagnostics(self.header, self.shown, 1)

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
        lines = pl.int_range(first_line, first_line + expected, dtype=pl.Int64, eager=True)
        special = pl.DataFrame({"line": lines, "raw": raw}).filter(~plain)
        del raw
        fields = {field: cells.get_column(names[index]).filter(plain) for field, index in self.header.fields.items()}
        del cells
        checked, doubtful = self._plain_rows(lines.filter(plain), fields)
        outcome = _Checked(FileResult(rows=checked.height))  # doubtful rows: counted by the row code
        if doubtful.height:
            special = pl.concat([special, doubtful])
        if special.height:
            checked = pl.concat([checked, self._special_rows(special, outcome)]).sort("line")
        self._count_ahead(checked, outcome)
        return outcome

    def _plain_rows(self, lines: pl.Series, fields: dict[str, pl.Series]) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Check plain rows column-wise: (rows to count, rows in doubt for the row code)."""
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
        quantity = text("quantity")
        number = quantity.str.contains(_NUMBER)
        defaulted = measure.is_in(["milestone", "distinct", "qualitative"])
        ok = (
            ind.is_not_null()
            & area.is_not_null()
            & (day >= self.start.gather(ind))
            & (day <= self.end.gather(ind))
            & unit_ok
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
        checked = frame.filter(ok).with_columns(pl.col("ref").replace("", None), pl.col("note").replace("", None))
        doubt = ~ok
        doubtful = pl.DataFrame({f: text(f).filter(doubt).cast(pl.String).fill_null("") for f in _FIELDS}).select(
            line=lines.filter(doubt), raw=pl.concat_str(_FIELDS, separator="\x1f")
        )
        return checked, doubtful

    def _special_rows(self, frame: pl.DataFrame, outcome: _Checked) -> pl.DataFrame:
        """Rows the row reader's code decides: quotes, ragged, blank, or any doubt."""
        assert self.header is not None
        rows: list[Row] = []
        as_of = self.ledger.as_of
        for line, raw in frame.select("line", "raw").iter_rows():
            if raw is not None and "\x1f" in raw:
                cells = self._cells_of_fields(raw.split("\x1f"))  # a plain row in doubt, already split
            else:
                try:
                    cells = next(csv.reader([raw or ""], strict=True), [])
                except csv.Error as exc:
                    bad = _bad_record(line, str(exc))
                    outcome.rejected.append((bad.line, bad.code, bad.message))
                    outcome.result.rows += 1
                    continue
            found = process_record(line, cells, self.header, self.shown, self.rules, outcome.result, as_of)
            if isinstance(found, Row):
                rows.append(found)
            elif isinstance(found, BadRecord):
                outcome.rejected.append((found.line, found.code, found.message))
        if any(_too_fine(r.quantity) or (r.base is not None and _too_fine(r.base)) for r in rows):
            raise FallBack  # more decimals than the exact columnar sum carries
        look = self.lookups
        return pl.DataFrame(
            {
                "line": [r.line for r in rows],
                "ind": [look.position[r.indicator] for r in rows],
                "area": [look.areas.code(r.area) for r in rows],
                "day": [(r.date - _EPOCH).days for r in rows],
                "q": [r.quantity for r in rows],
                "b": [r.base for r in rows],
                "item": [None if r.item is None else look.items.code(r.item) for r in rows],
                "ref": [r.ref for r in rows],
                "note": [r.note for r in rows],
            },
            schema=_ROW_SCHEMA,
        )

    def _cells_of_fields(self, values: list[str]) -> list[str]:
        """Header-width cells holding the fields of a plain row; other columns empty."""
        assert self.header is not None
        cells = [""] * self.header.width
        for name, value in zip(_FIELDS, values, strict=True):
            index = self.header.fields.get(name)
            if index is not None:
                cells[index] = value
        if not any(c.strip() for c in cells):
            cells[0] = "-"  # not blank: the raw line had content (a blank line is never plain)
        return cells

    # -- counting ----------------------------------------------------------------------------
    def _count_ahead(self, rows: pl.DataFrame, outcome: _Checked) -> None:
        """What a checker can count on its own: the as-of cut, repeats of a 編號 within the
        chunk, corrections and the chunk's partial sums. Only repeats of a 編號 counted in an
        earlier chunk or file are left for the counting thread to find (_count)."""
        rows = rows.filter(pl.col("day") <= self.as_of)
        with_ref = rows.filter(pl.col("ref").is_not_null()).select("line", "ind", "ref")
        if with_ref.height:
            keyed = self._keys(with_ref)
            first_here = keyed.get_column("h1").is_first_distinct()
            if not first_here.all():  # a repeat within the chunk: h2 tells a true one from a collision
                repeated = keyed.get_column("h1").is_duplicated()
                exact = keyed.filter(repeated).select(pl.struct("h1", "h2").is_first_distinct()).to_series()
                first_here = first_here.scatter(repeated.arg_true(), exact)
                repeats = keyed.filter(~first_here)
                firsts = keyed.filter(first_here & pl.col("h1").is_in(repeats.get_column("h1").implode())).select(
                    "h1", "h2", pl.col("line").alias("first_line")
                )
                outcome.repeats = repeats.join(firsts, on=["h1", "h2"], how="left")
                rows = rows.join(repeats.select("line"), on="line", how="anti")
            outcome.keyed = keyed.filter(first_here)
        outcome.rows = rows
        outcome.parts = self._aggregate(rows)

    def _keys(self, with_ref: pl.DataFrame) -> pl.DataFrame:
        """(line, ind, ref, h1, h2): each 編號 keyed by its indicator and its fold, as two 64-bit
        hashes (a collision needs ~2^64 keys), so a million 編號 cost ~24 MB, not the strings."""
        plain_ref = with_ref.get_column("ref").str.contains(_PLAIN_REF)
        odd = with_ref.filter(~plain_ref).get_column("ref").unique().to_list()
        folded = {text: fold(text) or None for text in odd}  # blank after folding: no 編號
        key = pl.col("ref").str.to_lowercase()
        if odd:
            key = (
                pl.when(plain_ref)
                .then(key)
                .otherwise(pl.col("ref").replace_strict(folded, default=None, return_dtype=pl.String))
            )
        keyed = with_ref.with_columns(key=key).filter(pl.col("key").is_not_null())
        ind = keyed.get_column("ind")
        return keyed.with_columns(
            h1=pl.col("key").hash(_SEED_1).xor(self.salt_1.gather(ind)),
            h2=pl.col("key").hash(_SEED_2).xor(self.salt_2.gather(ind)),
        ).drop("key")

    def _count(self, checked: _Checked) -> None:
        """One checked chunk, in file order: the first use of each 編號 wins across chunks and files."""
        self.result.rows += checked.result.rows
        self.result.diagnostics += checked.result.diagnostics
        self.rejected += checked.rejected
        keyed, repeats, parts = checked.keyed, checked.repeats, checked.parts
        assert parts is not None
        found: list[tuple[int, str, int, str, int]] = []  # (line, first file, first line, ref, ind)
        if keyed.height:
            # earlier first uses of these keys: a cheap pass over the h1 of all, then the few exactly
            earlier = (
                self.seen.filter(pl.col("h1").is_in(keyed.get_column("h1").implode()))
                if self.seen.height
                else self.seen
            )
            earlier = earlier.select(
                "h1",
                "h2",
                pl.col("file").cast(pl.String).alias("earlier_file"),
                pl.col("line").cast(pl.Int64).alias("earlier_line"),
            )
            crossed = keyed.join(earlier, on=["h1", "h2"], how="inner")
            if crossed.height:
                found += crossed.select("line", "earlier_file", "earlier_line", "ref", "ind").iter_rows()
                keyed = keyed.join(crossed.select("line"), on="line", how="anti")
                parts = self._aggregate(checked.rows.join(crossed.select("line"), on="line", how="anti"))
            if repeats.height:
                repeats = repeats.join(earlier, on=["h1", "h2"], how="left")
                for line, ref, ind, first_line, earlier_file, earlier_line in repeats.select(
                    "line", "ref", "ind", "first_line", "earlier_file", "earlier_line"
                ).iter_rows():
                    found.append((line, earlier_file or self.shown, earlier_line or first_line, ref, ind))
            self.fresh.append(
                keyed.select(
                    "h1", "h2", pl.lit(self.shown, dtype=pl.Categorical).alias("file"), pl.col("line").cast(pl.Int32)
                )
            )
            self.seen = pl.concat([self.seen, self.fresh[-1]])
        ids = self.lookups.ids
        self.duplicates += [
            DuplicateRow(self.shown, line, file, first, ref.strip(), ids[ind])
            for line, file, first, ref, ind in sorted(found)
        ]
        self.corrections += parts.corrections
        self.partials.append(parts.sums)
        for kept, part in (
            (self.note_parts, parts.notes),
            (self.key_parts, parts.keys),
            (self.item_parts, parts.items),
        ):
            if part is not None:
                kept.append(part)

    def _aggregate(self, rows: pl.DataFrame) -> _Parts:
        """Counted rows → partial sums per (indicator, area); reduced over all chunks at commit."""
        order = pl.col("day").cast(pl.Int64) * (1 << 32) + pl.col("line")
        rows = rows.with_columns(order=order)
        sums = rows.group_by("ind", "area").agg(
            rows=pl.len(),
            total=pl.col("q").sum(),
            base=pl.col("b").sum(),
            base_seen=pl.col("b").is_not_null().any(),
            latest=pl.col("q").get(pl.col("order").arg_max()),
            order=pl.col("order").max(),
        )
        parts = _Parts(sums)
        look = self.lookups
        for line, ind, area, quantity in rows.filter(pl.col("q") < 0).select("line", "ind", "area", "q").iter_rows():
            parts.corrections.append(CorrectionRow(self.shown, line, look.ids[ind], look.areas.names[area], quantity))
        noted = rows.filter(pl.col("note").is_not_null())
        if noted.height:
            parts.notes = noted.group_by("ind", "area").agg(
                note=pl.col("note").get(pl.col("order").arg_max()), order=pl.col("order").max()
            )
        if self.distinct:
            parts.keys = rows.filter(pl.col("ind").is_in(self.distinct)).select("ind", "area", "item", "day").unique()
        if self.milestone:
            parts.items = (
                rows.filter(pl.col("ind").is_in(self.milestone) & pl.col("item").is_not_null())
                .group_by("ind", "area", "item")
                .agg(pl.col("day").min())
            )
        return parts

    def commit(self) -> None:
        """Everything into the ledger at once: a FallBack before this leaves it untouched."""
        ledger, look = self.ledger, self.lookups
        for line, code, message in sorted(self.rejected):
            ledger.reject(self.shown, line, code, message)
        ledger.duplicates.extend(self.duplicates)
        ledger.corrections.extend(self.corrections)
        counted = self.counted + self.fresh
        ledger.columnar_state = counted
        ledger.counted_refs = _lookup(counted)
        base = ledger.reserve(self.last_line + 1)
        ids = look.ids
        areas, items = look.areas.names, look.items.names
        notes: dict[tuple[int, int], tuple[dt.date, int, str]] = {}
        if self.note_parts:
            for ind, area, note, order in (
                pl.concat(self.note_parts)
                .group_by("ind", "area")
                .agg(pl.col("note").get(pl.col("order").arg_max()), pl.col("order").max())
                .iter_rows()
            ):
                notes[ind, area] = (_day(order >> 32), base + (order & 0xFFFFFFFF), note)
        if self.partials:
            cells = (
                pl.concat(self.partials)
                .group_by("ind", "area")
                .agg(
                    pl.col("rows").sum(),
                    pl.col("total").sum(),
                    pl.col("base").sum(),
                    pl.col("base_seen").any(),
                    pl.col("latest").get(pl.col("order").arg_max()),
                    pl.col("order").max(),
                )
            )
            for ind, area, count, total, base_sum, base_seen, latest, order in cells.iter_rows():
                latest_row = (_day(order >> 32), base + (order & 0xFFFFFFFF), latest)
                ledger.merge(
                    ids[ind],
                    areas[area],
                    count,
                    total,
                    base_sum if base_seen else None,
                    latest_row,
                    notes.get((ind, area)),
                )
        if self.key_parts:
            folded = [fold(name) for name in items]
            days: dict[int, dt.date] = {}
            keys = pl.concat(self.key_parts).unique().group_by("ind", "area").agg("item", "day")
            for ind, area, item_codes, day_numbers in keys.iter_rows():
                parts = ledger.key_parts(ids[ind])
                item_texts = [folded[0 if i is None else i] for i in item_codes]
                dates = [days.get(d) or days.setdefault(d, _day(d)) for d in day_numbers]
                columns = [dates if part == "date" else item_texts for part in parts]
                ledger.merge_keys(ids[ind], areas[area], zip(*columns, strict=True))
        if self.item_parts:
            done = pl.concat(self.item_parts).group_by("ind", "area", "item").agg(pl.col("day").min())
            for ind, area, item, day in done.iter_rows():
                ledger.merge_item(ids[ind], areas[area], items[item], _day(day))


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
_WELL_FORMED = r'^(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*$'
_SEED_1, _SEED_2 = 0x5EED, 0xC0FFEE
_EMPTY_REFS = pl.DataFrame(schema={"h1": pl.UInt64, "h2": pl.UInt64, "file": pl.Categorical, "line": pl.Int32})


def _day(days: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=days)


def _too_fine(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -10


def _hashes(indicators: list[str], keys: list[str]) -> pl.DataFrame:
    """The two 64-bit hashes of (indicator, folded 編號) keys: the key's, salted by the indicator's."""
    salt, key = pl.Series(indicators, dtype=pl.String), pl.Series(keys, dtype=pl.String)
    return pl.DataFrame({"h1": key.hash(_SEED_1) ^ salt.hash(_SEED_1), "h2": key.hash(_SEED_2) ^ salt.hash(_SEED_2)})


def _refs_frame(ledger: Ledger) -> pl.DataFrame:
    """編號 the row reader counted in earlier files of this plan."""
    refs = ledger.refs()
    if not refs:
        return _EMPTY_REFS
    hashes = _hashes([ind for (ind, _), _ in refs], [ref for (_, ref), _ in refs])
    return hashes.with_columns(
        file=pl.Series([f for _, (f, _) in refs], dtype=pl.Categorical),
        line=pl.Series([n for _, (_, n) in refs], dtype=pl.Int32),
    )


def _lookup(counted: list[pl.DataFrame]) -> Callable[[str, str], tuple[str, int] | None]:
    """For the row reader reading a later file: was this 編號 counted by the columnar reader?"""
    table = pl.concat([_EMPTY_REFS, *counted])

    def first_use(indicator: str, ref_key: str) -> tuple[str, int] | None:
        h1, h2 = _hashes([indicator], [ref_key]).row(0)
        found = table.filter((pl.col("h1") == h1) & (pl.col("h2") == h2))
        return (found.item(0, "file"), found.item(0, "line")) if found.height else None

    return first_use
