"""Hostile input: every bad plan, ledger or argument is a finding with a code, a location and
an exit code, through the command line; nothing crashes and no good row is lost.

One table per area. Each row names the exact location (path:line[:col]), the code and the
exit code; every row is run through `shuzheng check` as text (stderr) and as JSON (stdout).
Files are built here, byte for byte (a GBK row is `.encode("gbk")`), in a fresh workspace:
plans/ and ledgers/ under tmp_path. The environment (closed pipes, locales, signals, bugs)
is in test_hostile_env.py; the error-code registry in test_hostile_codes.py; fuzzing in
test_fuzz.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A small valid plan; the plan cases edit it. Line numbers below refer to this text.
MINI = """\
id: mini
title: 測試方案
issuer: 測試辦公室
year: 2024
period: {start: 2024-01-01, end: 2024-12-31}
areas:
  name: 北京市
  children:
    - name: 朝陽區
    - name: 海淀區
tasks:
  - id: "1"
    title: 拆除違法建設
    indicators:
      - id: "1.1"
        name: 拆除違法建設
        unit: 平方米
        measure: sum
        tolerance: 0.1
        targets:
          - {scope: 北京市, value: 4000}
"""

LEDGER_HEADER = "日期,指標,地區,數量,備註\n"
GOOD = "2024-03-01,1.1,朝陽區,1,\n"  # one 平方米 of 1.1 (recon plan), counted


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with plans/recon.yaml and plans/mini.yaml and an empty ledgers/recon/."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "recon.yaml").write_bytes((FIXTURES / "plans" / "recon.yaml").read_bytes())
    (tmp_path / "plans" / "mini.yaml").write_text(MINI, encoding="utf-8")
    (tmp_path / "ledgers" / "recon").mkdir(parents=True)
    (tmp_path / "ledgers" / "mini").mkdir(parents=True)  # mini's ledger, so a plan without one is not warned of
    (tmp_path / "ledgers" / "mini" / "台賬.csv").write_text(LEDGER_HEADER + GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHUZHENG_DEBUG", raising=False)
    monkeypatch.delenv("SHUZHENG_READER", raising=False)
    return tmp_path


def no_crash(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr


def split_location(where: str) -> tuple[str, int | None, int | None]:
    match = re.fullmatch(r"(.*?)(?::(\d+))?(?::(\d+))?", where)
    assert match
    path, line, col = match.groups()
    return path, int(line) if line else None, int(col) if col else None


def assert_finding(cli, args: list[str], where: str, severity: str, code: str, exit_code: int) -> str:  # type: ignore[no-untyped-def]
    """`check ARGS` reports `where: severity: … [code]` on stderr and in --format json; returns the line."""
    result = cli("check", *args)
    no_crash(result)
    assert result.exit_code == exit_code, result.stderr
    prefix = f"{where}: {severity}: "
    # a row's finding may also name its column (path:line:col); a case that gives only the line takes any
    at_column = re.compile(re.escape(where) + r"(?::\d+)?: " + re.escape(f"{severity}: "))
    found = [line for line in result.stderr.splitlines() if at_column.match(line) and line.endswith(f" [{code}]")]
    assert found, f"no '{prefix}… [{code}]' in:\n{result.stderr}"
    as_json = cli("check", *args, "--format", "json")
    no_crash(as_json)
    assert as_json.exit_code == exit_code
    document = json.loads(as_json.stdout)
    path, line, col = split_location(where)
    listed = {
        (d["file"], d["line"], d["col"] if col is not None else None, d["severity"], d["code"])
        for d in document["diagnostics"]
    }
    assert (path, line, col, severity, code) in listed, listed
    assert document["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])
    return found[0]


def edit(old: str, new: str, text: str = MINI) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- plans -----------------------------------------------------------------------------------

BILLION_LAUGHS = "".join(
    f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9 if n else ['"lol"'] * 9) + "]\n" for n in range(9)
)

# case → (file content, location in plans/bad.yaml, code)
PLAN_CASES: dict[str, tuple[str | bytes, str, str]] = {
    # aliases, anchors, tags, documents, directives
    "alias-bomb": (BILLION_LAUGHS + MINI, "1:5", "yaml-anchor"),
    "alias-bomb-alias": (BILLION_LAUGHS + MINI, "2:10", "yaml-alias"),
    "self-referencing-alias": (edit("issuer: 測試辦公室", "issuer: &me [*me]"), "3:9", "yaml-anchor"),
    "self-referencing-alias-alias": (edit("issuer: 測試辦公室", "issuer: &me [*me]"), "3:14", "yaml-alias"),
    "merge-key": (edit("issuer: 測試辦公室", "issuer: 測試辦公室\n<<: {note: x}"), "4:1", "unknown-key"),
    "deep-flow-nesting": (edit("issuer: 測試辦公室", "issuer: " + "[" * 60 + "]" * 60), "3:48", "yaml-depth"),
    "deep-block-nesting": (
        MINI + "note:\n" + "".join(" " * n + f"k{n}:\n" for n in range(1, 60)),
        "62:41",
        "yaml-depth",
    ),
    "duplicate-key": (edit("title: 測試方案\n", "title: 測試方案\ntitle: 另一個\n"), "3:1", "yaml-duplicate-key"),
    "duplicate-key-nested": (
        edit("        unit: 平方米\n", "        unit: 平方米\n        unit: 處\n"),
        "18:9",
        "yaml-duplicate-key",
    ),
    "python-tag": (edit("issuer: 測試辦公室", "issuer: !!python/object/apply:os.system [echo]"), "3:9", "yaml-tag"),
    "str-tag": (edit("issuer: 測試辦公室", "issuer: !!str 010"), "3:9", "yaml-tag"),
    "local-tag": (edit("issuer: 測試辦公室", "issuer: !office 測試辦公室"), "3:9", "yaml-tag"),
    "set-tag": (edit("issuer: 測試辦公室", "issuer: !!set {a, b}"), "3:9", "yaml-tag"),
    "second-document": (MINI + "---\nid: other\n", "22:1", "yaml-multi-document"),
    "second-document-after-end": ("---\n" + MINI + "...\n---\n", "24:1", "yaml-multi-document"),
    "yaml-1.1-directive": ("%YAML 1.1\n---\n" + MINI, "1:1", "yaml-directive"),
    "tag-directive": ("# comment\n%TAG !e! tag:example.com,2000:\n---\n" + MINI, "2:1", "yaml-directive"),
    # values YAML 1.1 tools would silently retype
    "plain-no": (edit("issuer: 測試辦公室", "issuer: no"), "3:9", "yaml-ambiguous"),
    "plain-yes": (edit("tolerance: 0.1", "tolerance: yes"), "19:20", "yaml-ambiguous"),
    "plain-on": (edit("name: 海淀區", "name: on"), "10:13", "yaml-ambiguous"),
    "leading-zero-id": (edit('- id: "1"\n', "- id: 010\n"), "12:9", "yaml-ambiguous"),
    "underscore-number": (edit("value: 4000", "value: 4_000"), "21:33", "yaml-ambiguous"),
    "hex-number": (edit("value: 4000", "value: 0x10"), "21:33", "yaml-ambiguous"),
    "sexagesimal": (edit("value: 4000", "value: 1:20"), "21:33", "yaml-ambiguous"),
    "dot-nan": (edit("value: 4000", "value: .nan"), "21:33", "yaml-ambiguous"),
    "dot-inf": (edit("value: 4000", "value: -.inf"), "21:33", "yaml-ambiguous"),
    # numbers the plan format refuses
    "nan": (edit("value: 4000", "value: nan"), "21:33", "invalid-number"),
    "infinity": (edit("value: 4000", "value: Infinity"), "21:33", "invalid-number"),
    "parenthesised": (edit("value: 4000", "value: (4000)"), "21:33", "invalid-number"),
    "scientific": (edit("value: 4000", "value: 4e3"), "21:33", "invalid-number"),
    "enormous-value": (edit("value: 4000", "value: " + "9" * 40), "21:33", "invalid-number"),
    "enormous-value-in-wan": (edit("value: 4000", "value: 99999999999999999萬"), "21:33", "invalid-number"),
    "value-is-a-list": (edit("value: 4000", "value: [4000]"), "21:33", "invalid-number"),
    "value-is-a-mapping": (
        edit("{scope: 北京市, value: 4000}", "{scope: 北京市, value: {amount: 4000}}"),
        "21:33",
        "invalid-number",
    ),
    "tolerance-nan": (edit("tolerance: 0.1", "tolerance: NaN"), "19:20", "schema"),
    "tolerance-enormous": (edit("tolerance: 0.1", "tolerance: 1" + "0" * 400), "19:20", "schema"),
    "enormous-year": (edit("year: 2024", "year: 99999999999999999999"), "4:7", "schema"),
    "huge-integer-year": (edit("year: 2024", "year: " + "9" * 5000), "4:7", "schema"),
    "impossible-date": (edit("start: 2024-01-01", "start: 2024-02-30"), "5:17", "invalid-date"),
    # keys
    "misspelled-key": (edit("        targets:", "        taregts:"), "20:9", "unknown-key"),
    "misspelled-top-key": (edit("issuer:", "isuer:"), "3:1", "unknown-key"),
    "missing-key": (edit("        measure: sum\n", ""), "15:9", "missing-key"),
    "key-is-a-list": (edit("issuer: 測試辦公室", "? [a, b]\n: 測試辦公室"), "3:3", "yaml-syntax"),
    # structure and characters
    "not-a-mapping": ("- id: mini\n- title: x\n", "1:1", "schema"),
    "empty": ("", "1:1", "empty-plan"),
    "only-comments": ("# yaml-language-server: $schema=../schema/plan.schema.json\n\n", "1:1", "empty-plan"),
    "tab-indentation": (edit("  name: 北京市", "\tname: 北京市"), "7:1", "yaml-syntax"),
    "unclosed-quote": (edit("issuer: 測試辦公室", 'issuer: "測試辦公室'), "12:10", "yaml-syntax"),
    "unclosed-brace": (edit("{scope: 北京市, value: 4000}", "{scope: 北京市, value: 4000"), "22:1", "yaml-syntax"),
    "nul-character": (edit("issuer: 測試辦公室", "issuer: 測試\x00辦公室"), "3:11", "yaml-syntax"),
    "bell-character": (edit("issuer: 測試辦公室", "issuer: \x07"), "3:9", "yaml-syntax"),
    # encodings
    "gbk": (MINI.encode("gbk"), "2:8", "encoding-error"),
    "gb18030-after-bom": (b"\xef\xbb\xbf" + MINI.encode("gb18030"), "2:8", "encoding-error"),
    "utf-16": (MINI.encode("utf-16"), "1:1", "encoding-error"),
    "latin-1": (
        edit("issuer: 測試辦公室", "issuer: Café").encode("latin-1", errors="replace"),
        "3:12",
        "encoding-error",
    ),
}


@pytest.mark.parametrize("case", sorted(PLAN_CASES))
def test_bad_plan(case: str, workspace: Path, cli) -> None:
    content, at, code = PLAN_CASES[case]
    data = content.encode("utf-8") if isinstance(content, str) else content
    (workspace / "plans" / "bad.yaml").write_bytes(data)
    line = assert_finding(cli, ["plans/bad.yaml"], f"plans/bad.yaml:{at}", "error", code, 1)
    assert "\t" not in line and "\x00" not in line


def test_the_base_plan_is_valid(workspace: Path, cli) -> None:
    result = cli("check", "mini", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(": 0 errors, 0 warnings\n")


def test_a_plan_with_a_bom_and_crlf_line_ends_is_read(workspace: Path, cli) -> None:
    (workspace / "plans" / "mini.yaml").write_bytes(b"\xef\xbb\xbf" + MINI.replace("\n", "\r\n").encode("utf-8"))
    result = cli("check", "mini", "--strict")
    assert result.exit_code == 0, result.stderr


def test_an_unclosed_quote_points_back_at_where_it_opened(workspace: Path, cli) -> None:
    (workspace / "plans" / "bad.yaml").write_text(edit("issuer: 測試辦公室", 'issuer: "測試辦公室'), encoding="utf-8")
    line = cli("check", "plans/bad.yaml").stderr.splitlines()[0]
    assert "the quoted value that starts at line 3, column 9" in line


def test_the_alias_bomb_is_refused_in_no_time(workspace: Path, cli) -> None:
    (workspace / "plans" / "bad.yaml").write_text(BILLION_LAUGHS + MINI, encoding="utf-8")
    result = cli("check", "plans/bad.yaml")
    codes = re.findall(r"\[([a-z-]+)\]$", result.stderr, flags=re.M)
    assert codes.count("yaml-anchor") == 9 and codes.count("yaml-alias") == 8 * 9


def test_a_plan_too_large_to_be_a_plan(workspace: Path, cli) -> None:
    (workspace / "plans" / "bad.yaml").write_bytes(MINI.encode() + b"#" * 5_000_001)
    assert_finding(cli, ["plans/bad.yaml"], "plans/bad.yaml", "error", "file-too-large", 1)


def test_every_plan_finding_is_in_json_with_its_position(workspace: Path, cli) -> None:
    """Several problems in one file: all listed, each at its own place, sorted by position."""
    text = edit("issuer: 測試辦公室", "issuer: !!str no").replace("value: 4000", "value: .nan")
    (workspace / "plans" / "bad.yaml").write_text("%YAML 1.1\n---\n" + text, encoding="utf-8")
    result = cli("check", "plans/bad.yaml", "--format", "json")
    assert result.exit_code == 1
    found = [(d["line"], d["col"], d["code"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [(1, 1, "yaml-directive"), (5, 9, "yaml-tag"), (5, 9, "yaml-ambiguous"), (23, 33, "yaml-ambiguous")]


# --- ledgers ---------------------------------------------------------------------------------


def ledger(*rows: str, header: str = LEDGER_HEADER) -> bytes:
    return (header + "".join(rows)).encode("utf-8")


# case → (ledger bytes, [(location in ledgers/recon/台賬.csv, severity, code)], exit code of check,
#         1.1's actual for 北京市 as of 2024-12-31: the good rows, none lost)
LEDGER_CASES: dict[str, tuple[bytes, list[tuple[str, str, str]], int, int | None]] = {
    # encodings
    "utf8-with-one-gbk-row": (
        ledger(GOOD, GOOD) + "2024-03-01,1.1,海淀區,3,\n".encode("gbk") + GOOD.encode(),
        [("4", "error", "encoding-error")],
        1,
        0,
    ),
    "gbk-with-one-utf8-row": (
        (LEDGER_HEADER + GOOD).encode("gbk") + "2024-03-01,1.1,海淀區,3,\n".encode(),
        [("3:19", "error", "encoding-error")],
        1,
        0,
    ),
    "latin-1": (
        b"date,indicator,area,quantity\n2024-03-01,1.1,Caf\xe9,1\n",
        [("2:19", "error", "encoding-error")],
        1,
        0,
    ),
    "utf-16": (ledger(GOOD).decode().encode("utf-16"), [("1:1", "error", "encoding-error")], 1, 0),
    "xls-saved-as-csv": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), [("", "error", "unreadable")], 1, 0),
    "xlsx-saved-as-csv": (b"PK\x03\x04" + bytes(100), [("", "error", "unreadable")], 1, 0),
    # headers
    "duplicate-header": (
        ledger(GOOD.replace(",\n", ",x\n"), header="日期,指標,地區,數量,數量\n"),
        [("1:5", "error", "duplicate-label")],
        1,
        0,
    ),
    "two-headers-one-field": (
        ledger(GOOD.replace(",\n", ",x\n"), header="日期,指標,地區,數量,完成日期\n"),
        [("1:5", "error", "duplicate-label")],
        1,
        0,
    ),
    "blank-header": (
        ledger("2024-03-01,1.1,x,朝陽區,1\n", header="日期,指標,\u3000,地區,數量\n"),
        [("1:3", "warning", "blank-header")],
        0,
        1,
    ),
    "trailing-blank-header-is-no-column": (
        ledger("2024-03-01,1.1,朝陽區,1,x\n", header="日期,指標,地區,數量,\u3000\n"),
        [("2", "error", "extra-cell")],
        1,
        0,
    ),
    "unknown-column": (
        ledger("2024-03-01,1.1,朝陽區,1,張三\n", header="日期,指標,地區,數量,聯繫人\n"),
        [("1:5", "warning", "unknown-column")],
        0,
        1,
    ),
    "no-date-column": (ledger("1.1,朝陽區,1\n", header="指標,地區,數量\n"), [("1:1", "error", "missing-column")], 1, 0),
    "no-header": (b"", [("1", "error", "missing-column")], 1, 0),
    "title-rows": (
        ("2024年拆違台賬（截至9月）,,,,\n,,,,\n" + LEDGER_HEADER + GOOD).encode(),
        [("1", "warning", "title-rows")],
        0,
        1,
    ),
    "unterminated-quote-in-header": (
        ('日期,指標,地區,數量,"備註\n' + GOOD).encode(),
        [("1", "error", "unterminated-quote")],
        1,
        0,
    ),
    "nul-in-header": (ledger(GOOD, header="日期,指標,地區,數量,備\x00註\n"), [("1", "error", "nul-byte")], 1, 0),
    # rows
    "short-row": (ledger(GOOD, "2024-03-01,1.1,朝陽區\n", GOOD), [("3", "error", "missing-cell")], 1, 2),
    "long-row": (ledger(GOOD, "2024-03-01,1.1,朝陽區,1,,extra\n", GOOD), [("3", "error", "extra-cell")], 1, 2),
    "unquoted-comma": (
        ledger("2024-03-01,1.1,朝陽區,1\n", "2024-03-01,1.1,朝陽區,1,000\n", header="日期,指標,地區,數量\n"),
        [("3", "error", "extra-cell")],
        1,
        1,
    ),
    "empty-required-cell": (ledger(GOOD, "2024-03-01,1.1,,1,\n"), [("3", "error", "missing-cell")], 1, 1),
    "blank-rows": (
        ledger(GOOD, "\n", ",,,,\n", " , ,\u3000, ,\n", GOOD),
        [("3", "warning", "blank-row"), ("4", "warning", "blank-row"), ("5", "warning", "blank-row")],
        0,
        2,
    ),
    "unterminated-quote": (
        ledger(GOOD, '2024-03-01,1.1,朝陽區,5,"never closed\n', GOOD, "2024-03-01,1.1,火星區,1,\n", GOOD),
        [("3", "error", "unterminated-quote"), ("5", "error", "unknown-area")],
        1,
        3,
    ),
    "stray-quote": (ledger(GOOD, '2024-03-01,1.1,朝陽區,5,"x"y\n', GOOD), [("3", "error", "csv-syntax")], 1, 2),
    "field-over-the-csv-limit": (
        ledger(GOOD, "2024-03-01,1.1,朝陽區,5," + "長" * 140_000 + "\n", GOOD),
        [("3", "error", "field-too-large")],
        1,
        2,
    ),
    "nul-byte": (ledger(GOOD, "2024-03-01,1.1,朝陽區,5,a\x00b\n", GOOD), [("3", "error", "nul-byte")], 1, 2),
    "mixed-line-ends": (
        (LEDGER_HEADER + GOOD).replace("\n", "\r\n").encode()
        + GOOD.encode()
        + GOOD.replace("\n", "\r").encode()
        + b"2024-03-01,9.9,x,1,\r\n"
        + GOOD.encode(),
        [("5", "error", "unknown-indicator")],
        1,
        4,
    ),
    "old-mac-line-ends": (
        ledger(GOOD, "2024-03-01,9.9,x,1,\n", GOOD).replace(b"\n", b"\r"),
        [("3", "error", "unknown-indicator")],
        1,
        2,
    ),
    "quoted-multi-line-cells": (
        ledger(
            '2024-03-01,1.1,朝陽區,1,"one\ntwo\r\nthree\rfour"\n',
            "2024-03-01,9.9,朝陽區,1,\n",
            '2024-03-01,1.1,朝陽區,1,"a\n""b"""\n',
            "x,1.1,朝陽區,1,\n",
        ),
        [("6", "error", "unknown-indicator"), ("9", "error", "invalid-date")],
        1,
        2,
    ),
    "bom-in-the-middle": (ledger(GOOD) + b"\xef\xbb\xbf" + GOOD.encode(), [("3", "error", "invalid-date")], 1, 1),
    # values
    "impossible-date": (ledger(GOOD, "2024年2月30日,1.1,朝陽區,1,\n"), [("3", "error", "invalid-date")], 1, 1),
    "no-29-february": (ledger(GOOD, "2023/2/29,1.1,朝陽區,1,\n"), [("3", "error", "invalid-date")], 1, 1),
    "no-such-hour": (ledger(GOOD, "2024-03-01 24:00,1.1,朝陽區,1,\n"), [("3", "error", "invalid-date")], 1, 1),
    "excel-serial-date": (ledger(GOOD, "45352,1.1,朝陽區,1,\n"), [("3", "error", "invalid-date")], 1, 1),
    "date-outside-the-period": (ledger(GOOD, "2023-12-31,1.1,朝陽區,1,\n"), [("3", "error", "out-of-period")], 1, 1),
    "unknown-area": (ledger(GOOD, "2024-03-01,1.1,朝陽門,1,\n"), [("3", "error", "unknown-area")], 1, 1),
    "unknown-indicator": (ledger(GOOD, "2024-03-01,1.9,朝陽區,1,\n"), [("3", "error", "unknown-indicator")], 1, 1),
    "unit-mismatch": (ledger(GOOD, "2024-03-01,1.1,朝陽區,5處,\n"), [("3", "error", "unit-mismatch")], 1, 1),
    "unknown-unit": (ledger(GOOD, "2024-03-01,1.1,朝陽區,5坪,\n"), [("3", "error", "unknown-unit")], 1, 1),
    "duplicate-ref": (
        ledger("2024-03-01,1.1,朝陽區,1,A1\n", "2024-03-02,1.1,朝陽區,1,a1\n", header="日期,指標,地區,數量,編號\n"),
        [("3", "warning", "duplicate-ref")],
        0,
        1,
    ),
    "enormous-number": (
        ledger(GOOD, "2024-03-01,1.1,朝陽區," + "9" * 30 + ",\n"),
        [("3", "error", "invalid-number")],
        1,
        1,
    ),
    "arabic-indic-digit": (ledger(GOOD, "2024-03-01,1.1,朝陽區,٣,\n"), [("3", "error", "invalid-number")], 1, 1),
}

