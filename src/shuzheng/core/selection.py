"""What `progress` keeps: the values of --status, --task, --indicator and --district, parsed and
checked against the plans read. A value no plan knows is a usage error naming the nearest ones."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .checks import PlanContext
from .findings import UsageError, listing
from .i18n import _
from .names import AmbiguousName, NameIndex, fold
from .report import STATUS_LABELS, STATUS_NAMES_ZH, Status

# Values are separated by commas, full-width ones too, or 、 as a clerk types a list.
_SEPARATORS = re.compile(r"[,，、]")
KNOWN_SHOWN = 20  # a usage error lists at most this many known values


def values(texts: Iterable[str] | None) -> list[str]:
    """`--task 1,2 --task 3` → ['1', '2', '3']: repeated or comma-separated, empty parts dropped."""
    return [part.strip() for text in texts or () for part in _SEPARATORS.split(text) if part.strip()]


_NUMBERED = re.compile(r"\d+(?:\.\d+)*")


def _nearest(text: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known values nearest `text`: by number for ids like 7.1 (9.9 → 9.5, 9.4), else by spelling."""
    known = list(known)
    numbered = [k for k in known if _NUMBERED.fullmatch(k)]
    if _NUMBERED.fullmatch(text) and numbered:
        wanted = [int(p) for p in text.split(".")]

        def distance(k: str) -> tuple[int, ...]:
            parts = [int(p) for p in k.split(".")]
            return tuple(abs(a - b) for a, b in zip(wanted + [0] * 4, parts + [0] * 4, strict=False))

        return sorted(numbered, key=distance)[:n]
    return difflib.get_close_matches(text, known, n=n, cutoff=0.3)


def parse_statuses(texts: Iterable[str] | None) -> frozenset[Status] | None:
    """--status values by name (behind), label (on track) or Chinese label (滯後, 滞后), whatever
    the output's language; None when none was given."""
    wanted = values(texts)
    if not wanted:
        return None
    by_name: dict[str, Status] = {}
    for s in Status:
        for spelling in (s.value, STATUS_LABELS[s], STATUS_NAMES_ZH[s], s.label):
            by_name.setdefault(fold(spelling), s)
    chosen: set[Status] = set()
    for part in wanted:
        status = by_name.get(fold(part))
        if status is None:
            names = listing(_named(s) for s in Status)
            near = _nearest(fold(part), [s.value for s in Status], n=1)
            if near:
                message = _("--status {value!r} is not a status; did you mean {near}? use one of {names}")
            else:
                message = _("--status {value!r} is not a status; use one of {names}")
            raise UsageError(message.format(value=part, near=near[0] if near else "", names=names))
        chosen.add(status)
    return frozenset(chosen)


def _named(status: Status) -> str:
    """A status as a usage error lists it: its value, and its label where that says more (滞后)."""
    if fold(status.label) == fold(status.value.replace("_", " ")):
        return status.value
    return _("{value} ({label})").format(value=status.value, label=status.label)


def _id(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def parse_ids(option: str, texts: Iterable[str] | None, known: Iterable[str]) -> frozenset[str] | None:
    """--task / --indicator values as the plans spell their ids (full-width ７.１ is 7.1);
    None when none was given, a usage error naming the nearest known ids for one no plan has."""
    wanted = values(texts)
    if not wanted:
        return None
    by_id = {_id(k): k for k in known}
    chosen: set[str] = set()
    for part in wanted:
        found = by_id.get(_id(part))
        if found is None:
            near = _nearest(_id(part), by_id)
            hint = _("; did you mean {near}?").format(near=listing(by_id[n] for n in near)) if near else ""
            raise UsageError(
                _("{option} {value!r}: no plan read has this id{hint} (known: {known})").format(
                    option=option, value=part, hint=hint, known=listing(by_id.values(), KNOWN_SHOWN)
                )
            )
        chosen.add(found)
    return frozenset(chosen)


def task_ids(contexts: Iterable[PlanContext]) -> list[str]:
    return list(dict.fromkeys(task.id for ctx in contexts for task in ctx.plan.tasks))


def indicator_ids(contexts: Iterable[PlanContext]) -> list[str]:
    return list(dict.fromkeys(ind.id for ctx in contexts for _task, ind in ctx.plan.indicators()))


def district_areas(contexts: list[PlanContext], name: str) -> dict[str, frozenset[str]]:
    """Per plan id, the areas `name` covers in that plan; a name no plan knows is a usage error."""
    found: dict[str, frozenset[str]] = {}
    known: NameIndex[str] = NameIndex()
    for ctx in contexts:
        try:
            area = ctx.tree.index.get(name)
        except AmbiguousName as exc:
            raise UsageError(
                _("--district {name!r} could be {candidates}; write the full name").format(
                    name=name, candidates=listing(exc.candidates)
                ),
                "ambiguous-area",
            ) from None
        if area is not None:
            found[ctx.plan.id] = ctx.tree.below(area)
        for label in ctx.tree.names():
            known.add(label, label)
    if not found:
        raise UsageError(
            _("no loaded plan knows the district {name!r}{hint} (known: {known})").format(
                name=name, hint=known.hint(name), known=listing(known.labels())
            ),
            "unknown-area",
        )
    return found
