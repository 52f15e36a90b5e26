"""Every row accounted for, in words: the one account the table's closing line and the
briefing's 数据质量 section both give, from the report's row counts (read = counted + rejected +
duplicates + conflicts + outside every scope + after the as-of date + blank)."""

from __future__ import annotations

from ..core.i18n import _, ngettext
from ..core.report import Report
from .labels import clauses, listed


def row_classes(report: Report) -> list[str]:
    """The classes of rows that were read, each with its count, in words; empty classes left out."""
    rows = report.rows
    said = [
        (rows.counted, ngettext("{n} counted", "{n} counted", rows.counted)),
        (rows.rejected, ngettext("{n} rejected", "{n} rejected", rows.rejected)),
        (rows.duplicate, ngettext("{n} duplicate (counted once)", "{n} duplicates (counted once)", rows.duplicate)),
        (rows.conflict, ngettext("{n} ref conflict", "{n} ref conflicts", rows.conflict)),
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


def rows_read(report: Report) -> str:
    """`762 ledger rows read: 761 counted, 1 duplicate (counted once)`: what became of every row."""
    rows = report.rows
    read = ngettext("{n} ledger row read", "{n} ledger rows read", rows.read).format(n=rows.read)
    parts = row_classes(report)
    # Translators: the rows read, then what became of them: 读取台账记录 24 条：计入 21 条，…
    return _("{read}: {classes}").format(read=read, classes=listed(parts)) if parts else read


def footer(report: Report) -> str:
    """`762 ledger rows read: 761 counted, 1 duplicate (counted once); 1 correction`."""
    said = [rows_read(report)]
    corrections = len(report.corrections)
    if corrections:
        said.append(ngettext("{n} correction", "{n} corrections", corrections).format(n=corrections))
    if not report.rows.all_counted or report.files:
        said.append(_("`shuzheng check` lists them with file:line and reason"))
    return clauses(said)
