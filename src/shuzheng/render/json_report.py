"""The §9 JSON report. Decimals become JSON numbers; absent values are null."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import islice
from typing import Any

from ..core.findings import Finding, FindingRows, Found
from ..core.report import Listing, Report, TargetRow
from .numbers import rounded


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def four_places(value: Decimal) -> Decimal:
    return rounded(value, 4)


def fraction(value: Decimal | None) -> float | None:
    return None if value is None else float(four_places(value))


def actual_number(t: TargetRow) -> int | float | None:
    """The actual as a JSON number; a ratio measure's share to 4 places (66.6667, not 66.66666…)."""
    if t.actual is not None and t.measure == "ratio":
        return number(four_places(t.actual))
    return number(t.actual)


def json_rate(value: Decimal | None) -> int | float | None:
    """A rate per month to 2 places (a third of a 處 a month is 0.33, not 0.3333333…)."""
    return None if value is None else number(rounded(value, 2))


def target_json(t: TargetRow) -> dict[str, Any]:
    return {
        "task": t.task,
        "indicator": t.indicator,
        "name": t.name,
        "scope": t.scope,
        "unit": t.unit,
        "measure": t.measure,
        "comparator": t.comparator,
        "value": number(t.value),
        "actual": actual_number(t),
        "ratio": fraction(t.ratio),
        "expected": fraction(t.expected),
        "status": str(t.status),
        "deadline": t.deadline.isoformat(),
        "lead": t.lead,
        "missing_items": list(t.missing_items),
        **({"unreported": list(t.unreported)} if t.measure == "latest" else {}),
        "light": t.light,
        "remaining": number(t.remaining),
        "required_per_month": json_rate(t.required_per_month),
        "achieved_per_month": json_rate(t.achieved_per_month),
        "forecast": t.forecast.isoformat() if t.forecast else None,
        "projected_ratio": fraction(t.projected_ratio),
        "numerator": number(t.numerator),
        "base": number(t.base),
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "plans": [
            {
                "id": plan.id,
                "title": plan.title,
                "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
                "expected": fraction(plan.expected),
                "targets": [target_json(t) for t in plan.targets],
            }
            for plan in report.plans
        ],
        "rejected": Listed(report.rejected_listing, file=0, line=1, reason=3, code=2),
        "duplicates": [
            {
                "file": d.file,
                "line": d.line,
                "first_line": d.first_line,
                "ref": d.ref,
                "first_file": d.first_file,
                "indicator": d.indicator,
            }
            for d in report.duplicates
        ],
        "corrections": [
            {"file": c.file, "line": c.line, "indicator": c.indicator, "area": c.area, "quantity": number(c.quantity)}
            for c in report.corrections
        ],
        "conflicts": [
            {
                "file": d.file,
                "line": d.line,
                "first_file": d.first_file,
                "first_line": d.first_line,
                "ref": d.ref,
                "indicator": d.indicator,
                "code": "conflicting-ref",
            }
            for d in report.conflicts
        ],
        "outside_scope": Listed(report.outside_listing, file=0, line=1, code=2, reason=3),
        "files": [
            {"file": f.where.file if f.where else None, "code": f.code, "reason": f.message} for f in report.files
        ],
        "rows": report.rows.to_json(),
    }


def render(report: Report) -> Iterator[str]:
    """The report in pieces, written as they are made: at ten million rows it lists a million and a half
    rows it did not count, 290 MB of JSON that need never be one string."""
    yield from _pieces(report_json(report), "\n")
    yield "\n"


def dumps(value: Any) -> str:
    """Exactly json.dumps(value, ensure_ascii=False, indent=2), several times faster: with an indent
    the json module leaves its C encoder for a Python generator per value, and a million-row report
    lists a hundred thousand rows it did not count (23 s of a 1M-row run's 50 s under a profiler)."""
    return "".join(_pieces(value, "\n"))


_string = json.encoder.encode_basestring  # the C function where there is one
_SCALARS = (str, int, float, bool, type(None))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_STR = frozenset({str})
_INT = frozenset({int})


