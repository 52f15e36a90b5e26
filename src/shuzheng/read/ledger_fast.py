"""The columnar path for large UTF-8 CSV ledgers: the same rows, reasons and sums as the
row-by-row reader in ledger.py, at polars speed.

Each chunk of the file is read twice by polars: once as raw lines (to keep physical line
numbers and spot quotes, ragged and blank rows) and once as cells. Rows whose every value
is plain (a known indicator, area and date, a plain decimal, …) are checked column-wise
through memoised per-value lookups; every other row goes through the row reader's own
code, so its reason is word for word the same. A file this path cannot vouch for (not
UTF-8, a quoted cell spanning lines, lone CR line ends, NUL bytes) raises FallBack
before anything is counted, and the row reader reads it instead.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from ..core.columns import Header, match_header
from ..core.dates import parse_date
from ..core.diagnostics import ParseError
from ..core.ledger import LedgerRules, Row
from ..core.names import fold
from ..core.quantity import parse_unit
from ..core.reconcile import Ledger
from ..core.report import CorrectionRow, DuplicateRow
from .ledger import BadRecord, FileResult, _bad_record, _header_diagnostics, process_record

CHUNK_BYTES = 4 << 20
_PLAIN_NUMBER = r"^-?[0-9]{1,18}(\.[0-9]{1,10})?$"  # as the row reader takes them; exact in Decimal(38, 10)
_PLAIN_REF = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: its fold is its lower case


class FallBack(Exception):
    """This file needs the row reader."""


ProgressCallback = Callable[[int], None]


class Lookups:
    """Per-value answers, kept for the whole run: areas, dates and units repeat a lot."""

    def __init__(self, rules: LedgerRules):
        self.rules = rules
        self.indicator: dict[str, str | None] = {}
        self.area: dict[str, str | None] = {}
        self.date: dict[str, dt.date | None] = {}
        self.unit_ok: dict[tuple[str, str], bool] = {}
        self.item: dict[tuple[str, str], str | None] = {}

    def map(self, series: pl.Series, cache: dict, answer: Callable[[Any], Any], dtype: pl.DataType) -> pl.Series:
        new = [value for value in series.unique().to_list() if value not in cache]
        for value in new:
            try:
                cache[value] = answer(value)
            except ParseError:
                cache[value] = None
        return series.replace_strict(cache, default=None, return_dtype=dtype)

    def unit_fits(self, indicator: str, unit_text: str) -> bool:
        """A row unit the plain path can take as it is: none, or one of the indicator's own scale."""
        key = (indicator, unit_text)
        if key not in self.unit_ok:
            rules = self.rules.indicator(indicator)
            try:
                row_unit = parse_unit(unit_text) if unit_text else None
            except ParseError:
                row_unit = None
                self.unit_ok[key] = False
                return False
            own = rules.unit
            if row_unit is None or rules.indicator.measure == "ratio" or own is None:
                self.unit_ok[key] = True
            else:
                self.unit_ok[key] = row_unit.dimension == own.dimension and row_unit.scale == own.scale
        return self.unit_ok[key]

    def declared_item(self, indicator: str, text: str) -> str | None:
        key = (indicator, text)
        if key not in self.item:
            items = self.rules.indicator(indicator).items
            self.item[key] = items.get(text) if items is not None else text
        return self.item[key]


