"""Diagnostics → compiler-style lines or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.findings import Finding, Severity


def summary(diagnostics: Sequence[Finding], checked: str) -> str:
    errors = sum(d.severity == Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{checked}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


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
