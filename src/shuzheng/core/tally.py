"""The one way rows enter the reconciler: per-(indicator, area) Cells with a single merge, the
registry that alone decides the first use of a 編號, and the account of every row read.

Both readers feed the tally the same way: the row reader folds one-row cells, the columnar
reader hands in cells it summed per file. Rows that carry a 編號 wait until every file is read:
the earliest-dated use of a 編號 is its first use (ties: files in path order, then line), so
adding a file never changes a report at an earlier as-of date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .findings import Finding, Found, Location
from .i18n import _
from .names import fold
from .rules import Row

ZERO = Decimal(0)

# (date, order, line): the order rows are told apart in; order is the file's (or sheet's)
# place in path order, so "latest" and "first" never depend on which file was read first.
Stamp = tuple[date, int, int]


@dataclass(slots=True)
class Cell:
    """Everything the measures need about one indicator in one area."""

    rows: int = 0
    total: Decimal = ZERO
    base: Decimal = ZERO
    latest: tuple[Stamp, Decimal] | None = None  # the freshest row's quantity
    opening: tuple[Stamp, Decimal] | None = None  # the last row on the earliest date: a stock's first report
    note: tuple[Stamp, str] | None = None
    keys: set = field(default_factory=set)  # distinct keys, without the area
    items: dict[str, date] = field(default_factory=dict)  # milestone item → the day it was first done
    days: set[date] = field(default_factory=set)  # days with a row, for two rows of one area on one day

    def merge(self, other: Cell) -> None:
        """The one merge: counts and totals add; keys union; latest by stamp; earliest per item."""
        self.rows += other.rows
        self.total += other.total
        self.base += other.base
        if other.latest is not None and (self.latest is None or other.latest[0] >= self.latest[0]):
            self.latest = other.latest
        if other.opening is not None and (
            self.opening is None or _opening_key(other.opening[0]) > _opening_key(self.opening[0])
        ):
            self.opening = other.opening
        if other.note is not None and (self.note is None or other.note[0] >= self.note[0]):
            self.note = other.note
        self.keys |= other.keys
        for item, day in other.items.items():
            first = self.items.get(item)
            if first is None or day < first:
                self.items[item] = day
        self.days |= other.days


def _opening_key(stamp: Stamp) -> tuple:
    """Earliest date first; on that date, the later row in file order."""
    day, order, line = stamp
    return (-day.toordinal(), order, line)


@dataclass
class RowCounts:
    """Every data row read falls in exactly one class: read is always the sum of the others."""

    read: int = 0
    counted: int = 0
    rejected: int = 0
    duplicate: int = 0
    conflict: int = 0
    outside_scope: int = 0
    after_as_of: int = 0
    blank: int = 0

    CLASSES = ("counted", "rejected", "duplicate", "conflict", "outside_scope", "after_as_of", "blank")

    def add(self, other: RowCounts) -> None:
        for name in ("read", *self.CLASSES):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def balanced(self) -> bool:
        return self.read == sum(getattr(self, name) for name in self.CLASSES)

    @property
    def all_counted(self) -> bool:
        return self.counted == self.read - self.after_as_of - self.blank

    def to_json(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("read", *self.CLASSES)}


@dataclass(frozen=True, slots=True)
class Claim:
    """One use of a 編號. `content` tells a duplicate (same record again) from a conflict."""

    family: str
    key: str
    day: date
    order: int
    line: int
    where: Location
    ref: str
    indicator: str
    content: tuple | None = None

    @property
    def stamp(self) -> Stamp:
        return (self.day, self.order, self.line)


@dataclass
class Resolution:
    losers: set[tuple[int, int]]  # (order, line) of each use after the first: every other claim won
    findings: list[Finding]
    duplicates: int = 0
    conflicts: int = 0

    def won(self, order: int, line: int) -> bool:
        """Of a claimed row: whether it is its 編號's first use."""
        return (order, line) not in self.losers


