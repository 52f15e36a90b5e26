"""The command line: options → readers → core → renderers → stdout/stderr. Nothing else.

`run_guarded` is the one error boundary: a user's error becomes its message and exit code, a
closed pipe a quiet 141, Ctrl-C 130, a signal 128 + its number, a write error on stdout an
`output-error`, and a bug one line asking for a report (SHUZHENG_DEBUG=1 shows the traceback).
Every command runs inside it (the Typer group below invokes them through it), and so does the
entry point, for what happens outside any command.
"""

# no `from __future__ import annotations`: typer reads every annotation twice per command when the
# app is built, and a string annotation is compiled each time (40 ms of a start-up)
import codecs
import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from .click_texts import Context, click, show_error
from .core.findings import ShuzhengError, one_line
from .core.i18n import _, ngettext
from .render import RENDERERS, by_suffix, formats

if TYPE_CHECKING:  # imported where used, to keep `shuzheng --help` quick
    from datetime import date

    from rich.console import Console

    from .core.findings import Finding
    from .core.report import Report
    from .read.ledger import ReadProgress
    from .service import ProgressResult

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports `… | head -1` for any tool
BOX_CHARACTERS = "─█░…"  # what the table draws with; a stream that cannot encode them gets ASCII


def _err(text: str) -> None:
    """A line (or lines) on stderr, every control character escaped: nothing a plan or a file name
    holds can move the cursor, retitle the window or reverse the text."""
    lines = text.rstrip("\n").split("\n")
    with contextlib.suppress(OSError, ValueError):
        _write_err("".join(one_line(line) + "\n" for line in lines))


_RECORDING: list[list[tuple[str, str | bytes]]] = []  # a run being recorded for the run cache


def _write_err(text: str) -> None:
    """Text on stderr as it is (already made safe), and into the run being recorded."""
    if _RECORDING:
        _RECORDING[-1].append(("err", text))
    sys.stderr.write(text)


def _bug(exc: BaseException) -> str:
    """One line asking for a report, whatever the exception's text holds."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    text = text if len(text) <= 200 else text[:199] + "…"
    return _(
        "shuzheng: internal error ({text}); please report it with the command you ran "
        "(SHUZHENG_DEBUG=1 shows the traceback)"
    ).format(text=text)


def _stdout_gone() -> None:
    """stdout cannot take more (its reader left, the disk is full): what is still buffered goes nowhere, quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _stdout_failed(exc: OSError) -> ShuzhengError:
    """A write to stdout failed: a closed pipe stays a BrokenPipeError (quiet 141); anything else
    (a full disk, `> /dev/full`, EIO) is the user's output-error, never a bug and never silence."""
    if isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE:
        raise BrokenPipeError(*exc.args) from None
    _stdout_gone()
    return ShuzhengError(
        _("cannot write to standard output: {reason}; the output is incomplete").format(reason=exc.strerror or exc),
        "output-error",
    )


def _emit(text: str | bytes) -> None:
    """Write the command's output to stdout, and flush it, so a write error is seen here."""
    if _RECORDING:
        _RECORDING[-1].append(("out", text))
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        raise _stdout_failed(exc) from None


def _encoded(text: str) -> str | bytes:
    """A long output encoded once, as stdout would encode it, where stdout translates no newlines: the
    run cache then keeps bytes, where pickling the text encoded it a second time (3 MB at 100k rows)."""
    encoding = getattr(sys.stdout, "encoding", None)
    if os.linesep != "\n" or not encoding or not hasattr(sys.stdout, "buffer"):
        return text
    return text.encode(encoding, getattr(sys.stdout, "errors", None) or "strict")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        raise _stdout_failed(exc) from None
    except ValueError:  # closed by an embedding program
        pass


