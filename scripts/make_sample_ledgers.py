#!/usr/bin/env python3
"""Make the sample ledgers that cannot be edited as text, and the broken excerpts of examples/.

    python3 scripts/make_sample_ledgers.py            # rewrites them in the repository
    python3 scripts/make_sample_ledgers.py --out DIR  # writes DIR/ledgers/<plan>/ and DIR/examples/bad-ledgers/ instead

The committed ledgers are the source of truth. The sample ledgers (台賬) of the three shipped
plans are edited where they lie, with two exceptions that stay mechanical:

- ledgers/<plan>/<name>.csv in GB18030 (what Excel on Chinese Windows saves), and
  ledgers/<plan>/<name>.xlsx workbooks, are written from the UTF-8 text
  scripts/sample_ledgers/<plan>/<name>.gb18030.csv and <name>.xlsx.csv, so their rows can
  be read and diffed like the others. A GB18030 file gets CRLF line ends. In a workbook,
  a 日期 cell that reads as an ISO date becomes a date, a 完成量/數量/基數 cell that reads
  as a whole number becomes a number, and an empty cell stays empty.
- examples/bad-ledgers/<plan>/<name>.csv are excerpts of ledgers/<plan>/<name>.csv with one
  row that is wrong on purpose left in (one of each kind of rejection), in that ledger's
  encoding and line ends: its header, up to three lines each side, and the row of
  scripts/sample_ledgers/bad_rows.toml. examples/bad-ledgers/README.md lists where each
  landed. Check them with, e.g.,

      shuzheng check city --ledger examples/bad-ledgers/city     # exit 1, file:line and code of each

Everything else under ledgers/ is plain UTF-8 (with or without a BOM) and edited directly;
this script never writes or deletes it. Its output is byte-for-byte the same on every run
(fixed workbook properties and zip timestamps), so after a run `git status` shows only what
an edit changed.

What the ledgers say (tests/test_sample_ledgers.py holds them to it): a snapshot of the
campaign in mid-September, read with `shuzheng progress --as-of 2024-09-15` (no row is dated
later). At that date the three plans show every status of the report and every measure:
city 拆除違法建設 on track while 城六區 lags and 核心區 is met, one 新增違法建設 (violated),
副中心 stock still above 0, 城六區群租房存量 with no row yet, qualitative tasks; huairou
細化工作方案 overdue with one of ten missing, 門前三包檢查率 with no row, 9.3 with its open
20xx人 target; hailing mid-campaign, afternoons of 9-11 … 9-15 logged road by road. Two rows
of ledgers/city/拆違台賬_2024年7-9月.csv are odd on purpose at warning level: line 2 repeats
the 編號 of the last 1.1 row of 1-6月 (counted once), and line 23 is a correction (-1.2萬).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).resolve().parent / "sample_ledgers"
EXAMPLES = "examples/bad-ledgers"
PLANS = ("city", "huairou", "hailing")
CONTEXT = 3  # lines of the ledger kept on each side of a bad row
FIXED_TIME = dt.datetime(2024, 9, 15, 9, 0, 0)  # workbook properties and zip entries: no clock
DATE_HEADERS = ("日期",)
NUMBER_HEADERS = ("完成量", "數量", "基數")
WIDTHS = {"項目": 24, "地址": 24, "責任單位": 18, "備註": 40}  # other columns are 12 wide


# ---------------------------------------------------------------- text → GB18030 and XLSX


def gb18030_bytes(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gb18030")


def xlsx_cell(header: str, text: str) -> object:
    if text == "":
        return None
    if header in DATE_HEADERS:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if header in NUMBER_HEADERS and text.lstrip("-").isdigit():
        return int(text)
    return text


def xlsx_bytes(text: str) -> bytes:
    # The standard library's XML writer, not lxml's: the bytes must not depend on whether lxml
    # is installed (openpyxl reads this when it is first imported).
    os.environ["OPENPYXL_LXML"] = "False"
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    header, *rows = list(csv.reader(io.StringIO(text)))
    book = Workbook()
    sheet = book.active
    sheet.title = "台賬"
    sheet.append(header)
    for row in rows:
        sheet.append([xlsx_cell(name, value) for name, value in zip(header, row, strict=True)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date | dt.datetime):
                cell.number_format = "yyyy/m/d"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = WIDTHS.get(name, 12)
    sheet.freeze_panes = "A2"
    book.properties.creator = book.properties.lastModifiedBy = "shuzheng sample"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # save_workbook would stamp `modified` with the clock
    fixed = io.BytesIO()  # repacked with fixed timestamps, so the bytes do not change from run to run
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def derived_ledgers() -> dict[str, bytes]:
    """ledgers/<plan>/<name> → bytes, for every text source under scripts/sample_ledgers/."""
    made = {}
    for plan in PLANS:
        for source in sorted((SOURCES / plan).glob("*.csv")):
            name, kind = source.name.removesuffix(".csv").rsplit(".", 1)
            text = source.read_text("utf-8")
            if kind == "gb18030":
                made[f"ledgers/{plan}/{name}.csv"] = gb18030_bytes(text)
            elif kind == "xlsx":
                made[f"ledgers/{plan}/{name}.xlsx"] = xlsx_bytes(text)
            else:
                raise SystemExit(f"{source}: name it <ledger>.gb18030.csv or <ledger>.xlsx.csv")
    return made


# ---------------------------------------------------------------- the broken excerpts


def encoding_of(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def excerpt(ledger: bytes, row: dict, where: str) -> tuple[bytes, int]:
    """The ledger's header, CONTEXT lines each side of `before_line`, and the bad row between; and its line."""
    encoding = encoding_of(ledger)
    lines = ledger.decode(encoding).splitlines(keepends=True)
    before = row["before_line"] - 1  # 0-based index of the line the bad row goes above
    if not 1 <= before <= len(lines):
        raise SystemExit(f"{where}: before_line {row['before_line']} is not a data line of the ledger")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    above = lines[max(1, before - CONTEXT) : before]
    below = lines[before : before + CONTEXT]
    text = "".join([lines[0], *above, row["text"] + newline, *below])
    return text.encode(encoding), 2 + len(above)