class RefRegistry:
    """The only owner of "first use of a 編號". A 編號 is unique per indicator family (an
    indicator and its components share one), folded as names are."""

    def __init__(self, families: dict[str, str], plan: str | None = None):
        self.families = families
        self.plan = plan
        self._claims: dict[tuple[str, str], list[Claim]] = {}
        # order → content of some lines of that file, asked only for a 編號 used more than once
        self._content: dict[int, Callable[[list[int]], dict[int, tuple]]] = {}
        self._bulk: list[BulkPart] = []  # parts that find their contested 編號 themselves, in bulk

    def key(self, indicator: str, ref: str) -> tuple[str, str]:
        return (self.families.get(indicator, indicator), fold(ref))

    def claim(self, claim: Claim) -> None:
        self._claims.setdefault((claim.family, claim.key), []).append(claim)

    def claim_many(
        self, claims: Iterable[Claim], content: Callable[[list[int]], dict[int, tuple]] | None = None
    ) -> None:
        """Claims of one file read in bulk; `content(lines)` is asked only for 編號 used twice."""
        table = self._claims
        for claim in claims:
            found = table.get((claim.family, claim.key))
            if found is None:
                table[(claim.family, claim.key)] = [claim]
            else:
                found.append(claim)
            if content is not None:
                self._content[claim.order] = content
        self._asked: dict[tuple[int, int], tuple] = {}

    def claim_bulk(self, part: BulkPart) -> None:
        """A part's claims, kept in its own columns: only the 編號 used more than once in the whole
        plan (asked of the parts together at resolve()) ever become Claim objects."""
        self._bulk.append(part)
        self._content[part.order] = part.content

    def resolve(self) -> Resolution:
        losers: set[tuple[int, int]] = set()
        findings: list[Finding] = []
        resolution = Resolution(losers, findings)
        if self._bulk:
            others = [(claim.family, claim.key) for claims in self._claims.values() for claim in claims]
            contested_keys = type(self._bulk[0]).contested(self._bulk, others)
            for part in self._bulk:
                for claim in part.claims_for(contested_keys):
                    self._claims.setdefault((claim.family, claim.key), []).append(claim)
            self._bulk = []
        contested = [claims for claims in self._claims.values() if len(claims) > 1]
        wanted: dict[int, list[int]] = {}
        for claims in contested:
            for claim in claims:
                if claim.content is None:
                    wanted.setdefault(claim.order, []).append(claim.line)
        self._asked = {}
        for order, lines in wanted.items():
            ask = self._content.get(order)
            if ask is not None:
                self._asked.update({(order, line): found for line, found in ask(lines).items()})
        for claims in contested:
            claims.sort(key=lambda c: c.stamp)
            first = claims[0]
            first_content = self._content_of(first)
            for later in claims[1:]:
                losers.add((later.order, later.line))
                at = (
                    _("line {line}").format(line=first.line)
                    if later.where.file == first.where.file
                    else f"{first.where.file}:{first.line}"
                )
                if self._content_of(later) == first_content:
                    resolution.duplicates += 1
                    findings.append(
                        Finding(
                            "duplicate-ref",
                            _(
                                "編號 {ref!r} of {indicator} was already counted at {at}; this row is not counted again"
                            ).format(ref=later.ref, indicator=later.indicator, at=at),
                            later.where,
                            self.plan,
                            detail={"first": first.where, "ref": later.ref, "indicator": later.indicator},
                        )
                    )
                else:
                    resolution.conflicts += 1
                    findings.append(
                        Finding(
                            "conflicting-ref",
                            _(
                                "編號 {ref!r} of {indicator} is already used at {at} for a different record; only "
                                "the first use is counted: give this row its own 編號"
                            ).format(ref=later.ref, indicator=later.indicator, at=at),
                            later.where,
                            self.plan,
                            detail={"first": first.where, "ref": later.ref, "indicator": later.indicator},
                        )
                    )
        return resolution

    def _content_of(self, claim: Claim) -> tuple | None:
        if claim.content is not None:
            return claim.content
        return self._asked.get((claim.order, claim.line))


