"""Every row accounted for, in words: the one sentence the table's closing line and the
briefing's 數據質量 section both say, from the report's row counts."""

from __future__ import annotations

from ..core.i18n import _, ngettext
from ..core.report import Report


def row_classes(report: Report) -> list[str]:
    """The classes of rows that were read, each with its count, in words; empty classes left out."""
    rows = report.rows
    said = [
        (rows.counted, ngettext("{n} counted", "{n} counted", rows.counted)),
        (rows.rejected, ngettext("{n} rejected", "{n} rejected", rows.rejected)),
        (rows.duplicate, ngettext("{n} duplicate (counted once)", "{n} duplicates (counted once)", rows.duplicate)),
        (rows.conflict, ngettext("{n} conflicting 編號", "{n} conflicting 編號", rows.conflict)),
        (
            rows.outside_scope,
            ngettext("{n} outside every target's scope", "{n} outside every target's scope", rows.outside_scope),
        ),
        (
            rows.after_as_of,
            ngettext("{n} dated after the as-of date", "{n} dated after the as-of date", rows.after_as_of),
        ),
        (rows.blank, ngettext("{n} blank", "{n} blank", rows.blank)),
    ]
    return [text.format(n=n) for n, text in said if n]


def footer(report: Report) -> str:
    """`762 ledger rows read: 761 counted, 1 duplicate (counted once); 1 correction`."""
    rows = report.rows
    read = ngettext("{n} ledger row read", "{n} ledger rows read", rows.read).format(n=rows.read)
    parts = ", ".join(row_classes(report))
    corrections = len(report.corrections)
    text = f"{read}: {parts}" if parts else read
    if corrections:
        text += "; " + ngettext("{n} correction", "{n} corrections", corrections).format(n=corrections)
    if not rows.all_counted or report.files:
        text += "; " + _("`shuzheng check` lists them with file:line and reason")
    return text
