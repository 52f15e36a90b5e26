"""A short fuzz run of every reader and parser (part of the normal suite, so CI runs it).

Whatever text or bytes come in, only the project's own errors come out (ParseError from a
parser; findings, never exceptions, from a reader), every finding is one line with a code
of the registry and a position, and a ledger reader never loses a row: every record below
the header is counted, rejected, or warned about as blank.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shuzheng.core.checks import PlanContext, check_plan
from shuzheng.core.codes import CODES
from shuzheng.core.dates import parse_date
from shuzheng.core.findings import Finding, ParseError, Severity
from shuzheng.core.names import fold
from shuzheng.core.quantity import parse_quantity, parse_unit
from shuzheng.read.plan import plan_from_text, read_plan
from shuzheng.read.records import csv_records, decode, snapshot
from shuzheng.service import PlanRun, read_plan_ledgers

pytestmark = pytest.mark.slow  # long property searches

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECON_TEXT = (FIXTURES / "plans" / "recon.yaml").read_text("utf-8")
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def row_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHUZHENG_READER", raising=False)


def assert_findings(diagnostics: list[Finding], shown: str) -> None:
    for d in diagnostics:
        assert d.code in CODES, d
        assert d.where is not None and d.where.path == shown, d
        assert "\n" not in str(d) and "\r" not in str(d), repr(str(d))
        if d.code.startswith("yaml-") or d.code == "empty-plan":
            assert d.where.line is not None and d.where.line >= 1 and d.where.col is not None and d.where.col >= 1, d


# --- parsers ---------------------------------------------------------------------------------

# Any text, lone surrogates included: a C locale hands undecodable argv bytes over as U+DC80–U+DCFF.
ANY_TEXT = st.one_of(
    st.text(), st.lists(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=20).map("".join)
)
NUMBERISH = st.text(
    alphabet="0123456789０１２３,，.．+-_ eExX萬万億亿%％約余多以上內内不超過平方米㎡戶處nanIfity()—٣\u3000\x00",
    max_size=16,
)
DATEISH = st.text(alphabet="0123456789０１２-/.年月日時分秒:T ZＴ+點\u3000٢", max_size=24)


@FUZZ
@given(st.one_of(ANY_TEXT, NUMBERISH))
@example("9" * 5000)
@example("1" + "0" * 30 + "萬")
@example("1e999999999")
def test_parse_quantity_raises_only_parse_error(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except ParseError as exc:
        assert exc.code in CODES and "\n" not in exc.message
        return
    assert quantity.amount is None or (quantity.amount.is_finite() and quantity.amount.adjusted() < 18)


@FUZZ
@given(st.one_of(ANY_TEXT, DATEISH))
@example("2024年2月30日")
@example("99999-01-01")
def test_parse_date_raises_only_parse_error(text: str) -> None:
    try:
        day = parse_date(text)
    except ParseError as exc:
        assert exc.code == "invalid-date"
        return
    assert isinstance(day, date)


@FUZZ
@given(ANY_TEXT)
def test_parse_unit_raises_only_parse_error(text: str) -> None:
    try:
        parse_unit(text)
    except ParseError as exc:
        assert exc.code == "unknown-unit"


@FUZZ
@given(ANY_TEXT)
@example("\udce6\udc9c\udc9d\udce9\udc98\udcb3")  # 朝阳 typed into a C-locale terminal
def test_fold_never_raises_and_is_stable(text: str) -> None:
    folded = fold(text)
    assert isinstance(folded, str)
    assert fold(folded) == folded


@pytest.mark.parametrize("value", [[1], {"a": 1}, None, 3.5, b"4000", ("4",)])
def test_parse_quantity_of_what_is_no_text(value: object) -> None:
    with pytest.raises(ParseError) as raised:
        parse_quantity(value)  # type: ignore[arg-type]
    assert raised.value.code == "invalid-number"


# --- plans ---------------------------------------------------------------------------------------

YAMLISH = st.lists(
    st.sampled_from(
        list(":-[]{}&*!|>'\"%@`#,?\n\t \r\\~.0123456789abxyz萬")
        + [
            "\x00",
            "\x85",
            "\u2028",
            "\ufeff",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            "!!python/object ",
            "&a ",
            "*a ",
            "<<: ",
            "  ",
            "\n  - ",
            "id: ",
            "value: ",
            "no",
            "010",
            ".nan",
            "1_000",
        ]
    ),
    max_size=60,
).map("".join)
EDITS = st.tuples(st.integers(0, len(RECON_TEXT)), st.integers(0, 12), st.one_of(YAMLISH, st.text(max_size=6)))


def check_plan_result(plan, diagnostics: list[Finding], shown: str) -> None:  # type: ignore[no-untyped-def]
    assert_findings(diagnostics, shown)
    if plan is None:
        assert any(d.severity == Severity.ERROR for d in diagnostics)
    else:
        assert diagnostics == []
        _, found = check_plan(plan)  # a plan that loads can be checked
        assert_findings(found, shown)


@FUZZ
@given(st.one_of(ANY_TEXT, YAMLISH))
def test_plan_from_any_text_is_findings_never_an_exception(text: str) -> None:
    plan, diagnostics = plan_from_text(text, "plans/x.yaml")
    check_plan_result(plan, diagnostics, "plans/x.yaml")


@FUZZ
@given(EDITS)
def test_a_damaged_plan_is_findings_never_an_exception(edit: tuple[int, int, str]) -> None:
    at, cut, insert = edit
    plan, diagnostics = plan_from_text(RECON_TEXT[:at] + insert + RECON_TEXT[at + cut :], "plans/x.yaml")
    check_plan_result(plan, diagnostics, "plans/x.yaml")


PLAN_BYTES = st.one_of(
    st.binary(max_size=200),
    EDITS.map(lambda e: (RECON_TEXT[: e[0]] + e[2] + RECON_TEXT[e[0] + e[1] :]).encode("gb18030", errors="replace")),
    EDITS.map(
        lambda e: (
            b"\xef\xbb\xbf"
            + (RECON_TEXT[: e[0]] + e[2] + RECON_TEXT[e[0] + e[1] :]).encode("utf-8", errors="surrogatepass")
        )
    ),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(PLAN_BYTES)
def test_a_plan_file_of_any_bytes_is_findings_never_an_exception(scratch: Path, data: bytes) -> None:
    path = scratch / "x.yaml"
    path.write_bytes(data)
    plan, diagnostics = read_plan(path, "plans/x.yaml")
    check_plan_result(plan, diagnostics, "plans/x.yaml")


# --- ledgers -------------------------------------------------------------------------------------


@cache
def recon() -> PlanContext:
    plan, problems = read_plan(FIXTURES / "plans" / "recon.yaml")
    assert plan is not None, problems
    return check_plan(plan)[0]


HEADER = "日期,指標,地區,數量,單位,基數,項目,編號,備註\n".encode()
PIECES = st.sampled_from(
    [
        b",",
        b'"',
        b'""',
        b"\n",
        b"\r",
        b"\r\n",
        b"\x00",
        b" ",
        b"\t",
        "\u3000".encode(),
        b"\xef\xbb\xbf",
        b"\xff",
        b"\x80",
        "朝陽區".encode(),
        "朝陽區".encode("gbk"),
        "海淀區".encode("gb18030"),
        "火星".encode(),
        "甲點位".encode(),
        "萬".encode(),
        "處".encode(),
        b"1.1",
        b"1.2",
        b"2.1",
        b"2.2",
        b"2.5",
        b"9.9",
        b"2024-03-01",
        "2024年2月30日".encode(),
        b"2023-12-31",
        b"5",
        b"-3",
        b"4,000",
        b"nan",
        b"1e3",
        b"9" * 25,
        b"A1",
        b"x" * 40,
    ]
)
NOISE = st.lists(PIECES, max_size=50).map(b"".join)


def _cell(text: str, quote: bool) -> str:
    return '"' + text.replace('"', '""') + '"' if quote or any(c in text for c in ',"\r\n') else text


CELLS = st.tuples(
    st.sampled_from(["2024-03-01", "2024/3/5", "2024.3.5", "2024年3月5日", "2024年2月30日", "2023-12-31", "", "x"]),
    st.sampled_from(["1.1", "1.2", "2.1", "2.2", "2.5", "2.6", "9.9", ""]),
    st.sampled_from(["朝陽區", "海淀区", "东城", "城區", "火星", ""]),
    st.sampled_from(["5", "-3", "4,000", "1.6萬", "3處", "nan", "1 000", ""]),
    st.sampled_from(["", "", "處", "萬平方米", "公頃"]),
    st.sampled_from(["", "10", "0"]),
    st.sampled_from(["", "甲點位", "來廣營", "不存在"]),
    st.sampled_from(["", "", "A1", "a1"]),
    st.sampled_from(["", "x", 'say "hi"', "two\nlines", "a,b"]),
)
ROWS = st.lists(
    st.tuples(
        st.lists(st.booleans(), min_size=9, max_size=9),
        CELLS,
        st.integers(-2, 2),
        st.sampled_from(["\n", "\r\n", "\r"]),
        st.sampled_from([b"", b"", b"", b"\x00", b'"', b"\n"]),
    ),
    max_size=12,
).map(
    lambda rows: b"".join(
        (
            ",".join(_cell(text, quote) for quote, text in zip(quotes, cells, strict=True))[
                : None if cut >= 0 else cut * 4
            ]
            + ("," * cut if cut > 0 else "")
            + end
        ).encode("utf-8")
        + noise
        for quotes, cells, cut, end, noise in rows
    )
)
LEDGER_BODIES = st.one_of(ROWS, NOISE)


def read_ledger(path: Path, shown: str = "ledgers/recon/x.csv") -> tuple[PlanRun, list[Finding], int]:
    """The file as `check` reads it (every row, whatever its date): (run, file-level findings, rows read)."""
    run = read_plan_ledgers(recon(), [(path, shown)], None)
    assert_findings(run.findings, shown)
    for rejected in (f for f in run.findings if (f.detail or {}).get("class") == "rejected"):
        assert rejected.code in CODES and rejected.where.line >= 1 and "\n" not in rejected.message
    assert run.counts.balanced, run.counts  # read = counted + rejected + duplicate + … always
    cells = sum(cell.rows for cells in run.tally.cells.values() for cell in cells.values())
    assert cells == run.counts.counted  # the counted rows are exactly the rows in the cells
    file_level = [f for f in run.findings if (f.detail or {}).get("class") != "rejected"]
    return run, file_level, run.counts.read


@FUZZ
@given(LEDGER_BODIES)
@example(b'2024-03-01,1.1,\xe6\x9c\x9d\xe9\x99\xbd\xe5\x8d\x80,5,,,,,"never closed\n2024-03-01,1.1,x,1\n')
@example(b"\r\r\n\n\x00,\xff")
def test_a_ledger_never_loses_a_row(scratch: Path, body: bytes) -> None:
    """Below a good header, every record is counted, rejected, a duplicate, outside every scope or
    blank; a file that cannot be read at all says so and counts nothing."""
    path = scratch / "x.csv"
    path.write_bytes(HEADER + body)
    run, diagnostics, rows = read_ledger(path)
    if any(d.severity == Severity.ERROR for d in diagnostics if d.code != "conflicting-ref"):
        assert run.counts.counted == 0 and rows == 0
        assert [d.code for d in diagnostics if d.severity == Severity.ERROR] in (["encoding-error"], ["unreadable"])
        return
    text = decode(snapshot(path, "x.csv"))
    records = [r.where.line if isinstance(r, Finding) else r[0] for r in csv_records(text, "x.csv")]
    assert records[0] == 1  # the header
    assert rows == len(records) - 1  # every record below the header is read, and classed once


@FUZZ
@given(st.one_of(st.binary(max_size=300), LEDGER_BODIES))
def test_a_ledger_of_any_bytes_is_findings_never_an_exception(scratch: Path, data: bytes) -> None:
    path = scratch / "y.csv"
    path.write_bytes(data)
    read_ledger(path)


@FUZZ
@given(st.binary(max_size=300))
def test_an_xlsx_of_any_bytes_is_a_finding_never_an_exception(scratch: Path, data: bytes) -> None:
    path = scratch / "z.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)
    run, diagnostics, _ = read_ledger(path, "ledgers/recon/z.xlsx")
    assert [d.code for d in diagnostics] == ["unreadable"] and run.counts.counted == 0


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in (
        ["日期", "指標", "地區", "數量", "備註"],
        ["2024-03-01", "1.1", "朝陽區", 5, "x"],
        ["2024-03-02", "9.9", "火星", "nan", None],
    ):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = _workbook()
PARTS = [
    "xl/worksheets/sheet1.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/core.xml",
]


@FUZZ
@given(
    st.sampled_from(PARTS),
    st.integers(0, 3000),
    st.integers(0, 40),
    st.one_of(st.binary(max_size=8), st.sampled_from([b"<", b"</row>", b'"', b"&", b'<c t="s"><v>99</v></c>'])),
)
def test_a_damaged_workbook_is_a_finding_never_an_exception(
    scratch: Path, part: str, at: int, cut: int, insert: bytes
) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[:at] + insert + data[at + cut :] if name == part else data)
    path = scratch / "w.xlsx"
    path.write_bytes(out.getvalue())
    _run, diagnostics, _ = read_ledger(path, "ledgers/recon/w.xlsx")
    if any(d.severity == Severity.ERROR for d in diagnostics):
        assert {d.code for d in diagnostics if d.severity == Severity.ERROR} <= {
            "unreadable",
            "missing-column",
            "duplicate-label",
            "bad-cell",  # a header cell naming a shared string that is not there: said at its cell
        }
