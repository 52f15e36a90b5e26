#!/usr/bin/env python3
"""Make the sample ledgers (台賬) of the three shipped plans, and a set of broken ones.

    python3 scripts/make_sample_ledgers.py            # rewrites ledgers/<plan>/ and examples/bad-ledgers/<plan>/ of the repository
    python3 scripts/make_sample_ledgers.py --out DIR  # writes DIR/ledgers/<plan>/ and DIR/examples/bad-ledgers/<plan>/ instead

Two sets, from one run of one generator:

- ledgers/<plan>/ — what `shuzheng check`, `progress` and `export` read by default. Every
  row is counted: `shuzheng check` finds nothing worse than a warning there. Two rows
  are odd on purpose, at warning level: a duplicate 編號 (listed, counted once) and a
  correction with a negative quantity (counted, and listed).
- examples/bad-ledgers/<plan>/ — the rows that are wrong on purpose (one of each kind of
  rejection of DOMAIN §7), each among up to three good neighbours of the ledger it was
  made for, in that ledger's file name, encoding and habits: an excerpt of the clerk's
  file as it would be with the mistake left in. Check them with, e.g.,

      shuzheng check city --ledger examples/bad-ledgers/city     # exit 1, file:line and code of each

  examples/bad-ledgers/README.md lists where each landed.

The ledgers are a snapshot of the campaign in mid-September: read them with

    shuzheng progress --as-of 2024-09-15

(no row is dated after 2024-09-15). At that date the three plans show every status
of DOMAIN §6 and every measure of §5:

- city (pace 2024-01-01 … 2024-12-31, 70.8% elapsed): 拆除違法建設 at about 68% of
  4000萬平方米 (on_track) while 城六區 lags (behind) and 核心區 is done (met); one
  新增違法建設 (violated); 副中心 stock still above 0 (behind); 城六區群租房存量 has no
  row yet (no_data); qualitative tasks (no_target).
- huairou (pace 重點推進 2024-03-01 … 2024-12-31, 65.0% elapsed): 細化工作方案 due
  2024-02-29 with one of ten still missing (overdue); 門前三包檢查率 with no row (no_data);
  9.3 培訓本地勞動力 with its open 20xx人 target (no_target).
- hailing (2024-09-11 … 2024-09-20, 50% elapsed): mid-campaign, afternoons of 9-11 … 9-15
  logged road by road, some roads missing a day (distinct with key [area, date]).

The files are what district clerks keep: Chinese headers (aliases of DOMAIN §7, varied
from file to file), dates written 2024-03-05, 2024/3/5 or 2024年3月5日, areas in
Traditional, Simplified or without their suffix, quantities as 4,000, 1.2萬 or with
萬平方米; CSV in GB18030 (Excel on Chinese Windows), UTF-8 with BOM and plain UTF-8, and
XLSX. The odd rows are listed in the comment below and tagged bad=… where made.

How the two sets are cut: each ledger is built whole, numbered (編號) and rendered cell
by cell once; the shipped file is that rendering without its rejected rows (so their
編號 are missing from it), the example file is the rejected rows with their neighbours,
lines copied verbatim. Moving a row between the sets changes no other line.

Deterministic: one random.Random(2024), fixed dates, no clock. CSVs are byte-identical
on every run; XLSX files get fixed workbook properties and zip timestamps.
Only *.csv and *.xlsx directly under each <plan>/ folder, and the README.md of
examples/bad-ledgers/, are deleted and rewritten.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import opencc
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2024, 9, 15)
FIXED_TIME = dt.datetime(2024, 9, 15, 9, 0, 0)
PLANS = ("city", "huairou", "hailing")

_T2S = opencc.OpenCC("t2s")


def simp(text: str) -> str:
    return _T2S.convert(text)


# ---------------------------------------------------------------------------
# The rows that are odd on purpose. Each is tagged where it is made (bad=…);
# the script prints where they landed (file:line). Keep them few.
# Rejected rows (errors of `shuzheng check`): written to examples/bad-ledgers/ only.
#   unknown-area    city 1.1: 北京經濟技術開發區 is not an area of the city plan
#   invalid-date    city 9.4: 2024年6月 (no day)
#   unknown-item    city 3.2: 十八里店 is not one of the six declared 試點鄉
#   unit-mismatch   huairou 3.4: 調減糧食種植面積 written in 家, the indicator counts 畝
#   out-of-period   hailing 0.1: a rehearsal on 2024-09-10, before the campaign
# Warning-level rows: kept in ledgers/.
#   duplicate-ref   city 1.1: the last row of 1-6月 copied into the 7-9月 file (same 編號)
#   correction      city 1.1: -1.2萬平方米, 備註 更正 (counted, and listed as a correction)
# ---------------------------------------------------------------------------
REJECTED = ("unknown-area", "invalid-date", "unknown-item", "unit-mismatch", "out-of-period")
CONTEXT = 3  # good rows kept on each side of a rejected row in its example file
EXAMPLES = Path("examples") / "bad-ledgers"

FIELDS = ("date", "indicator", "area", "item", "quantity", "base", "unit", "ref", "department", "location", "note")


@dataclass
class Row:
    date: dt.date | str  # a str only for the deliberately unparseable date
    indicator: str
    area: str  # the plan's spelling; written per the file's habits
    quantity: object = ""  # int, Decimal or ready-made text
    unit: str = ""
    base: object = ""
    item: str = ""
    ref: str = ""
    department: str = ""
    location: str = ""
    note: str = ""
    bad: str = ""  # which deliberate problem this row carries
    area_text: str | None = None  # written exactly so (deliberate rows, aliases)
    copy_of: Row | None = None  # a row copied from another file, 編號 and all
    quantity_text: str | None = None


@dataclass
class LedgerFile:
    plan: str
    name: str
    columns: list[tuple[str, str]]  # (header as written, field)
    encoding: str  # utf-8, utf-8-sig, gb18030, xlsx
    script: str = "trad"  # trad, simp: how free text and headers are written
    date_styles: tuple[tuple[str, int], ...] = (("iso", 1),)
    area_styles: tuple[tuple[str, int], ...] = (("full", 1),)
    number_styles: tuple[tuple[str, int], ...] = (("plain", 1),)
    newline: str = "\n"
    rows: list[Row] = field(default_factory=list)
    sort: bool = True
    ref_prefix: object = None  # str, or row → str; 編號 are numbered in row order when the file is written


rng = random.Random(2024)


def pick(weighted: tuple[tuple[str, int], ...]) -> str:
    names = [n for n, _ in weighted]
    weights = [w for _, w in weighted]
    return rng.choices(names, weights)[0]


# ---------------------------------------------------------------------------
# Writing cells the way clerks do
# ---------------------------------------------------------------------------

SUFFIXES = ("街道", "區", "区", "鎮", "镇", "鄉", "乡")
NO_SHORT = {"懷柔區", "懷柔鎮", "長哨營滿族鄉", "喇叭溝門滿族鄉", "北京市", "城市副中心", "海陵區"}


def short(name: str) -> str:
    if name in NO_SHORT or name.startswith("主干道"):
        return name
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def write_area(f: LedgerFile, name: str) -> str:
    style = pick(f.area_styles)
    if style == "full":
        return name if f.script == "trad" else simp(name)
    if style == "simp":
        return simp(name)
    if style == "trad":
        return name
    if style == "short":
        if name in NO_SHORT:  # 懷柔 alone could be 懷柔區 or 懷柔鎮
            return name if f.script == "trad" else simp(name)
        return short(name) if f.script == "trad" else short(simp(name))
    raise ValueError(style)


def write_date(f: LedgerFile, day: dt.date) -> str:
    style = pick(f.date_styles)
    if style == "iso":
        return day.isoformat()
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    raise ValueError(style)


def dec_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def write_quantity(f: LedgerFile, row: Row) -> tuple[str, str]:
    """(quantity cell, unit cell) for an integer quantity in the indicator's unit."""
    if row.quantity_text is not None:
        return row.quantity_text, row.unit
    q = row.quantity
    if q == "" or q is None:
        return "", row.unit
    if not isinstance(q, int):
        return str(q), row.unit
    unit = row.unit
    wan = "萬" if f.script == "trad" else "万"
    style = pick(f.number_styles)
    if unit == "平方米" and abs(q) >= 10_000:
        if style == "wan":
            return f"{dec_text(Decimal(q) / 10_000)}{wan}", unit
        if style == "wan_unit":
            return dec_text(Decimal(q) / 10_000), f"{wan}平方米"
        if style == "sqm":
            return f"{q}㎡", ""
    if style in ("comma", "wan", "wan_unit", "sqm") and abs(q) >= 1000:
        return f"{q:,}", unit
    return str(q), unit


def cell_values(f: LedgerFile, row: Row) -> dict[str, object]:
    quantity, unit = write_quantity(f, row)
    text = (lambda s: s) if f.script == "trad" else simp
    if isinstance(row.date, str):
        day: object = row.date
    elif f.encoding == "xlsx":
        day = row.date
    else:
        day = write_date(f, row.date)
    values: dict[str, object] = {
        "date": day,
        "indicator": row.indicator,
        "area": row.area_text if row.area_text is not None else write_area(f, row.area),
        "item": text(row.item),
        "quantity": quantity,
        "base": row.base,
        "unit": text(unit),
        "ref": row.ref,
        "department": text(row.department),
        "location": text(row.location),
        "note": text(row.note),
    }
    if f.encoding == "xlsx":
        if isinstance(row.quantity, int) and row.quantity_text is None:
            values["quantity"] = row.quantity
            values["unit"] = text(row.unit)
    else:
        values = {k: ("" if v is None else str(v)) for k, v in values.items()}
    return values


