"""The texts typer and click print themselves (usage lines, help headings, usage errors), in the
language chosen, and help laid out by display width, so that Chinese help fits the terminal.

typer marks a few of its texts with stdlib gettext (Options, Commands, [default: …], Missing
command.): cli.py routes those to shuzheng's catalogue, so they are listed here only for it. The
click inside typer writes its own texts as plain English (f-strings), so what it says is translated
where it is shown: `spoken` matches the message against these templates, exactly as click and typer
write them, and gives the catalogue's sentence with the same values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

import typer

from .core.i18n import N_, _

try:
    from typer import _click as click  # the click typer carries (typer 0.2x)
except ImportError:  # pragma: no cover - an older typer runs on click itself
    import click  # type: ignore[no-redef]

# Marked with gettext in typer (typer/core.py): translated through the catalogue as typer shows them.
GETTEXT = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("default: {default}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)

# Shown here in place of click's own words: the usage line, help headings, the help option,
# the hint and prefix of an error.
SHOWN = (
    N_("Usage:"),
    N_("{heading}:"),
    N_("Show this message and exit."),
    N_("Try '{command} {option}' for help."),
    N_("Error: {message}"),
)

# Messages click and typer compose in English, tried in this order (the ones that wrap another
# message first); a placeholder named `message` holds another message.
MESSAGES = (
    N_("{message} (Possible options: {possibilities})"),
    N_("{message}. Did you mean {suggestions}?"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Value error, {message}"),
    N_("{value} is not one of {choices}."),
    N_("No such option: {name}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} does not take a value."),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Missing argument {name}."),
)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)[^{}]*\}")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """The template as a pattern: each placeholder a named group (as short as the rest allows)."""
    parts, end = [], 0
    for found in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[end : found.start()]) + f"(?P<{found.group(1)}>.+?)")
        end = found.end()
    return re.compile("".join(parts) + re.escape(template[end:]), re.DOTALL)


def spoken(message: str) -> str:
    """click's English message in the language chosen; a message it does not know stays as it is
    (shuzheng's own messages are translated already)."""
    for template in MESSAGES:
        found = _pattern(template).fullmatch(message)
        if found is None:
            continue
        values = {name: spoken(value) if name == "message" else value for name, value in found.groupdict().items()}
        return _PLACEHOLDER.sub(lambda m, values=values: values[m.group(1)], _(template))
    return message


def show_error(exc: click.exceptions.ClickException) -> None:
    """What click's ClickException.show prints (usage, hint, "Error: …"), in the language."""
    ctx = getattr(exc, "ctx", None)
    color = ctx.color if ctx is not None else None
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        typer.echo(exc.format_message(), err=True, color=color)  # the help itself
        return
    if isinstance(exc, click.exceptions.UsageError) and ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            hint += "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=color)
    typer.echo(_("Error: {message}").format(message=spoken(exc.format_message())), err=True, color=color)


# --- help laid out by display width -----------------------------------------------------------------

_CLOSING = "，。、；：！？）」』》…"  # never the first character of a line
_OPENING = "（「『《"  # never the last


def _char_width(char: str) -> int:
    # Help is our own catalogue's text (CJK, ASCII, punctuation): East Asian width is all it needs,
    # and unicodedata is built in, where importing wcwidth would cost `--help` a tenth of its time.
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    return sum(map(_char_width, text))


def _tokens(text: str) -> list[str]:
    """What a line may break between: spaces, words of narrow characters, single wide characters;
    punctuation stays with the character it belongs to."""
    tokens: list[str] = []
    for char in re.sub(r"\s", " ", text.strip()):
        last = tokens[-1] if tokens else " "
        if char == " ":
            tokens.append(char)
        elif last != " " and (char in _CLOSING or last[-1] in _OPENING):
            tokens[-1] += char
        elif last != " " and _char_width(char) < 2 and _char_width(last[-1]) < 2 and last[-1] not in _CLOSING:
            tokens[-1] += char  # a word
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most `width` columns (a word longer than that has a line of its own)."""
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for token in _tokens(text):
        size = _width(token)
        if token != " " and line and used + size > width:
            lines.append("".join(line).rstrip())
            line, used = [], 0
        if token == " " and not line:
            continue
        line.append(token)
        used += size
    if line:
        lines.append("".join(line).rstrip())
    return lines


class Formatter(click.HelpFormatter):
    """click's help formatter, with its usage prefix and headings in the language, and text that
    holds wide characters wrapped by display width (click counts characters)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _("Usage:")
            prefix += "" if prefix.endswith("：") else " "  # a full-width colon spaces itself
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:').format(heading=heading)}\n")

    def write_text(self, text: str) -> None:
        if text.isascii():
            return super().write_text(text)
        indent = " " * self.current_indent
        self.write("".join(f"{indent}{line}\n" for line in wrap(text, self.width - self.current_indent)))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if all(not second or second.isascii() for _first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max((_width(first) for first, _second in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(f"{lines[0]}\n")
            self.write("".join(f"{'':>{first_col + self.current_indent}}{line}\n" for line in lines[1:]))


class Context(click.Context):
    formatter_class = Formatter
