"""Findings kept as columns (FindingRows) are the same findings, and a report lists them the same."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from shuzheng.core.findings import Finding, FindingRows, Findings, Location, each
from shuzheng.core.report import Report

REJECTED = {"class": "rejected"}
OUTSIDE = {"indicator": "4.1", "area": "大興區"}
REASONS = ["地區：甲", "地區：乙", "日期：丙"]


@st.composite
def findings(draw) -> list[Finding]:
    """Row findings of a few files and sheets, rejected or outside every scope, lines in any order."""
    found = []
    for _ in range(draw(st.integers(0, 40))):
        path = draw(st.sampled_from(["a.csv", "b.xlsx", "a.csv.bak"]))
        sheet = draw(st.sampled_from([None, "S"])) if path.endswith("xlsx") else None
        code, detail = draw(st.sampled_from([("item-area", REJECTED), ("outside-scope", OUTSIDE)]))
        col = 3 if code == "item-area" else None
        where = Location(path, draw(st.integers(2, 60)), col, sheet)
        found.append(Finding(code, draw(st.sampled_from(REASONS)), where, "city", detail))
    return found


def as_blocks(found: list[Finding]) -> list:
    """The findings of each (file, sheet, code) as one FindingRows, in line order, as the columnar reader keeps them."""
    groups: dict[tuple, list[Finding]] = {}
    for f in found:
        assert f.where is not None
        groups.setdefault((f.where.path, f.where.sheet, f.code, f.where.col), []).append(f)
    blocks = []
    for (path, sheet, code, col), group in groups.items():
        group.sort(key=lambda f: f.where.line)
        texts = sorted({f.message for f in group})
        parts = [
            FindingRows(
                code,
                path,
                [f.where.line for f in half],
                [texts.index(f.message) for f in half],
                tuple(texts),
                tuple(group[0].detail for _ in texts),
                col,
                sheet,
                "city",
            )
            for half in (group[: len(group) // 2], group[len(group) // 2 :])
        ]
        blocks.append(FindingRows.joined(parts))
    return blocks


@given(findings())
def test_a_report_lists_findings_kept_as_columns_as_it_lists_them_one_by_one(found: list[Finding]) -> None:
    blocks = as_blocks(found)
    assert sorted(each(blocks), key=repr) == sorted(found, key=repr)
    one_by_one = Report(date(2024, 12, 31), (), tuple(found))
    as_columns = Report(date(2024, 12, 31), (), Findings(blocks))
    assert as_columns.rejected == one_by_one.rejected
    assert as_columns.outside_scope == one_by_one.outside_scope
    assert len(as_columns.findings) == len(found)
    assert [r.line for r in as_columns.rejected if r.file == "a.csv"] == sorted(
        f.where.line for f in found if f.code == "item-area" and f.where.path == "a.csv"
    )


@given(findings(), st.data())
def test_rows_are_listed_in_file_and_line_order_whatever_mix_holds_them(found: list[Finding], data) -> None:
    """Blocks and single findings of one file, in any order: listed by (file, sheet, line), and rows of one
    place in the order the findings were made (a stable sort over the findings one by one)."""
    blocks = as_blocks(found)
    singles = data.draw(st.lists(st.sampled_from(found), max_size=8)) if found else []
    mixed = data.draw(st.permutations([*blocks, *singles]))
    report = Report(date(2024, 12, 31), (), Findings(mixed))
    expanded = list(each(mixed))
    place = lambda f: (f.where.path, f.where.sheet or "", f.where.line)  # noqa: E731
    expected = [
        (f.where.file, f.where.line, f.code, f.message)
        for f in sorted((f for f in expanded if f.code == "item-area"), key=place)
    ]
    assert [(r.file, r.line, r.code, r.reason) for r in report.rejected] == expected


@given(findings(), st.data(), st.integers(1, 5))
def test_a_long_listing_is_written_by_polars_as_its_rows_are_written_one_by_one(found: list[Finding], data, at_once):
    """The JSON of a long listing, made from its blocks' columns by polars, is the JSON of its RejectedRows:
    rows of any mix of blocks and single findings (a whole file's among them, and one without a plan), in
    pieces of any size."""
    import json
    from unittest import mock

    from shuzheng.render import json_report

    blocks = as_blocks(found)
    singles = data.draw(st.lists(st.sampled_from(found), max_size=8)) if found else []
    whole_file = Finding("unreadable", '無法讀取 "%s"\\', Location("b.xlsx", sheet="S"), None, REJECTED)
    mixed = data.draw(st.permutations([*blocks, *singles, *data.draw(st.lists(st.just(whole_file), max_size=2))]))
    report = Report(date(2024, 12, 31), (), Findings(mixed))
    for listing, rows in ((report.rejected_listing, report.rejected), (report.outside_listing, report.outside_scope)):
        expected = json.dumps(
            [{"file": r.file, "line": r.line, "reason": r.reason, "code": r.code, "plan": r.plan} for r in rows],
            ensure_ascii=False,
            indent=2,
        )
        with (
            mock.patch.object(json_report, "_COLUMNAR_ROWS", 0 if rows else 1),
            mock.patch.object(json_report, "_COLUMNAR_ROWS_LOADED", 0 if rows else 1),
            mock.patch.object(json_report, "_ROWS_AT_ONCE", at_once),
        ):
            listed = json_report.Listed(listing, file=0, line=1, reason=3, code=2, plan=4)
            assert "".join(listed.pieces("\n")) == expected


@given(st.lists(st.lists(st.integers(2, 60), unique=True).map(sorted), min_size=1, max_size=4))
def test_joined_blocks_are_in_line_order_whatever_their_lines(parts_lines: list[list[int]]) -> None:
    """Blocks of one file and code whose lines interleave (a chunk's rows rejected column-wise and by
    the row code) join into one block in line order, each line keeping its message."""
    texts = tuple(REASONS)
    parts = [
        FindingRows("item-area", "a.csv", lines, [line % 3 for line in lines], texts, (REJECTED,) * 3, 3)
        for lines in parts_lines
    ]
    joined = FindingRows.joined(parts)
    assert list(joined.lines) == sorted(joined.lines)
    assert sorted(joined.rows()) == sorted(row for part in parts for row in part.rows())


def test_a_long_listing_of_a_file_named_in_undecodable_bytes_is_written_as_its_rows_are() -> None:
    """A file name's undecodable bytes are kept as lone surrogates, which a polars string cannot hold:
    such a listing is written from its rows, as any short one is."""
    import json
    from unittest import mock

    from shuzheng.render import json_report

    name = "ledgers/\udcff.csv"
    block = FindingRows("item-area", name, [2, 3], [0, 1], tuple(REASONS[:2]), (REJECTED, REJECTED), 3, None, "city")
    report = Report(date(2024, 12, 31), (), Findings([block]))
    expected = json.dumps(
        [{"file": name, "line": line, "reason": REASONS[n]} for n, line in enumerate((2, 3))],
        ensure_ascii=False,
        indent=2,
    )
    with (
        mock.patch.object(json_report, "_COLUMNAR_ROWS", 0),
        mock.patch.object(json_report, "_COLUMNAR_ROWS_LOADED", 0),
    ):
        listed = json_report.Listed(report.rejected_listing, file=0, line=1, reason=3)
        assert "".join(listed.pieces("\n")) == expected
