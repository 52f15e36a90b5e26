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
from ..core.diagnostics import ParseError, error, warning
from ..core.ledger import LedgerRules, Row
from ..core.names import fold
from ..core.quantity import parse_unit
from ..core.reconcile import Ledger
from ..core.report import CorrectionRow, DuplicateRow
from .ledger import BadRecord, FileResult, _bad_record, process_record

CHUNK_BYTES = 1 << 20
_PLAIN_NUMBER = r"^-?\d{1,24}(\.\d{1,10})?$"
_PLAIN_REF = r"^[\x21-\x7e]+$"  # printable ASCII without spaces: its fold is its lower case
_EPOCH = dt.date(1970, 1, 1)


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
        self.fold: dict[str, str] = {}

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

    def folded(self, text: str) -> str:
        found = self.fold.get(text)
        if found is None:
            found = self.fold[text] = fold(text)
        return found


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
        # this file's cells, keyed by line rather than sequence; merged into the ledger at commit
        self.scratch = Ledger(ledger.ctx, ledger.as_of)
        self.last_line = 0
        self.counted: list[pl.DataFrame] = list(ledger.columnar_state or [])  # first uses, earlier files
        self.fresh: list[pl.DataFrame] = []  # first uses in this file
        self.seen = pl.concat([*self.counted, _refs_frame(ledger)])  # every 編號 counted so far

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
        for problem in self.header.problems:
            make = warning if problem.code == "unknown-column" else error
            from ..core.diagnostics import Location

            self.result.diagnostics.append(make(problem.code, problem.message, Location(self.shown, 1, problem.column)))
        if not self.header.usable:
            raise FallBack  # the row reader reports the same and stops

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
        quotes = raw.str.count_matches('"', literal=True).fill_null(0)
        if (quotes % 2 == 1).any():
            raise FallBack  # a quoted cell runs over a line end
        names = [f"c{i}" for i in range(width)]
        cells = pl.read_csv(data, has_header=False, schema={n: pl.String for n in names}, truncate_ragged_lines=True, missing_columns="insert")
        if cells.height != expected:
            raise FallBack
        lines = pl.int_range(first_line, first_line + expected, dtype=pl.Int64, eager=True)
        plain = (quotes == 0) & (raw.str.count_matches(",", literal=True).fill_null(-1) == width - 1) & ~raw.fill_null("").str.contains(r"^[\s,]*$")
        frame = pl.DataFrame({"line": lines, "raw": raw}).with_columns(plain=plain)
        fields = {field: cells.get_column(names[index]).str.strip_chars().fill_null("") for field, index in self.header.fields.items()}
        for field in ("date", "indicator", "area", "quantity", "base", "unit", "item", "ref", "note"):
            frame = frame.with_columns(pl.Series(field, fields[field]) if field in fields else pl.lit("").alias(field))
        counted = self._plain_rows(frame.filter(pl.col("plain")))
        special = self._special_rows(frame.filter(~pl.col("plain")))
        rows = pl.concat([counted, special], how="vertical_relaxed").sort("line")
        self._keep(rows)
        return first_line + expected

    def _plain_rows(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Check plain rows column-wise; those with any doubt are handed to the row code."""
        look = self.lookups
        rules = self.rules
        self.result.rows += frame.height
        ind = look.map(frame.get_column("indicator"), look.indicator, lambda t: rules.indicator(t).indicator.id, pl.String)
        area = look.map(frame.get_column("area"), look.area, rules.area, pl.String)
        day = look.map(frame.get_column("date"), look.date, _date, pl.Date)
        frame = frame.with_columns(ind=ind, area_name=area, day=day)
        windows = pl.DataFrame(
            {
                "ind": [r.indicator.id for r in rules.indicator_rules()],
                "start": [r.start for r in rules.indicator_rules()],
                "end": [r.end for r in rules.indicator_rules()],
                "measure": [r.indicator.measure for r in rules.indicator_rules()],
                "needs_item": [r.needs_item for r in rules.indicator_rules()],
            }
        )
        frame = frame.join(windows, on="ind", how="left")
        ok = pl.col("ind").is_not_null() & pl.col("area_name").is_not_null() & pl.col("day").is_not_null()
        ok = ok & pl.col("day").is_between(pl.col("start"), pl.col("end"))
        frame = frame.with_columns(ok=ok.fill_null(False))
        good = frame.filter(pl.col("ok"))
        pairs = good.select("ind", "unit").unique()
        fits = [look.unit_fits(i, u) for i, u in pairs.iter_rows()]
        good = good.join(pairs.with_columns(unit_ok=pl.Series(fits, dtype=pl.Boolean)), on=["ind", "unit"], how="left")
        defaulted = pl.col("measure").is_in(["milestone", "distinct", "qualitative"])
        qty_ok = pl.col("quantity").str.contains(_PLAIN_NUMBER) | ((pl.col("quantity") == "") & defaulted)
        base_ok = (pl.col("measure") != "ratio") | pl.col("base").str.contains(_PLAIN_NUMBER)
        item_ok = ~(pl.col("needs_item") & (pl.col("item") == ""))
        good = good.with_columns(ok=pl.col("unit_ok") & qty_ok & base_ok & item_ok)
        declared = good.filter(pl.col("ok") & (pl.col("item") != "")).select("ind", "item").unique()
        items = {(i, t): look.declared_item(i, t) for i, t in declared.iter_rows()}
        if items:
            item_map = pl.DataFrame({"ind": [k[0] for k in items], "item": [k[1] for k in items], "item_name": list(items.values())}, schema={"ind": pl.String, "item": pl.String, "item_name": pl.String})
            good = good.join(item_map, on=["ind", "item"], how="left")
        else:
            good = good.with_columns(item_name=pl.lit(None, dtype=pl.String))
        good = good.with_columns(ok=pl.col("ok") & ((pl.col("item") == "") | pl.col("item_name").is_not_null()))
        doubtful = pl.concat([frame.filter(~pl.col("ok")).select("line", "raw"), good.filter(~pl.col("ok")).select("line", "raw")])
        self.result.rows -= doubtful.height  # counted again by the row code
        checked = self._special_rows(doubtful.with_columns(plain=pl.lit(True)))
        good = good.filter(pl.col("ok")).select(
            "line",
            "ind",
            pl.col("area_name").alias("area"),
            "day",
            pl.when(pl.col("quantity") == "").then(pl.lit("1")).otherwise(pl.col("quantity")).alias("qty"),
            pl.when(pl.col("measure") == "ratio").then(pl.col("base")).otherwise(None).alias("base"),
            pl.when(pl.col("item") == "").then(None).otherwise(pl.col("item_name")).alias("item"),
            pl.when(pl.col("ref") == "").then(None).otherwise(pl.col("ref")).alias("ref"),
            pl.when(pl.col("note") == "").then(None).otherwise(pl.col("note")).alias("note"),
        )
        return pl.concat([good, checked], how="vertical_relaxed")

    def _special_rows(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Rows the row reader's code decides: quotes, ragged, blank, or any doubt."""
        assert self.header is not None
        rows: list[Row] = []
        for line, raw in frame.select("line", "raw").iter_rows():
            try:
                cells = next(csv.reader([raw or ""], strict=True), [])
            except csv.Error as exc:
                bad = _bad_record(line, str(exc))
                self.rejected.append((bad.line, bad.code, bad.message))
                continue
            outcome = process_record(line, cells, self.header, self.shown, self.rules, self.result, self.ledger.as_of)
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
            schema={"line": pl.Int64, "ind": pl.String, "area": pl.String, "day": pl.Date, "qty": pl.String, "base": pl.String, "item": pl.String, "ref": pl.String, "note": pl.String},
        )

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
        look = self.lookups
        plain_ref = with_ref.get_column("ref").str.contains(_PLAIN_REF)
        odd = with_ref.filter(~plain_ref).get_column("ref").unique().to_list()
        folded = {text: look.folded(text) for text in odd}
        key = pl.col("ind") + "\x1f" + pl.when(plain_ref).then(pl.col("ref").str.to_lowercase()).otherwise(pl.col("ref").replace_strict(folded, default=None, return_dtype=pl.String))
        keyed = with_ref.with_columns(key=key).with_columns(h1=pl.col("key").hash(_SEED_1), h2=pl.col("key").hash(_SEED_2))
        earlier = self.seen.filter(pl.col("h1").is_in(keyed.get_column("h1").implode())) if self.seen.height else self.seen
        keyed = keyed.join(earlier.select("h1", "h2", pl.col("file").cast(pl.String).alias("first_file"), pl.col("line").cast(pl.Int64).alias("first_line")), on=["h1", "h2"], how="left")
        first_here = keyed.select(pl.struct("h1", "h2").is_first_distinct()).to_series()
        duplicate = keyed.get_column("first_line").is_not_null() | ~first_here
        dups = keyed.filter(duplicate)
        fresh = keyed.filter(~duplicate)
        if dups.height:
            local = fresh.select("h1", "h2", pl.lit(self.shown).alias("local_file"), pl.col("line").alias("local_line"))
            dups = dups.join(local, on=["h1", "h2"], how="left").sort("line")
            for line, ref, ind, first_file, first_line, local_file, local_line in dups.select("line", "ref", "ind", "first_file", "first_line", "local_file", "local_line").iter_rows():
                self.duplicates.append(DuplicateRow(self.shown, line, first_file or local_file, first_line or local_line, ref, ind))
        self.fresh.append(fresh.select("h1", "h2", pl.lit(self.shown, dtype=pl.Categorical).alias("file"), pl.col("line").cast(pl.Int32)))
        self.seen = pl.concat([self.seen, self.fresh[-1]])
        return rows.join(dups.select("line"), on="line", how="anti")

    def _aggregate(self, rows: pl.DataFrame) -> None:
        """Fold one chunk's counted rows into this file's cells (merged into the ledger at commit)."""
        scale = rows.select(pl.col("qty").str.extract(r"\.(\d+)$").str.len_chars().max()).item() or 0
        base_scale = rows.select(pl.col("base").str.extract(r"\.(\d+)$").str.len_chars().max()).item() or 0
        order = pl.col("day").cast(pl.Int64) * (1 << 32) + pl.col("line")
        cells = (
            rows.lazy()
            .with_columns(q=pl.col("qty").cast(pl.Decimal(38, scale)), b=pl.col("base").cast(pl.Decimal(38, base_scale)), order=order)
            .group_by("ind", "area")
            .agg(
                rows=pl.len(),
                total=pl.col("q").sum(),
                base=pl.col("b").sum(),
                has_base=pl.col("b").is_not_null().any(),
                latest=pl.struct("day", "line", "qty").sort_by("order").last(),
                note=pl.struct("day", "line", "note").filter(pl.col("note").is_not_null()).sort_by(pl.col("order").filter(pl.col("note").is_not_null())).last(),
            )
            .collect()
        )
        scratch = self.scratch
        for ind, area, count, total, base, has_base, latest, note in cells.iter_rows():
            scratch.merge(
                ind, area, count, total, base if has_base else None, (latest["day"], latest["line"], Decimal(latest["qty"])), (note["day"], note["line"], note["note"]) if note else None
            )
        distinct = [ind for ind, kind in scratch.measures.items() if kind == "distinct"]
        if distinct:
            for ind, area, item, day in rows.filter(pl.col("ind").is_in(distinct)).select("ind", "area", "item", "day").unique().iter_rows():
                scratch.merge_key(ind, area, scratch.key_of(ind, item, day, self.lookups.folded))
        milestone = [ind for ind, kind in scratch.measures.items() if kind == "milestone"]
        if milestone:
            done = rows.filter(pl.col("ind").is_in(milestone) & pl.col("item").is_not_null()).group_by("ind", "area", "item").agg(pl.col("day").min())
            for ind, area, item, day in done.iter_rows():
                scratch.merge_item(ind, area, item, day)

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
        for ind, cells in self.scratch.cells.items():
            for area, cell in cells.items():
                latest = cell.latest
                assert latest is not None
                note = (cell.note[0], base + cell.note[1], cell.note[2]) if cell.note else None
                ledger.merge(ind, area, cell.rows, cell.total, cell.base if cell.base_seen else None, (latest[0], base + latest[1], latest[2]), note)
                for key in cell.keys:
                    ledger.merge_key(ind, area, key)
                for item, day in cell.items.items():
                    ledger.merge_item(ind, area, item, day)


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


def _date(text: str) -> dt.date:
    from ..core.dates import parse_date

    return parse_date(text)
