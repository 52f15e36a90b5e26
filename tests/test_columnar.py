"""The columnar reader (read/columnar.py) must say exactly what the row reader says:
same counted rows, same sums, same rejected rows with the same reasons, same duplicates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzheng.cli import app

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"


def progress_json(cli_runner, monkeypatch, mode: str, *args: str) -> dict:
    monkeypatch.setenv("SHUZHENG_READER", mode)
    result = cli_runner.invoke(app, ["progress", "--format", "json", *args])
    assert result.exit_code in (0, 1), (result.output, result.stderr)
    return json.loads(result.stdout)


@pytest.fixture
def cli_runner():
    from typer.testing import CliRunner

    return CliRunner()


def columnar_files(plans: list[str], ledgers: list[str] | None, as_of: str) -> int:
    """How many files the columnar reader itself read (not the row reader it falls back to)."""
    from datetime import date

    from shuzheng.read.ledgers import ReaderMode
    from shuzheng.service import build_report

    result = build_report(plans, ledgers, date.fromisoformat(as_of), reader=ReaderMode.COLUMNAR)
    return sum(run.columnar for run in result.runs)


def both(cli_runner, monkeypatch, *args: str) -> tuple[dict, dict]:
    return progress_json(cli_runner, monkeypatch, "rows", *args), progress_json(
        cli_runner, monkeypatch, "columnar", *args
    )


@pytest.mark.slow
@pytest.mark.parametrize("plan", ["city", "huairou", "hailing"])
def test_shipped_ledgers_read_the_same_both_ways(cli_runner, monkeypatch, plan: str) -> None:
    monkeypatch.chdir(REPO)
    rows, columnar = both(cli_runner, monkeypatch, "--plan", plan, "--as-of", "2024-09-15")
    assert rows == columnar
    assert columnar_files([plan], None, "2024-09-15") > 0, "the columnar reader read none of the files"


def test_fixture_ledgers_read_the_same_both_ways(cli_runner, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    for folder in ("recon",):
        args = (
            "--plan",
            str(FIXTURES / "plans" / f"{folder}.yaml"),
            "--ledger",
            str(FIXTURES / "ledgers" / folder),
            "--as-of",
            "2024-12-31",
        )
        rows, columnar = both(cli_runner, monkeypatch, *args)
        assert rows == columnar
        assert rows["rejected"], "the fixture is meant to exercise rejections"
        assert columnar_files([args[1]], [args[3]], args[5]) > 0


# Values a clerk might type, good and bad, for a generated city ledger.
DATES = st.sampled_from(
    [
        " 2024-03-05",
        "2024-03-05\u3000",
        "2024-03-05",
        "2024/3/5",
        "2024.3.5",
        "2024年3月5日",
        "2024-12-31",
        "2024-02-30",
        "2023-12-31",
        "2025-06-01",
        "",
        "x",
    ]
)
INDICATORS = st.sampled_from(
    [" 1.1", "1.1.", "1.1", "1.2", "1.4", "2.1", "2.2", "3.2", "9.2", "1.3", "7.1", "7.2", "99", ""]
)
AREAS = st.sampled_from(
    ["\u3000朝陽區", "朝陽區\t", "朝陽區", "朝阳", "海淀区", "東城區", "城市副中心", "城六區", "火星", " 西城區 ", ""]
)
QUANTITIES = st.sampled_from(
    [
        " 12",
        "1,234.5",
        "12,34",
        "1,234,567",
        "",
        "12",
        "-3",
        "4,000",
        "1.5萬",
        "12.50",
        "007",
        "nan",
        "1_000",
        "+5",
        "3萬戶",
        "0.125",
    ]
)
UNITS = st.sampled_from([" 平方米", "", "", "平方米", "萬平方米", "處", "公頃"])
ITEMS = st.sampled_from([" 來廣營 ", "\u3000", "", "", "來廣營", "来广营", "點位1", "點位2", "不存在"])
REFS = st.sampled_from([" A1", "A1 ", "  ", "", "", "A1", "a1", "A 1", "B2", "編號三", "编号三"])
NOTES = st.sampled_from([" 更正 ", "   ", "", "", "更正", "note, with comma", 'say "hi"'])
ROW = st.tuples(
    DATES,
    INDICATORS,
    AREAS,
    QUANTITIES,
    UNITS,
    st.sampled_from(["", "10", "0", " 10", "1,000", "x"]),
    ITEMS,
    REFS,
    NOTES,
)
TAILS = st.sampled_from([(), (), (), ("",), ("extra",)])  # Excel's empty trailing cell, and a real extra one
HEADER = ["日期", "指標", "地區", "數量", "單位", "基數", "項目", "編號", "備註"]
# Headers as clerks write them: a unit in brackets is the unit of the filled cells below it.
HEADERS = [
    HEADER,
    ["日期", "指標", "街道", "完成量（平方米）", "單位", "基數（戶）", "項目", "編號", "備註"],
    ["日期", "指標", "鄉鎮", "數量(萬平方米)", "單位", "基數", "項目", "編號", "備註"],
    ["日期", "指標", "地區", "數量【處】", "單位", "基數[戶]", "項目", "編號", "備註"],
]


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(ROW, TAILS), min_size=1, max_size=40),
    blank_every=st.integers(min_value=0, max_value=7),
    as_of=st.sampled_from(["2024-06-30", "2024-12-31"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    chunk_bytes=st.sampled_from([4 << 20, 64, 300]),
    files=st.sampled_from([1, 2]),
    header=st.sampled_from(HEADERS),
    hashes_at_once=st.sampled_from([2_000_000, 1, 3]),
    unpacked_bytes=st.sampled_from([16 << 20, 0, 400]),
)
def test_generated_ledgers_read_the_same_both_ways(
    cli_runner,
    monkeypatch,
    tmp_path_factory,
    rows,
    blank_every: int,
    as_of: str,
    line_end: str,
    chunk_bytes: int,
    files: int,
    header: list[str],
    hashes_at_once: int,
    unpacked_bytes: int,
) -> None:
    """Tiny chunks put a 編號's repeats in other chunks, checked by other threads; two files
    put them in another file; the claim hashes are sorted in one range or in many; files' rows are
    kept as frames, packed, or one file each way."""
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(columnar, "_HASHES_AT_ONCE", hashes_at_once)
    monkeypatch.setattr(columnar, "UNPACKED_BYTES", unpacked_bytes)
    folder = tmp_path_factory.mktemp("city") / "city"
    folder.mkdir()
    half = (len(rows) + 1) // 2 if files == 2 else len(rows)
    for name, part in (("a.csv", rows[:half]), ("b.csv", rows[half:])):
        if not part:
            continue
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator=line_end)
            writer.writerow(header)
            for number, (row, tail) in enumerate(part, start=1):
                if blank_every and number % blank_every == 0:
                    handle.write(",,," + line_end if number % 2 else line_end)  # a blank row and a short one
                writer.writerow(row + tail)
    rows_json, columnar_json = both(
        cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder), "--as-of", as_of
    )
    assert rows_json == columnar_json
    assert rows_json["rows"]["read"] == sum(rows_json["rows"][k] for k in rows_json["rows"] if k != "read")


# Rows whose 單位 agrees, disagrees or is missing, under each header: quantities with and without
# their own unit, a ratio with a base, a count indicator and a distinct one with empty quantities.
UNIT_ROWS = (
    [
        ["2024-03-05", "1.1", area, quantity, unit, "", "", "", ""]
        for area in ("朝陽區", "海淀区")
        for quantity in ("12", "", "1.5萬", "3萬戶", "-3", "0.125")
        for unit in ("", " 平方米", "萬平方米", "万平方米", "公頃", "處")
    ]
    + [["2024-04-01", "2.1", "東城區", "9", unit, base, "", "", ""] for unit in ("", "戶", "處") for base in ("10", "")]
    + [["2024-04-02", "1.2", "西城區", quantity, unit, "", "", "", ""] for quantity in ("4", "") for unit in ("", "處")]
    + [["2024-04-03", "2.2", "東城區", "", unit, "", "點位1", "", ""] for unit in ("", "處", "平方米")]
)


@pytest.mark.parametrize("chunk_bytes", [4 << 20, 200])
@pytest.mark.parametrize("header", HEADERS[1:], ids=lambda h: h[3])
def test_headers_with_a_unit_read_the_same_both_ways(cli_runner, monkeypatch, tmp_path, header, chunk_bytes) -> None:
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes)
    folder = tmp_path / "city"
    folder.mkdir()
    with (folder / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(UNIT_ROWS)
    args = ("--plan", "city", "--ledger", str(folder), "--as-of", "2024-12-31")
    rows, columnar_json = both(cli_runner, monkeypatch, *args)
    assert rows == columnar_json
    assert rows["rows"]["counted"] > 0
    assert any(r["code"] == "unit-mismatch" for r in rows["rejected"])
    assert columnar_files(["city"], [str(folder)], "2024-12-31") == 1, "the columnar reader fell back"


def test_a_unit_of_the_indicators_scale_but_another_size_is_converted_by_both(cli_runner, monkeypatch, tmp_path):
    """畝 has the scale of 萬平方米 (10000) with a divisor (15): 15畝 is 1萬平方米, not 15."""
    plan = (REPO / "plans" / "city.yaml").read_text("utf-8")
    own = '- id: "1.1"\n        name: 拆除違法建設\n        unit: 平方米'
    assert own in plan
    (tmp_path / "city.yaml").write_text(plan.replace(own, own.replace("平方米", "萬平方米")), "utf-8")
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "日期,指標,地區,數量,單位\n2024-03-01,1.1,朝陽區,15,畝\n2024-03-02,1.1,朝陽區,2,公頃\n", "utf-8"
    )
    args = ("--plan", str(tmp_path / "city.yaml"), "--ledger", str(folder), "--as-of", "2024-12-31")
    rows, columnar_json = both(cli_runner, monkeypatch, *args)
    assert rows == columnar_json
    (target,) = [t for p in rows["plans"] for t in p["targets"] if (t["indicator"], t["scope"]) == ("1.1", "北京市")]
    assert target["actual"] == 3
    assert columnar_files([args[1]], [args[3]], args[5]) == 1


@pytest.mark.parametrize("chunk_bytes", [4 << 20, 120])
def test_items_bound_to_an_area_and_rows_outside_every_scope_read_the_same_both_ways(
    cli_runner, monkeypatch, tmp_path, chunk_bytes
) -> None:
    """3.2's 來廣營 is bound to 朝陽區: recorded elsewhere it is rejected column-wise, each row with
    the row code's reason; 4.1 at 大興區 is outside every scope. Both are listed from columns."""
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(columnar, "UNPACKED_BYTES", 16 << 20 if chunk_bytes > 1000 else 0)  # tiny chunks, packed
    folder = tmp_path / "city"
    folder.mkdir()
    rows = [
        [f"2024-0{1 + n % 9}-1{n % 10}", "3.2", area, "", "", "", item, f"R{n}", ""]
        for n, (area, item) in enumerate(
            [(a, i) for a in ("朝陽區", "東城區", "海淀区", "朝阳") for i in ("來廣營", "太陽宮", "來廣營")] * 3
        )
    ] + [[f"2024-03-0{1 + n % 9}", "4.1", "大興區", "2", "", "", "", "", ""] for n in range(9)]
    with (folder / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(HEADER)
        # an empty cell past the header: the row code judges this row, and rejects it for its item as well
        handle.write("2024-03-01,3.2,東城區,,,,來廣營,RX,,\n")
        csv.writer(handle, lineterminator="\n").writerows(rows)
    rows_json, columnar_json = both(cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder))
    assert rows_json == columnar_json
    assert columnar_files(["city"], [str(folder)], "2024-12-31") == 1
    misplaced = [r for r in columnar_json["rejected"] if r["code"] == "item-area"]
    assert len(misplaced) == 19 and all("東城區" in r["reason"] or "海淀區" in r["reason"] for r in misplaced)
    assert [r["line"] for r in misplaced] == sorted(r["line"] for r in misplaced)
    assert len(columnar_json["outside_scope"]) == columnar_json["rows"]["outside_scope"] >= 9
    from datetime import date

    from shuzheng.core.findings import FindingRows
    from shuzheng.read.ledgers import ReaderMode
    from shuzheng.service import build_report

    found = build_report(["city"], [str(folder)], date(2024, 12, 31), reader=ReaderMode.COLUMNAR).report.findings
    blocks = [item for item in found.items if isinstance(item, FindingRows)]
    assert {b.code for b in blocks} == {"item-area", "outside-scope"}
    assert all(list(b.lines) == sorted(b.lines) for b in blocks), "a block's lines are in file order"