def families(components: dict[str, list[str]]) -> dict[str, str]:
    """indicator → the top of its component family (7.2 → 7.1 when 7.1 = 7.2 + 7.3); cycles end."""
    parent: dict[str, str] = {}
    for whole, parts in components.items():
        for part in parts:
            parent.setdefault(part, whole)
    top: dict[str, str] = {}
    for indicator in set(components) | set(parent):
        seen = {indicator}
        at = indicator
        while at in parent and parent[at] not in seen:
            at = parent[at]
            seen.add(at)
        top[indicator] = at
    return top


def cell_of(row: Row, order: int, key_parts: tuple[str, ...], measure: str) -> Cell:
    """A one-row cell: what the row reader folds into the tally for each counted row."""
    stamp: Stamp = (row.date, order, row.line)
    cell = Cell(
        rows=1,
        total=row.quantity,
        base=row.base if row.base is not None else ZERO,
        latest=(stamp, row.quantity),
        opening=(stamp, row.quantity),
        note=(stamp, row.note) if row.note else None,
        days={row.date},
    )
    if measure == "distinct":
        cell.keys.add(distinct_key(key_parts, row.item, row.date))
    elif measure == "milestone" and row.item is not None:
        cell.items[row.item] = row.date
    return cell


def distinct_key(parts: tuple[str, ...], item: str | None, day: date) -> tuple:
    """A row's distinct key without its area (cells are per area already)."""
    return tuple(day if part == "date" else fold(item or "") for part in parts)


class Tally:
    """The cells of one plan's counted rows, and the account of every row read."""

    def __init__(self) -> None:
        self.cells: dict[str, dict[str, Cell]] = {}

    def merge(self, indicator: str, area: str, cell: Cell) -> None:
        cells = self.cells.setdefault(indicator, {})
        found = cells.get(area)
        if found is None:
            cells[area] = cell
        else:
            found.merge(cell)

    def of(self, indicator: str) -> dict[str, Cell]:
        return self.cells.get(indicator, {})


@dataclass
class Settled:
    """What a bulk part gives once the registry has decided: its counted cells and its findings."""

    cells: list[tuple[str, str, Cell]] = field(default_factory=list)
    counted: int = 0
    outside: int = 0
    findings: list[Found] = field(default_factory=list)


class BulkPart:
    """A file's rows read in bulk (the columnar reader): claims now, cells once decided.

    A part either lists its claims (claims()), or, with `bulk` set, keeps them in its own columns:
    then contested(parts, others) finds the (family, key) pairs used more than once among all the
    parts and the `others` listed, and claims_for(keys) makes Claims of its uses of those only."""

    bulk = False
    order = -1  # the file's place in path order

    def claims(self) -> Iterable[Claim]:
        return ()

    @classmethod
    def contested(cls, parts: list[BulkPart], others: list[tuple[str, str]]) -> set[tuple[str, str]]:
        raise NotImplementedError

    def claims_for(self, keys: set[tuple[str, str]]) -> Iterable[Claim]:
        raise NotImplementedError

    def content(self, lines: list[int]) -> dict[int, tuple]:
        raise NotImplementedError

    def settle(self, losers: set[tuple[int, int]], covered: dict[str, frozenset[str]]) -> Settled:
        """The part's rows less the claimed ones in `losers`, summed into cells."""
        raise NotImplementedError