def run_guarded(call: Callable[[], object]) -> int:
    """The one error boundary: run `call`, flush stdout, and return the exit code it comes to."""
    from .write import Signalled

    try:
        code = 0
        try:
            call()
        except typer.Exit as done:
            code = done.exit_code
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        _flush_stdout()
        return code
    except (typer.TyperException, typer.Abort):
        raise  # bad usage: click prints it with the usage line (exit 2)
    except ShuzhengError as exc:
        _err(f"shuzheng: {exc.finding()}")
        return exc.exit_code
    except BrokenPipeError:
        _stdout_gone()
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        _err(_("shuzheng: interrupted"))
        return EXIT_INTERRUPTED
    except Signalled as exc:
        _err(_("shuzheng: stopped by signal {signum}; no file was changed").format(signum=exc.signum))
        return exc.exit_code
    except Exception as exc:  # a bug, not the user's fault
        if os.environ.get("SHUZHENG_DEBUG"):
            import traceback

            traceback.print_exc()
        else:
            _err(_bug(exc))
        return 1


# --- click and typer speak the language too ------------------------------------------------------


def _click_speaks() -> None:
    """The texts typer and click mark with stdlib gettext (Options, Commands, [default: …], Missing
    command.) read shuzheng's catalogue, so they follow every set_language. Called before the app
    runs and again once --lang is read, for the modules loaded in between; the texts click writes
    as plain English are translated where they are shown (click_texts, _Speaking)."""
    import gettext

    from .core import i18n

    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("typer.", "click.")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = i18n._  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


class _Speaking:
    """What every command and the group say of themselves in the language: the usage line, the
    headings and the help option's help."""

    context_class = Context

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


class _Command(_Speaking, TyperCommand):
    pass


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """typer's --install-completion (its installer, its scripts), telling what it did in the language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    typer.secho(_("{shell} completion installed in {path}").format(shell=shell, path=path), fg="green")
    typer.echo(_("Completion will take effect once you restart the terminal"))
    raise typer.Exit()


def _completion_options() -> list[Any]:
    """typer's --install-completion and --show-completion, with their help in the language."""
    from typer.main import get_install_completion_arguments

    install, show = get_install_completion_arguments()
    if getattr(install, "is_flag", True):  # the shell is detected
        install.help = _("Install completion for the current shell.")
        show.help = _("Show completion for the current shell, to copy it or customize the installation.")
    else:  # _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION: the shell is named
        install.help = _("Install completion for the specified shell.")
        show.help = _("Show completion for the specified shell, to copy it or customize the installation.")
    install.callback = _install_completion
    return [install, show]


class _Guarded(_Speaking, TyperGroup):
    """Every command runs inside run_guarded; option parsing stays click's (usage errors, exit 2),
    shown in the language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params += _completion_options()

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _plain_coercion(ctx, [self, *self.commands.values()])
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        code = run_guarded(lambda: super(_Guarded, self).invoke(ctx))
        if code:
            raise typer.Exit(code)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """click's standalone main, except that a usage error is shown in the language (show_error)."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})  # as typer and pydantic read a bool
_FALSE = frozenset({"", "0", "off", "f", "false", "n", "no"})