def test_a_ref_used_in_a_file_the_row_reader_reads_and_in_a_columnar_one(cli_runner, monkeypatch, tmp_path) -> None:
    """Whether a 編號 is used twice is asked of hashes: the claims of a file that fell back to the row
    reader (a quoted cell over two lines) are hashed with the columnar file's, whatever their spelling
    (case, full width, Traditional), and the first use wins across both, with the same lists."""
    monkeypatch.chdir(REPO)
    folder = tmp_path / "city"
    folder.mkdir()
    header = "日期,指標,地區,數量,單位,基數,項目,編號,備註\n"
    (folder / "a.csv").write_text(
        header
        + "2024-03-01,1.1,朝陽區,10,,,,CG-1,\n"
        + "2024-03-02,1.1,海淀區,20,,,,编号三,\n"
        + '2024-03-03,1.1,豐臺區,30,,,,ＣＧ-２,"two\nlines"\n'
        + "2024-03-04,1.1,東城區,40,,,,x-9,\n",
        encoding="utf-8",
    )
    (folder / "b.csv").write_text(
        header
        + "2024-02-01,1.1,朝陽區,10,,,,cg-1,\n"  # earlier: this use is the first, a.csv's is the repeat
        + "2024-04-01,1.1,西城區,25,,,,編號三,\n"  # other content: a conflict
        + "2024-04-02,1.1,豐臺區,30,,,,cg-2,\n"
        + "2024-04-03,1.1,東城區,40,,,,X-8,\n",
        encoding="utf-8",
    )
    assert columnar_files(["city"], [str(folder)], "2024-12-31") == 1  # b.csv; a.csv fell back
    rows_json, columnar_json = both(cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder))
    assert rows_json == columnar_json
    assert {(d["file"].rsplit("/", 1)[-1], d["line"]) for d in columnar_json["duplicates"]} == {
        ("a.csv", 2),
        ("b.csv", 4),
    }
    assert [(c["file"].rsplit("/", 1)[-1], c["line"]) for c in columnar_json["conflicts"]] == [("b.csv", 3)]