class Intake:
    """One plan's rows on their way into the tally. Readers hand in each valid row dated by the
    as-of date (or a bulk part); rows with a 編號 wait for the registry; finish() settles them and
    classes every row as counted or outside every target's scope."""

    def __init__(self, ctx, as_of: date | None, keep: bool = False):  # ctx: the compiled plan
        self.ctx = ctx
        self.as_of = as_of
        self.plan = ctx.plan.id
        indicators = {ind.id: ind for _, ind in ctx.plan.indicators()}
        self.measures = {i: ind.measure for i, ind in indicators.items()}
        self.key_parts = {
            i: tuple(part for part in ind.distinct_key if part != "area") for i, ind in indicators.items()
        }
        self.families = families({i: list(ind.components) for i, ind in indicators.items()})
        self.registry = RefRegistry(self.families, self.plan)
        self.covered = covered_areas(ctx)
        self.tally = Tally()
        self.counts = RowCounts()
        self.findings: list[Found] = []
        self._pending: dict[tuple[int, int], Row] = {}
        self._parts: list[BulkPart] = []
        # keep=True: the rows themselves too (the views drill down to them): every valid row handed
        # in, and the rows counted into the cells, each with its file's order
        self.keep = keep
        self.handed: list[tuple[int, Row]] = []
        self.counted_rows: list[tuple[int, Row]] = []

    def row(self, row: Row, order: int) -> None:
        """A valid row dated by the as-of date."""
        if self.keep:
            self.handed.append((order, row))
        if row.ref is not None:
            key = self.registry.key(row.indicator, row.ref)
            if key[1]:
                self.registry.claim(
                    Claim(
                        key[0],
                        key[1],
                        row.date,
                        order,
                        row.line,
                        row.where,
                        row.ref.strip(),
                        row.indicator,
                        row.content(),
                    )
                )
                self._pending[(order, row.line)] = row
                return
        self._count(row, order)

    def part(self, part: BulkPart) -> None:
        if part.bulk:
            self.registry.claim_bulk(part)
        else:
            self.registry.claim_many(part.claims(), part.content)
        self._parts.append(part)

    def _count(self, row: Row, order: int) -> None:
        self.findings += row.warnings
        if row.area not in self.covered.get(row.indicator, ()):
            self.counts.outside_scope += 1
            self.findings.append(outside_scope(row.indicator, row.area, row.where, self.plan))
            return
        self.counts.counted += 1
        if self.keep:
            self.counted_rows.append((order, row))
        if row.quantity < 0:
            self.findings.append(correction(row.indicator, row.area, row.quantity, row.where, self.plan))
        self.tally.merge(
            row.indicator, row.area, cell_of(row, order, self.key_parts[row.indicator], self.measures[row.indicator])
        )

    def finish(self) -> Tally:
        resolution = self.registry.resolve()
        self.findings += resolution.findings
        self.counts.duplicate += resolution.duplicates
        self.counts.conflict += resolution.conflicts
        for (order, line), row in sorted(self._pending.items()):
            if resolution.won(order, line):
                self._count(row, order)
        self._pending.clear()
        for part in self._parts:
            settled = part.settle(resolution.losers, self.covered)
            for indicator, area, cell in settled.cells:
                self.tally.merge(indicator, area, cell)
            self.counts.counted += settled.counted
            self.counts.outside_scope += settled.outside
            self.findings += settled.findings
        self._parts.clear()
        return self.tally


def covered_areas(ctx) -> dict[str, frozenset[str]]:
    """indicator → every area some target of it covers, or of an indicator counting it as a component."""
    covered: dict[str, set[str]] = {}
    components = {ind.id: list(ind.components) for _, ind in ctx.plan.indicators()}
    for t in ctx.targets:
        pending, seen = [t.indicator.id], set()
        while pending:
            indicator = pending.pop()
            if indicator in seen:
                continue
            seen.add(indicator)
            covered.setdefault(indicator, set()).update(t.scope.areas)
            if t.indicator.measure == "sum":
                pending += components.get(indicator, [])
    return {indicator: frozenset(areas) for indicator, areas in covered.items()}


def outside_scope(indicator: str, area: str, where: Location | None, plan: str | None) -> Finding:
    return Finding(
        "outside-scope",
        _("{area} is in no target's scope of {indicator}; the row is valid but counts towards nothing").format(
            area=area, indicator=indicator
        ),
        where,
        plan,
        detail={"indicator": indicator, "area": area},
    )


def correction(indicator: str, area: str, quantity: Decimal, where: Location, plan: str | None) -> Finding:
    return Finding(
        "correction",
        _("a correction of {quantity} to {indicator} at {area}").format(
            quantity=quantity, indicator=indicator, area=area
        ),
        where,
        plan,
        detail={"indicator": indicator, "area": area, "quantity": quantity},
    )