# A broken header row: the next row is then taken for the header, and its problems follow.
HEADER_LOST = {"unterminated-quote-in-header", "nul-in-header"}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(LEDGER_CASES))
def test_bad_ledger(case: str, workspace: Path, cli) -> None:
    data, findings, exit_code, counted = LEDGER_CASES[case]
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(data)
    for at, severity, code in findings:
        where = f"ledgers/recon/台賬.csv:{at}" if at else "ledgers/recon/台賬.csv"
        assert_finding(cli, ["recon"], where, severity, code, exit_code)
    if case not in HEADER_LOST:  # the findings above are all there is about the file
        listed = json.loads(cli("check", "recon", "--format", "json").stdout)["diagnostics"]
        given = {split_location(f"x:{at}")[1]: split_location(f"x:{at}")[2] for at, _, _ in findings}
        about_file = sorted(
            (d["line"] or 0, (d["col"] or 0) if given.get(d["line"]) is not None else 0, d["code"])
            for d in listed
            if d["file"] != "plans/recon.yaml" and d["code"] != "implausible-quantity"
        )
        assert about_file == sorted(
            (split_location(f"x:{at}")[1] or 0, split_location(f"x:{at}")[2] or 0, code) for at, _, code in findings
        )
    assert actual_11(cli) == counted