def test_copies_are_read_once_though_only_files_of_one_size_are_hashed(cli_runner, monkeypatch, tmp_path) -> None:
    """A columnar file is hashed only when another file could be its copy (the same size less a BOM, or
    any file the row reader read, whose identity decodes GB18030): the copies found are the row reader's."""
    monkeypatch.chdir(REPO)
    folder = tmp_path / "city"
    folder.mkdir()
    text = (
        "日期,指標,地區,數量,單位,基數,項目,編號,備註\n2024-03-01,1.1,朝陽區,10,,,,A-1,\n2024-03-02,1.1,海淀區,7,,,,,\n"
    )
    (folder / "a.csv").write_text(text, encoding="utf-8")
    (folder / "b.csv").write_text(text, encoding="utf-8")  # a copy, same size
    (folder / "c.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())  # a copy with a BOM
    (folder / "d.csv").write_bytes(text.encode("gb18030"))  # a copy in GB18030: the row reader reads it
    (folder / "e.csv").write_text(text.replace("10", "11"), encoding="utf-8")  # same size, other content
    (folder / "f.csv").write_text(text + "2024-03-03,1.1,東城區,5,,,,,\n", encoding="utf-8")
    rows_json, columnar_json = both(cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder))
    assert rows_json == columnar_json
    copies = {(f["file"].rsplit("/", 1)[-1], f["code"]) for f in columnar_json["files"]}
    assert copies == {("b.csv", "duplicate-file"), ("c.csv", "duplicate-file"), ("d.csv", "duplicate-file")}
    assert columnar_json["rows"]["read"] == 2 + 2 + 3  # a, e, f


