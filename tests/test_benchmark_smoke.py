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
            "--reader",
            "columnar",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    assert "| 2,000 | shuzheng progress --format json |" in table
    assert "polars read_csv + group_by (floor)" in table
    assert "JSON identical" in table  # the columnar reader (forced) and the row reader agree
    assert "shuzheng --help" in table and "shuzheng check" in table
