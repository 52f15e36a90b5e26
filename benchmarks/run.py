"""Measure shuzheng against the polars floor and hledger on the same generated ledgers.

    python3 benchmarks/run.py                 # 100k and 1M rows, 5 runs each (a few minutes)
    python3 benchmarks/run.py --rows 2000 --runs 1 --no-reference   # the CI smoke

Every command runs as its own process, timed by wall clock, with its peak resident memory
from wait4(); the table shows medians. It also checks that the columnar reader's JSON is
identical to the row-by-row reader's (SHUZHENG_READER=rows) on the same file.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

AS_OF = "2024-12-31"
STACK = "import typer, pydantic, polars"
FLOOR = "import sys, polars as pl; pl.read_csv(sys.argv[1]).group_by(['指標', '地區']).agg(pl.col('數量').sum())"


@dataclass
class Timing:
    seconds: float
    peak_mb: float
    output: bytes


def run(command: list[str], env: dict[str, str] | None = None) -> Timing:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return Timing(elapsed, usage.ru_maxrss / 1024, output)


def median(command: list[str], runs: int, env: dict[str, str] | None = None) -> Timing:
    timings = [run(command, env) for _ in range(runs)]
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_mb for t in timings), timings[-1].output)


def shuzheng(ledger: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "shuzheng",
        "progress",
        "--plan",
        "city",
        "--ledger",
        str(ledger),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-reference", action="store_true", help="skip the row-by-row comparison")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--reader",
        choices=("auto", "columnar"),
        default="auto",
        help="columnar: use it even below its size threshold (the CI smoke)",
    )
    args = parser.parse_args()
    ours_env = {**os.environ, "SHUZHENG_READER": args.reader}

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    results: dict[int, Timing] = {}
    lines = ["| rows | command | median s | rows/s | peak MB | ratio |", "|---:|---|---:|---:|---:|---|"]
    for n in args.rows:
        ledger = args.out / f"city-{n}.csv"
        journal = args.out / f"city-{n}.journal"
        if not ledger.exists():
            generate.write_csv(n, ledger)
        ours = median(shuzheng(ledger), args.runs, ours_env)
        results[n] = ours
        floor = median([sys.executable, "-c", FLOOR, str(ledger)], args.runs)
        lines.append(
            f"| {n:,} | shuzheng progress --format json | {ours.seconds:.3f} | {n / ours.seconds:,.0f} "
            f"| {ours.peak_mb:.0f} | |"
        )
        lines.append(
            f"| {n:,} | polars read_csv + group_by (floor) | {floor.seconds:.3f} | {n / floor.seconds:,.0f} "
            f"| {floor.peak_mb:.0f} | shuzheng = {ours.seconds / floor.seconds:.2f}× floor (target ≤ 2) |"
        )
        if shutil.which("hledger"):
            if not journal.exists():
                generate.write_journal(n, journal)
            hledger = median(
                ["hledger", "-f", str(journal), "balance", "--budget"],
                max(1, args.runs // 2 if n >= 1_000_000 else args.runs),
            )
            lines.append(
                f"| {n:,} | hledger balance --budget | {hledger.seconds:.3f} | {n / hledger.seconds:,.0f} "
                f"| {hledger.peak_mb:.0f} | hledger = {hledger.seconds / ours.seconds:.1f}× shuzheng "
                "(target ≥ 15 at 100k) |"
            )
        if not args.no_reference:
            env = {**os.environ, "SHUZHENG_READER": "rows"}
            reference = run(shuzheng(ledger), env)
            same = "identical" if reference.output == ours.output else "DIFFERENT"
            lines.append(
                f"| {n:,} | row-by-row reference reader | {reference.seconds:.3f} | {n / reference.seconds:,.0f} "
                f"| {reference.peak_mb:.0f} | JSON {same} |"
            )
            if same != "identical":
                print("\n".join(lines))
                raise SystemExit("the columnar and row-by-row readers disagree")
    for name, command in (
        ("shuzheng --help", [sys.executable, "-m", "shuzheng", "--help"]),
        ("shuzheng check", [sys.executable, "-m", "shuzheng", "check"]),
    ):
        timing = median(command, args.runs)
        lines.append(f"| — | {name} | {timing.seconds:.3f} | | {timing.peak_mb:.0f} | target ≤ 0.3 s |")
    # what any run that reads a large ledger pays before its first row: Python, typer (which
    # imports pydantic to coerce options) and polars
    timing = median([sys.executable, "-c", STACK], args.runs)
    lines.append(
        f"| — | {STACK.removeprefix('import ')} (import only) | {timing.seconds:.3f} | | {timing.peak_mb:.0f} "
        "| start-up floor of the stack |"
    )
    if len(results) >= 2:
        small, large = min(results), max(results)
        growth = results[large].seconds / results[small].seconds
        lines.append(
            f"| — | growth {large:,} / {small:,} rows | {growth:.2f}× | | | target ≤ {11 * large / small / 10:.0f}× |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
