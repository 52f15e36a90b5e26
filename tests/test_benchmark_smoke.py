"""The benchmark script runs end to end on a small ledger (its full run is for people, not CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # generates a ledger and runs the benchmark script

REPO = Path(__file__).resolve().parent.parent


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--rows",
            "2000",
            "--runs",
            "1",
            "--growth",
            "2",
            "--no-hledger",
            "--reader",
            "columnar",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    assert "| 2,000 | shuzheng progress --format json --no-cache (cold) |" in table
    assert "(floor)" in table and "sums checked" in table  # the floor's sums agree with shuzheng's totals
    assert "JSON identical" in table  # cold, cached, second run and the row reader agree
    assert "second run (warm cache)" in table and "2 files × 2,000 rows" in table
    assert "shuzheng --help" in table and "shuzheng check" in table and "import typer" in table
    assert "met:" in table  # the targets, each with its figure