def check_json(cli_runner, monkeypatch, mode: str, *args: str) -> list:
    monkeypatch.setenv("SHUZHENG_READER", mode)
    result = cli_runner.invoke(app, ["check", "--format", "json", "--no-cache", *args])
    return json.loads(result.stdout)


@pytest.mark.parametrize("chunk_bytes", [4 << 20, 120])
def test_a_quantity_above_every_target_is_warned_of_the_same_both_ways(
    cli_runner, monkeypatch, tmp_path, chunk_bytes
) -> None:
    """The columnar reader counts such a row itself and warns as the row code does, word for word: the
    cell as written (grouped, with decimals), the quantity, the largest target."""
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes)
    folder = tmp_path / "city"
    folder.mkdir()
    rows = [
        ("2024-03-01", "4.1", "東城區", "16", "個"),
        ("2024-03-02", "4.1", "西城區", "3", ""),  # the largest target itself: no warning
        ("2024-03-03", "4.1", "朝陽區", '"1,234"', "個"),
        ("2024-03-04", "4.1", "海淀區", "12.50", ""),
        ("2024-03-05", "4.1", "東城區", "16", ""),
        ("2024-11-05", "4.1", "東城區", "99", ""),  # after the as-of date of the progress below
        ("2024-03-06", "1.1", "朝陽區", "5000", ""),
    ]
    lines = ["日期,指標,地區,數量,單位,基數,項目,編號,備註"] + [f"{d},{i},{a},{q},{u},,,," for d, i, a, q, u in rows]
    (folder / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("--plan", "city", "--ledger", str(folder))
    by_rows, by_columns = (check_json(cli_runner, monkeypatch, mode, *args) for mode in ("rows", "columnar"))
    assert by_rows == by_columns
    assert columnar_files(["city"], [str(folder)], "2024-12-31") == 1
    warned = [f for f in json.dumps(by_rows, ensure_ascii=False).split("implausible-quantity")][1:]
    assert len(warned) == 5  # 16, 1,234, 12.50, 16 again, and 99: check reads every row, whatever its date
    rows_json, columnar_json = both(cli_runner, monkeypatch, *args, "--as-of", "2024-10-31")
    assert rows_json == columnar_json
    assert columnar_json["rows"]["counted"] + columnar_json["rows"]["outside_scope"] == 6


@pytest.mark.parametrize("chunk_bytes", [4 << 20, 60])
def test_a_repeated_ref_above_every_target_is_not_warned_of(cli_runner, monkeypatch, tmp_path, chunk_bytes) -> None:
    """The row reader warns of a row only once it counts it: a repeat of a 編號 is not counted, so it is not
    warned of either, whichever chunk holds its first use."""
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk_bytes)
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "日期,指標,地區,數量,單位,基數,項目,編號,備註\n"
        "2024-03-02,4.1,東城區,16,個,,,A1,\n"
        "2024-03-01,4.1,東城區,16,個,,,a1,\n"  # earlier: the first use; line 2 is the repeat
        "2024-03-03,4.1,東城區,17,個,,,,\n"
        '2024-03-04,4.1,東城區,"1,600",個,,,A2,\n'
        "2024-03-05,4.1,東城區,18,個,,,A2,\n",
        encoding="utf-8",
    )
    args = ("--plan", "city", "--ledger", str(folder))
    by_rows, by_columns = (check_json(cli_runner, monkeypatch, mode, *args) for mode in ("rows", "columnar"))
    assert by_rows == by_columns
    text = json.dumps(by_columns, ensure_ascii=False)
    assert text.count("implausible-quantity") == 3  # lines 3, 4 and 5; not line 2 nor line 6


