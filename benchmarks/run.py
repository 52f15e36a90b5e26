"""Measure shuzheng against a working polars floor and hledger on the same generated ledgers, and check
every output.

    python3 benchmarks/run.py                 # 100k and 1M rows, the 10 x 1M roll-up, 5 runs each (minutes)
    python3 benchmarks/run.py --rows 2000 --runs 1 --growth 2 --no-hledger --reader columnar   # the CI smoke

Every command runs as its own process, timed by wall clock, with its peak resident memory from
wait4(); the table shows medians of runs taken side by side (round-robin, so a noisy machine
slows all of them alike; hledger is one of them at 100k rows, where its ratio is a target). A command
that exits other than 0 fails the benchmark, and so does an output that is wrong:

- the floor prints its per-indicator sums; less the quantities of the rows shuzheng lists as not
  counted (rejected, duplicate, conflicting, outside every scope), they must equal shuzheng's
  北京市 totals (an indicator with components adds theirs);
- the JSON of the cold run, of the first and second runs with the cache, and of the row-by-row
  reference reader (SHUZHENG_READER=rows) must be byte-identical.

The targets of issue 17 are printed under the table, each with its figure and whether it is met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

AS_OF = "2024-12-31"
TYPER = "import typer"
# the least work that gives the answer from the file: read it, clean the quantity, sum per indicator
FLOOR = (
    "import sys, json, polars as pl\n"
    "sums = pl.read_csv(sys.argv[1:], infer_schema=False).group_by('指標').agg(\n"
    "    pl.col('數量').str.replace_all(',', '').cast(pl.Float64, strict=False).fill_nan(None).sum())\n"
    "print(json.dumps(dict(sums.iter_rows())))"
)
HLEDGER_BESIDE = 100_000  # rows up to which hledger runs in the same rounds as shuzheng
NOT_COUNTED = ("rejected", "duplicates", "conflicts", "outside_scope")


class Failed(SystemExit):
    pass


@dataclass
class Timing:
    seconds: float
    peak_mb: float
    output: bytes


def run(command: list[str], env: dict[str, str] | None = None) -> Timing:
    """One run, measured as the rounds are."""
    return _measured(command, env, None)


class Bench:
    """Commands measured side by side: each round runs every command once, in order."""

    def __init__(self, runs: int):
        self.runs = runs
        self.commands: dict[str, tuple[list[str], dict[str, str] | None, list[str] | None]] = {}

    def add(self, name: str, command: list[str], env: dict[str, str] | None = None, before: list[str] | None = None):
        self.commands[name] = (command, env, before)

    def measure(self, runs: int | None = None) -> dict[str, Timing]:
        found: dict[str, list[Timing]] = {name: [] for name in self.commands}
        for _ in range(runs or self.runs):
            for name, (command, env, before) in self.commands.items():
                found[name].append(_measured(command, env, before))
        return {
            name: Timing(
                statistics.median(t.seconds for t in timings),
                max(t.peak_mb for t in timings),
                timings[-1].output,
            )
            for name, timings in found.items()
        }


def _measured(command: list[str], env: dict[str, str] | None, before: list[str] | None) -> Timing:
    """A run with its own peak memory: through a tiny parent whose only child is the command."""
    probe = (
        "import os, subprocess, sys, resource, shutil\n"
        "for folder in sys.argv[2:3] if sys.argv[1] == '1' else []: shutil.rmtree(folder, ignore_errors=True)\n"
        "start = __import__('time').perf_counter()\n"
        "p = subprocess.run(sys.argv[3:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "elapsed = __import__('time').perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.buffer.write(p.stderr[-2000:])\n"
        "sys.stdout.buffer.write(f'{p.returncode} {elapsed} {peak}\\n'.encode() + p.stdout)\n"
    )
    wrapper = [sys.executable, "-c", probe, "1" if before else "0", (before or [""])[0], *command]
    process = subprocess.run(wrapper, capture_output=True, cwd=ROOT, env=env)
    head, _, output = process.stdout.partition(b"\n")
    code, seconds, peak = head.split()
    if process.returncode != 0 or int(code) != 0:
        raise Failed(f"{' '.join(command)} exited {int(code)}:\n{process.stderr.decode(errors='replace')}")
    return Timing(float(seconds), int(peak) / 1024, output)


def shuzheng(ledger: list[Path] | Path, *more: str) -> list[str]:
    ledgers = ledger if isinstance(ledger, list) else [ledger]
    options = [item for path in ledgers for item in ("--ledger", str(path))]
    return [sys.executable, "-m", "shuzheng", "progress", "--plan", "city", *options, "--as-of", AS_OF]


def progress_json(ledgers: list[Path] | Path, *more: str) -> list[str]:
    return [*shuzheng(ledgers), "--format", "json", *more]


def hledger_budget(journal: Path) -> list[str]:
    return ["hledger", "-f", str(journal), "balance", "--budget"]


def check_floor(floor: bytes, ours: bytes, ledgers: list[Path]) -> None:
    """The floor's sums, less the rows shuzheng lists as not counted, are shuzheng's 北京市 totals."""
    import polars as pl

    sums = {k: v or 0.0 for k, v in json.loads(floor).items()}
    report = json.loads(ours)
    left_out: dict[str, set[int]] = {}
    for kind in NOT_COUNTED:
        for row in report[kind]:
            left_out.setdefault(os.path.abspath(row["file"]), set()).add(row["line"])
    quantity = pl.col("數量").str.replace_all(",", "").cast(pl.Float64, strict=False).fill_nan(None)
    for path in ledgers:
        lines = sorted(left_out.get(os.path.abspath(path), ()))
        frame = pl.read_csv(path, infer_schema=False).with_row_index("line", offset=2)
        for indicator, amount in (
            frame.filter(pl.col("line").is_in(lines)).group_by("指標").agg(quantity.sum()).iter_rows()
        ):
            sums[indicator] = sums.get(indicator, 0.0) - (amount or 0.0)
    components = {ind.id: list(ind.components) for _, ind in generate._plan().plan.indicators()}
    checked = 0
    for plan in report["plans"]:
        for target in plan["targets"]:
            if target["measure"] != "sum" or target["scope"] != "北京市" or target["actual"] is None:
                continue
            family = [target["indicator"], *components.get(target["indicator"], [])]
            expected = sum(sums.get(i, 0.0) for i in family)
            if abs(expected - target["actual"]) > 1e-6 * max(1.0, abs(target["actual"])):
                raise Failed(f"floor and shuzheng disagree on {target['indicator']}: {expected} != {target['actual']}")
            checked += 1
    if not checked:
        raise Failed("no 北京市 sum target to check the floor against")


def same(name: str, outputs: dict[str, bytes]) -> str:
    reference = next(iter(outputs.values()))
    if any(output != reference for output in outputs.values()):
        raise Failed(f"{name}: the JSON differs between {', '.join(outputs)}")
    return "JSON identical"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--growth", type=int, default=10, help="files of the largest size in the roll-up (0: none)")
    parser.add_argument("--no-hledger", action="store_true")
    parser.add_argument("--no-reference", action="store_true", help="skip the row-by-row reader")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--reader",
        choices=("auto", "columnar"),
        default="auto",
        help="columnar: use it even below its size threshold (the CI smoke)",
    )
    args = parser.parse_args()
    try:
        lines, targets = measure(args)
    except Failed as failed:
        print(f"benchmark FAILED: {failed}", file=sys.stderr)
        raise SystemExit(1) from None
    print("\n".join(lines))
    print()
    print("\n".join(targets))


def settled(path: Path) -> None:
    """A file just written, dated two seconds back: shuzheng caches nothing read from a file modified
    less than a second before, so the first round's second run would otherwise be a cold one."""
    when = path.stat().st_mtime - 2
    os.utime(path, (when, when))


