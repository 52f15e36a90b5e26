"""Plan YAML → plain data (dicts, lists, strings, None) and the position of every node.

Built from parser events, not a loader: anchors, aliases, tags, directives and extra
documents are refused before anything is constructed, so an alias bomb costs nothing,
and every scalar stays text for the schema to type (`010` stays `010`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError

from ..core.findings import Finding, Location, sort_key
from ..core.i18n import N_, _

MAX_DEPTH = 40
_NULLS = {"", "~", "null", "Null", "NULL"}
# Plain scalars that YAML 1.1 tools retype silently (no → false, 010 → 8, 1_000 → 1000).
_RETYPED = re.compile(
    r"(?i:y|n|yes|no|on|off)|[-+]?0[0-7_]+|[-+]?0[xob][0-9a-f_]+|[-+]?\d[\d_]*_[\d_]*(\.\d*)?"
    r"|[-+]?\d+(:[0-5]?\d)+(\.\d*)?|[-+]?\.(?i:inf)|\.(?i:nan)"
)


@dataclass
class Tree:
    data: Any = None
    positions: dict[tuple, Location] = field(default_factory=dict)
    key_positions: dict[tuple, Location] = field(default_factory=dict)
    diagnostics: list[Finding] = field(default_factory=list)
    blank_values: bool = False  # `name:` with nothing after it; the two parsers place these apart


@dataclass
class _Open:
    """A mapping or list being read: its path, and in a mapping the key awaiting its value."""

    container: dict[str, Any] | list[Any]
    path: tuple
    key: Any = None  # None: the next scalar is a key; a _DuplicateKey: its value is dropped
    flow: bool = False  # written inline: [a, b] or {a: b}

    def child_path(self) -> tuple:
        return (*self.path, len(self.container) if isinstance(self.container, list) else self.key)

    @property
    def wants_key(self) -> bool:
        return isinstance(self.container, dict) and self.key is None


class _Stop(Exception):
    """A structural error after which the rest of the file cannot be trusted."""


def parse_yaml(text: str, path: str, keys: frozenset[str] | None = None) -> Tree:
    """libyaml's parser (ruamel.yaml.clib) reads a clean plan twenty times faster. A plan with
    findings or blank values is read again by the pure parser, whose wording and positions
    the diagnostics use, so what is reported never depends on which parser is installed.

    `keys`: the keys the file may have; a full-width colon after one (`id：x`, typed with a
    Chinese keyboard) is an error at that colon, and the syntax errors it causes further down
    are left out. None: any ASCII word before a full-width colon counts."""
    try:
        tree = _build(YAML(typ="safe", pure=False).parse(text), text, path)
    except UnicodeError:  # libyaml takes UTF-8 bytes; text with lone surrogates has none
        tree = Tree(diagnostics=[Finding("yaml-syntax", _("unreadable text"), Location(path, 1, 1))])
    if tree.diagnostics or tree.blank_values:
        tree = _build(YAML(typ="safe", pure=True).parse(text), text, path)
    slips = full_width_colons(text, path, keys)
    if slips:
        # what a slip breaks further down (a mapping the parser cannot close) is not news
        first = _line_of(slips[0])
        kept = [d for d in tree.diagnostics if d.code != "yaml-syntax" or _line_of(d) < first]
        tree.diagnostics = sorted(kept + slips, key=sort_key)
    return tree


def _line_of(finding: Finding) -> int:
    return finding.where.line or 0 if finding.where else 0


# A key at the start of a line (after any `- `) or after `{` / `,`, followed by a full-width colon.
_FULL_WIDTH_COLON = re.compile(r"(?:^[ \t]*(?:-[ \t]+)*|[{,][ \t]*)([A-Za-z_][A-Za-z0-9_]*)[ \t]*：", re.MULTILINE)


def full_width_colons(text: str, path: str, keys: frozenset[str] | None = None) -> list[Finding]:
    """Each `key：` where `key:` was meant, at the colon's line and column."""
    found = []
    for match in _FULL_WIDTH_COLON.finditer(text):
        key = match.group(1)
        if keys is not None and key not in keys:
            continue
        line, col = _line_col(text, match.end() - 1)
        message = _("full-width colon '：' after {key!r}; write an ASCII colon and a space: '{key}: '")
        found.append(Finding("yaml-full-width-colon", message.format(key=key), Location(path, line, col)))
    return found