def _plain_coercion(ctx: Any, commands: Iterable[Any]) -> None:
    """Typer (0.29 on) coerces every parameter through a pydantic TypeAdapter that it builds when
    the command runs, even for an option not given: importing pydantic and building the adapters
    cost more than the rest of a small `check`. Our options are all str, list[str], bool or a
    StrEnum of choices, which need no pydantic: give those parameters a plain coercion with the
    same results and the same messages, and leave any other parameter, or another typer, as it is."""
    try:
        from typer._coercion import RuntimeParam
        from typer._display import _escape_control_characters
        from typer._param_types import coerce_cli_choice
    except ImportError:  # a typer without per-parameter adapters: nothing to avoid
        return
    from dataclasses import dataclass

    from typer._click.exceptions import BadParameter

    @dataclass(frozen=True)
    class Plain(RuntimeParam):
        kind: str = "str"

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.kind == "list":
                return [self._one(item, param, ctx) for item in (value if isinstance(value, list | tuple) else [value])]
            return self._one(value, param, ctx)

        def _one(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.kind == "choice":
                try:
                    return coerce_cli_choice(
                        value,
                        choices=list(self.annotation),
                        case_sensitive=self.parameter_info.case_sensitive,
                        ctx=ctx,
                    )
                except ValueError as exc:
                    raise BadParameter(_escape_control_characters(f"Value error, {exc}"), ctx=ctx, param=param) from exc
            if self.kind == "bool":
                if isinstance(value, bool):
                    return value
                word = str(value).strip().lower()
                if word in _TRUE or word in _FALSE:
                    return word in _TRUE
                raise BadParameter("Input should be a valid boolean, unable to interpret input", ctx=ctx, param=param)
            if isinstance(value, bytes):
                return value.decode(sys.getfilesystemencoding(), "surrogateescape")
            if not isinstance(value, str):
                raise BadParameter(f"Value {value!r} is not a valid str.", ctx=ctx, param=param)
            return value

    for command in commands:
        for param in command.get_params(ctx):  # with the help option, which click makes on demand
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or getattr(param, "_runtime_param", True) is not None:
                continue
            if descriptor.file_annotation is not None or descriptor.parameter_info.parser is not None:
                continue
            annotation = descriptor.annotation
            if annotation is str:
                kind = "str"
            elif annotation is bool:
                kind = "bool"
            elif annotation == list[str]:
                kind = "list"
            elif isinstance(annotation, type) and issubclass(annotation, StrEnum):
                kind = "choice"
            else:
                continue  # anything else keeps typer's own
            param._runtime_param = Plain(descriptor.parameter_info, annotation, kind)


app = typer.Typer(
    name="shuzheng",
    cls=_Guarded,
    help=_("Plans and ledgers of a 疏解整治促提升 campaign: validate, reconcile, brief."),
    no_args_is_help=True,
    add_completion=False,  # _Guarded adds typer's two, with their help in the language
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        _emit(f"shuzheng {__version__}\n")
        raise typer.Exit()


def _choose_language(lang: str | None) -> str | None:
    """--lang, else SHUZHENG_LANG, else the locale; set as soon as the option is read (it is eager),
    so that what click says before any command runs (a missing or unknown command) is in it too."""
    from .core.i18n import LANGUAGES, from_environment, known_language, set_language

    chosen = lang if lang is not None else from_environment()
    language = known_language(chosen)
    if language is None:
        source = "--lang" if lang is not None else "SHUZHENG_LANG"
        raise typer.BadParameter(
            _("{value} is not a language; choose one of {choices}").format(value=chosen, choices=", ".join(LANGUAGES)),
            param_hint=source,
        )
    set_language(language)
    _click_speaks()
    return lang


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help=_("Print the version and exit."), callback=_print_version, is_eager=True)
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="zh-Hans|zh-Hant|en",
            help=_("The language of everything printed (default zh-Hans; also SHUZHENG_LANG)."),
            show_default=False,
            callback=_choose_language,
            is_eager=True,
        ),
    ] = None,
) -> None:
    del version, lang  # both act in their callbacks, as soon as they are read


def _unwritable(exc: UnicodeError) -> tuple[bytes, int]:
    """Characters a stream cannot encode: a file name's undecodable bytes (held as surrogates
    U+DC80–U+DCFF, as the locale read them from argv or the disk) go out as they came in;
    anything else is written as an escape (\\ud800)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for char in exc.object[exc.start : exc.end]:
        out += bytes([ord(char) - 0xDC00]) if "\udc80" <= char <= "\udcff" else char.encode("ascii", "backslashreplace")
    return bytes(out), exc.end


codecs.register_error("shuzheng-output", _unwritable)


def _setup_streams() -> None:
    """Chinese text must reach stdout and stderr whatever the locale (LANG=C, PYTHONIOENCODING=ascii):
    a stream whose encoding cannot write it writes UTF-8; nothing is ever an encoding crash."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or not _open_descriptor(stream):  # started with it closed (2>&-)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the process
            continue
        if not hasattr(stream, "reconfigure"):
            continue
        fits = _encodes(stream, "疏解整治臺賬")
        with contextlib.suppress(OSError, ValueError):
            stream.reconfigure(**({} if fits else {"encoding": "utf-8"}), errors="shuzheng-output")


