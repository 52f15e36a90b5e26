"""Deterministic benchmark ledgers for the city plan: N rows as CSV, and the same rows as an
hledger journal with periodic budget rules.

    python3 benchmarks/generate.py 1000000 benchmarks/out/city-1m.csv [--journal benchmarks/out/city-1m.journal]

The mix: every city indicator that takes rows (~40), all 16 districts and 城市副中心, dates
across 2024 in the clerks' several forms, a few hundred distinct items, unique 編號 with a
few repeats, and 1% bad rows (unknown area, impossible date, bad number, undeclared item,
date outside the period, unit mismatch).
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from shuzheng.core.checks import PlanContext
from shuzheng.read.plan import read_plan

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["日期", "指標", "地區", "數量", "單位", "基數", "項目", "編號", "責任單位", "備註"]
DEPARTMENTS = ["市城管執法局", "市規劃自然資源委", "市住房城鄉建設委", "市商務局", "市教委", "市衛生健康委"]
BAD_KINDS = ("area", "date", "number", "item", "period", "unit")


def _plan() -> PlanContext:
    plan, problems = read_plan(ROOT / "plans" / "city.yaml", "plans/city.yaml")
    if plan is None:
        raise SystemExit(f"plans/city.yaml does not load: {problems}")
    return PlanContext(plan)


def _day_text(rng: random.Random, day: date) -> str:
    form = rng.random()
    if form < 0.7:
        return day.isoformat()
    if form < 0.85:
        return f"{day.year}/{day.month}/{day.day}"
    return f"{day.year}年{day.month}月{day.day}日"


def rows(n: int, seed: int = 2024, prefix: str = "CG-2024"):
    """Yield (cells, day, indicator, area, amount) for n rows; amount None for bad rows. Files of
    one roll-up differ in `seed` and in the 編號 `prefix`, so they share no 編號."""
    ctx = _plan()
    rng = random.Random(seed)
    indicators = [ind for _, ind in ctx.plan.indicators() if ind.measure != "qualitative" or rng.random() < 0.5]
    areas = [name for name in ctx.tree.parent if name != ctx.tree.root]
    spellings = {a: [a, a[:-1] if a.endswith("區") else a] for a in areas}
    point_items = [f"點位{i:03d}" for i in range(1, 301)]
    start = ctx.plan.period.start
    for number in range(n):
        ind = rng.choice(indicators)
        area = rng.choice(areas)
        day = start + timedelta(days=rng.randrange(366))
        unit = ind.unit if ind.unit and ind.unit != "%" and rng.random() < 0.3 else ""
        base = ""
        item = ""
        if ind.measure == "ratio":
            base_value = rng.randint(10, 200)
            quantity = str(rng.randint(0, base_value))
            base = str(base_value)
        elif ind.measure in ("milestone",):
            quantity = ""
            item = rng.choice(ind.items).name
        elif ind.measure == "distinct":
            quantity = ""
            item = rng.choice(ind.items).name if ind.items else rng.choice(point_items)
        elif ind.measure == "latest":
            quantity = str(rng.randint(0, 50))
        elif ind.unit == "平方米":
            quantity = (
                f"{rng.randint(10, 20000)}.{rng.randint(0, 99):02d}"
                if rng.random() < 0.8
                else f"{rng.randint(1000, 9999):,}"
            )
        else:
            quantity = str(rng.randint(1, 20))
        ref = f"{prefix}-{number:07d}" if rng.random() > 0.002 else f"{prefix}-{max(number - 1, 0):07d}"
        note = "更正" if rng.random() < 0.001 else ""
        if note:
            quantity = f"-{quantity or '1'}" if ind.measure == "sum" else quantity
        day_text = _day_text(rng, day)
        area_text = rng.choice(spellings[area])
        bad = rng.random() < 0.01
        if bad:
            kind = rng.choice(BAD_KINDS)
            if kind == "area":
                area_text = "火星區"
            elif kind == "date":
                day_text = "2024年2月30日"
            elif kind == "number":
                quantity = rng.choice(["nan", "1_000", "(123)", "—"])
            elif kind == "item":
                item = "不存在的點位"
            elif kind == "period":
                day_text = "2023-12-31"
            else:
                unit = "處" if ind.unit == "平方米" else "平方米"
        cells = [day_text, ind.id, area_text, quantity, unit, base, item, ref, rng.choice(DEPARTMENTS), note]
        yield cells, day, ind, area, None if bad else quantity


def write_csv(n: int, path: Path, seed: int = 2024, prefix: str = "CG-2024") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for cells, *_ in rows(n, seed, prefix):
            writer.writerow(cells)


def write_journal(n: int, path: Path) -> None:
    """The same good rows as hledger transactions, with a yearly budget per indicator account."""
    ctx = _plan()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("~ yearly from 2024-01-01\n")
        for t in ctx.targets:
            if t.value is not None and t.scope.label == "北京市":
                handle.write(f"    (指標:{t.indicator.id})    {t.value}\n")
        handle.write("\n")
        for cells, day, ind, area, amount in rows(n):
            if amount is None:
                continue
            value = Decimal(amount.replace(",", "")) if amount not in ("",) else Decimal(1)
            handle.write(f"{day.isoformat()} {cells[7]}\n    (指標:{ind.id}:{area})    {value}\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("csv", type=Path)
    parser.add_argument("--journal", type=Path)
    args = parser.parse_args()
    write_csv(args.rows, args.csv)
    if args.journal:
        write_journal(args.rows, args.journal)


if __name__ == "__main__":
    main()