def clear(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in sorted(folder.iterdir()):
        if stale.is_file() and stale.suffix.lower() in (".csv", ".xlsx"):
            stale.unlink()


def readme(rejected: list[tuple[str, str]]) -> str:
    return (
        "# Broken sample ledgers\n\n"
        "Made by `scripts/make_sample_ledgers.py` (do not edit by hand): excerpts of the sample\n"
        "ledgers of `ledgers/<plan>/`, each with a row that is wrong on purpose left in.\n"
        "`shuzheng check` rejects exactly these rows (error, exit 1):\n\n"
        + "".join(f"- `{where}` [{code}]\n" for where, code in rejected)
        + "\nTry, from the repository root:\n\n```sh\n"
        + "".join(f"shuzheng check {plan} --ledger {EXAMPLES}/{plan}\n" for plan in PLANS)
        + "```\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT,
        help="folder to write ledgers/<plan>/ and examples/bad-ledgers/<plan>/ into (default: the repository)",
    )
    out: Path = parser.parse_args(argv).out
    made = derived_ledgers()
    for name, data in made.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        print(f"{name}: from scripts/sample_ledgers/")
    for plan in PLANS:
        clear(out / EXAMPLES / plan)
    rejected = []
    bad_rows = tomllib.loads((SOURCES / "bad_rows.toml").read_text("utf-8"))["row"]
    for number, row in enumerate(bad_rows, start=1):
        ledger = f"ledgers/{row['plan']}/{row['file']}"
        data = made[ledger] if ledger in made else (ROOT / ledger).read_bytes()
        text, line = excerpt(data, row, f"bad_rows.toml, row {number}")
        where = f"{EXAMPLES}/{row['plan']}/{row['file']}"
        if (out / where).exists():
            raise SystemExit(f"bad_rows.toml, row {number}: one bad row per file ({where} has one)")
        (out / where).write_bytes(text)
        rejected.append((f"{where}:{line}", row["code"]))
        print(f"{where}:{line}: {row['code']}")
    (out / EXAMPLES / "README.md").write_bytes(readme(rejected).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