def compiled_as_installed() -> None:
    """shuzheng's modules compiled to bytecode first, as `pip install` does: from an editable checkout
    under PYTHONDONTWRITEBYTECODE=1 (this machine sets it) every run would compile them again, which is
    a third of a small command's time and no user's."""
    import compileall

    import shuzheng

    if not compileall.compile_dir(Path(shuzheng.__file__).parent, quiet=1):
        raise Failed("shuzheng's modules do not compile")


def measure(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    cache = str(args.out / "cache")
    base = {k: v for k, v in os.environ.items() if k not in ("SHUZHENG_NO_CACHE", "SHUZHENG_CACHE_DIR")}
    ours = {**base, "SHUZHENG_READER": args.reader, "SHUZHENG_CACHE_DIR": cache}
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
    compiled_as_installed()
    lines = ["| rows | command | median s | rows/s | peak MB | ratio |", "|---:|---|---:|---:|---:|---|"]
    targets: list[str] = []
    hledger = shutil.which("hledger") and not args.no_hledger
    colds: dict[int, Timing] = {}

    def row(n: int | str, name: str, timing: Timing, ratio: str = "") -> None:
        count = f"{n:,}" if isinstance(n, int) else n
        rate = f"{n / timing.seconds:,.0f}" if isinstance(n, int) else ""
        lines.append(f"| {count} | {name} | {timing.seconds:.3f} | {rate} | {timing.peak_mb:.0f} | {ratio} |")
        print(lines[-1], file=sys.stderr, flush=True)

    def target(text: str, met: bool) -> None:
        targets.append(f"- {'met' if met else 'NOT MET'}: {text}")

    for n in args.rows:
        ledger = args.out / f"city-{n}.csv"
        if not ledger.exists():
            generate.write_csv(n, ledger)
            settled(ledger)
        journal = args.out / f"city-{n}.journal"
        if hledger and not journal.exists():
            generate.write_journal(n, journal)
        # hledger in the same rounds as ours where its ratio is a target, so that both see the same machine;
        # at a million rows (40 s a run) it runs apart, fewer times, for the table only
        beside = hledger and n <= HLEDGER_BESIDE
        bench = Bench(args.runs)
        bench.add("cold", progress_json(ledger, "--no-cache"), ours)
        bench.add("floor", [sys.executable, "-c", FLOOR, str(ledger)], base)
        bench.add("first", progress_json(ledger), ours, before=[cache])  # the cache emptied first
        bench.add("second", progress_json(ledger), ours)  # right after: every input unchanged
        if beside:
            bench.add("hledger", hledger_budget(journal), base)
        timings = bench.measure()
        cold, floor, first, second = (timings[k] for k in ("cold", "floor", "first", "second"))
        colds[n] = cold
        check_floor(floor.output, cold.output, [ledger])
        outputs = {"cold": cold.output, "first run with the cache": first.output, "second": second.output}
        ratio = cold.seconds / floor.seconds
        row(n, "shuzheng progress --format json --no-cache (cold)", cold)
        row(n, "polars read_csv + clean + group_by (floor)", floor, f"cold = {ratio:.2f}× floor; sums checked")
        row(n, "shuzheng progress, first run with an empty cache", first)
        row(n, "shuzheng progress, second run (warm cache)", second, f"{second.seconds / first.seconds:.2f}× first")
        if not args.no_reference:
            reference = run(progress_json(ledger, "--no-cache"), {**base, "SHUZHENG_READER": "rows"})
            outputs["row reader"] = reference.output
            row(n, "row-by-row reference reader (one run)", reference)
        lines[-1] = lines[-1].removesuffix(" |") + f" {same(f'{n:,} rows', outputs)} |"
        if n >= 1_000_000:
            target(f"{n:,} rows cold ≤ 2× floor: {ratio:.2f}×", ratio <= 2)
            target(f"{n:,} rows cold peak ≤ 150 MB: {cold.peak_mb:.0f} MB", cold.peak_mb <= 150)
            target(
                f"{n:,} rows second run ≤ 0.15× first: {second.seconds / first.seconds:.2f}×",
                second.seconds <= 0.15 * first.seconds,
            )
        if hledger:
            if beside:
                found = timings["hledger"]
            else:
                bench = Bench(max(1, args.runs // 2))
                bench.add("hledger", hledger_budget(journal), base)
                found = bench.measure()["hledger"]
            row(
                n,
                "hledger balance --budget",
                found,
                f"{found.seconds / first.seconds:.1f}× first, {found.seconds / second.seconds:.1f}× second",
            )
            if n == 100_000:
                target(
                    f"100k rows: hledger ≥ 8× first run: {found.seconds / first.seconds:.1f}×",
                    found.seconds >= 8 * first.seconds,
                )
                target(
                    f"100k rows: hledger ≥ 15× second run: {found.seconds / second.seconds:.1f}×",
                    found.seconds >= 15 * second.seconds,
                )

    if args.growth and args.rows:
        n = max(args.rows)
        files = []
        for number in range(args.growth):
            path = args.out / f"rollup-{n}" / "city" / f"part-{number:02d}.csv"
            if not path.exists():
                generate.write_csv(n, path, seed=3000 + number, prefix=f"R{number:02d}")
            files.append(path)
        bench = Bench(max(1, args.runs // 2))
        bench.add("rollup", progress_json(files, "--no-cache"), ours)
        bench.add("floor", [sys.executable, "-c", FLOOR, *map(str, files)], base)
        timings = bench.measure()
        rollup, floor = timings["rollup"], timings["floor"]
        check_floor(floor.output, rollup.output, files)
        growth = rollup.seconds / colds[n].seconds
        total = n * args.growth
        row(
            total,
            f"{args.growth} files × {n:,} rows, cold",
            rollup,
            f"{growth:.1f}× one file; {rollup.seconds / floor.seconds:.2f}× floor",
        )
        row(total, "floor over the same files", floor, "sums checked")
        target(f"{args.growth} × {n:,} rows peak ≤ 300 MB: {rollup.peak_mb:.0f} MB", rollup.peak_mb <= 300)
        target(
            f"{args.growth} × {n:,} rows linear: {growth:.1f}× one file (≤ {1.1 * args.growth:.0f}×)",
            growth <= 1.1 * args.growth,
        )

    # the small commands, on the shipped repo, against `import typer` in the same rounds
    small = {**base, "SHUZHENG_CACHE_DIR": cache}
    check = [sys.executable, "-m", "shuzheng", "check"]
    progress = [sys.executable, "-m", "shuzheng", "progress", "--format", "json", "--as-of", "2024-09-15"]
    run(check, small)
    run(progress, small)  # the cache filled, as after a clerk's first run of the day
    bench = Bench(max(args.runs, 5) * 2)
    bench.add("typer", [sys.executable, "-c", TYPER], base)
    bench.add("help", [sys.executable, "-m", "shuzheng", "--help"], small)
    bench.add("check", check, small)
    bench.add("progress", progress, small)
    bench.add("check cold", [*check, "--no-cache"], small)
    bench.add("progress cold", [*progress, "--no-cache"], small)
    timings = bench.measure()
    same("shipped progress", {"warm": timings["progress"].output, "cold": timings["progress cold"].output})
    floor = timings["typer"].seconds
    row("—", "python3 -c 'import typer'", timings["typer"], "start-up floor")
    for name, label, bound in (
        ("help", "shuzheng --help", 1.5),
        ("check", "shuzheng check (3 plans, 762 rows in 22 files; cache warm)", 2.5),
        ("progress", "shuzheng progress --format json --as-of 2024-09-15 (cache warm)", 2.5),
        ("check cold", "shuzheng check --no-cache", None),
        ("progress cold", "shuzheng progress --format json --no-cache", None),
    ):
        ratio = timings[name].seconds / floor
        row("—", label, timings[name], f"{ratio:.1f}× import typer" + (f" (target ≤ {bound})" if bound else ""))
        if bound:
            target(f"{label.split(' (')[0]} ≤ {bound}× import typer: {ratio:.1f}×", ratio <= bound)
    return lines, targets


if __name__ == "__main__":
    main()
