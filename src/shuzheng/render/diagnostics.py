"""Diagnostics → compiler-style lines or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.findings import Finding, Severity
from ..core.i18n import _, ngettext


def summary(diagnostics: Sequence[Finding], checked: str) -> str:
    """`1 plan, 17 ledger rows in 1 file: 12 errors, 2 warnings` (what was checked comes from the caller)."""
    errors = sum(d.severity == Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    # Translators: the last line of `shuzheng check`: what was checked, then how many errors and warnings
    return _("{checked}: {errors}, {warnings}").format(
        checked=checked,
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
    )


def render_text(diagnostics: Sequence[Finding]) -> str:
    return "".join(f"{d}\n" for d in diagnostics)


def render_json(diagnostics: Sequence[Finding], checked: dict) -> str:
    errors = sum(d.severity == Severity.ERROR for d in diagnostics)
    document = {
        **checked,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