def test_a_file_gone_before_it_is_hashed_is_not_held_against_the_next(monkeypatch, tmp_path) -> None:
    """Files are hashed for copies only when a later one could be a copy: an earlier file that can no longer
    be read then is skipped, and the file being read is read."""
    from datetime import date

    from shuzheng.read import ledgers
    from shuzheng.read.ledgers import ReaderMode
    from shuzheng.service import build_report

    monkeypatch.chdir(REPO)
    folder = tmp_path / "city"
    folder.mkdir()
    header = "日期,指標,地區,數量,單位,基數,項目,編號,備註\n"
    (folder / "a.csv").write_text(header + "2024-03-01,1.1,朝陽區,10,,,,,\n", encoding="utf-8")
    (folder / "b.csv").write_text(header + "2024-03-01,1.1,朝陽區,11,,,,,\n", encoding="utf-8")  # the same size
    real = ledgers._file_hash

    def hashed(path):
        if path.name == "a.csv":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(ledgers, "_file_hash", hashed)
    result = build_report(["city"], [str(folder)], date(2024, 12, 31), reader=ReaderMode.COLUMNAR)
    assert result.report.rows.read == 2
    assert not [f for f in result.report.findings if f.code == "unreadable"]


@settings(max_examples=200, deadline=None)
@given(
    chunks=st.lists(
        st.lists(st.integers(0, 2**64 - 1) | st.sampled_from([0, 2**63, 2**64 - 1]), max_size=12), max_size=4
    ),
    at_once=st.sampled_from([1, 2, 5, 2_000_000]),
)
def test_repeated_claim_hashes_are_found_however_many_are_sorted_at_once(chunks, at_once) -> None:
    """The hashes of every chunk, sorted a range at a time: a hash is contested when it is used twice
    anywhere, in one chunk or two, at either end of the range of 64 bits."""
    from types import SimpleNamespace
    from unittest import mock

    import polars as pl

    from shuzheng.read import columnar

    part = columnar._FilePart.__new__(columnar._FilePart)
    part.chunks = [SimpleNamespace(hashes=pl.Series(hashes, dtype=pl.UInt64)) for hashes in chunks]
    every = [h for hashes in chunks for h in hashes]
    with mock.patch.object(columnar, "_HASHES_AT_ONCE", at_once):
        assert columnar._FilePart.contested([part], []) == {h for h in every if every.count(h) > 1}


