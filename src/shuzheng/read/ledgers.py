"""A plan's ledger files → its intake: each file read once (by identity and by content), in path
order, by the row reader or, for a large UTF-8 CSV, by the columnar reader."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ..core.findings import Finding, Location, ShuzhengError
from ..core.i18n import _
from ..core.rules import LedgerRules
from ..core.tally import Intake, RowCounts
from . import cache
from .records import WORKBOOK_SUFFIXES, Record, Source, snapshot, sources
from .rows import read_source
from .text import os_reason

ReadProgress = Callable[[str, int, int], None]  # (file as shown, bytes read, bytes in all)
COLUMNAR_MIN_BYTES = 1 << 20  # below this the row reader is as quick and needs no polars


class ReaderMode(StrEnum):
    """auto: the columnar reader for large CSV files, the row reader for the rest; rows: always
    the row reader (the reference); columnar: the columnar one wherever it can (tests)."""

    AUTO = "auto"
    ROWS = "rows"
    COLUMNAR = "columnar"


@dataclass
class LedgerRead:
    findings: list[Finding] = field(default_factory=list)
    counts: RowCounts = field(default_factory=RowCounts)
    paths: list[Path] = field(default_factory=list)  # the files read
    columnar: int = 0  # files the columnar reader read


class LedgerReader:
    def __init__(
        self,
        rules: LedgerRules,
        intake: Intake,
        mode: ReaderMode = ReaderMode.AUTO,
        progress: ReadProgress | None = None,
    ):
        self.rules, self.intake, self.mode, self.progress = rules, intake, ReaderMode(mode), progress
        self._lookups = None
        self._order = 0
        # columnar files not hashed yet, by size less a BOM: only a file of the same size can be a copy,
        # so a roll-up of distinct files hashes none (sha256 of 10 GB is seconds)
        self._unhashed: list[tuple[Path, str]] = []
        self._sizes: set[int] = set()  # of every columnar file so far, hashed or not
        self._rows_read = False  # a row-read file's identity can equal a file of another size (GB18030)

    def read_all(self, files: list[tuple[Path, str]]) -> LedgerRead:
        """Every file, in path order; one file reached twice, or two files with the same content,
        is read once, with a finding."""
        result = LedgerRead()
        seen_files: dict[tuple[int, int], str] = {}
        seen_content: dict[str, str] = {}
        for path, shown in sorted(files, key=lambda f: f[1]):
            cache.watch(path)
            try:
                stat = path.stat()
            except OSError as exc:
                result.findings.append(
                    Finding("unreadable", _("cannot read: {why}").format(why=os_reason(exc)), Location(shown))
                )
                continue
            identity = (stat.st_dev, stat.st_ino)
            if identity in seen_files:
                result.findings.append(
                    Finding(
                        "same-file",
                        _("the same file as {first} (another path or link to it); read once").format(
                            first=seen_files[identity]
                        ),
                        Location(shown),
                    )
                )
                continue
            seen_files[identity] = shown
            self._read(path, shown, stat, result, seen_content)
        return result

    def _read(self, path: Path, shown: str, stat: os.stat_result, result: LedgerRead, seen: dict[str, str]) -> None:
        try:
            if path.is_dir():
                result.findings.append(Finding("not-a-file", _("is a folder, not a ledger file"), Location(shown)))
                return
            if self._columnar_wanted(path, stat.st_size):
                if self._copy_of_earlier(path, shown, stat.st_size, result, seen):
                    return
                if self._columnar(path, shown, stat, result):
                    result.paths.append(path)
                    return
            identity, records = _records(path, shown)
            self._rows_read = True
            self._hash_unhashed(seen)
            # the row reader's identity decodes GB18030: a copy in another encoding is the same file
            if seen.get(identity) != shown and self._duplicate(identity, shown, result, seen):
                return
            tables, findings = records()
            result.findings += findings
            result.paths.append(path)
            self._tables(tables, result, path.suffix.lower() in WORKBOOK_SUFFIXES)
        except ShuzhengError as exc:
            result.findings.append(exc.finding())
        except OSError as exc:
            result.findings.append(
                Finding("unreadable", _("cannot read: {why}").format(why=os_reason(exc)), Location(shown))
            )

    def _duplicate(self, content: str, shown: str, result: LedgerRead, seen: dict[str, str]) -> bool:
        first = seen.get(content)
        if first is None:
            seen[content] = shown
            return False
        result.findings.append(
            Finding(
                "duplicate-file",
                _("the same content as {first} (a copy of it?); read once").format(first=first),
                Location(shown),
            )
        )
        return True

    def _tables(self, tables: list[Source], result: LedgerRead, workbook: bool) -> None:
        without_header: list[tuple[Source, list[Finding]]] = []
        any_header = False
        for table in tables:
            read = read_source(table, self.rules, self.intake, self._order)
            self._order += 1
            result.counts.add(read.counts)
            if read.header_found:
                any_header = True
                result.findings += read.findings
            else:
                without_header.append((table, read.findings))
        for table, findings in without_header:
            if workbook and any_header:
                result.findings.append(
                    Finding(
                        "sheet-without-header",
                        _("sheet {sheet!r} has no ledger header (日期, 指標, 地區 …) and is not read").format(
                            sheet=table.sheet
                        ),
                        Location(table.shown, sheet=table.sheet),
                    )
                )
            else:
                result.findings += findings
                if workbook:
                    break  # a workbook with no ledger sheet: the first sheet says why

    def _copy_of_earlier(self, path: Path, shown: str, size: int, result: LedgerRead, seen: dict[str, str]) -> bool:
        size -= _BOM_SIZE if _has_bom(path) else 0
        if not self._rows_read and size not in self._sizes:
            self._sizes.add(size)
            self._unhashed.append((path, shown))
            return False
        self._sizes.add(size)
        self._hash_unhashed(seen)
        return self._duplicate(_file_hash(path), shown, result, seen)

    def _hash_unhashed(self, seen: dict[str, str]) -> None:
        while self._unhashed:
            path, shown = self._unhashed.pop(0)
            try:
                seen.setdefault(_file_hash(path), shown)
            except OSError:  # gone since it was read: it cannot be the first of a copy, and is not this file's fault
                continue

    def _columnar_wanted(self, path: Path, size: int) -> bool:
        if self.mode == ReaderMode.ROWS or path.suffix.lower() != ".csv":
            return False
        return not (self.mode == ReaderMode.AUTO and size < COLUMNAR_MIN_BYTES)

    def _columnar(self, path: Path, shown: str, stat: os.stat_result, result: LedgerRead) -> bool:
        from . import columnar  # polars is imported only when a file is worth it

        if self._lookups is None:
            self._lookups = columnar.Lookups(self.rules)
        report = self.progress
        size = stat.st_size
        source = Source(path, shown, None, iter(()))
        try:
            part, counts, findings = columnar.read_fast(
                source,
                self.rules,
                self.intake,
                self._order,
                self._lookups,
                (lambda done: report(shown, done, size)) if report else None,
            )
        except columnar.FallBack:
            return False
        after = path.stat()
        if (after.st_size, after.st_mtime_ns) != (stat.st_size, stat.st_mtime_ns):
            result.findings.append(changed(shown))
            return True
        self._order += 1
        self.intake.part(part)
        result.counts.add(counts)
        result.findings += findings
        result.columnar += 1
        return True


def _records(path: Path, shown: str) -> tuple[str, Callable[[], tuple[list[Source], list[Finding]]]]:
    """A file's content identity, and how to have its tables and file findings, through the ledger
    cache: the records (line, cells) of a file unchanged since it was last read are not parsed
    again. A file whose records raise part-way (a broken workbook) is not cached, and is read as
    it always was."""
    found = cache.identity(path)
    key = (os.path.abspath(path), shown, found)
    cached = cache.load("ledger", key)
    if cached is not None:
        identity, kept, findings = cached
        return identity, lambda: ([Source(path, shown, sheet, iter(records)) for sheet, records in kept], findings)
    snap = snapshot(path, shown)

    def read() -> tuple[list[Source], list[Finding]]:
        tables, findings = sources(snap)
        if not cache.enabled() or not cache.settled(found):
            return tables, findings
        kept: list[tuple[str | None, list[Record]]] = []
        try:
            for table in tables:
                kept.append((table.sheet, list(table.records)))
        except (ShuzhengError, OSError):
            return sources(snap)
        if cache.identity(path) == found:
            cache.store("ledger", key, (snap.identity, kept, findings))
        return [Source(path, shown, sheet, iter(records)) for sheet, records in kept], findings

    return snap.identity, read


def changed(shown: str) -> Finding:
    return Finding("file-changed", _("the file was changed while it was read; read it again"), Location(shown))


_BOM = b"\xef\xbb\xbf"
_BOM_SIZE = len(_BOM)


def _has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(_BOM_SIZE) == _BOM


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        first = handle.read(1 << 20)
        digest.update(first[_BOM_SIZE:] if first.startswith(_BOM) else first)
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
