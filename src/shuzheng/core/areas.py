"""The plan's area tree and groups: which areas a scope covers, whatever the spelling."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .findings import ParseError
from .model import Area, Plan
from .names import AmbiguousName, NameIndex


@dataclass(frozen=True, slots=True)
class Scope:
    label: str  # as the plan writes it
    areas: frozenset[str]  # every area covered: the named ones and all below them


@dataclass
class AreaTree:
    root: str
    parent: dict[str, str | None] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    index: NameIndex[str] = field(default_factory=NameIndex)

    @classmethod
    def of(cls, plan: Plan) -> AreaTree:
        """Build the tree; duplicate names are reported by the checks, first one wins here."""
        tree = cls(plan.areas.name)
        for area, parent in _walk(plan.areas, None):
            if area.name in tree.parent:
                continue
            tree.parent[area.name] = parent
            tree.children[area.name] = [child.name for child in area.children]
            tree.index.add(area.name, area.name, area.aliases)
        for group in plan.groups:
            covered: set[str] = set()
            for member in group.members:
                name = tree.find(member)
                if name is not None:
                    covered |= tree.below(name)
            tree.groups[group.name] = frozenset(covered)
            tree.index.add(group.name, group.name, group.aliases)
        return tree

    def find(self, text: str) -> str | None:
        """The plan's spelling of an area or group, or None if unknown or ambiguous."""
        try:
            return self.index.get(text)
        except AmbiguousName:
            return None

    def resolve(self, text: str) -> str:
        """Like find, but a ParseError that says why and what was meant."""
        try:
            name = self.index.get(text)
        except AmbiguousName as exc:
            raise ParseError(
                "ambiguous-area", f"{text!r} could be {'、'.join(exc.candidates)}; write the full name"
            ) from None
        if name is None:
            raise ParseError("unknown-area", f"unknown area {text!r}{self.index.hint(text)}")
        return name

    def below(self, name: str) -> frozenset[str]:
        """The area and all its descendants; a group's members and theirs."""
        if name in self.groups:
            return self.groups[name]
        found = {name}
        stack = [name]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                found.add(child)
                stack.append(child)
        return frozenset(found)

    def scope(self, scope: str | list[str]) -> Scope:
        names = [scope] if isinstance(scope, str) else scope
        covered: set[str] = set()
        for text in names:
            covered |= self.below(self.resolve(text))
        label = "、".join(names)
        return Scope(label, frozenset(covered))

    def names(self) -> list[str]:
        return list(self.parent) + list(self.groups)


def _walk(area: Area, parent: str | None) -> Iterator[tuple[Area, str | None]]:
    yield area, parent
    for child in area.children:
        yield from _walk(child, area.name)