def _encodes(stream: Any, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _open_descriptor(stream: Any) -> bool:
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return True  # no descriptor at all (a test's captured stream): nothing to check
    try:
        os.fstat(descriptor)  # fails on a closed descriptor only (writing b"" to /dev/full fails too)
    except OSError:
        return False
    return True


# --- options shared by the commands ---------------------------------------------------------------

PlanArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PLAN", help=_("Plans by id (huairou) or path; default: every plan under plans/."), show_default=False
    ),
]
PlanOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--plan",
        metavar="PLAN",
        help=_("Plan id or path (repeatable); default every plan under plans/."),
        show_default=False,
    ),
]
LedgerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ledger",
        metavar="PATH",
        help=_("Ledger file or folder (repeatable); replaces ledgers/<plan id>/ and the plan's own paths."),
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=_(
            "Reconcile as of this date (2024-06-30, 20240630, 2024年6月30日), a month's or quarter's end "
            "(2024-06, 2024Q2), or today (the default)."
        ),
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=_(
            "Write here (atomically; a regular file, never a plan, a ledger or inside plans/ or ledgers/) "
            "instead of stdout; - is stdout. Its suffix (.md, .csv, .json) sets the format when --format is not given."
        ),
        show_default=False,
    ),
]


NoCacheOpt = Annotated[
    bool,
    typer.Option("--no-cache", help=_("Read every plan and ledger anew: use no cache and write none.")),
]

# what can change a command's output besides its arguments and the files it reads
_RUN_ENVIRONMENT = ("NO_COLOR", "COLUMNS", "LINES", "TERM", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "TZ")


def _cached_run(command: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The run cache (read/cache.py): a command to stdout whose arguments, environment, date and
    every input it looked at are unchanged prints what it printed the last time, and exits as it did."""

    def wrap(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def run(**options: Any) -> None:
            from .read import cache

            cache.bypass(bool(options.get("no_cache")))
            if not cache.enabled() or options.get("output") not in (None, "-"):
                function(**options)
                return
            key = _run_key(command, options)
            found = cache.load("run", key)
            if found is not None and cache.unchanged(found["inputs"]):
                for stream, text in found["events"]:
                    if stream == "out":
                        _emit(text)
                    else:
                        _write_err(text)
                if found["code"]:
                    raise typer.Exit(found["code"])
                return
            events: list[tuple[str, str | bytes]] = []
            _RECORDING.append(events)
            started = cache.start_watching()
            code = None
            try:
                function(**options)
                code = 0
            except typer.Exit as done:
                code = done.exit_code
                raise
            finally:
                _RECORDING.remove(events)
                inputs = cache.watched()
                if code in (0, 1) and inputs and all(cache.settled(found, started) for found in inputs.values()):
                    cache.store("run", key, {"inputs": inputs, "events": events, "code": code})

        return run

    return wrap


def _run_key(command: str, options: dict[str, Any]) -> tuple:
    import shutil
    from datetime import date

    streams = tuple(
        (stream.isatty(), getattr(stream, "encoding", None)) if stream is not None else None
        for stream in (sys.stdout, sys.stderr)
    )
    from .core.i18n import language

    return (
        command,
        language(),  # --lang is the program's option, not the command's
        tuple(sorted((name, repr(value)) for name, value in options.items() if name != "no_cache")),
        os.getcwd(),
        date.today().isoformat(),
        tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("SHUZHENG_") or k in _RUN_ENVIRONMENT)),
        streams,
        tuple(shutil.get_terminal_size((160, 24))),
    )


def _choices(name: str, values: Iterable[str]) -> type[StrEnum]:
    """An enum of option values, which typer shows and checks as a choice (exit 2 for another)."""
    return StrEnum(name, {value: value for value in values})  # type: ignore[return-value]


ProgressFormat = _choices("ProgressFormat", formats("progress"))  # from the renderer map: a new format is one line
ExportFormat = _choices("ExportFormat", formats("export"))
CheckFormat = _choices("CheckFormat", ["text", "json"])


def _plan_names(*groups: list[str] | None) -> list[str] | None:
    names = [name for group in groups for name in group or ()]
    return names or None


def _require_ledgers(ledgers: list[str] | None) -> None:
    """A --ledger path that does not exist is a usage error before anything is read or printed."""
    from .core.findings import UsageError

    for path in ledgers or ():
        if not os.path.lexists(path):
            raise UsageError(_("--ledger {path}: no such ledger file or folder").format(path=path), "missing-file")


def _chosen_format(command: str, given: StrEnum | None, output: str | None, default: str) -> str:
    """--format as given; else what the output file's suffix says (.md, .csv, .json, …); else the default."""
    if given is not None:
        return given.value
    if output not in (None, "-"):
        return by_suffix(command, os.path.splitext(output)[1]) or default
    return default


def _checked_output(output: str | None) -> str | None:
    """The --output path checked before any reading (device, FIFO, folder, inside plans/ or ledgers/); None: stdout."""
    if output in (None, "-"):
        return None
    from pathlib import Path

    from .write import check_output

    check_output(Path(output))
    return output


def _deliver(data: "str | bytes | Iterable[str]", output: str | None, inputs: Iterable[Any] = ()) -> None:
    """A renderer's output to stdout or to the file -o names; pieces (the JSON report) reach stdout
    as they are made, a megabyte at a time, and a file whole."""
    if output is None:
        if isinstance(data, str | bytes):
            _emit(data)
            return
        waiting: list[str] = []
        size = 0
        for piece in data:
            waiting.append(piece)
            size += len(piece)
            if size >= 1 << 20:
                _emit(_encoded("".join(waiting)))
                waiting, size = [], 0
        _emit(_encoded("".join(waiting)))
        return
    from pathlib import Path

    from .write import write_atomic

    write_atomic(Path(output), data if isinstance(data, str | bytes) else "".join(data), inputs)


# --- check -------------------------------------------------------------------------------------------


@app.command(
    cls=_Command, help=_("Validate plans and their ledgers; print every problem as path:line:col: error|warning: text.")
)
@_cached_run("check")
def check(
    plans: PlanArg = None,
    plan: PlanOpt = None,
    ledger: LedgerOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help=_("Warnings fail the check too."))] = False,
    format: Annotated[
        CheckFormat,
        typer.Option("--format", help=_("text: compiler-style lines on stderr; json: all findings on stdout.")),
    ] = CheckFormat("text"),
    no_cache: NoCacheOpt = False,
) -> None:
    from .core.findings import Severity, sort_key
    from .render.diagnostics import render_json, render_text, summary
    from .service import check_workspace

    _require_ledgers(ledger)
    result = check_workspace(_plan_names(plans, plan), ledger, _reader_mode())
    diagnostics = sorted(result.diagnostics, key=sort_key)
    checked = _checked(len(result.plans), result.ledger_rows, result.ledger_files)
    if format == "json":
        _emit(
            render_json(
                diagnostics,
                {"plans": result.plans, "ledger_files": result.ledger_files, "ledger_rows": result.ledger_rows},
            )
        )
    else:
        _write_err(render_text(diagnostics))
        _err(summary(diagnostics, checked))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diagnostics):
        raise typer.Exit(1)