def _build(events: Any, text: str, path: str) -> Tree:
    tree = Tree()

    def where(event: Any) -> Location:
        mark = event.start_mark
        return Location(path, mark.line + 1, mark.column + 1)

    def refuse(event: Any, code: str, message: str) -> None:
        tree.diagnostics.append(Finding(code, message, where(event)))

    stack: list[_Open] = []
    documents = 0
    last: Any = None  # the last event read, to explain a syntax error it caused

    def place(value: Any, event: Any) -> None:
        if not stack:
            tree.data = value
            tree.positions[()] = where(event)
            return
        frame = stack[-1]
        container, base = frame.container, frame.path
        if isinstance(container, list):
            key = len(container)
            container.append(value)
        else:
            if frame.key is None:  # this scalar is a key
                if not isinstance(value, str):
                    refuse(event, "yaml-syntax", _("a key must be plain text, not a list or mapping"))
                    raise _Stop
                if value in container:
                    first = tree.key_positions[(*base, value)]
                    refuse(
                        event,
                        "yaml-duplicate-key",
                        _("duplicate key {key!r} (first at line {line}); keep one").format(key=value, line=first.line),
                    )
                    frame.key = _DuplicateKey()
                else:
                    frame.key = value
                    tree.key_positions[(*base, value)] = where(event)
                return
            key, frame.key = frame.key, None
            if isinstance(key, _DuplicateKey):
                return
            container[key] = value
        tree.positions[(*base, key)] = where(event)

    try:
        for event in events:
            last = event
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    refuse(event, "yaml-multi-document", _("a plan is one YAML document; remove the second '---'"))
                    raise _Stop
                if event.version or event.tags:
                    # The event starts at '---'; the directive is the first '%' line above it.
                    above = text[: event.start_mark.index].splitlines()
                    line = next(
                        (n for n, content in enumerate(above, 1) if content.startswith("%")), event.start_mark.line + 1
                    )
                    tree.diagnostics.append(
                        Finding(
                            "yaml-directive",
                            _("remove the '%' directive line: plans are YAML 1.2 and take none"),
                            Location(path, line, 1),
                        )
                    )
            elif isinstance(event, AliasEvent):
                refuse(
                    event,
                    "yaml-alias",
                    _("alias *{name} is not allowed: write the value out in full").format(name=event.anchor),
                )
                place(None, event)
            elif isinstance(event, (ScalarEvent, MappingStartEvent, SequenceStartEvent)):
                if event.anchor:
                    refuse(
                        event,
                        "yaml-anchor",
                        _("anchor &{name} is not allowed: plans use no anchors or aliases").format(name=event.anchor),
                    )
                if event.tag:
                    written = event.tag.replace("tag:yaml.org,2002:", "!!", 1)  # as the file spells it
                    refuse(
                        event,
                        "yaml-tag",
                        _("tag {tag} is not allowed: plans take plain values only").format(tag=written),
                    )
                if isinstance(event, ScalarEvent):
                    value = event.value
                    plain = not event.style
                    if plain and "，" in value and stack and stack[-1].flow and isinstance(stack[-1].container, list):
                        _full_width_comma(tree, event, path)
                    if plain and value in _NULLS:
                        tree.blank_values = tree.blank_values or not value
                        value = None
                    elif plain and _RETYPED.fullmatch(value) and not (stack and stack[-1].wants_key):
                        refuse(
                            event,
                            "yaml-ambiguous",
                            _('{quoted} means something else to YAML 1.1 tools; quote it: "{value}"').format(
                                quoted=repr(value), value=value
                            ),
                        )
                    place(value, event)
                else:
                    if len(stack) >= MAX_DEPTH:
                        refuse(
                            event,
                            "yaml-depth",
                            _("nesting deeper than {depth} levels; a plan needs far fewer").format(depth=MAX_DEPTH),
                        )
                        raise _Stop
                    path_here = stack[-1].child_path() if stack else ()
                    container: dict[str, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
                    place(container, event)
                    stack.append(_Open(container, path_here, flow=bool(event.flow_style)))
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, StreamEndEvent):
                break
    except _Stop:
        pass
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = _yaml_words(exc.problem or exc.context or "") or _("invalid YAML")
        opened = exc.context_mark if exc.problem and exc.context else None
        if isinstance(last, ScalarEvent) and last.style in ('"', "'") and last.end_mark.line > last.start_mark.line:
            # a quote left open swallows the lines below it, and the error shows up far away
            start = last.start_mark
            problem = _(
                "{problem} (the quoted value that starts at line {line}, column {col} runs on to line {end};"
                " is its closing quote missing?)"
            ).format(problem=problem, line=start.line + 1, col=start.column + 1, end=last.end_mark.line + 1)
        elif opened and mark and opened.line != mark.line:  # e.g. the '{' that was never closed
            problem = _("{problem} ({context} that starts at line {line}, column {col})").format(
                problem=problem, context=_yaml_words(exc.context or ""), line=opened.line + 1, col=opened.column + 1
            )
        tree.diagnostics.append(
            Finding("yaml-syntax", _("YAML syntax: {problem}").format(problem=problem), Location(path, line, col))
        )
    except ReaderError as exc:  # a character YAML does not allow anywhere (NUL, most control characters)
        line, col = _line_col(text, exc.position)
        char = exc.character if isinstance(exc.character, int) else 0
        tree.diagnostics.append(
            Finding(
                "yaml-syntax",
                _("character U+{code:04X} is not allowed in YAML; remove it (a damaged or binary file?)").format(
                    code=char
                ),
                Location(path, line, col),
            )
        )
    except YAMLError as exc:
        tree.diagnostics.append(
            Finding(
                "yaml-syntax",
                _("YAML syntax: {problem}").format(problem=" ".join(str(exc).split())),
                Location(path, 1, 1),
            )
        )
    return tree


