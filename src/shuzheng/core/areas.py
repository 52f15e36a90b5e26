"""The plan's area tree and groups: which areas a scope covers, whatever the spelling.

Built so that no plan can make it loop: every name enters the tree once (by its fold), and its
parent is always a name entered before it, so the tree has no cycle whatever the file says; a
name repeated on its own path and groups that contain each other are recorded for the checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .findings import ParseError, listing
from .i18n import _
from .model import Area, Plan
from .names import AmbiguousName, NameIndex, fold


@dataclass(frozen=True, slots=True)
class Scope:
    label: str  # as the plan writes it
    areas: frozenset[str]  # every area covered: the named ones and all below them


@dataclass(frozen=True, slots=True)
class AreaNode:
    """One `- name:` of the area tree as the file has it, with its path for plan.where()."""

    area: Area
    at: tuple  # ("areas",), ("areas", "children", 0), …
    first: tuple | None  # the path of an earlier area with the same name, if any
    cycle: bool  # that earlier area is this one's ancestor: the name repeats on its own path


def area_nodes(root: Area) -> Iterator[AreaNode]:
    """Every area of the tree in file order (depth first), iteratively: any depth, no recursion."""
    seen: dict[str, tuple] = {}
    stack: list[tuple[Area, tuple, frozenset[str]]] = [(root, ("areas",), frozenset())]
    while stack:
        area, at, above = stack.pop()
        key = fold(area.name)
        first = seen.get(key)
        if first is None:
            seen[key] = at
        yield AreaNode(area, at, first, key in above)
        path = above | {key}
        for n in range(len(area.children) - 1, -1, -1):
            stack.append((area.children[n], (*at, "children", n), path))


@dataclass
class AreaTree:
    root: str
    parent: dict[str, str | None] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    index: NameIndex[str] = field(default_factory=NameIndex)
    # (group index, member index) of each member that would make a group contain itself
    group_cycles: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, plan: Plan) -> AreaTree:
        """Build the tree. A repeated name is reported by the checks; its first area is the one
        kept, and the areas written under a repeat hang under that first one."""
        tree = cls(plan.areas.name)
        spelling: dict[str, str] = {}  # fold → the name as first written
        by_path: dict[tuple, str] = {}  # a node's path → the name it stands for in the tree
        for node in area_nodes(plan.areas):
            parent = by_path.get(node.at[:-2]) if len(node.at) > 1 else None
            key = fold(node.area.name)
            if key in spelling:
                by_path[node.at] = spelling[key]
                continue
            name = spelling[key] = by_path[node.at] = node.area.name
            tree.parent[name] = parent
            tree.children[name] = []
            if parent is not None:
                tree.children[parent].append(name)
            tree.index.add(name, name, node.area.aliases)
        tree._add_groups(plan, spelling)
        return tree

    def _add_groups(self, plan: Plan, spelling: dict[str, str]) -> None:
        """Groups may name groups, in any order; a member that closes a cycle is left out."""
        members: dict[str, tuple[int, list[str]]] = {}
        for gi, group in enumerate(plan.groups):
            key = fold(group.name)
            if key in spelling or group.name in members:
                continue  # a repeated name: the checks report it
            spelling[key] = group.name
            members[group.name] = (gi, group.members)
            self.index.add(group.name, group.name, group.aliases)
        for name in members:
            self._cover(name, members)

    def _cover(self, start: str, members: dict[str, tuple[int, list[str]]]) -> None:
        """Resolve `start` and every group it reaches, depth first with an explicit stack."""
        if start in self.groups:
            return
        on_path: set[str] = {start}
        stack: list[tuple[str, int, set[str]]] = [(start, 0, set())]
        while stack:
            name, next_member, covered = stack[-1]
            gi, written = members[name]
            if next_member == len(written):
                stack.pop()
                on_path.discard(name)
                self.groups[name] = frozenset(covered)
                if stack:
                    stack[-1][2].update(covered)
                continue
            stack[-1] = (name, next_member + 1, covered)
            member = self.find(written[next_member])
            if member is None:
                continue  # unknown or ambiguous: the checks report it
            if member in on_path:
                self.group_cycles.append((gi, next_member))
            elif member in members and member not in self.groups:
                on_path.add(member)
                stack.append((member, 0, set()))
            else:
                covered |= self.below(member)

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
                "ambiguous-area",
                _("{text!r} could be {names}; write the full name").format(text=text, names=listing(exc.candidates)),
            ) from None
        if name is None:
            raise ParseError(
                "unknown-area", _("unknown area {text!r}{hint}").format(text=text, hint=self.index.hint(text))
            )
        return name

    def below(self, name: str) -> frozenset[str]:
        """The area and all its descendants; a group's members and theirs."""
        if name in self.groups:
            return self.groups[name]
        found = {name}
        stack = [name]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child not in found:
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
