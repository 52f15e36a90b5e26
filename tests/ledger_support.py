"""Reading ledgers in tests the way the commands do: one plan's files through the intake, then
the report's lists (rejected, duplicates, corrections …) and the file-level findings apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shuzheng.core.checks import PlanContext
from shuzheng.core.findings import Finding
from shuzheng.core.reconcile import reconcile
from shuzheng.core.report import (
    CONFLICT_CODES,
    CORRECTION_CODES,
    DUPLICATE_CODES,
    OUTSIDE_CODES,
    UNCOUNTABLE,
    PlanReport,
    Report,
)
from shuzheng.service import PlanRun, read_plan_ledgers

ROW_WARNINGS = frozenset({"implausible-quantity"})  # said of a counted row, not of the file
ROW_CODES = DUPLICATE_CODES | CONFLICT_CODES | OUTSIDE_CODES | CORRECTION_CODES


@dataclass
class Outcome:
    run: PlanRun
    report: Report

    @property
    def rejected(self):
        return [r for r in self.report.rejected if r.code not in UNCOUNTABLE]

    @property
    def duplicates(self):
        return list(self.report.duplicates)

    @property
    def corrections(self):
        return list(self.report.corrections)

    @property
    def conflicts(self):
        return list(self.report.conflicts)

    @property
    def diagnostics(self) -> list[Finding]:
        """What the file says besides its rows: header problems, blank and title rows, a file unread."""
        return [
            f
            for f in self.run.findings
            if (f.detail or {}).get("class") != "rejected" and f.code not in ROW_CODES | ROW_WARNINGS
        ]

    @property
    def rows(self) -> int:
        return self.run.counts.read

    @property
    def cells(self):
        return self.run.tally.cells


def read_files(
    ctx: PlanContext, paths: list[Path], as_of: date | None, reader: str = "auto", shown=None
) -> tuple[PlanReport, Outcome]:
    files = [(p, shown(p) if shown else p.name) for p in paths]
    run = read_plan_ledgers(ctx, files, as_of, reader)
    cut = as_of or date(9999, 12, 31)
    plan = reconcile(ctx, run.tally, cut)
    return plan, Outcome(run, Report(cut, (plan,), tuple(run.findings), run.counts))