def read_fast(path: Path, shown: str, rules: LedgerRules, ledger: Ledger, lookups: Lookups, progress: ProgressCallback | None = None) -> FileResult:
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
        self.key_parts: list[pl.DataFrame] = []
        self.item_parts: list[pl.DataFrame] = []
        self.last_line = 0
        self.counted: list[pl.DataFrame] = list(ledger.columnar_state or [])  # first uses, earlier files
        self.fresh: list[pl.DataFrame] = []  # first uses in this file
        self.seen = pl.concat([*self.counted, _refs_frame(ledger)])  # every 編號 counted so far
        self.indicators = self._indicator_table()
        self.distinct = [ind for ind, kind in ledger.measures.items() if kind == "distinct"]
        self.milestone = [ind for ind, kind in ledger.measures.items() if kind == "milestone"]

    def _indicator_table(self) -> pl.DataFrame:
        rules = self.rules.indicator_rules()
        return pl.DataFrame(
            {
                "ind": [r.indicator.id for r in rules],
                "start": [r.start for r in rules],
                "end": [r.end for r in rules],
                "measure": [r.indicator.measure for r in rules],
                "needs_item": [r.needs_item for r in rules],
                "declares_items": [r.items is not None for r in rules],
            },
            schema={"ind": pl.String, "start": pl.Date, "end": pl.Date, "measure": pl.String, "needs_item": pl.Boolean, "declares_items": pl.Boolean},
        )

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
            line = 2
            while True:
                data = handle.read(CHUNK_BYTES)
                if not data:
                    break
                data += handle.readline()
                line = self._chunk(data, line)
                self.last_line = line
                if progress:
                    progress(handle.tell())

    def _header(self, text: str) -> None:
        cells = next(csv.reader([text]))
        self.header = match_header(cells)
        if not self.header.usable or not self.header.complete:
            raise FallBack  # the row reader reports it, or looks for the header below title rows
        self.result.diagnostics += _header_diagnostics(self.header, self.shown, 1)

    def _chunk(self, data: bytes, first_line: int) -> int:
        assert self.header is not None
        if b"\x00" in data or b"\x1f" in data:
            raise FallBack
        if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
            raise FallBack  # lone CR line ends: physical lines the raw read would not see
        expected = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        try:
            # polars refuses invalid UTF-8; the row reader then decides between GB18030 and an error
            raw = pl.read_csv(data, has_header=False, separator="\x1f", quote_char=None, schema={"l": pl.String}).get_column("l")
        except pl.exceptions.ComputeError:
            raise FallBack from None
        if raw.len() != expected:
            raise FallBack
        width = self.header.width
        quoted = raw.str.contains('"', literal=True).fill_null(False)
        plain = (raw.str.count_matches(",", literal=True).fill_null(-1) == width - 1) & ~quoted
        if quoted.any():
            at = quoted.arg_true()
            some = raw.gather(at)
            if (some.str.count_matches('"', literal=True) % 2 == 1).any():
                raise FallBack  # a quoted cell runs over a line end
            # a well-formed quoted line reads the same in polars and in csv; others go to csv
            separators = some.str.replace_all(r'"(?:[^"]|"")*"', "").str.count_matches(",", literal=True)
            plain = plain.scatter(at, some.str.contains(_WELL_FORMED) & (separators == width - 1))
        plain = plain & ~raw.fill_null("").str.contains(r"^[\s,]*$")
        lines = pl.int_range(first_line, first_line + expected, dtype=pl.Int64, eager=True)
        special = pl.DataFrame({"line": lines, "raw": raw}).filter(~plain)
        del raw
        names = [f"c{i}" for i in range(width)]
        cells = pl.read_csv(data, has_header=False, schema={n: pl.String for n in names}, truncate_ragged_lines=True, missing_columns="insert")
        if cells.height != expected:
            raise FallBack
        columns = {"line": lines}
        for field in _FIELDS:
            index = self.header.fields.get(field)
            column = cells.get_column(names[index]).fill_null("") if index is not None else pl.Series([""]).new_from_index(0, expected)
            if column.str.contains(r"^[\s\x1c-\x1e]|[\s\x1c-\x1e]$").any():
                if column.str.contains(r"^[\x1c-\x1e]|[\x1c-\x1e]$").any():
                    raise FallBack  # separators Python strips and polars does not
                column = column.str.strip_chars()
            columns[field] = column
        frame = pl.DataFrame(columns).filter(plain)
        del cells, columns
        self.result.rows += frame.height
        checked, doubtful = self._plain_rows(frame)
        self.result.rows -= doubtful.height  # counted again by the row code
        special = pl.concat([special, doubtful]) if doubtful.height else special
        rows = pl.concat([checked, self._special_rows(special)], how="vertical_relaxed") if special.height else checked
        self._keep(rows.sort("line") if special.height else rows)
        return first_line + expected

    def _plain_rows(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Check plain rows column-wise: (rows to count, rows in doubt for the row code)."""
        look = self.lookups
        rules = self.rules
        frame = frame.with_columns(
            ind=look.map(frame.get_column("indicator"), look.indicator, lambda t: rules.indicator(t).indicator.id, pl.String),
            area_name=look.map(frame.get_column("area"), look.area, rules.area, pl.String),
            day=look.map(frame.get_column("date"), look.date, parse_date, pl.Date),
            qty=pl.when(pl.col("quantity").str.contains(_GROUPED_NUMBER)).then(pl.col("quantity").str.replace_all(",", "", literal=True)).otherwise(pl.col("quantity")),
        ).join(self.indicators, on="ind", how="left")
        pairs = frame.select("ind", "unit").unique().filter(pl.col("ind").is_not_null())
        fits = [look.unit_fits(i, u) for i, u in pairs.iter_rows()]
        frame = frame.join(pairs.with_columns(unit_ok=pl.Series(fits, dtype=pl.Boolean)), on=["ind", "unit"], how="left")
        items = frame.filter(pl.col("declares_items") & (pl.col("item") != "")).select("ind", "item").unique()
        names = [look.declared_item(i, t) for i, t in items.iter_rows()]
        frame = frame.join(items.with_columns(item_name=pl.Series(names, dtype=pl.String)), on=["ind", "item"], how="left")
        defaulted = pl.col("measure").is_in(["milestone", "distinct", "qualitative"])
        ok = (
            pl.col("ind").is_not_null()
            & pl.col("area_name").is_not_null()
            & pl.col("day").is_between(pl.col("start"), pl.col("end"))
            & pl.col("unit_ok")
            & (pl.col("qty").str.contains(_PLAIN_NUMBER) | ((pl.col("qty") == "") & defaulted))
            & ((pl.col("measure") != "ratio") | pl.col("base").str.contains(_PLAIN_NUMBER))
            & ~(pl.col("needs_item") & (pl.col("item") == ""))
            & (~pl.col("declares_items") | (pl.col("item") == "") | pl.col("item_name").is_not_null())
        ).fill_null(False)
        frame = frame.with_columns(ok=ok)
        doubtful = frame.filter(~pl.col("ok")).select("line", pl.concat_str([pl.col(f) for f in _FIELDS], separator="\x1f").alias("raw"))
        checked = frame.filter(pl.col("ok")).select(
            "line",
            "ind",
            pl.col("area_name").alias("area"),
            "day",
            pl.when(pl.col("qty") == "").then(pl.lit("1")).otherwise(pl.col("qty")).alias("qty"),
            pl.when(pl.col("measure") == "ratio").then(pl.col("base")).otherwise(None).alias("base"),
            pl.when(pl.col("item") == "").then(None).otherwise(pl.when(pl.col("declares_items")).then(pl.col("item_name")).otherwise(pl.col("item"))).alias("item"),
            pl.when(pl.col("ref") == "").then(None).otherwise(pl.col("ref")).alias("ref"),
            pl.when(pl.col("note") == "").then(None).otherwise(pl.col("note")).alias("note"),
        )
        return checked, doubtful

    def _special_rows(self, frame: pl.DataFrame) -> pl.DataFrame:
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
                    self.rejected.append((bad.line, bad.code, bad.message))
                    self.result.rows += 1
                    continue
            outcome = process_record(line, cells, self.header, self.shown, self.rules, self.result, as_of)
            if isinstance(outcome, Row):
                rows.append(outcome)
            elif isinstance(outcome, BadRecord):
                self.rejected.append((outcome.line, outcome.code, outcome.message))
        return pl.DataFrame(
            {
                "line": [r.line for r in rows],
                "ind": [r.indicator for r in rows],
                "area": [r.area for r in rows],
                "day": [r.date for r in rows],
                "qty": [f"{r.quantity:f}" for r in rows],
                "base": [None if r.base is None else f"{r.base:f}" for r in rows],
                "item": [r.item for r in rows],
                "ref": [r.ref for r in rows],
                "note": [r.note for r in rows],
            },
            schema=_ROW_SCHEMA,
        )

    def _cells_of_fields(self, values: list[str]) -> list[str]:
        """Header-width cells holding the (stripped) fields of a plain row; other columns empty."""
        assert self.header is not None
        cells = [""] * self.header.width
        for field, value in zip(_FIELDS, values, strict=True):
            index = self.header.fields.get(field)
            if index is not None:
                cells[index] = value
        if not any(cells):
            cells[0] = " "  # not blank: it was a row with content in columns shuzheng does not read
        return cells

    # -- counting ----------------------------------------------------------------------------
    def _keep(self, rows: pl.DataFrame) -> None:
        """As Ledger.add does, row by row: the as-of cut, duplicates, corrections, then cells."""
        rows = rows.filter(pl.col("day") <= self.ledger.as_of)
        rows = self._drop_duplicates(rows)
        negative = rows.filter(pl.col("qty").str.starts_with("-"))
        for line, ind, area, qty in negative.select("line", "ind", "area", "qty").iter_rows():
            quantity = Decimal(qty)
            if quantity < 0:
                self.corrections.append(CorrectionRow(self.shown, line, ind, area, quantity))
        if rows.height:
            self._aggregate(rows)

    def _drop_duplicates(self, rows: pl.DataFrame) -> pl.DataFrame:
        """First use of each (indicator, folded 編號) wins, in file order, across files.

        Keys are kept as two 64-bit hashes (a collision needs ~2^64 keys), so a million
        編號 cost ~24 MB instead of the strings themselves."""
        with_ref = rows.filter(pl.col("ref").is_not_null())
        if not with_ref.height:
            return rows
        plain_ref = with_ref.get_column("ref").str.contains(_PLAIN_REF)
        odd = with_ref.filter(~plain_ref).get_column("ref").unique().to_list()
        folded = {text: fold(text) for text in odd}
        key = pl.col("ind") + "\x1f" + pl.when(plain_ref).then(pl.col("ref").str.to_lowercase()).otherwise(pl.col("ref").replace_strict(folded, default=None, return_dtype=pl.String))
        keyed = with_ref.select("line", "ind", "ref", key.alias("key")).with_columns(h1=pl.col("key").hash(_SEED_1), h2=pl.col("key").hash(_SEED_2)).drop("key")
        earlier = self.seen.filter(pl.col("h1").is_in(keyed.get_column("h1").implode())) if self.seen.height else self.seen
        keyed = keyed.join(earlier.select("h1", "h2", pl.col("file").cast(pl.String).alias("first_file"), pl.col("line").cast(pl.Int64).alias("first_line")), on=["h1", "h2"], how="left")
        first_here = keyed.select(pl.struct("h1", "h2").is_first_distinct()).to_series()
        duplicate = keyed.get_column("first_line").is_not_null() | ~first_here
        fresh = keyed.filter(~duplicate)
        self.fresh.append(fresh.select("h1", "h2", pl.lit(self.shown, dtype=pl.Categorical).alias("file"), pl.col("line").cast(pl.Int32)))
        self.seen = pl.concat([self.seen, self.fresh[-1]])
        if not duplicate.any():
            return rows
        dups = keyed.filter(duplicate)
        local = fresh.select("h1", "h2", pl.lit(self.shown).alias("local_file"), pl.col("line").alias("local_line"))
        dups = dups.join(local, on=["h1", "h2"], how="left").sort("line")
        for line, ref, ind, first_file, first_line, local_file, local_line in dups.select("line", "ref", "ind", "first_file", "first_line", "local_file", "local_line").iter_rows():
            self.duplicates.append(DuplicateRow(self.shown, line, first_file or local_file, first_line or local_line, ref, ind))
        return rows.join(dups.select("line"), on="line", how="anti")

    def _aggregate(self, rows: pl.DataFrame) -> None:
        """One chunk's partial sums per (indicator, area); reduced over all chunks at commit."""
        if rows.select(pl.col("qty").str.contains(_TOO_FINE).any() | pl.col("base").str.contains(_TOO_FINE).any()).item():
            raise FallBack  # more decimals than the exact columnar sum carries
        order = pl.col("day").cast(pl.Int64) * (1 << 32) + pl.col("line")
        rows = rows.with_columns(q=pl.col("qty").cast(_DECIMAL), b=pl.col("base").cast(_DECIMAL), order=order)
        self.partials.append(
            rows.group_by("ind", "area").agg(
                rows=pl.len(),
                total=pl.col("q").sum(),
                base=pl.col("b").sum(),
                base_seen=pl.col("b").is_not_null().any(),
                latest=pl.struct("order", "day", "line", "qty").sort_by("order").last(),
                note=pl.struct("order", "day", "line", "note").filter(pl.col("note").is_not_null()).sort_by(pl.col("order").filter(pl.col("note").is_not_null())).last(),
            )
        )
        if self.distinct:
            self.key_parts.append(rows.filter(pl.col("ind").is_in(self.distinct)).select("ind", "area", "item", "day").unique())
        if self.milestone:
            self.item_parts.append(
                rows.filter(pl.col("ind").is_in(self.milestone) & pl.col("item").is_not_null()).group_by("ind", "area", "item").agg(pl.col("day").min())
            )

    def commit(self) -> None:
        """Everything into the ledger at once: a FallBack before this leaves it untouched."""
        ledger = self.ledger
        for line, code, message in sorted(self.rejected):
            ledger.reject(self.shown, line, code, message)
        ledger.duplicates.extend(self.duplicates)
        ledger.corrections.extend(self.corrections)
        counted = self.counted + self.fresh
        ledger.columnar_state = counted
        ledger.counted_refs = _lookup(counted)
        base = ledger.reserve(self.last_line + 1)
        if self.partials:
            cells = (
                pl.concat(self.partials)
                .group_by("ind", "area")
                .agg(
                    pl.col("rows").sum(),
                    pl.col("total").sum(),
                    pl.col("base").sum(),
                    pl.col("base_seen").any(),
                    pl.col("latest").sort_by(pl.col("latest").struct.field("order")).last(),
                    pl.col("note").sort_by(pl.col("note").struct.field("order"), nulls_last=False).last(),
                )
            )
            for ind, area, count, total, base_sum, base_seen, latest, note in cells.iter_rows():
                noted = (note["day"], base + note["line"], note["note"]) if note and note["note"] is not None else None
                ledger.merge(ind, area, count, total, base_sum if base_seen else None, (latest["day"], base + latest["line"], Decimal(latest["qty"])), noted)
        if self.key_parts:
            keys = pl.concat(self.key_parts).unique()
            for ind, area, item, day in keys.iter_rows():
                ledger.merge_key(ind, area, ledger.key_of(ind, item, day, fold))
        if self.item_parts:
            done = pl.concat(self.item_parts).group_by("ind", "area", "item").agg(pl.col("day").min())
            for ind, area, item, day in done.iter_rows():
                ledger.merge_item(ind, area, item, day)


_FIELDS = ("date", "indicator", "area", "quantity", "base", "unit", "item", "ref", "note")
_ROW_SCHEMA = {"line": pl.Int64, "ind": pl.String, "area": pl.String, "day": pl.Date, "qty": pl.String, "base": pl.String, "item": pl.String, "ref": pl.String, "note": pl.String}
_DECIMAL = pl.Decimal(38, 10)
_TOO_FINE = r"\.[0-9]{11,}$"
_GROUPED_NUMBER = r"^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$"
_WELL_FORMED = r'^(?:"(?:[^"]|"")*"|[^",]*)(?:,(?:"(?:[^"]|"")*"|[^",]*))*$'
_SEED_1, _SEED_2 = 0x5EED, 0xC0FFEE
_EMPTY_REFS = pl.DataFrame(schema={"h1": pl.UInt64, "h2": pl.UInt64, "file": pl.Categorical, "line": pl.Int32})


def _hashes(keys: list[str]) -> pl.DataFrame:
    series = pl.Series("key", keys, dtype=pl.String)
    return pl.DataFrame({"h1": series.hash(_SEED_1), "h2": series.hash(_SEED_2)})


def _refs_frame(ledger: Ledger) -> pl.DataFrame:
    """編號 the row reader counted in earlier files of this plan."""
    refs = ledger.refs()
    if not refs:
        return _EMPTY_REFS
    hashes = _hashes([f"{ind}\x1f{ref}" for (ind, ref), _ in refs])
    return hashes.with_columns(file=pl.Series([f for _, (f, _) in refs], dtype=pl.Categorical), line=pl.Series([n for _, (_, n) in refs], dtype=pl.Int32))


def _lookup(counted: list[pl.DataFrame]) -> Callable[[str, str], tuple[str, int] | None]:
    """For the row reader reading a later file: was this 編號 counted by the columnar reader?"""
    table = pl.concat([_EMPTY_REFS, *counted])

    def first_use(indicator: str, ref_key: str) -> tuple[str, int] | None:
        h1, h2 = _hashes([f"{indicator}\x1f{ref_key}"]).row(0)
        found = table.filter((pl.col("h1") == h1) & (pl.col("h2") == h2))
        return (found.item(0, "file"), found.item(0, "line")) if found.height else None

    return first_use
