"""The error-code reference (docs/errors.md), rendered from core.codes."""

from __future__ import annotations

from ..core.codes import CODES
from .markdown import cell

SECTIONS = (("plan", "Plan files"), ("ledger", "Ledgers"), ("file", "Files"), ("usage", "Command line"))


def render() -> str:
    parts = [
        "# Error codes\n",
        "Every finding shuzheng reports carries one of these codes, at the end of its line",
        "(`path:line:col: error: message [code]`) and in `check --format json`.",
        "Errors make `check` exit 1; warnings only with `--strict`. Command-line mistakes exit 2.",
        "This file is generated from `src/shuzheng/core/codes.py` by",
        "`python3 scripts/make_error_docs.py`; a test keeps the two equal.\n",
    ]
    done: set[str] = set()
    for key, title in SECTIONS:
        codes = [c for c in CODES.values() if c.where.split(",")[0].strip() == key and c.name not in done]
        if not codes:
            continue
        parts.append(f"## {title}\n")
        for code in codes:
            done.add(code.name)
            parts.append(f"### `{code.name}` ({code.severity})\n")
            parts.append(f"{code.meaning}\n")
            parts.append(f"```\n{code.example}\n```\n")
            parts.append(f"**Fix:** {cell(code.fix)}\n")
    return "\n".join(parts)