def _flat(item: Any) -> bool:
    """A non-empty dict of str keys and scalar values (exact types: an enum takes the slow path)."""
    return (
        type(item) is dict
        and bool(item)
        and _STR.issuperset(map(type, item))
        and (_SCALAR_TYPES.issuperset(map(type, item.values())))
    )


_ROWS = json.JSONEncoder(ensure_ascii=False, separators=(",\x01", ": "))


def _rows(rows: Any, newline: str) -> str:
    """A long list of flat rows, by the C encoder: it writes no indentation, so its separator is
    ",\x01"; a raw \x01 or \x02 cannot be inside a string (the encoder escapes control
    characters), so "},\x01{" is only ever a boundary between two rows, and the indentation goes
    in by three replaces."""
    row, key = newline + "  ", newline + "    "
    inner = _ROWS.encode(list(rows))[2:-2].replace("},\x01{", "\x02")
    inner = inner.replace("\x01", key).replace("\x02", row + "}," + row + "{" + key)
    return "[" + row + "{" + key + inner + row + "}" + newline + "]"


class Listed:
    """A long list of rows of one shape: RejectedRow-like tuples, or a Listing of the findings that hold
    them. Written as the list of objects json.dumps would write, each key named by its place in the
    tuple (file 0, line 1, code 2, reason 3, plan 4), and each repeated text (a file, a reason)
    encoded once. A long Listing is written from its blocks' columns by polars, with no Python call
    per row: a million-row report lists 155,000 rows, ten such files a million and a half."""

    def __init__(self, rows: Sequence[tuple] | Listing, **places: int):
        self.rows, self.places = rows, places

    def pieces(self, newline: str) -> Iterator[str]:
        rows = self.rows
        if isinstance(rows, Listing):
            # polars is imported for a long listing, or for a shorter one where a big file's reader has
            if len(rows) >= (_COLUMNAR_ROWS_LOADED if "polars" in sys.modules else _COLUMNAR_ROWS):
                written = self._columnar(rows, newline)
                if written is not None:
                    yield from written
                    return
            rows = rows.rows()
        if not rows:
            yield "[]"
            return
        row, key = newline + "  ", newline + "    "
        each = "{" + ",".join(key + _string(k) + ": %s" for k in self.places) + row + "}"
        text = lru_cache(maxsize=None)(_string)  # a file or a reason repeats on thousands of rows
        every = list(zip(*rows, strict=True))
        columns = []
        for place in self.places.values():
            column = every[place]
            kinds = set(map(type, column))
            columns.append(map(text if kinds == _STR else int.__repr__ if kinds == _INT else _scalar, column))
        encoded = map(each.__mod__, zip(*columns, strict=True))  # C-level, row after row
        between = "," + row
        opening = "[" + row
        while piece := between.join(islice(encoded, _ROWS_AT_ONCE)):
            yield opening + piece
            opening = between
        yield newline + "]"

    def _columnar(self, listing: Listing, newline: str) -> Iterator[str] | None:
        """The rows of a long listing, _ROWS_AT_ONCE at a time, each row's text made by polars from its
        line and the numbers of its texts (file, code, reason, plan), each text JSON-encoded once; None
        where a text is not UTF-8 (a file name's undecodable bytes, kept as lone surrogates), which a
        polars string cannot hold."""
        import polars as pl

        encoded: dict[str, int] = {}  # a text's JSON → its number
        number = lambda value: encoded.setdefault(_scalar(value), len(encoded))  # noqa: E731
        frames = [_place_frame(place, listing.single, number) for place in listing.places]
        try:
            "".join(encoded).encode("utf-8")
        except UnicodeEncodeError:
            return None
        if not frames:
            return iter(("[]",))
        return self._written(pl.concat(frames), pl.Series(list(encoded), dtype=pl.String), newline)

    def _written(self, rows: Any, texts: Any, newline: str) -> Iterator[str]:
        import polars as pl

        row, key = newline + "  ", newline + "    "
        between = "," + row
        opening = "[" + row
        for start in range(0, rows.height, _ROWS_AT_ONCE):
            part = rows.slice(start, _ROWS_AT_ONCE)
            cells: list[pl.Expr | pl.Series] = []
            for n, (name, place) in enumerate(self.places.items()):
                cells.append(pl.lit(("{" if n == 0 else ",") + key + _string(name) + ": "))
                column = _COLUMNS[place]
                cells.append(part["line"].cast(pl.String) if column == "line" else texts.gather(part[column]))
            cells.append(pl.lit(row + "}"))
            yield opening + pl.select(pl.concat_str(cells)).to_series().str.join(between).item()
            opening = between
        yield newline + "]"