def csv_bytes(f: LedgerFile, rendered: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=f.newline)
    writer.writerow([h for h, _ in f.columns])
    for values in rendered:
        writer.writerow([values[field] for _, field in f.columns])
    text = out.getvalue()
    return text.encode(f.encoding)


def xlsx_bytes(f: LedgerFile, rendered: list[dict[str, object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "台賬" if f.script == "trad" else "台账"
    ws.append([h for h, _ in f.columns])
    for values in rendered:
        ws.append([values[field] if values[field] != "" else None for _, field in f.columns])
    date_col = [fld for _, fld in f.columns].index("date") + 1
    for (cell,) in ws.iter_rows(min_row=2, min_col=date_col, max_col=date_col):
        if isinstance(cell.value, (dt.date, dt.datetime)):
            cell.number_format = "yyyy/m/d"
    for index, (_header, fld) in enumerate(f.columns, start=1):
        width = {"note": 40, "item": 24, "location": 24, "department": 18}.get(fld, 12)
        ws.column_dimensions[ws.cell(1, index).column_letter].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "shuzheng sample"
    wb.properties.lastModifiedBy = "shuzheng sample"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # save_workbook would stamp `modified` with the clock
    # Repack with fixed timestamps so the bytes do not change from run to run.
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 9, 15, 9, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


# ---------------------------------------------------------------------------
# Helpers for making plausible numbers and dates
# ---------------------------------------------------------------------------


def workday(day: dt.date) -> dt.date:
    if day.weekday() == 5:
        return day - dt.timedelta(days=1)
    if day.weekday() == 6:
        return day + dt.timedelta(days=1)
    return day


def month_end(month: int) -> dt.date:
    """The last working day of a month of 2024 (reports are filed then)."""
    day = dt.date(2024, month + 1, 1) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def rand_date(start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    day = workday(day)
    return min(max(day, start), end)


def dates(n: int, start: dt.date, end: dt.date) -> list[dt.date]:
    return sorted(rand_date(start, end) for _ in range(n))


def split(total: int, n: int, step: int = 1) -> list[int]:
    """`total` in n positive parts, multiples of `step` (but the last may absorb the rest)."""
    if n == 1:
        return [total]
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    units = total // step
    parts = [max(1, int(units * w / sum(weights))) for w in weights]
    parts = [p * step for p in parts]
    parts[parts.index(max(parts))] += total - sum(parts)
    assert sum(parts) == total and all(p > 0 for p in parts), (total, parts)
    return parts


class Refs:
    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, prefix: str, width: int = 4) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}-{self.counters[prefix]:0{width}d}"


refs = Refs()

D = dt.date

# ---------------------------------------------------------------------------
# City (市級方案)
# ---------------------------------------------------------------------------

DISTRICTS = (
    "東城區",
    "西城區",
    "朝陽區",
    "海淀區",
    "豐臺區",
    "石景山區",
    "門頭溝區",
    "房山區",
    "通州區",
    "順義區",
    "昌平區",
    "大興區",
    "懷柔區",
    "平谷區",
    "密雲區",
    "延慶區",
)
SIX = DISTRICTS[:6]
OUTER = DISTRICTS[6:]

TOWNS = {
    "東城區": ("東四街道", "交道口街道", "前門街道", "天壇街道"),
    "西城區": ("什剎海街道", "大柵欄街道", "展覽路街道", "德勝街道"),
    "朝陽區": ("崔各莊鄉", "十八里店鄉", "金盞鄉", "孫河鄉", "東壩鄉", "黑莊戶鄉"),
    "海淀區": ("四季青鎮", "西北旺鎮", "海淀鎮", "東升鎮", "溫泉鎮"),
    "豐臺區": ("盧溝橋鄉", "南苑鄉", "花鄉", "王佐鎮", "長辛店鎮"),
    "石景山區": ("五里坨街道", "魯谷街道", "金頂街街道", "八寶山街道"),
    "門頭溝區": ("永定鎮", "龍泉鎮", "潭柘寺鎮"),
    "房山區": ("長陽鎮", "良鄉鎮", "閻村鎮", "竇店鎮"),
    "通州區": ("台湖鎮", "宋莊鎮", "張家灣鎮", "梨園鎮", "潞城鎮"),
    "順義區": ("後沙峪鎮", "天竺鎮", "李橋鎮", "南法信鎮"),
    "昌平區": ("東小口鎮", "北七家鎮", "回龍觀鎮", "沙河鎮", "小湯山鎮"),
    "大興區": ("西紅門鎮", "舊宮鎮", "黃村鎮", "瀛海鎮", "亦莊鎮"),
    "懷柔區": ("雁棲鎮", "楊宋鎮", "廟城鎮"),
    "平谷區": ("馬坊鎮", "興谷街道", "大興莊鎮"),
    "密雲區": ("溪翁莊鎮", "十里堡鎮", "穆家峪鎮"),
    "延慶區": ("康莊鎮", "八達嶺鎮", "延慶鎮"),
}


def district_short(name: str) -> str:
    return name[:-1] if name.endswith("區") else name


def dept(district: str, office: str) -> str:
    return f"{district_short(district)}區{office}" if district.endswith("區") else office


def city_files() -> list[LedgerFile]:
    h1 = LedgerFile(
        "city",
        "拆违台账_2024年1-6月.csv",
        [
            ("日期", "date"),
            ("指标", "indicator"),
            ("地区", "area"),
            ("项目", "item"),
            ("数量", "quantity"),
            ("单位", "unit"),
            ("编号", "ref"),
            ("责任单位", "department"),
            ("地址", "location"),
            ("备注", "note"),
        ],
        "gb18030",
        script="simp",
        date_styles=(("slash", 1),),
        area_styles=(("full", 3), ("short", 2)),
        number_styles=(("comma", 4), ("wan", 3), ("wan_unit", 2)),
        newline="\r\n",
    )
    q3 = LedgerFile(
        "city",
        "拆違台賬_2024年7-9月.csv",
        [
            ("完成日期", "date"),
            ("指標編號", "indicator"),
            ("區域", "area"),
            ("項目", "item"),
            ("完成量", "quantity"),
            ("單位", "unit"),
            ("台賬編號", "ref"),
            ("責任單位", "department"),
            ("地址", "location"),
            ("備註", "note"),
        ],
        "utf-8-sig",
        date_styles=(("iso", 3), ("cn", 2)),
        area_styles=(("full", 3), ("simp", 2), ("short", 1)),
        number_styles=(("comma", 3), ("wan", 3), ("sqm", 1), ("wan_unit", 2)),
        newline="\r\n",
        sort=False,
    )

    # 1.1 拆除違法建設, 平方米. Totals by 2024-09-13 per district (before the deliberate
    # correction): 北京市 ≈ 2717萬 (68% of 4000萬), 城六區 ≈ 797萬 (56% of 1417萬: behind),
    # 核心區 25.6萬 (met 24萬).
    totals = {
        "東城區": (121_000, 3),
        "西城區": (135_000, 3),
        "朝陽區": (3_012_000, 7),
        "海淀區": (2_100_000, 6),
        "豐臺區": (1_900_000, 6),
        "石景山區": (700_000, 4),
        "門頭溝區": (950_000, 3),
        "房山區": (3_000_000, 5),
        "通州區": (3_300_000, 5),
        "順義區": (2_400_000, 4),
        "昌平區": (3_700_000, 6),
        "大興區": (3_500_000, 5),
        "懷柔區": (252_000, 3),
        "平谷區": (800_000, 3),
        "密雲區": (700_000, 3),
        "延慶區": (600_000, 3),
    }
    kinds = (
        "違法建設集中拆除",
        "違建拆除（一期）",
        "違建拆除（二期）",
        "沿線違法建設整治",
        "工業大院拆除騰退",
        "違法建設拆除專項行動",
    )
    rows_11: list[Row] = []
    for district, (total, n) in totals.items():
        for part, day in zip(split(total, n, 100), dates(n, D(2024, 1, 8), D(2024, 9, 13)), strict=False):
            town = rng.choice(TOWNS[district])
            village = town[:-1] if town.endswith(("鎮", "鄉")) else town
            rows_11.append(
                Row(
                    day,
                    "1.1",
                    district,
                    part,
                    "平方米",
                    item=f"{village}{rng.choice(kinds)}",
                    department=dept(district, "城管執法局"),
                    location=f"{district}{town}",
                )
            )
    rows_11.sort(key=lambda r: (r.date, DISTRICTS.index(r.area)))
    h1.rows += [r for r in rows_11 if r.date < D(2024, 7, 1)]
    later = [r for r in rows_11 if r.date >= D(2024, 7, 1)]

    # 1.3 qualitative, 1.4 latest stock in 城市副中心 (still above 0: behind, deadline 2025)
    h1.rows += [
        Row(
            D(2024, 3, 29),
            "1.4",
            "城市副中心",
            865_000,
            "平方米",
            department="通州區城管執法局",
            note="副中心155平方公里範圍內違法建設存量（季度盤點）",
            area_text="副中心",
        ),
        Row(
            D(2024, 5, 20),
            "1.3",
            "石景山區",
            note="制定基本消除違法建設工作方案，全區違建台賬逐一銷號",
            department="石景山區城管執法局",
        ),
        Row(
            D(2024, 6, 28),
            "1.4",
            "城市副中心",
            523_000,
            "平方米",
            department="通州區城管執法局",
            note="副中心違法建設存量（季度盤點）",
        ),
    ]
    h1.rows.sort(key=lambda r: r.date)
    last_h1 = h1.rows[-1] if h1.rows[-1].indicator == "1.1" else [r for r in h1.rows if r.indicator == "1.1"][-1]

    # deliberate: the 7-9月 file starts with the last 1.1 row of 1-6月, copied over (same 編號)
    dup = Row(
        last_h1.date,
        "1.1",
        last_h1.area,
        last_h1.quantity,
        "平方米",
        item=last_h1.item,
        copy_of=last_h1,
        department=last_h1.department,
        location=last_h1.location,
        note="上月末項目，續表",
        bad="duplicate-ref",
    )
    q3_rows = later + [
        Row(
            D(2024, 7, 22),
            "1.1",
            "",
            36_000,
            "平方米",
            item="亦莊開發區違法建設拆除",
            department="北京經濟技術開發區綜合執法局",
            location="北京經濟技術開發區",
            area_text="北京經濟技術開發區",
            bad="unknown-area",
        ),
        Row(
            D(2024, 8, 19),
            "1.2",
            "大興區",
            1,
            "處",
            department="大興區城管執法局",
            location="大興區瀛海鎮",
            note="巡查發現新增違建1處（彩鋼板房約300平方米），已責令限期拆除",
        ),
        Row(
            D(2024, 8, 26),
            "1.1",
            "朝陽區",
            -12_000,
            "平方米",
            item="崔各莊違建拆除（一期）",
            department="朝陽區城管執法局",
            location="朝陽區崔各莊鄉",
            note="更正：7月上報項目面積重複統計，核減1.2萬平方米",
            quantity_text="-1.2萬",
            bad="correction",
        ),
        Row(
            D(2024, 8, 30),
            "1.3",
            "石景山區",
            note="全區違法建設台賬已銷號98%，剩餘點位納入9月拆除計劃",
            department="石景山區城管執法局",
        ),
        Row(
            D(2024, 9, 10),
            "1.4",
            "城市副中心",
            318_000,
            "平方米",
            department="通州區城管執法局",
            note="副中心違法建設存量（月度盤點）",
            area_text="北京城市副中心",
        ),
    ]
    q3_rows.sort(key=lambda r: r.date)
    q3.rows = [dup] + q3_rows
    h1.ref_prefix = q3.ref_prefix = "CG-2024"  # one numbering across the two halves of the year

    # 1.5 / 1.6 拆違示範試點: distinct by item
    pilot = LedgerFile(
        "city",
        "市城管委_拆違示範試點.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("名稱", "item"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 2), ("slash", 1), ("cn", 1)),
        area_styles=(("full", 4), ("simp", 2), ("short", 2)),
    )
    streets = {
        "東城區": ("南鑼鼓巷", "東四六條", "史家胡同", "國子監街", "五道營胡同", "北新橋三條"),
        "西城區": ("煙袋斜街", "西四北頭條", "磚塔胡同", "大柵欄西街", "楊梅竹斜街", "白塔寺東夾道"),
        "朝陽區": ("三里屯路", "工體北路", "朝陽門外大街", "望京街", "酒仙橋路"),
        "海淀區": ("中關村南大街", "學院路", "成府路", "魏公村街", "萬泉河路"),
        "豐臺區": ("麗澤路", "馬家堡東路", "方莊路", "南苑路"),
        "石景山區": ("魯谷路", "古城大街", "八角路", "模式口大街"),
    }
    communities = {
        "東城區": ("交道口", "府學胡同", "新太倉", "東四", "和平里", "安定門", "天壇", "龍潭"),
        "西城區": ("新街口", "展覽路", "月壇", "廣安門內", "白紙坊", "德勝", "金融街", "椿樹"),
        "朝陽區": (
            "團結湖",
            "勁松",
            "雙井",
            "潘家園",
            "八里莊",
            "六里屯",
            "呼家樓",
            "麥子店",
            "左家莊",
            "小關",
            "大屯",
            "望京西園",
            "花家地",
            "北苑",
        ),
        "海淀區": ("清河", "上地", "馬連窪", "甘家口", "紫竹院", "羊坊店", "萬壽路", "田村", "四季青", "香山"),
        "豐臺區": ("東高地", "右安門", "馬家堡", "西羅園", "太平橋", "方莊", "南苑", "大紅門", "宛平", "長辛店"),
        "石景山區": ("永定路", "蘋果園", "八寶山", "魯谷", "老山", "古城", "金頂街", "五里坨"),
        "通州區": ("梨園", "九棵樹"),
        "昌平區": ("回龍觀", "天通苑", "沙河"),
        "大興區": ("西紅門", "舊宮", "觀音寺"),
    }
    pilot_rows = []
    for district, names in streets.items():  # 30 of 100 條: behind
        for name in names:
            pilot_rows.append(
                Row(
                    rand_date(D(2024, 3, 1), D(2024, 9, 13)),
                    "1.5",
                    district,
                    item=name,
                    department=dept(district, "城管執法局"),
                    note=rng.choice(("", "", "驗收合格", "已完成拆違並恢復街面")),
                )
            )
    for district, names in communities.items():  # 66 of 100 個: on track
        for name in names:
            pilot_rows.append(
                Row(
                    rand_date(D(2024, 2, 19), D(2024, 9, 13)),
                    "1.6",
                    district,
                    item=f"{name}社區",
                    department=dept(district, "城管執法局"),
                    note=rng.choice(("", "", "", "社區驗收合格")),
                )
            )
    pilot_rows.sort(key=lambda r: (r.date, r.indicator))
    pilot.ref_prefix = "SF-2024"
    pilot.rows = pilot_rows

    # 1.7 拆後用地綠化實施率: a ratio the plan leaves without a value (no_target)
    green = LedgerFile(
        "city",
        "市園林綠化局_拆後用地綠化.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("區", "area"),
            ("數量", "quantity"),
            ("分母", "base"),
            ("單位", "unit"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 1),),
        area_styles=(("full", 2), ("short", 1)),
    )
    for district, day in zip(
        ("朝陽區", "海淀區", "豐臺區", "大興區", "昌平區", "通州區"),
        (D(2024, 4, 30), D(2024, 5, 31), D(2024, 6, 28), D(2024, 7, 31), D(2024, 8, 30), D(2024, 8, 30)), strict=False,
    ):
        base = rng.randrange(40, 160) * 1000
        done = int(base * rng.uniform(0.55, 0.85)) // 100 * 100
        green.rows.append(
            Row(
                day,
                "1.7",
                district,
                done,
                "平方米",
                base=base,
                department=dept(district, "園林綠化局"),
                note="數量為已綠化面積，分母為拆後用地面積",
            )
        )

    # 2.x 街面秩序
    street = LedgerFile(
        "city",
        "市城管委_街面秩序整治.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("數量", "quantity"),
            ("基數", "base"),
            ("單位", "unit"),
            ("項目", "item"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 3), ("slash", 1)),
        area_styles=(("full", 3), ("simp", 1), ("short", 1)),
        number_styles=(("comma", 1), ("plain", 1)),
    )
    # 2.1 舉報查處率 by month, whole city: 98.9%, not 100% (behind)
    for month in range(1, 9):
        reports = rng.randrange(900, 1500)
        handled = reports - rng.choice((0, 3, 8, 12, 15, 21))
        street.rows.append(
            Row(
                month_end(month),
                "2.1",
                "北京市",
                handled,
                "件",
                base=reports,
                department="市城管執法局",
                note=f"{month}月12345占道經營舉報查處情況",
            )
        )
    street.rows.append(
        Row(
            D(2024, 4, 15), "2.3", "北京市", department="市城管委", note="各區完成門前三包責任書換簽，沿街單位簽約率95%"
        )
    )
    street.rows.append(
        Row(D(2024, 8, 20), "2.3", "北京市", department="市城管委", note="門前三包示範街創建26條，納入街長制考核")
    )
    street.rows.append(
        Row(D(2024, 5, 10), "2.4", "北京市", department="市市場監管局", note="全市存量無證無照經營較年初下降31%")
    )
    street.rows.append(
        Row(D(2024, 8, 30), "2.4", "北京市", department="市市場監管局", note="存量下降48%，朝陽、豐臺降幅低於全市平均")
    )
    # 2.5 開墻打洞, approx 1.6萬 / 1.56萬: about 70% of both
    holes = {
        "東城區": 1050,
        "西城區": 1320,
        "朝陽區": 3400,
        "海淀區": 2150,
        "豐臺區": 2300,
        "石景山區": 680,
        "通州區": 180,
        "昌平區": 140,
        "大興區": 110,
    }
    for district, total in holes.items():
        n = 1 if total < 500 else 3 if total < 2500 else 4
        for part, day in zip(split(total, n), dates(n, D(2024, 2, 26), D(2024, 9, 13)), strict=False):
            street.rows.append(
                Row(
                    day,
                    "2.5",
                    district,
                    part,
                    "處",
                    department=dept(district, "城管執法局"),
                    note=rng.choice(("", "", "封堵恢復原貌", "聯合工商、規劃部門整治")),
                )
            )
    street.rows.sort(key=lambda r: (r.date, r.indicator))
    street.ref_prefix = "JM-2024"

    # 2.2 重點點位銷賬: distinct points, far behind 1009 (銷賬 needs the 市城管委's acceptance)
    points = LedgerFile(
        "city",
        "市城管委_重點點位銷賬.csv",
        [
            ("日期", "date"),
            ("指標編號", "indicator"),
            ("區域", "area"),
            ("點位", "item"),
            ("台賬編號", "ref"),
            ("責任單位", "department"),
            ("地址", "location"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 1),),
        area_styles=(("full", 2), ("simp", 1)),
    )
    spots = ("北口", "南口", "東側", "西側", "地鐵站A口", "地鐵站B口", "公交站周邊", "菜市場門前", "天橋下", "十字路口")
    chosen: list[tuple[str, str]] = []
    while len(chosen) < 55:
        district = rng.choice(tuple(streets))
        name = f"{rng.choice(streets[district])}{rng.choice(spots)}"
        if (district, name) not in chosen:
            chosen.append((district, name))
    for (district, name), day in zip(chosen, dates(len(chosen), D(2024, 4, 8), D(2024, 9, 13)), strict=False):
        points.rows.append(
            Row(
                day,
                "2.2",
                district,
                item=name,
                department=dept(district, "城管執法局"),
                location=f"{district}{name}",
                note=rng.choice(("", "驗收銷賬", "占道經營清零，驗收銷賬")),
            )
        )

    points.ref_prefix = "XD-2024"

    # 3.x 城鄉結合部, 4.1 老舊小區
    rural = LedgerFile(
        "city",
        "市住房城鄉建設委_城鄉結合部和老舊小區.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 2), ("cn", 1)),
        area_styles=(("full", 3), ("simp", 1), ("short", 1)),
        number_styles=(("comma", 2), ("wan", 2), ("wan_unit", 1)),
    )
    villages = {
        "朝陽區": ("何各莊村", "黑橋村", "南皋村", "小紅門村", "東壩村", "金盞村", "孫河村"),
        "海淀區": ("西北旺村", "東升村", "四季青村", "溫泉村"),
        "豐臺區": ("大紅門村", "果園村", "新發地村", "盧溝橋村"),
        "石景山區": ("五里坨村", "雙峪村"),
        "昌平區": ("東小口村", "北七家村", "史各莊村"),
        "大興區": ("西紅門村", "瀛海村", "舊宮村"),
        "通州區": ("台湖村", "宋莊村"),
        "順義區": ("後沙峪村", "天竺村"),
        "房山區": ("長陽村", "閻村"),
    }
    # 3.1: 北京市 64 of 100 (on track), the four districts 26 of 51 (behind)
    done_31 = {
        "朝陽區": 11,
        "海淀區": 6,
        "豐臺區": 6,
        "石景山區": 3,
        "昌平區": 12,
        "大興區": 11,
        "通州區": 6,
        "順義區": 5,
        "房山區": 4,
    }
    for district, total in done_31.items():
        n = max(1, min(3, total // 4))
        for part, day in zip(split(total, n), dates(n, D(2024, 3, 1), D(2024, 9, 13)), strict=False):
            names = rng.sample(villages[district], min(2, len(villages[district])))
            rural.rows.append(
                Row(
                    day,
                    "3.1",
                    district,
                    part,
                    "個",
                    item=f"{'、'.join(names)}等{part}個村（社區）",
                    department=dept(district, "住房城鄉建設委"),
                    note="通過市級驗收",
                )
            )
    # 3.2 milestone: 4 of 6 試點鄉 (on track); 十八里店 is not one of them (deliberate)
    for day, name in (
        (D(2024, 4, 18), "來廣營鄉"),
        (D(2024, 5, 30), "太阳宫"),
        (D(2024, 7, 12), "將台鄉"),
        (D(2024, 8, 28), "南磨房"),
    ):
        rural.rows.append(
            Row(day, "3.2", "朝陽區", item=name, department="朝陽區政府", note="試點任務完成，通過市級驗收")
        )
    rural.rows.append(
        Row(
            D(2024, 6, 20),
            "3.2",
            "朝陽區",
            item="十八里店",
            department="朝陽區政府",
            note="十八里店鄉試點任務完成",
            bad="unknown-item",
        )
    )
    rural.rows.append(
        Row(
            D(2024, 5, 15),
            "3.3",
            "朝陽區",
            item="東壩",
            department="朝陽區政府",
            note="第二批試點：東壩、東風、三間房、平房、管莊鄉規劃綜合實施方案已上報",
        )
    )
    rural.rows.append(
        Row(D(2024, 7, 25), "3.3", "大興區", item="舊宮鎮", department="大興區政府", note="舊宮鎮試點啟動拆遷騰退")
    )
    # 3.4 拆遷騰退: 312.6萬 of 305萬 (met)
    demolish = {"朝陽區": 820_000, "海淀區": 410_000, "豐臺區": 530_000, "大興區": 760_000, "昌平區": 606_000}
    for district, total in demolish.items():
        n = 3 if total > 600_000 else 2
        for part, day in zip(split(total, n, 1000), dates(n, D(2024, 2, 20), D(2024, 8, 30)), strict=False):
            rural.rows.append(
                Row(
                    day,
                    "3.4",
                    district,
                    part,
                    "平方米",
                    item=f"{rng.choice(villages[district])}拆遷騰退",
                    department=dept(district, "住房城鄉建設委"),
                )
            )
    # 3.5 milestone: all six plans compiled (met)
    for day, area, name in (
        (D(2024, 3, 28), "海淀區", "海淀鎮"),
        (D(2024, 4, 12), "海淀區", "東升鎮"),
        (D(2024, 5, 9), "豐臺區", "盧溝橋鄉"),
        (D(2024, 5, 24), "豐臺區", "南苑鄉"),
        (D(2024, 6, 14), "昌平區", "東小口鎮"),
        (D(2024, 7, 5), "大興區", "首農集團南郊農場"),
    ):
        rural.rows.append(
            Row(day, "3.5", area, item=name, department="市規劃自然資源委", note="實施方案編制完成，報市政府審議")
        )
    # 4.1 老舊小區: 東城 2/2, 西城 1/3, 朝陽 1/1, 海淀 0/1, 豐臺 1/1, 石景山 1/1
    for day, area, name in (
        (D(2024, 5, 17), "東城區", "光明樓小區"),
        (D(2024, 8, 9), "東城區", "新中街小區"),
        (D(2024, 7, 19), "西城區", "真武廟小區"),
        (D(2024, 6, 21), "朝陽區", "勁松一區"),
        (D(2024, 8, 23), "豐臺區", "方莊芳古園"),
        (D(2024, 9, 6), "石景山區", "魯谷小區"),
    ):
        rural.rows.append(
            Row(
                day,
                "4.1",
                area,
                1,
                "個",
                item=name,
                department=dept(area, "住房城鄉建設委"),
                note="抗震加固、節能改造完成，通過竣工驗收",
            )
        )
    rural.rows.sort(key=lambda r: (r.date, r.indicator))
    rural.ref_prefix = "ZJ-2024"

    # 5.x 核心區和重點區域
    core = LedgerFile(
        "city",
        "核心區和重點區域整治.csv",
        [
            ("時間", "date"),
            ("任務編號", "indicator"),
            ("地區", "area"),
            ("名稱", "item"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("cn", 1),),
        area_styles=(("full", 1),),
    )
    core.rows += [
        Row(
            D(2024, 4, 26),
            "5.1",
            "東城區",
            item="簋街片區",
            department="東城區政府",
            note="簋街片區違法建設拆除、牌匾規範完成",
        ),
        Row(
            D(2024, 8, 16),
            "5.1",
            "西城區",
            item="什剎海街道",
            department="西城區政府",
            note="什剎海地區無證無照經營、地下空間散租住人清零",
        ),
        Row(
            D(2024, 6, 7),
            "5.3",
            "朝陽區",
            item="蕭太后河水系",
            department="朝陽區政府",
            note="蕭太后河沿線環境整治一期完工",
        ),
        Row(
            D(2024, 7, 12),
            "5.3",
            "海淀區",
            item="中關村大街",
            department="海淀區政府",
            note="中關村大街沿線違建拆除、架空線入地",
        ),
        Row(
            D(2024, 9, 4),
            "5.3",
            "石景山區",
            item="首鋼主廠區北區周邊地區",
            department="石景山區政府",
            note="首鋼北區周邊環境提升方案實施過半",
        ),
    ]
    # 5.2 文物騰退: 8 of 11 (on track)
    relics = (
        ("西城區", "瀏陽會館"),
        ("西城區", "粵東新館"),
        ("西城區", "晉江會館"),
        ("西城區", "中山會館"),
        ("西城區", "南海會館"),
        ("西城區", "沈家本故居"),
        ("東城區", "福州新館"),
        ("東城區", "蔡元培故居"),
    )
    for (area, name), day in zip(relics, dates(len(relics), D(2024, 2, 26), D(2024, 9, 13)), strict=False):
        core.rows.append(Row(day, "5.2", area, item=name, department="市文物局", note="騰退完成，移交文物部門"))
    core.rows.sort(key=lambda r: (r.date, r.indicator))
    core.ref_prefix = "WW-2024"

    # 6.x, 7.x 產業和市場疏解 (XLSX)
    markets = LedgerFile(
        "city",
        "市發展改革委_產業和市場疏解.xlsx",
        [
            ("日期", "date"),
            ("指標編號", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("完成量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "xlsx",
        area_styles=(("full", 3), ("simp", 1), ("short", 1)),
    )

    def batches(
        indicator: str, unit: str, plan: dict[str, int], label: str, office: str, start: D = D(2024, 1, 15)
    ) -> None:
        for district, total in plan.items():
            n = 1 if total < 6 else 2 if total < 30 else 3
            n = min(n, total)
            for part, day in zip(split(total, n), dates(n, start, D(2024, 9, 13)), strict=False):
                town = rng.choice(TOWNS[district])
                markets.rows.append(
                    Row(day, indicator, district, part, unit, item=f"{town}{label}", department=dept(district, office))
                )

    # 6.1: 北京市 372 of 500 (on track), 城六區 151 of 148 (met)
    batches(
        "6.1",
        "家",
        {
            "朝陽區": 46,
            "海淀區": 31,
            "豐臺區": 42,
            "石景山區": 14,
            "東城區": 8,
            "西城區": 10,
            "大興區": 70,
            "通州區": 48,
            "房山區": 52,
            "順義區": 51,
        },
        "一般製造業企業疏解退出",
        "經濟和信息化局",
    )
    # 6.2: 北京市 1410 of 2570 (behind), 城六區 470 of 612 (on track)
    batches(
        "6.2",
        "家",
        {
            "朝陽區": 152,
            "海淀區": 96,
            "豐臺區": 148,
            "石景山區": 74,
            "大興區": 310,
            "通州區": 220,
            "房山區": 170,
            "昌平區": 130,
            "順義區": 110,
        },
        "散亂污企業清理整治",
        "生態環境局",
    )
    # 7.2 疏解清退市場 56 of 77 (on track), 7.3 升級改造市場 22 of 43 (behind); 7.1 itself has no rows of its own
    batches(
        "7.2",
        "個",
        {"朝陽區": 14, "豐臺區": 16, "海淀區": 9, "西城區": 5, "東城區": 3, "大興區": 9},
        "市場疏解清退",
        "商務局",
    )
    batches("7.3", "個", {"朝陽區": 6, "海淀區": 5, "豐臺區": 4, "西城區": 3, "通州區": 4}, "市場升級改造", "商務局")
    # 7.4 物流中心: 北京市 20 of 38 (behind), 城六區 9 of 13 (on track)
    batches(
        "7.4", "個", {"朝陽區": 4, "豐臺區": 3, "海淀區": 2, "大興區": 6, "通州區": 5}, "物流中心疏解提升", "商務局"
    )
    # 7.7 蔬菜零售網點: 148 of 200 (on track)
    batches(
        "7.7",
        "個",
        {"朝陽區": 30, "海淀區": 26, "豐臺區": 22, "東城區": 12, "西城區": 14, "昌平區": 24, "大興區": 20},
        "社區菜店及生鮮超市",
        "商務局",
    )
    # 7.5 milestone 3 of 4 (on track), 7.6 milestone 1 of 3 (behind)
    markets.rows += [
        Row(
            D(2024, 3, 29),
            "7.5",
            "西城區",
            item="動物園地區",
            department="西城區政府",
            note="動物園地區批發市場全部撤市",
        ),
        Row(
            D(2024, 6, 27),
            "7.5",
            "豐臺區",
            item="大紅門地區",
            department="豐臺區政府",
            note="大紅門地區市場撤并升級完成",
        ),
        Row(D(2024, 8, 30), "7.5", "西城區", item="天意", department="西城區政府", note="天意市場外遷完成"),
        Row(D(2024, 7, 31), "7.6", "西城區", item="官園", department="西城區政府", note="官園批發市場調整疏解完成"),
    ]
    markets.rows.sort(key=lambda r: (r.date, r.indicator))
    markets.ref_prefix = "FG-2024"

    # 8.x 公共服務
    public = LedgerFile(
        "city",
        "市教委_市衛生健康委_公共服務疏解.csv",
        [
            ("完成日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8-sig",
        date_styles=(("cn", 2), ("iso", 1)),
        area_styles=(("full", 2), ("short", 1)),
        newline="\r\n",
    )
    # 8.1: 24 of 31 (on track), 城六區 17 of 20 (on track)
    for district, total in {
        "海淀區": 6,
        "朝陽區": 5,
        "西城區": 3,
        "東城區": 2,
        "豐臺區": 1,
        "昌平區": 4,
        "大興區": 3,
    }.items():
        n = 2 if total > 3 else 1
        for part, day in zip(split(total, n), dates(n, D(2024, 2, 1), D(2024, 9, 13)), strict=False):
            public.rows.append(
                Row(day, "8.1", district, part, "個", item="培訓機構壓縮", department=dept(district, "教委"))
            )
    public.rows += [
        Row(D(2024, 4, 16), "8.2", "昌平區", item="北京信息科技大學新校區", department="市教委", note="新校區開工建設"),
        Row(D(2024, 6, 5), "8.2", "懷柔區", item="北京電影學院懷柔校區", department="市教委", note="懷柔校區開工建設"),
        Row(
            D(2024, 8, 27),
            "8.2",
            "房山區",
            item="北京工商大学良乡校区二期",
            department="市教委",
            note="二期新建工程開工",
        ),
        Row(D(2024, 6, 28), "8.3", "豐臺區", item="天壇醫院新院", department="市衛生健康委", note="天壇醫院新院試運行"),
        Row(D(2024, 5, 22), "8.4", "順義區", item="友誼醫院順義院區", department="市衛生健康委", note="主體結構封頂"),
        Row(
            D(2024, 8, 28),
            "8.4",
            "大興區",
            item="同仁醫院亦莊院區擴建",
            department="市衛生健康委",
            note="擴建工程二次結構施工",
        ),
    ]
    public.rows.sort(key=lambda r: (r.date, r.indicator))
    public.ref_prefix = lambda r: "JW-2024" if r.indicator in ("8.1", "8.2") else "WJ-2024"

    # 9.x 地下空間和群租房 (GB18030, Simplified)
    under = LedgerFile(
        "city",
        "地下空间和群租房整治台账.csv",
        [
            ("日期", "date"),
            ("指标编号", "indicator"),
            ("区域", "area"),
            ("完成量", "quantity"),
            ("单位", "unit"),
            ("编号", "ref"),
            ("责任单位", "department"),
            ("地址", "location"),
            ("备注", "note"),
        ],
        "gb18030",
        script="simp",
        date_styles=(("slash", 3), ("iso", 1)),
        area_styles=(("full", 3), ("short", 2)),
        number_styles=(("comma", 1), ("plain", 2)),
        newline="\r\n",
    )

    def spread(indicator: str, unit: str, plan: dict[str, int], office: str, start: D = D(2024, 1, 15)) -> None:
        for district, total in plan.items():
            n = 1 if total < 20 else 2 if total < 400 else 3
            for part, day in zip(split(total, n), dates(n, start, D(2024, 9, 13)), strict=False):
                under.rows.append(
                    Row(
                        day,
                        indicator,
                        district,
                        part,
                        unit,
                        department=dept(district, office),
                        location=f"{district}{rng.choice(TOWNS[district])}",
                    )
                )

    # 9.1: 520 of 684 (on track), 城六區 508 of 669 (on track)
    spread(
        "9.1",
        "處",
        {
            "朝陽區": 168,
            "海淀區": 112,
            "豐臺區": 118,
            "東城區": 36,
            "西城區": 42,
            "石景山區": 32,
            "昌平區": 7,
            "大興區": 5,
        },
        "住房城鄉建設委",
    )
    # 9.2 存量 by district: every district's latest count is 0 (met, 清零)
    for district in ("朝陽區", "海淀區", "豐臺區", "東城區", "西城區", "石景山區"):
        under.rows.append(
            Row(
                rand_date(D(2024, 3, 25), D(2024, 3, 29)),
                "9.2",
                district,
                rng.randrange(4, 40),
                "處",
                department=dept(district, "住房城鄉建設委"),
                note="一季度末存量",
            )
        )
        under.rows.append(
            Row(
                rand_date(D(2024, 8, 26), D(2024, 8, 30)),
                "9.2",
                district,
                0,
                "處",
                department=dept(district, "住房城鄉建設委"),
                note="已清零，動態監測",
            )
        )
    # 9.3: 280 of 274 (met), 城六區 272 of 269 (met)
    spread(
        "9.3",
        "處",
        {"朝陽區": 86, "海淀區": 64, "豐臺區": 58, "西城區": 24, "東城區": 18, "石景山區": 22, "大興區": 8},
        "住房城鄉建設委",
    )
    # 9.4: 北京市 4700 of 7000 (on track), 城六區 3250 of 5600 (behind)
    spread(
        "9.4",
        "戶",
        {
            "朝陽區": 1160,
            "海淀區": 780,
            "豐臺區": 690,
            "石景山區": 240,
            "東城區": 160,
            "西城區": 220,
            "昌平區": 620,
            "大興區": 480,
            "通州區": 350,
        },
        "公安分局",
    )
    under.rows.sort(key=lambda r: (r.date, r.indicator))
    under.ref_prefix = "ZJ-DX"
    # deliberate: a date without its day
    bad_date = Row(
        "2024年6月",
        "9.4",
        "昌平區",
        35,
        "戶",
        department="昌平分局",
        location="昌平區回龍觀鎮",
        note="6月集中整治",
        bad="invalid-date",
    )
    at = next(i for i, r in enumerate(under.rows) if r.date >= D(2024, 6, 20))
    under.rows.insert(at, bad_date)
    under.sort = False

    # 10.x 棚改、直管公房、商改住
    housing = LedgerFile(
        "city",
        "棚改_直管公房_商改住.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 2), ("dot", 1)),
        area_styles=(("full", 2), ("simp", 1), ("short", 1)),
        number_styles=(("comma", 2), ("plain", 1)),
    )
    # 10.1: 北京市 2.35萬 of 3.6萬 (on track), 城六區 1.9萬 of 3萬 (on track)
    for district, total in {
        "朝陽區": 6200,
        "豐臺區": 5100,
        "海淀區": 2900,
        "東城區": 2100,
        "西城區": 2000,
        "石景山區": 700,
        "通州區": 2400,
        "房山區": 2100,
    }.items():
        n = 2 if total < 3000 else 3
        for part, day in zip(split(total, n, 10), dates(n, D(2024, 1, 22), D(2024, 9, 13)), strict=False):
            housing.rows.append(
                Row(
                    day,
                    "10.1",
                    district,
                    part,
                    "戶",
                    item=f"{rng.choice(TOWNS[district])}棚戶區改造項目",
                    department=dept(district, "住房城鄉建設委"),
                    note=rng.choice(("", "完成徵收", "簽約搬遷完成")),
                )
            )
    housing.rows += [
        Row(
            D(2024, 5, 31),
            "10.2",
            "大興區",
            item="大興區",
            department="市規劃自然資源委",
            note="定向安置房地塊規劃綜合實施方案獲批",
        ),
        Row(
            D(2024, 8, 15),
            "10.2",
            "房山區",
            item="房山区",
            department="市規劃自然資源委",
            note="規劃編制完成，具備開工條件",
        ),
        Row(D(2024, 9, 6), "10.2", "順義區", item="顺义", department="市規劃自然資源委", note="規劃編制完成"),
        Row(D(2024, 4, 19), "10.3", "東城區", department="東城區住房城鄉建設委", note="清理直管公房轉租轉借412戶"),
        Row(
            D(2024, 7, 26),
            "10.3",
            "西城區",
            department="西城區住房城鄉建設委",
            note="清理直管公房轉租轉借538戶，收回改變用途房屋27間",
        ),
        Row(
            D(2024, 6, 14),
            "10.4",
            "朝陽區",
            item="朝陽區",
            department="朝陽區住房城鄉建設委",
            note="排查商改住項目46個，整改31個",
        ),
        Row(
            D(2024, 9, 2),
            "10.4",
            "通州區",
            item="通州區",
            department="通州區住房城鄉建設委",
            note="嚴控商改住增量，新增0個",
        ),
    ]
    housing.rows.sort(key=lambda r: (r.date, r.indicator))
    housing.ref_prefix = "PG-2024"

    return [h1, q3, pilot, green, street, points, rural, core, markets, public, under, housing]


# ---------------------------------------------------------------------------
# Huairou (懷柔區實施方案)
# ---------------------------------------------------------------------------

HR_AREAS = (
    "泉河街道",
    "龍山街道",
    "懷柔鎮",
    "雁棲鎮",
    "廟城鎮",
    "北房鎮",
    "楊宋鎮",
    "橋梓鎮",
    "懷北鎮",
    "湯河口鎮",
    "渤海鎮",
    "九渡河鎮",
    "琉璃廟鎮",
    "寶山鎮",
    "長哨營滿族鄉",
    "喇叭溝門滿族鄉",
)
HR_PLAIN = HR_AREAS[:9]  # the towns near the city, where most of the work is
HR_START = D(2024, 3, 1)
HR_END = D(2024, 9, 13)


def huairou_files() -> list[LedgerFile]:
    cg = LedgerFile(
        "huairou",
        "區城管執法局_拆違和占道經營.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("街鄉", "area"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("基數", "base"),
            ("項目", "item"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("地址", "location"),
            ("備註", "note"),
        ],
        "utf-8-sig",
        date_styles=(("iso", 2), ("cn", 1)),
        area_styles=(("full", 3), ("simp", 1), ("short", 1)),
        number_styles=(("comma", 2), ("wan", 2), ("wan_unit", 1), ("plain", 1)),
        newline="\r\n",
    )
    # 1.1: 25.2萬 of 35.4萬 (on track)
    parts_11 = split(252_000, 24, 100)
    for part, day in zip(parts_11, dates(24, HR_START, HR_END), strict=False):
        town = rng.choice(HR_PLAIN + ("渤海鎮", "九渡河鎮"))
        cg.rows.append(
            Row(
                day,
                "1.1",
                town,
                part,
                "平方米",
                item=f"{town[:-2] if town.endswith('街道') else town[:-1]}違法建設拆除",
                department=f"{town}政府" if not town.endswith("街道") else f"{town}辦事處",
                location=f"懷柔區{town}",
            )
        )
    # 2.1 查處占道經營: 340 of 515 (on track)
    for part, day in zip(split(340, 14), dates(14, HR_START, HR_END), strict=False):
        cg.rows.append(
            Row(
                day,
                "2.1",
                rng.choice(("泉河街道", "龍山街道", "懷柔鎮", "雁棲鎮", "廟城鎮")),
                part,
                "件",
                department="區城管執法局",
            )
        )
    # 2.2 舉報查處率: 100% (met)
    for month in range(3, 9):
        n = rng.randrange(18, 45)
        cg.rows.append(
            Row(
                month_end(month),
                "2.2",
                "懷柔區",
                n,
                "件",
                base=n,
                department="區城管執法局",
                note=f"{month}月舉報{n}件，全部查處",
            )
        )
    cg.rows.sort(key=lambda r: (r.date, r.indicator))
    cg.ref_prefix = "HRCG-2024"

    sq = LedgerFile(
        "huairou",
        "區城市管理委_門前三包.csv",
        [
            ("日期", "date"),
            ("指標編號", "indicator"),
            ("地區", "area"),
            ("完成量", "quantity"),
            ("分母", "base"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 1), ("slash", 1)),
        area_styles=(("full", 2), ("short", 2)),
    )
    bases = {"泉河街道": 812, "龍山街道": 764, "懷柔鎮": 455, "雁棲鎮": 390, "廟城鎮": 268}
    # 2.3 簽訂率 98.6% (behind), 2.4 知曉率 about 96% (behind), 2.5 履約率 100% (met); 2.6 檢查率 no row (no_data)
    for indicator, gaps, day in (
        ("2.3", (5, 3, 0, 4, 0), D(2024, 4, 12)),
        ("2.4", (31, 22, 16, 19, 8), D(2024, 6, 21)),
        ("2.5", (0, 0, 0, 0, 0), D(2024, 8, 23)),
    ):
        for (area, base), gap in zip(bases.items(), gaps, strict=False):
            sq.rows.append(
                Row(
                    workday(day + dt.timedelta(days=rng.randrange(0, 5))),
                    indicator,
                    area,
                    base - gap,
                    "戶",
                    base=base,
                    department=f"{area}{'辦事處' if area.endswith('街道') else '政府'}",
                )
            )

    sq.ref_prefix = "HRCS-2024"
    sc = LedgerFile(
        "huairou",
        "區市場監管局_無證無照和開墻打洞.csv",
        [
            ("時間", "date"),
            ("指標", "indicator"),
            ("區域", "area"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("名稱", "item"),
            ("台賬編號", "ref"),
            ("責任單位", "department"),
            ("地址", "location"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 1),),
        area_styles=(("full", 1), ("simp", 1)),
    )
    shops = ("五金店", "小吃店", "便利店", "理髮店", "廢品收購點", "維修部", "菜店", "洗車點")
    # 2.7 無證無照: 36 of 36 (met); 2.8 開墻打洞: 10 of 22 (behind)
    for part, day in zip(split(36, 9), dates(9, HR_START, HR_END), strict=False):
        area = rng.choice(HR_PLAIN)
        sc.rows.append(
            Row(
                day,
                "2.7",
                area,
                part,
                "戶",
                item=f"{area}{rng.choice(shops)}等",
                department="區市場監管局",
                location=f"懷柔區{area}",
            )
        )
    for part, day in zip(split(10, 5), dates(5, HR_START, HR_END), strict=False):
        area = rng.choice(("泉河街道", "龍山街道", "懷柔鎮"))
        sc.rows.append(
            Row(
                day,
                "2.8",
                area,
                part,
                "戶",
                item=f"{area}沿街{rng.choice(shops)}",
                department="區城管執法局",
                location=f"懷柔區{area}",
                note="封堵恢復原貌",
            )
        )
    sc.rows.sort(key=lambda r: (r.date, r.indicator))
    sc.ref_prefix = "HRSJ-2024"

    ind = LedgerFile(
        "huairou",
        "区经济信息化局_产业疏解台账.csv",
        [
            ("日期", "date"),
            ("指标编号", "indicator"),
            ("街乡", "area"),
            ("名称", "item"),
            ("完成量", "quantity"),
            ("单位", "unit"),
            ("编号", "ref"),
            ("责任单位", "department"),
            ("备注", "note"),
        ],
        "gb18030",
        script="simp",
        date_styles=(("slash", 1),),
        area_styles=(("full", 2), ("short", 1)),
        number_styles=(("comma", 1), ("plain", 2)),
        newline="\r\n",
    )
    firms = ("建材有限公司", "塑料製品廠", "機械加工廠", "印刷廠", "傢俱廠", "石材加工廠", "包裝製品有限公司", "鑄造廠")

    def town_word(area: str) -> str:
        return area[:-2] if area.endswith("街道") else area[:-1]

    def firm_rows(indicator: str, unit: str, total: int, n: int, name, office: str, note: str = "") -> None:  # type: ignore[no-untyped-def]
        for part, day in zip(split(total, n), dates(n, HR_START, HR_END), strict=False):
            area = rng.choice(HR_PLAIN + ("寶山鎮", "渤海鎮"))
            ind.rows.append(Row(day, indicator, area, part, unit, item=name(area, part), department=office, note=note))

    def firm(area: str, part: int) -> str:
        company = f"懷柔區{town_word(area)}{rng.choice(firms)}"
        return company if part == 1 else f"{company}等{part}家"

    firm_rows("3.1", "家", 12, 6, firm, "區經濟信息化局", "退出")  # 12 of 18 (on track)
    firm_rows(
        "3.2", "個", 1, 1, lambda area, part: f"{town_word(area)}產業集聚區", "區經濟信息化局", "整治驗收"
    )  # 1 of 2 (behind)
    firm_rows("3.3", "家", 40, 10, firm, "區生態環境局")  # 40 of 53 (on track)
    # 3.4 調減糧食種植面積: 1.05萬畝 of 1萬 (met)
    for part, day in zip(split(10_500, 4, 50), dates(4, D(2024, 3, 4), D(2024, 5, 31)), strict=False):
        ind.rows.append(
            Row(
                day,
                "3.4",
                rng.choice(("北房鎮", "楊宋鎮", "橋梓鎮", "懷北鎮", "廟城鎮")),
                part,
                "畝",
                department="區農業農村局",
                note="退出高耗水作物",
            )
        )
    # deliberate: 家 where the indicator counts 畝 (an area; 平方米 would convert)
    ind.rows.append(
        Row(
            D(2024, 5, 20),
            "3.4",
            "雁棲鎮",
            120_000,
            "家",
            department="區農業農村局",
            note="退出高耗水作物",
            bad="unit-mismatch",
        )
    )
    firm_rows(
        "3.5", "個", 60, 8, lambda area, part: f"{town_word(area)}養殖場戶{part}個", "區農業農村局", "關閉清退"
    )  # 60 of 128 (behind)
    ind.rows += [
        Row(D(2024, 4, 22), "3.6", "懷柔區", department="區商務局", note="全區非法回收站點摸排完成，共排查出43處"),
        Row(D(2024, 8, 12), "3.6", "懷柔區", department="區商務局", note="取締非法回收站點37處，其餘6處限期整改"),
        Row(
            D(2024, 7, 18),
            "4.1",
            "泉河街道",
            1,
            "家",
            item="懷柔商業城",
            department="區商務局",
            note="購物環境改善和經營結構調整完成",
        ),
    ]
    ind.rows.sort(key=lambda r: (r.date, r.indicator))
    ind.ref_prefix = "HRJX-2024"

    misc = LedgerFile(
        "huairou",
        "區住建委_區教委_棚改幼兒園和出租房屋.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("cn", 1), ("iso", 1)),
        area_styles=(("full", 2), ("simp", 1)),
        number_styles=(("wan", 2), ("comma", 1)),
    )
    misc.rows += [
        Row(
            D(2024, 4, 9),
            "5.1",
            "廟城鎮",
            1,
            "所",
            item="廟城鎮未經審批自辦幼兒園",
            department="區教委",
            note="依法取締，幼兒分流至公辦園",
        ),
        Row(
            D(2024, 6, 18),
            "5.1",
            "楊宋鎮",
            1,
            "所",
            item="楊宋鎮未經審批自辦幼兒園",
            department="區教委",
            note="依法取締",
        ),
        Row(
            D(2024, 5, 27),
            "5.2",
            "泉河街道",
            1,
            "家",
            item="泉河街道某文化藝術培訓學校",
            department="區教委",
            note="註銷辦學許可",
        ),
        Row(
            D(2024, 5, 8), "7.1", "懷柔區", department="區人力社保局", note="清理自發型勞務市場2處，設立規範化零工驛站"
        ),
        Row(D(2024, 8, 21), "7.1", "懷柔區", department="區人力社保局", note="勞務市場整治成果鞏固，未發現反彈"),
        Row(
            D(2024, 6, 12), "8.1", "懷柔區", department="區住建委", note="排查出租房屋1,260戶，整治地下空間散租住人12處"
        ),
        Row(D(2024, 9, 9), "8.1", "懷柔區", department="區住建委", note="地下空間散租住人已清零，出租房屋登記率98%"),
    ]
    # 6.1 棚戶區改造, 約23.9萬平方米: 16萬 so far (on track), project by project
    projects = (
        ("廟城鎮", "廟城村"),
        ("北房鎮", "劉各長村"),
        ("泉河街道", "下元"),
        ("雁棲鎮", "釣魚臺"),
        ("龍山街道", "東關"),
    )
    for (area, item), part, day in zip(projects + projects[:2], split(160_000, 7, 1000), dates(7, HR_START, HR_END), strict=False):
        misc.rows.append(Row(day, "6.1", area, part, "平方米", item=item, department="區住建委", note="完成徵收拆除"))
    misc.rows.sort(key=lambda r: (r.date, r.indicator))
    misc.ref_prefix = "HRZJ-2024"

    rs = LedgerFile(
        "huairou",
        "區人力社保局_用工管理台賬.xlsx",
        [
            ("日期", "date"),
            ("指標編號", "indicator"),
            ("地區", "area"),
            ("完成量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "xlsx",
        area_styles=(("full", 1),),
    )
    for indicator, unit, total, n, note in (
        ("9.1", "家", 280, 12, "勞動保障監察"),  # 280 of 400 (on track)
        ("9.2", "人", 3100, 8, "促進本地勞動力就業"),  # 3100 of 5000 (on track)
        ("9.3", "人", 1260, 5, "職業技能培訓"),  # the plan leaves 20xx人 open (no_target)
    ):
        for part, day in zip(split(total, n), dates(n, HR_START, HR_END), strict=False):
            rs.rows.append(
                Row(
                    day,
                    indicator,
                    rng.choice(HR_PLAIN) if indicator == "9.1" else "懷柔區",
                    part,
                    unit,
                    department="區人力社保局",
                    note=note,
                )
            )
    rs.rows.sort(key=lambda r: (r.date, r.indicator))
    rs.ref_prefix = "HRRS-2024"

    jt = LedgerFile(
        "huairou",
        "區交通局_聯合執法.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("地址", "location"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("iso", 1),),
        area_styles=(("full", 1),),
    )
    places = ("懷柔火車站", "懷柔北站", "萬達廣場", "雁棲湖景區", "紅螺寺景區", "區醫院")
    for n, day in zip(split(48, 12), dates(12, HR_START, HR_END), strict=False):  # 48 of 70 (on track)
        jt.rows.append(
            Row(
                day,
                "10.1",
                rng.choice(("泉河街道", "龍山街道", "雁棲鎮", "懷柔鎮")),
                n,
                "次",
                department="區交通局",
                location=rng.choice(places),
                note="聯合公安、城管整治非法營運",
            )
        )
    jt.ref_prefix = "HRJT-2024"

    fg = LedgerFile(
        "huairou",
        "區發展改革委_細化方案備案和人口調控.csv",
        [
            ("日期", "date"),
            ("指標", "indicator"),
            ("地區", "area"),
            ("項目", "item"),
            ("數量", "quantity"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "utf-8",
        date_styles=(("cn", 1),),
        area_styles=(("full", 1),),
    )
    # 11.1 細化工作方案, due 2024-02-29: nine filed (one late), 交通營運 still missing (overdue)
    filed = (
        (D(2024, 2, 20), "違法建設拆除專項行動", "區城管執法局"),
        (D(2024, 2, 22), "占道經營、無證無照經營和“開墻打洞”整治專項行動", "區城管執法局"),
        (D(2024, 2, 23), "产业疏解转型和“散乱污”企业治理专项行动", "區經濟信息化局"),
        (D(2024, 2, 26), "商品交易市場升級改造專項行動", "區商務局"),
        (D(2024, 2, 26), "加強入園入學管理和疏解教育培訓機構專項行動", "區教委"),
        (D(2024, 2, 27), "棚戶區改造專項行動", "區住建委"),
        (D(2024, 2, 28), "城乡结合部和劳务市场整治专项行动", "區人力社保局"),
        (D(2024, 2, 29), "出租房屋和地下空間整治專項行動", "區住建委"),
        (D(2024, 3, 6), "加強用工管理和促進本地勞動用工專項行動", "區人力社保局"),
    )
    for day, item, office in filed:
        note = "細化方案報區政府督查室備案" if day <= D(2024, 2, 29) else "逾期報送，已督辦"
        fg.rows.append(Row(day, "11.1", "懷柔區", item=item, department=office, note=note))
    # 0.1 常住人口 (latest, at most 40.8萬): 40.71萬 at the end of August (met)
    for day, people in ((D(2024, 3, 29), "41.02萬"), (D(2024, 6, 28), "40.87萬"), (D(2024, 8, 30), "40.71萬")):
        fg.rows.append(
            Row(day, "0.1", "懷柔區", unit="人", quantity_text=people, department="區統計局", note="常住人口季度測算")
        )
    fg.rows.sort(key=lambda r: (r.date, r.indicator))
    fg.ref_prefix = "HRFG-2024"

    return [cg, sq, sc, ind, misc, rs, jt, fg]


# ---------------------------------------------------------------------------
# Hailing (海陵區主干道市容環境整治)
# ---------------------------------------------------------------------------

ROADS = (
    "主干道一",
    "主干道二",
    "主干道三",
    "主干道四",
    "主干道五",
    "主干道六",
    "主干道七",
    "主干道八",
    "主干道九",
    "主干道十",
)
SQUADS = (
    "城東中隊",
    "城東中隊",
    "城西中隊",
    "城西中隊",
    "城南中隊",
    "城南中隊",
    "城北中隊",
    "城北中隊",
    "城中中隊",
    "城中中隊",
)


def hailing_files() -> list[LedgerFile]:
    attendance = LedgerFile(
        "hailing",
        "各中隊下午出勤登記.csv",
        [("日期", "date"), ("指標", "indicator"), ("路段", "area"), ("責任單位", "department"), ("備註", "note")],
        "utf-8",
        date_styles=(("slash", 1),),
        area_styles=(("full", 3), ("simp", 1)),
    )
    days = [D(2024, 9, 11) + dt.timedelta(days=i) for i in range(5)]
    # deliberate: a rehearsal the day before the campaign
    attendance.rows.append(
        Row(D(2024, 9, 10), "0.1", "主干道一", department="城東中隊", note="整治預演，出勤8人", bad="out-of-period")
    )
    missing = {
        (D(2024, 9, 11), "主干道九"),
        (D(2024, 9, 12), "主干道四"),
        (D(2024, 9, 13), "主干道九"),
        (D(2024, 9, 14), "主干道七"),
        (D(2024, 9, 15), "主干道二"),
        (D(2024, 9, 15), "主干道十"),
    }
    for day in days:  # 44 of 100 路段·次 by 9-15 (on track at 50% elapsed)
        for road, squad in zip(ROADS, SQUADS, strict=False):
            if (day, road) in missing:
                continue
            people = rng.randrange(6, 14)
            note = f"出勤{people}人" + rng.choice(("", "", "，著制服", "，清理工具到位"))
            area = road if rng.random() < 0.8 else road.replace("干", "幹")
            attendance.rows.append(Row(day, "0.1", road, department=squad, note=note, area_text=area))

    brief = LedgerFile(
        "hailing",
        "督察科每日簡報匯總.xlsx",
        [
            ("日期", "date"),
            ("指標編號", "indicator"),
            ("地區", "area"),
            ("完成量", "quantity"),
            ("基數", "base"),
            ("單位", "unit"),
            ("編號", "ref"),
            ("責任單位", "department"),
            ("備註", "note"),
        ],
        "xlsx",
    )
    # found (基數) and rectified (完成量) each afternoon, whole district
    # 1.1 亂張貼 100% (met), 1.2 亂涂寫 behind, 1.3 亂設廣告牌 behind, 1.4 占道經營 100% (met), 2.1 停車 behind
    spec = (
        ("1.1", "處", (70, 140), (0, 0)),
        ("1.2", "處", (20, 45), (0, 3)),
        ("1.3", "個", (6, 18), (0, 3)),
        ("1.4", "處", (25, 60), (0, 0)),
        ("2.1", "", (80, 160), (0, 6)),  # 輛 is no unit of the registry: the clerk leaves it blank
    )
    notes = {
        "1.2": "部分涂寫位於居民樓外墻，需協調產權單位",
        "1.3": "未整治廣告牌已下達限期拆除通知",
        "2.1": "未規範車輛已張貼告知單",
    }
    remarks = {
        D(2024, 9, 11): "沿街商戶市容環衛責任書簽訂情況摸底",
        D(2024, 9, 13): "主干道沿線責任區公示牌更新",
        D(2024, 9, 15): "責任區巡查發現問題12處，已督促整改",
    }
    for day in days:
        for indicator, unit, (lo, hi), (glo, ghi) in spec:
            found = rng.randrange(lo, hi)
            gap = rng.randint(glo, ghi)
            brief.rows.append(
                Row(
                    day,
                    indicator,
                    "海陵區",
                    found - gap,
                    unit,
                    base=found,
                    department="督察科",
                    note=notes.get(indicator, "") if gap else "",
                )
            )
        if day in remarks:
            brief.rows.append(Row(day, "3.1", "海陵區", department="市容科", note=remarks[day]))
    for i, r in enumerate(brief.rows, start=1):
        r.ref = f"HL-{r.date:%m%d}-{i:02d}"
    return [attendance, brief]


# ---------------------------------------------------------------------------


def build() -> dict[str, list[LedgerFile]]:
    rng.seed(2024)  # the same rows whenever (and however often) this runs
    refs.counters.clear()
    return {"city": city_files(), "huairou": huairou_files(), "hailing": hailing_files()}


def excerpt(rows: list[Row]) -> list[int]:
    """Indexes of the rejected rows and of up to CONTEXT good rows on each side of each."""
    good = [i for i, r in enumerate(rows) if not r.bad and r.copy_of is None]
    keep: set[int] = set()
    for i, row in enumerate(rows):
        if row.bad in REJECTED:
            keep.add(i)
            keep.update([j for j in good if j < i][-CONTEXT:])
            keep.update([j for j in good if j > i][:CONTEXT])
    return sorted(keep)


def clear(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for stale in sorted(folder.iterdir()):
        if stale.is_file() and stale.suffix.lower() in (".csv", ".xlsx"):
            stale.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT,
        help="folder to write ledgers/<plan>/ and examples/bad-ledgers/<plan>/ into (default: the repository)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    by_plan = build()
    for plan in PLANS:
        for f in by_plan[plan]:
            if f.sort and f.encoding != "xlsx":
                f.rows.sort(key=lambda r: (r.date if isinstance(r.date, dt.date) else AS_OF, r.indicator))
            for row in f.rows:  # rejected rows get their 編號 too: the shipped file skips them
                if row.copy_of is None and f.ref_prefix is not None:
                    row.ref = refs.next(f.ref_prefix(row) if callable(f.ref_prefix) else f.ref_prefix)
    shipped: list[str] = []
    rejected: list[str] = []
    for plan in PLANS:
        folder = out / "ledgers" / plan
        examples = out / EXAMPLES / plan
        clear(folder)
        clear(examples)
        for f in by_plan[plan]:
            for row in f.rows:
                if row.copy_of is not None:
                    row.ref = row.copy_of.ref
            assert all(isinstance(r.date, str) or r.date <= AS_OF for r in f.rows), f.name
            rendered = [cell_values(f, row) for row in f.rows]  # once: both sets carry the same cells
            write = xlsx_bytes if f.encoding == "xlsx" else csv_bytes
            kept = [i for i, row in enumerate(f.rows) if row.bad not in REJECTED]
            (folder / f.name).write_bytes(write(f, [rendered[i] for i in kept]))
            for line, i in enumerate(kept, start=2):
                if f.rows[i].bad:
                    shipped.append(f"ledgers/{plan}/{f.name}:{line}: {f.rows[i].bad}")
            print(f"ledgers/{plan}/{f.name}: {len(kept)} rows ({f.encoding})")
            cut = excerpt(f.rows)
            if cut:
                (examples / f.name).write_bytes(write(f, [rendered[i] for i in cut]))
                for line, i in enumerate(cut, start=2):
                    if f.rows[i].bad:
                        rejected.append(f"{EXAMPLES.as_posix()}/{plan}/{f.name}:{line}: {f.rows[i].bad}")
                print(f"{EXAMPLES.as_posix()}/{plan}/{f.name}: {len(cut)} rows ({f.encoding})")
    (out / EXAMPLES / "README.md").write_text(
        "# Broken sample ledgers\n\n"
        "Made by `scripts/make_sample_ledgers.py` (do not edit by hand): excerpts of the sample\n"
        "ledgers of `ledgers/<plan>/`, each with a row that is wrong on purpose left in.\n"
        "`shuzheng check` rejects exactly these rows (error, exit 1):\n\n"
        + "".join(f"- `{entry.rsplit(': ', 1)[0]}` [{entry.rsplit(': ', 1)[1]}]\n" for entry in rejected)
        + "\nTry, from the repository root:\n\n"
        "```sh\n"
        + "".join(f"shuzheng check {plan} --ledger {EXAMPLES.as_posix()}/{plan}\n" for plan in PLANS)
        + "```\n",
        encoding="utf-8",
        newline="\n",
    )
    print("odd on purpose, in ledgers/ (warnings):")
    for entry in shipped:
        print(f"  {entry}")
    print(f"rejected on purpose, in {EXAMPLES.as_posix()}/ (errors):")
    for entry in rejected:
        print(f"  {entry}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