def _checked(plans: int, rows: int, files: int) -> str:
    """What check read: `2 plans, 17 ledger rows in 1 file`."""
    # Translators: {plans} is "2 plans", {rows} "17 ledger rows", {files} "1 file".
    return _("{plans}, {rows} in {files}").format(
        plans=ngettext("{n} plan", "{n} plans", plans).format(n=plans),
        rows=ngettext("{n} ledger row", "{n} ledger rows", rows).format(n=rows),
        files=ngettext("{n} file", "{n} files", files).format(n=files),
    )


# --- progress ----------------------------------------------------------------------------------------


def _as_of(text: str | None) -> "date":
    from datetime import date

    from .core.dates import parse_as_of
    from .core.findings import ParseError, UsageError

    if text is None:
        return date.today()
    try:
        return parse_as_of(text, date.today())
    except ParseError as exc:
        raise UsageError(_("{option}: {message}").format(option="--as-of", message=exc.message), exc.code) from None


def _print_problems(diagnostics: "Iterable[Finding]") -> None:
    from .core.findings import sort_key
    from .render.diagnostics import render_text

    _write_err(render_text(sorted(diagnostics, key=sort_key)))


class ViewBy(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    area = "area"
    department = "department"


@app.command(
    cls=_Command, help=_("The completion table: one row per target with target, actual, completion, pace and status.")
)
@_cached_run("progress")
def progress(
    plan: PlanOpt = None,
    district: Annotated[
        str | None,
        typer.Option(
            "--district",
            metavar="NAME",
            help=_("Keep targets whose scope is this area or group or lies inside it (城六区, 朝阳)."),
            show_default=False,
        ),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task", metavar="ID", help=_("Keep these tasks (repeatable or comma-separated: 1,3)."), show_default=False
        ),
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option(
            "--indicator",
            metavar="ID",
            help=_("Keep these indicators (repeatable or comma-separated: 1.1,2.5)."),
            show_default=False,
        ),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help=_(
                "Keep these statuses (repeatable or comma-separated): met, on_track, behind, overdue, violated, "
                "no_data, no_target, or their Chinese names (滞后 …)."
            ),
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    format: Annotated[
        ProgressFormat | None,
        typer.Option("--format", help=_("table for people (the default), json (docs/reconciliation.md), csv, md.")),
    ] = None,
    output: OutputOpt = None,
    ascii: Annotated[
        bool, typer.Option("--ascii", help=_("Draw the table with ASCII only (automatic where the terminal needs it)."))
    ] = False,
    wide: Annotated[bool, typer.Option("--wide", help=_("Show the lead department column in the table."))] = False,
    by: Annotated[
        ViewBy | None, typer.Option("--by", help=_("One column per period, or a breakdown over units."))
    ] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help=_("What changed since DATE."))] = None,
    begin: Annotated[
        str | None, typer.Option("--begin", "-b", metavar="DATE", help=_("--by: periods from DATE."))
    ] = None,
    end: Annotated[str | None, typer.Option("--end", "-e", metavar="DATE", help=_("--by: periods up to DATE."))] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    from .core.report import Selection, select
    from .core.selection import district_areas, indicator_ids, parse_ids, parse_statuses, task_ids

    chosen = _chosen_format("progress", format, output, "table")
    statuses = parse_statuses(status)
    output = _checked_output(output)
    _require_ledgers(ledger)
    result = _reconciled(plan, ledger, as_of)
    selection = Selection(
        district_areas(result.contexts, district) if district is not None else None,
        parse_ids("--task", task, task_ids(result.contexts)),
        parse_ids("--indicator", indicator, indicator_ids(result.contexts)),
        statuses,
    )
    view = None
    if any(option is not None for option in (by, since, begin, end, district)):  # the views' modules only then
        from .views_cli import progress_view

        view = progress_view(result, selection, plan, ledger, by, since, begin, end, district, chosen, *_screen())
    if view is not None:
        _deliver(view, output, result.inputs)
    else:
        report = select(result.report, selection)
        _deliver(_render("progress", chosen, report, output, ascii=ascii, wide=wide), output, result.inputs)
    _close(result)