def _place_frame(
    place: tuple[Found, ...], single: Callable[[Finding], tuple[int, tuple]], number: Callable[[Any], int]
) -> Any:
    """One (path, sheet)'s rows as a frame: the line shown, and the numbers of its file, code, reason
    and plan; in line order, rows of one line in the order they were found (the tuples' stable sort)."""
    import polars as pl

    frames = []
    singles: dict[str, list] = {"at": [], "line": [], "file": [], "code": [], "reason": [], "plan": [], "part": []}
    for part, item in enumerate(place):
        if isinstance(item, FindingRows):
            lines = pl.Series(item.lines, dtype=pl.Int64)
            reasons = pl.Series([number(text) for text in item.texts], dtype=pl.UInt32)
            frames.append(
                pl.DataFrame(
                    {
                        "at": lines,
                        "line": lines,
                        "file": pl.repeat(number(item.file), lines.len(), dtype=pl.UInt32, eager=True),
                        "code": pl.repeat(number(item.code), lines.len(), dtype=pl.UInt32, eager=True),
                        "reason": reasons.gather(pl.Series(item.messages, dtype=pl.UInt32)),
                        "plan": pl.repeat(number(item.plan), lines.len(), dtype=pl.UInt32, eager=True),
                        "part": pl.repeat(part, lines.len(), dtype=pl.UInt32, eager=True),
                    }
                )
            )
        else:
            at, (file, line, code, reason, plan) = single(item)
            for column, value in (
                ("at", at),
                ("line", line),
                ("file", number(file)),
                ("code", number(code)),
                ("reason", number(reason)),
                ("plan", number(plan)),
                ("part", part),
            ):
                singles[column].append(value)
    if singles["at"]:
        frames.append(
            pl.DataFrame(singles, schema={name: pl.Int64 if name in ("at", "line") else pl.UInt32 for name in singles})
        )
    rows = pl.concat(frames) if len(frames) > 1 else frames[0]
    if len(place) > 1 or not rows["at"].is_sorted():
        # by line; a line's rows in the order their findings were made: by part, then place in the part
        rows = rows.with_row_index("n").sort("at", "part", "n").drop("n")
    return rows


_COLUMNS = ("file", "line", "code", "reason", "plan")  # a RejectedRow's fields, by place
_COLUMNAR_ROWS = 20_000  # a listing this long is written by polars
_COLUMNAR_ROWS_LOADED = 2_000  # …or this long, where polars is imported already
_ROWS_AT_ONCE = 20_000  # rows in one piece of the output


def _pieces(value: Any, newline: str) -> Iterator[str]:
    """`newline` is a line break and the indentation of the value's own line."""
    if isinstance(value, Listed):
        yield from value.pieces(newline)
        return
    if isinstance(value, _SCALARS):
        yield _scalar(value)
        return
    inner = newline + "  "
    if isinstance(value, dict):
        if not value:
            yield "{}"
            return
        if not all(isinstance(key, str) for key in value):
            yield json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)
            return
        if all(isinstance(item, _SCALARS) for item in value.values()):  # most of a report: rows of scalars
            yield (
                "{"
                + inner
                + ("," + inner).join(_string(k) + ": " + _scalar(v) for k, v in value.items())
                + newline
                + "}"
            )
            return
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            yield ("," if n else "") + inner + _string(key) + ": "
            yield from _pieces(item, inner)
        yield newline + "}"
        return
    if isinstance(value, list | tuple):
        if not value:
            yield "[]"
            return
        if len(value) > 16 and all(_flat(item) for item in value):
            yield _rows(value, newline)
            return
        yield "["
        for n, item in enumerate(value):
            yield ("," if n else "") + inner
            yield from _pieces(item, inner)
        yield newline + "]"
        return
    yield json.dumps(value, ensure_ascii=False, indent=2)  # raises TypeError as json.dumps would