def actual_11(cli) -> int | None:  # type: ignore[no-untyped-def]
    """1.1's actual for 北京市 as of the plan's end: the rows that were counted."""
    result = cli("progress", "--plan", "recon", "--indicator", "1.1", "--as-of", "2024-12-31", "--format", "json")
    no_crash(result)
    (target,) = [t for t in json.loads(result.stdout)["plans"][0]["targets"] if t["scope"] == "北京市"]
    return target["actual"]


BASIC = (FIXTURES / "ledgers" / "recon" / "basic.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "gbk", "gb18030", "gb18030-crlf", "utf-8-cr"],
)
def test_one_ledger_in_every_encoding_gives_identical_results(encoding: str, workspace: Path, cli) -> None:
    path = workspace / "ledgers" / "recon" / "basic.csv"
    path.write_bytes(BASIC.encode("utf-8"))
    expected = [
        cli(*args).stdout
        for args in (
            ("check", "recon", "--format", "json"),
            ("progress", "--plan", "recon", "--as-of", "2024-06-30", "--format", "json"),
        )
    ]
    text = (
        BASIC.replace("\n", "\r\n")
        if encoding.endswith("-crlf")
        else BASIC.replace("\n", "\r")
        if encoding.endswith("-cr")
        else BASIC
    )
    path.write_bytes(text.encode(encoding.removesuffix("-crlf").removesuffix("-cr")))
    assert path.read_bytes() != BASIC.encode("utf-8") or encoding == "utf-8"
    actual = [
        cli(*args).stdout
        for args in (
            ("check", "recon", "--format", "json"),
            ("progress", "--plan", "recon", "--as-of", "2024-06-30", "--format", "json"),
        )
    ]
    assert actual == expected