@pytest.mark.parametrize(
    ("pasted", "columnar"),
    [
        ("2024-03-05,日期,指標,地區,\n", 1),  # names every column, but 2024-03-05 is no column name: data
        ("日期,指標,地區,數量,項目\n", 0),  # a header again: the row reader re-maps the rows below it
        ("日期,指標,地區,完成量（平方米）,\n", 0),  # a unit in brackets: a header, though not this one
    ],
)
def test_a_row_naming_every_column_is_a_header_only_when_the_row_reader_takes_it_for_one(
    cli_runner, monkeypatch, tmp_path, pasted: str, columnar: int
) -> None:
    """The columnar reader hands a file to the row reader when a row may be its header again; a row with
    a digit outside brackets cannot be (every cell of a header is a column name), and is read as data."""
    monkeypatch.chdir(REPO)
    folder = tmp_path / "city"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "日期,指標,地區,數量,項目\n2024-03-01,1.1,朝陽區,10,\n" + pasted + "2024-03-06,1.1,海淀區,20,\n",
        encoding="utf-8",
    )
    assert columnar_files(["city"], [str(folder)], "2024-12-31") == columnar
    rows_json, columnar_json = both(cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder))
    assert rows_json == columnar_json


@pytest.mark.parametrize("key", ["[area]", "[area, date]", "[date]", "[item, date]"])
def test_distinct_keys_of_any_parts_are_counted_the_same_both_ways(cli_runner, monkeypatch, tmp_path, key) -> None:
    """A distinct indicator keyed by its area alone counts one per area with rows: the columnar
    reader once added no key for it (a zip of no columns), and so counted nothing."""
    monkeypatch.chdir(REPO)
    plan = (FIXTURES / "plans" / "recon.yaml").read_text(encoding="utf-8")
    assert "        key: [area, date]\n" in plan
    path = tmp_path / "recon.yaml"
    path.write_text(plan.replace("        key: [area, date]\n", f"        key: {key}\n"), encoding="utf-8")
    folder = tmp_path / "recon"
    folder.mkdir()
    rows = [
        [f"2024-0{1 + n % 3}-1{n % 2}", "2.3", area, "", "", "", f"路段{n % 4}", "", ""]
        for n, area in enumerate(["東城區", "朝陽區", "東城區", "海淀區", "朝陽區", "東城區"] * 4)
    ]
    with (folder / "a.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([HEADER, *rows])
    args = ("--plan", str(path), "--ledger", str(folder), "--as-of", "2024-12-31")
    rows_json, columnar_json = both(cli_runner, monkeypatch, *args)
    assert rows_json == columnar_json
    assert columnar_files([str(path)], [str(folder)], "2024-12-31") == 1
    keys = {
        "[area]": {(area,) for _, _, area, *_ in rows},
        "[area, date]": {(area, day) for day, _, area, *_ in rows},
        "[date]": {(area, day) for day, _, area, *_ in rows},  # per area, then summed up the tree
        "[item, date]": {(area, item, day) for day, _, area, _, _, _, item, _, _ in rows},
    }[key]
    (city,) = [t for t in columnar_json["plans"][0]["targets"] if t["indicator"] == "2.3" and t["scope"] == "北京市"]
    assert city["actual"] == len(keys)


def test_the_first_files_that_fit_keep_their_rows_unpacked_and_the_rest_are_packed(
    cli_runner, monkeypatch, tmp_path
) -> None:
    from shuzheng.read import columnar

    monkeypatch.chdir(REPO)
    folder = tmp_path / "city"
    folder.mkdir()
    for name in ("a.csv", "b.csv"):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(
                [f"2024-03-0{1 + n % 9}", "1.1", "朝陽區", str(n), "", "", "", f"{name}{n}", ""] for n in range(50)
            )
    size = (folder / "a.csv").stat().st_size
    monkeypatch.setattr(columnar, "UNPACKED_BYTES", size + size // 2)  # room for one of the two
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 400)
    kept: list[bool] = []
    made = columnar._Packed.__init__

    def spy(self, rows, warnings, keep):
        made(self, rows, warnings, keep)
        kept.append(self.frame is not None)
        assert (self.frame is None) == bool(self.packed)

    monkeypatch.setattr(columnar._Packed, "__init__", spy)
    rows_json, columnar_json = both(cli_runner, monkeypatch, "--plan", "city", "--ledger", str(folder))
    assert rows_json == columnar_json
    assert len(kept) > 2 and kept == sorted(kept, reverse=True) and kept[0] and not kept[-1]