def _screen() -> tuple[bool, int]:
    """Colour (a terminal, and no NO_COLOR) and width for tables."""
    import shutil

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR"), max(shutil.get_terminal_size((160, 24)).columns, 60)


def _reader_mode() -> str:
    """SHUZHENG_READER=rows|columnar|auto: which ledger reader (tests compare the two); only the CLI reads it."""
    return os.environ.get("SHUZHENG_READER", "auto")


def _reconciled(plans: list[str] | None, ledgers: list[str] | None, as_of: str | None) -> "ProgressResult":
    """The report of every selected plan; a plan with errors of its own stops here, listed."""
    from .core.findings import Finding
    from .service import PlanLoadError, build_report

    day = _as_of(as_of)
    try:
        with _reading_bar() as progress:
            result = build_report(plans, ledgers, day, progress, _reader_mode())
    except PlanLoadError as exc:
        _print_problems(exc.diagnostics)
        raise
    for plan in result.report.plans:
        if day < plan.start:
            message = _("--as-of {day} is before the period of plan {plan} starts ({start}); nothing counts yet")
            _err(
                "shuzheng: "
                + str(Finding("as-of-before-period", message.format(day=day, plan=plan.id, start=plan.start)))
            )
    return result


@contextlib.contextmanager
def _reading_bar() -> "Iterator[ReadProgress | None]":
    """A progress bar on stderr while large ledgers are read, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: dict[str, Any] = {}

    def advance(shown: str, done: int, total: int) -> None:
        if not bars:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            bars["bar"] = Progress(
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                transient=True,
                console=_stderr_console(),
            )
            bars["bar"].start()
        bar = bars["bar"]
        if shown not in bars:
            bars[shown] = bar.add_task(_("Reading {file}").format(file=one_line(shown)), total=total)
        bar.update(bars[shown], completed=done)

    try:
        yield advance
    finally:
        if "bar" in bars:
            bars["bar"].stop()


def _stderr_console() -> "Console":
    from rich.console import Console

    return Console(stderr=True, markup=False, emoji=False, highlight=False)


def _close(result: "ProgressResult") -> None:
    """Ledger files that could not be read are listed on stderr and fail the command."""
    if result.diagnostics:
        _print_problems(result.diagnostics)
    if result.failed:
        raise typer.Exit(1)


def _render(
    command: str, name: str, report: "Report", output: str | None, **options: Any
) -> "str | bytes | Iterable[str]":
    """The report in format `name`, through the renderer map; terminal details only for stdout."""
    import shutil

    from .core.findings import UsageError
    from .render import renderer

    to_terminal = output is None and sys.stdout.isatty()
    if RENDERERS[name].binary and to_terminal:
        raise UsageError(_("--format {name} is a binary file; write it with -o FILE.{name}").format(name=name), "usage")
    return renderer(command, name)(
        report,
        color=to_terminal and not os.environ.get("NO_COLOR"),
        width=shutil.get_terminal_size((160, 24)).columns if output is None else 160,
        ascii=options.pop("ascii", False) or (output is None and not _encodes(sys.stdout, BOX_CHARACTERS)),
        **options,
    )


# --- export ------------------------------------------------------------------------------------------


@app.command(
    cls=_Command,
    help=_("The briefing (md), the bulletin (docx, html), the workbook (xlsx), or the target rows (csv, json)."),
)
@_cached_run("export")
def export(
    format: Annotated[
        ExportFormat | None,
        typer.Option("--format", help=_("md: the briefing (the default); csv and json: the same target rows.")),
    ] = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    output: OutputOpt = None,
    excel: Annotated[
        bool,
        typer.Option("--excel", help=_("csv: UTF-8 with BOM and CRLF, so Excel on Chinese Windows opens it right.")),
    ] = False,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help=_("md: add a section on what changed since DATE."))
    ] = None,
    template: Annotated[
        str | None,
        typer.Option("--template", metavar="FILE.docx", help=_("docx: fill this template's {{…}} placeholders.")),
    ] = None,
    issue_no: Annotated[
        str | None, typer.Option("--issue-no", metavar="N", help=_("docx/html: the issue number."))
    ] = None,
    office: Annotated[
        str | None,
        typer.Option("--office", metavar="NAME", help=_("docx/html: the issuing office; default the plan's.")),
    ] = None,
    no_cache: NoCacheOpt = False,
) -> None:
    from .core.findings import UsageError

    chosen = _chosen_format("export", format, output, "md")
    if excel and chosen != "csv":
        raise UsageError(_("--excel is for --format csv; this export is {format}").format(format=chosen))
    output = _checked_output(output)
    _require_ledgers(ledger)
    result = _reconciled(plan, ledger, as_of)
    options: dict[str, Any] = {"excel": excel}
    if chosen in ("docx", "xlsx", "html"):
        options["issue_no"] = issue_no
        options["office"] = office or next((c.plan.organisation.office or c.plan.issuer for c in result.contexts), None)
        if template:
            options["template"] = template
        from .export_views import office_views  # --since, the areas' ranking and the burn-ups, from the views

        options.update(office_views(result, plan, ledger, since, chosen))
    elif since is not None:
        from .views_cli import since_text

        options["since"] = since_text(result, plan, ledger, since)
    _deliver(_render("export", chosen, result.report, output, **options), output, result.inputs)
    _close(result)


@app.command(cls=_Command, help=_("Print the JSON Schema of a plan file (for editors' YAML language servers)."))
def schema() -> None:
    import json

    from .core.model import Plan

    _emit(json.dumps(Plan.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


class RowsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command(
    cls=_Command,
    help=_("The ledger rows behind a figure (file:line, date, area, quantity, unit, ref, department, note)."),
)
@_cached_run("rows")
def rows(
    plan: PlanOpt = None,
    indicator: Annotated[
        str | None, typer.Option("--indicator", metavar="ID", help=_("Rows of this indicator."))
    ] = None,
    district: Annotated[
        str | None, typer.Option("--district", metavar="NAME", help=_("Rows inside this area or group (城六区)."))
    ] = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    format: Annotated[RowsFormat, typer.Option("--format", help=_("table, csv or json."))] = RowsFormat.table,
    no_cache: NoCacheOpt = False,
) -> None:
    from .views_cli import rows_text

    _emit(rows_text(plan, ledger, indicator, district, _as_of(as_of), format, *_screen()))


@app.command(
    cls=_Command,
    help=_("The burn-up of one target in the terminal: cumulative actual against the pace line and the target."),
)
def chart(
    indicator: Annotated[str, typer.Argument(metavar="INDICATOR", help=_("The indicator id (1.1)."))],
    scope: Annotated[str | None, typer.Option("--scope", metavar="S", help=_("The target's scope (城六区)."))] = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
) -> None:
    from .views_cli import chart_text

    result = _reconciled(plan, ledger, as_of)
    color, width = _screen()
    _emit(chart_text(result, plan, ledger, indicator, scope, min(width, 120), color=color))
    _close(result)


class TemplateFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command(
    cls=_Command,
    help=_("Write each reporting unit's ledger template: dropdowns from the plan, a protected header."),
)
def template(
    plan: Annotated[str, typer.Argument(metavar="PLAN", help=_("Plan id (city) or path."))],
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", metavar="NAME", help=_("Only this reporting unit (repeatable)."), show_default=False),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option("--task", metavar="ID", help=_("Only this task (repeatable)."), show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="DIR|FILE", help=_("Folder (default templates/<plan>/) or one file.")),
    ] = None,
    format: Annotated[TemplateFormat, typer.Option("--format", help=_("xlsx with dropdowns; csv: GB18030 header."))] = (
        TemplateFormat.xlsx
    ),
) -> None:
    from .collect import make_templates
    from .read.workspace import shown

    for path in make_templates(plan, unit, task, output, format.value):
        _emit(shown(path.resolve()) + "\n")


@app.command(
    cls=_Command,
    help=_("Take returned ledgers: check each, file the clean ones under ledgers/<plan>/, register every receipt."),
)
def collect(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help=_("Returned files or folders of them."))],
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan", metavar="PLAN", help=_("The plan; default: the one whose reporting units include the unit.")
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help=_("2024-09 (monthly), 2024-W37, 2024-Q3, 2024-09-11.")),
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", metavar="NAME", help=_("The unit that sent the files."))] = None,
    replace: Annotated[bool, typer.Option("--replace", help=_("Replace an earlier report (kept aside)."))] = False,
    accept_with_errors: Annotated[
        bool, typer.Option("--accept-with-errors", help=_("Accept files with rejected rows."))
    ] = False,
) -> None:
    from .collect import DECISIONS
    from .collect import collect as take

    receipts = take(paths, plan, period, unit, replace, accept_with_errors)
    for receipt in receipts:
        for line in receipt.findings:
            _err(line)
        decision = _(DECISIONS.get(receipt.decision, receipt.decision))
        line = _("{file}: {decision}: {note}").format(file=receipt.source.name, decision=decision, note=receipt.note)
        _emit(line + "\n")
    if any(r.decision == "refused" for r in receipts):
        raise typer.Exit(1)


class DueFormat(StrEnum):
    table = "table"
    md = "md"
    json = "json"
    text = "text"


@app.command(
    cls=_Command,
    help=_("Who is late: missing reports, deadlines within 14 days, overdue targets (the three lights)."),
)
def due(
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[DueFormat, typer.Option("--format", help=_("table, md, json, or text for a chat message."))] = (
        DueFormat.table
    ),
) -> None:
    from .collect import due_lists
    from .render import due as render_due

    result = _reconciled(plan, None, as_of)
    _emit(render_due.render(due_lists(result), format.value))


def _run_app() -> None:
    app()  # the name is looked up here, so a test may replace it


def main() -> None:
    """Console entry point: streams set up, then everything inside the one boundary."""
    _setup_streams()
    _click_speaks()
    sys.exit(run_guarded(_run_app))
