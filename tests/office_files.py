"""Helpers of the office-document tests (docx, xlsx, html): the city report at the sample date, and a
LibreOffice conversion in a profile of its own."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

from shuzheng.core.report import Report
from shuzheng.service import build_report

REPO = Path(__file__).resolve().parent.parent


def city_report(ledgers: list[str] | None = None) -> Report:
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        return build_report(["city"], ledgers, date(2024, 9, 15)).report
    finally:
        os.chdir(cwd)


def libreoffice_pdf(source: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """Convert `source` to PDF in `folder` with LibreOffice headless; the result keeps its output."""
    return subprocess.run(
        ["libreoffice", "--headless", f"-env:UserInstallation=file://{folder}/lo", "--convert-to", "pdf", str(source)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