ACCEPTED_NUMBERS = {
    "4000": 4000,
    "4,000": 4000,
    "４０００": 4000,
    "４，０００": 4000,
    "1.6萬": 16000,
    "1.6万": 16000,
    "0.4萬平方米": 4000,
    "+5": 5,
    "-5": -5,
    " 12.5 ": 12.5,
    "3萬㎡": 30000,
    "7m2": 7,
}
REFUSED_NUMBERS = {
    **dict.fromkeys(
        [
            "nan",
            "NaN",
            "Infinity",
            "-inf",
            "1_000",
            "(123)",
            "—",
            "-",
            "1e3",
            "4,00",
            "1..2",
            ".5",
            "5.",
            "一千",
            "∞",
            "٣",
            "1 000",
            "1 5",
        ],
        "invalid-number",
    ),
    **dict.fromkeys(["0x10", "4000平方公尺", "5kg"], "unknown-unit"),
}


@pytest.mark.parametrize("text", sorted(ACCEPTED_NUMBERS))
def test_every_number_form_of_domain_4_is_accepted(text: str, workspace: Path, cli) -> None:
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(ledger(f'2024-03-01,1.1,朝陽區,"{text}",\n'))
    result = cli("check", "recon", "--strict", "--ledger", "ledgers/recon/台賬.csv")
    assert result.exit_code == 1 and result.stderr.count("[open-value]") == 1  # the plan's own 20xx人, nothing else
    about_file = [line for line in result.stderr.splitlines() if "台賬.csv" in line]
    assert all(line.endswith("[implausible-quantity]") for line in about_file), about_file  # above 1.1's 1000
    assert actual_11(cli) == ACCEPTED_NUMBERS[text]