# The YAML parser's words for what is wrong (ruamel.yaml's scanner and parser), shown translated;
# `{token}` and `{char}` stand for the token or character it names, as it quotes them.
_YAML_WORDS = [
    (re.compile(p), message)
    for p, message in (
        (r"mapping values are not allowed here", N_("mapping values are not allowed here")),
        (r"mapping keys are not allowed here", N_("mapping keys are not allowed here")),
        (r"sequence entries are not allowed here", N_("sequence entries are not allowed here")),
        (r"found character '\\t' that cannot start any token", N_("found character '\\t' that cannot start any token")),
        (
            r"found character (?P<char>.+) that cannot start any token",
            N_("found character {char} that cannot start any token"),
        ),
        (r"could not find expected ':'", N_("could not find expected ':'")),
        (r"found unexpected ':'", N_("found unexpected ':'")),
        (r"found unexpected end of stream", N_("found unexpected end of stream")),
        (r"found unexpected document separator", N_("found unexpected document separator")),
        (r"found unknown escape character (?P<char>.+)", N_("found unknown escape character {char}")),
        (r"expected ',' or '\}', but got (?P<token>.+)", N_("expected ',' or '}}', but got {token}")),
        (r"expected ',' or '\]', but got (?P<token>.+)", N_("expected ',' or ']', but got {token}")),
        (r"expected <block end>, but found (?P<token>.+)", N_("expected <block end>, but found {token}")),
        (r"expected the node content, but found (?P<token>.+)", N_("expected the node content, but found {token}")),
        (r"expected '<document start>', but found (?P<token>.+)", N_("expected '<document start>', but found {token}")),
        (r"while parsing a block mapping", N_("while parsing a block mapping")),
        (r"while parsing a block collection", N_("while parsing a block collection")),
        (r"while parsing a flow mapping", N_("while parsing a flow mapping")),
        (r"while parsing a flow sequence", N_("while parsing a flow sequence")),
        (r"while parsing a (?:block|flow) node", N_("while parsing a value")),
        (r"while scanning a simple key", N_("while scanning a simple key")),
        (r"while scanning a (?:double-)?quoted scalar", N_("while scanning a quoted scalar")),
        (r"while scanning a plain scalar", N_("while scanning a plain scalar")),
        (r"while scanning a block scalar", N_("while scanning a block scalar")),
    )
]
# the tokens the parser names by kind rather than by their characters
_YAML_TOKENS = {
    "'<stream end>'": N_("'<stream end>'"),
    "('<stream end>',)": N_("'<stream end>'"),
    "'<scalar>'": N_("'<scalar>'"),
    "'<block mapping start>'": N_("'<block mapping start>'"),
    "'<block sequence start>'": N_("'<block sequence start>'"),
    "'<block end>'": N_("'<block end>'"),
}


def _yaml_words(text: str) -> str:
    """The parser's message in the output's language, when it is one of those above; else as it is."""
    for pattern, message in _YAML_WORDS:
        match = pattern.fullmatch(text)
        if match:
            found = match.groupdict()
            if "token" in found:
                found["token"] = _(_YAML_TOKENS[found["token"]]) if found["token"] in _YAML_TOKENS else found["token"]
            return _(message).format(**found)
    return text


_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # the line breaks ruamel counts


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, counting lines as the YAML parser does."""
    breaks = list(_BREAK.finditer(text, 0, index))
    return len(breaks) + 1, index - (breaks[-1].end() if breaks else 0) + 1


def _full_width_comma(tree: Tree, event: ScalarEvent, path: str) -> None:
    """An item of an inline list with a full-width comma in it: two items typed as one."""
    start, end = event.start_mark, event.end_mark
    col = start.column + 1
    if start.line == end.line:  # on one line the comma's own column is known
        col += event.value.index("，")
    parts = "、".join(part.strip() for part in event.value.split("，"))
    message = _(
        "list item {item!r} holds a full-width comma '，': separate the items {parts} with an ASCII comma,"
        " or quote the item if the comma belongs to it"
    )
    tree.diagnostics.append(
        Finding(
            "yaml-full-width-comma", message.format(item=event.value, parts=parts), Location(path, start.line + 1, col)
        )
    )


class _DuplicateKey:
    """Marks the value of a repeated key, which is read and dropped."""
