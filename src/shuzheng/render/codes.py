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
        "`python3 scripts/make_error_docs.py`; a test keeps the two equal, and another that",
        "every code the source emits is listed here and every code listed is emitted.\n",
        "The codes follow frictionless's where they mean the same (`encoding-error`, `blank-header`,",
        "`duplicate-label`, `missing-cell`, `extra-cell`); its `type-error` is split in two, by what",
        "the value should have been: `invalid-number` and `invalid-date`.\n",
        "Outside the codes: a bug in shuzheng itself prints one line, `shuzheng: internal error (…);",
        "please report it …`, and exits 1 (`SHUZHENG_DEBUG=1` shows the traceback instead);",
        "Ctrl-C prints `shuzheng: interrupted` and exits 130; output cut off by its reader",
        "(`shuzheng progress | head -1`) ends quietly with exit 141, as for any tool a shell runs.\n",
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