@pytest.mark.slow
@pytest.mark.parametrize("text", sorted(REFUSED_NUMBERS))
def test_every_other_number_is_refused_explicitly(text: str, workspace: Path, cli) -> None:
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(ledger(GOOD, f'2024-03-01,1.1,朝陽區,"{text}",\n'))
    line = assert_finding(cli, ["recon"], "ledgers/recon/台賬.csv:3", "error", REFUSED_NUMBERS[text], 1)
    assert "quantity: " in line
    assert actual_11(cli) == 1


def workbook_bytes(*rows: list[object]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged(data: bytes, part: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The workbook with one part of its zip replaced (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = change(source.read(name)) if name == part else source.read(name)
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


GOOD_BOOK = workbook_bytes(
    ["日期", "指標", "地區", "數量"], ["2024-03-01", "1.1", "朝陽區", 1], ["2024-03-01", "1.1", "朝陽區", 2]
)

# case → (workbook bytes, location, 1.1's actual: rows read before the damage)
XLSX_CASES: dict[str, tuple[bytes, str, int]] = {
    "not-a-zip": (b"this is no workbook", "", 0),
    "truncated-zip": (GOOD_BOOK[: len(GOOD_BOOK) // 2], "", 0),
    "garbage-workbook-xml": (damaged(GOOD_BOOK, "xl/workbook.xml", lambda _: b"<<<"), "", 0),
    "no-workbook-xml": (damaged(GOOD_BOOK, "xl/workbook.xml", lambda _: None), "", 0),
    "garbage-styles": (damaged(GOOD_BOOK, "xl/styles.xml", lambda _: b"<<<"), "", 0),
    "no-worksheet": (damaged(GOOD_BOOK, "xl/worksheets/sheet1.xml", lambda _: None), "", 0),
    "sheet-cut-short": (
        damaged(
            GOOD_BOOK, "xl/worksheets/sheet1.xml", lambda xml: xml[: xml.index(b"</row>", xml.index(b"</row>") + 1) + 6]
        ),
        "[Sheet]:3",
        1,
    ),
}


@pytest.mark.parametrize("case", sorted(XLSX_CASES))
def test_a_damaged_workbook_is_unreadable_not_a_crash(case: str, workspace: Path, cli) -> None:
    data, at, counted = XLSX_CASES[case]
    (workspace / "ledgers" / "recon" / "台賬.xlsx").write_bytes(data)
    assert_finding(cli, ["recon"], f"ledgers/recon/台賬.xlsx{at}", "error", "unreadable", 1)
    assert actual_11(cli) == counted


def test_a_ratio_base_in_scientific_notation_is_refused(workspace: Path, cli) -> None:
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(
        ledger("2024-03-01,2.1,海淀區,1,1e-30\n", header="日期,指標,地區,數量,基數\n")
    )
    assert_finding(cli, ["recon"], "ledgers/recon/台賬.csv:2", "error", "invalid-number", 1)


# --- arguments and files --------------------------------------------------------------------


def make_fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)


Setup = Callable[[Path], None]


def nothing(_: Path) -> None:
    pass


def bad_ledger_under(name: str) -> Setup:
    def setup(root: Path) -> None:
        folder = root / "ledgers" / "recon"
        (folder / name).write_bytes(ledger(GOOD, "2024-03-01,9.9,朝陽區,1,\n"))

    return setup


def chinese_plan(root: Path) -> None:
    (root / "plans" / "懷柔 方案（2024）.yaml").write_text(edit("value: 4000", "value: 四千"), encoding="utf-8")


def plan_fifo(root: Path) -> None:
    make_fifo(root / "plans" / "pipe.yaml")


def ledger_fifo(root: Path) -> None:
    make_fifo(root / "ledgers" / "recon" / "pipe.csv")


def empty_folder(root: Path) -> None:
    (root / "empty").mkdir()
    os.chdir(root / "empty")  # monkeypatch.chdir of the workspace fixture restores the folder


# case → (setup, arguments, the first line of stderr that matters (a prefix), its code, exit code)
ARGUMENT_CASES: dict[str, tuple[Setup, list[str], str, str, int]] = {
    "missing-plan-path": (
        nothing,
        ["check", "plans/nope.yaml"],
        "shuzheng: error: no such plan file: plans/nope.yaml",
        "missing-file",
        2,
    ),
    "missing-chinese-plan-path": (
        nothing,
        ["check", "plans/方案.yaml"],
        "shuzheng: error: no such plan file: plans/方案.yaml",
        "missing-file",
        2,
    ),
    "folder-as-plan": (nothing, ["check", "plans/"], "plans/: error: is a folder, not a plan file", "not-a-file", 1),
    "folder-as-plan-without-slash": (
        nothing,
        ["check", "plans"],
        "plans: error: is a folder, not a plan file",
        "not-a-file",
        1,
    ),
    "pipe-as-plan": (
        plan_fifo,
        ["check", "plans/pipe.yaml"],
        "plans/pipe.yaml: error: is not a regular file",
        "not-a-file",
        1,
    ),
    "pipe-as-ledger": (
        ledger_fifo,
        ["check", "recon", "--ledger", "ledgers/recon/pipe.csv"],
        "ledgers/recon/pipe.csv: error: is not a regular file",
        "not-a-file",
        1,
    ),
    "missing-ledger-path": (
        nothing,
        ["check", "recon", "--ledger", "ledgers/recon/nope.csv"],
        "shuzheng: error: --ledger ledgers/recon/nope.csv: no such ledger file or folder",
        "missing-file",
        2,
    ),
    "chinese-ledger-name": (
        bad_ledger_under("拆違台賬（9月） 朝陽.csv"),
        ["check", "recon"],
        "ledgers/recon/拆違台賬（9月） 朝陽.csv:3:2: error: indicator: '9.9'",
        "unknown-indicator",
        1,
    ),
    "chinese-plan-name": (
        chinese_plan,
        ["check", "plans/懷柔 方案（2024）.yaml"],
        "plans/懷柔 方案（2024）.yaml:21:33: error: value: not a number: '四千'",
        "invalid-number",
        1,
    ),
    "unknown-plan-id": (
        nothing,
        ["check", "recno"],
        "shuzheng: error: unknown plan 'recno'; did you mean recon? (known plans: mini, recon)",
        "unknown-plan",
        2,
    ),
    "unknown-plan-id-for-progress": (
        nothing,
        ["progress", "--plan", "mimi", "--as-of", "2024-09-15"],
        "shuzheng: error: unknown plan 'mimi'; did you mean mini?",
        "unknown-plan",
        2,
    ),
    "unknown-district": (
        nothing,
        ["progress", "--district", "朝阳门", "--as-of", "2024-09-15"],
        "shuzheng: error: no loaded plan knows the district '朝阳门'; did you mean 朝陽區?",
        "unknown-area",
        2,
    ),
    "no-such-date": (
        nothing,
        ["progress", "--as-of", "2024年2月30日"],
        "shuzheng: error: --as-of: no such date: '2024年2月30日'",
        "invalid-date",
        2,
    ),
    "not-a-date": (
        nothing,
        ["export", "--as-of", "昨天"],
        "shuzheng: error: --as-of: not a date: '昨天'",
        "invalid-date",
        2,
    ),
    "unknown-status": (
        nothing,
        ["progress", "--status", "done", "--as-of", "2024-09-15"],
        "shuzheng: error: --status 'done' is not a status",
        "usage",
        2,
    ),
    "output-in-a-missing-folder": (
        nothing,
        ["export", "--as-of", "2024-09-15", "--output", "簡報/9月.md"],
        "shuzheng: error: cannot write 簡報/9月.md: the folder 簡報 does not exist",
        "output-error",
        1,
    ),
    "output-is-a-folder": (
        nothing,
        ["export", "--as-of", "2024-09-15", "--output", "ledgers"],
        "shuzheng: error: --output ledgers is a folder, not a regular file",
        "output-not-a-file",
        2,
    ),
    "output-is-an-input": (
        nothing,
        ["export", "--as-of", "2024-09-15", "--output", "plans/recon.yaml"],
        "shuzheng: error: --output plans/recon.yaml is an input file",
        "output-is-input",
        2,
    ),
    "plan-with-errors-for-progress": (
        chinese_plan,
        ["progress", "--plan", "plans/懷柔 方案（2024）.yaml", "--as-of", "2024-09-15"],
        "shuzheng: error: 1 error in plan files",
        "plan-error",
        1,
    ),
    "no-plans-here": (empty_folder, ["check"], "shuzheng: error: no plans: plans has no *.yaml files", "no-plans", 2),
}


@pytest.mark.parametrize("case", sorted(ARGUMENT_CASES))
def test_bad_argument_or_file(case: str, workspace: Path, cli) -> None:
    setup, args, prefix, code, exit_code = ARGUMENT_CASES[case]
    setup(workspace)
    result = cli(*args)
    no_crash(result)
    assert result.exit_code == exit_code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starting {prefix!r} in:\n{result.stderr}"
    assert lines[0].endswith(f" [{code}]")
    if exit_code == 2 or args[0] == "check":
        assert result.stdout == ""  # usage errors before any output; check's findings go to stderr


def test_an_unknown_option_value_is_a_usage_error(workspace: Path, cli) -> None:
    result = cli("check", "--format", "xml")
    no_crash(result)
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json'" in result.stderr


@pytest.mark.parametrize("what", ["plan", "ledger"])
def test_an_unreadable_file_is_an_error_not_a_crash(
    what: str, workspace: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root, where chmod 000 still reads: the refusal is simulated at the OS call."""
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(ledger(GOOD))
    target = (workspace / "plans" / "recon.yaml") if what == "plan" else (workspace / "ledgers" / "recon" / "台賬.csv")
    real_open, real_read_bytes = Path.open, Path.read_bytes

    def refuse(path: Path) -> None:
        if Path(path).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", str(path))

    def open_(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        refuse(self)
        return real_open(self, *args, **kwargs)

    def read_bytes(self: Path) -> bytes:
        refuse(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "open", open_)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    shown = "plans/recon.yaml" if what == "plan" else "ledgers/recon/台賬.csv"
    line = assert_finding(cli, ["recon"], shown, "error", "unreadable", 1)
    assert "Permission denied" in line
    result = cli("progress", "--plan", "recon", "--as-of", "2024-09-15")
    no_crash(result)
    assert result.exit_code == 1


def test_a_ratio_row_above_its_tiny_base_is_rejected_not_a_huge_rate(workspace: Path, cli) -> None:
    """5 handled of a base of 10⁻²⁷ is no rate of 5·10²⁹ %: the row is rejected (above-base), named with
    its position, and the table stays whole."""
    (workspace / "ledgers" / "recon" / "台賬.csv").write_bytes(
        ledger("2024-03-01,2.1,海淀區,5,0.000000000000000000000000001\n", header="日期,指標,地區,數量,基數\n")
    )
    checked = cli("check", "recon")
    no_crash(checked)
    assert checked.exit_code == 1
    assert "ledgers/recon/台賬.csv:2:4: error: quantity: 5 handled of a base of" in checked.stderr
    assert checked.stderr.rstrip().endswith("[above-base]") or "[above-base]" in checked.stderr

    as_json = cli("progress", "--plan", "recon", "--indicator", "2.1", "--as-of", "2024-09-15", "--format", "json")
    no_crash(as_json)
    document = json.loads(as_json.stdout, parse_int=Decimal, parse_float=Decimal)
    assert [(r["line"], r["code"]) for r in document["rejected"]] == [(2, "above-base")]
    assert {t["status"] for t in document["plans"][0]["targets"]} == {"no_data"}

    table = cli("progress", "--plan", "recon", "--indicator", "2.1", "--as-of", "2024-09-15")
    no_crash(table)
    assert "e+" not in table.stdout.lower()
