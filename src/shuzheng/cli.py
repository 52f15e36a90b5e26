"""The command line: options → readers → core → renderers → stdout/stderr. Nothing else."""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .core.findings import ShuzhengError

if TYPE_CHECKING:  # imported where used, to keep `shuzheng --help` quick
    from datetime import date

    from rich.console import Console

    from .core.findings import Finding
    from .core.report import Report, Status
    from .read.ledger import ReadProgress
    from .service import ProgressResult

app = typer.Typer(
    name="shuzheng",
    help="Plans and ledgers (台賬) of a 疏解整治促提升 campaign: validate, reconcile, brief.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"shuzheng {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True)
    ] = False,
) -> None:
    """Plans and ledgers (台賬) of a 疏解整治促提升 campaign: validate, reconcile, brief."""


def _err(text: str) -> None:
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as a shell reports `… | head -1` for any tool


def _bug(exc: BaseException) -> str:
    """One line asking for a report, whatever the exception's text holds."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    text = text if len(text) <= 200 else text[:199] + "…"
    return f"shuzheng: internal error ({text}); please report it with the command you ran (SHUZHENG_DEBUG=1 shows the traceback)"


def _stdout_gone() -> None:
    """The reader of stdout went away (`| head -1`): send what is still buffered nowhere, quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
        try:
            "疏解整治臺賬".encode(stream.encoding or "ascii")
            fits = True
        except (UnicodeEncodeError, LookupError):
            fits = False
        with contextlib.suppress(OSError, ValueError):
            stream.reconfigure(**({} if fits else {"encoding": "utf-8"}), errors="shuzheng-output")


def _open_descriptor(stream: Any) -> bool:
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return True  # no descriptor at all (a test's captured stream): nothing to check
    try:
        os.write(descriptor, b"")  # writes nothing; fails on a closed descriptor
    except OSError:
        return False
    return True


def user_errors(command: F) -> F:
    """The one boundary: a user's error becomes a message and its exit code; a bug a one-line report."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ShuzhengError as exc:
            _err(f"shuzheng: {exc.finding()}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            _stdout_gone()
            raise typer.Exit(EXIT_PIPE_CLOSED) from None
        except KeyboardInterrupt:
            _err("shuzheng: interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:  # a bug, not the user's fault
            if os.environ.get("SHUZHENG_DEBUG"):
                traceback.print_exc()
            else:
                _err(_bug(exc))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


PlanArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PLAN", help="Plans by id (huairou) or path; default: every plan under plans/.", show_default=False
    ),
]
LedgerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ledger",
        metavar="PATH",
        help="Ledger file or folder (repeatable); replaces ledgers/<plan id>/ and the plan's own paths.",
        show_default=False,
    ),
]


@app.command()
@user_errors
def check(
    plans: PlanArg = None,
    ledger: LedgerOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the check too.")] = False,
    format: Annotated[
        CheckFormat,
        typer.Option("--format", help="text: compiler-style lines on stderr; json: all findings on stdout."),
    ] = CheckFormat.text,
) -> None:
    """Validate plans and their ledgers; print every problem as path:line:col: error|warning: text."""
    from .core.findings import Severity, sort_key
    from .render.diagnostics import render_json, render_text, summary
    from .service import check_workspace

    result = check_workspace(plans, ledger)
    diagnostics = sorted(result.diagnostics, key=sort_key)
    checked = f"{len(result.plans)} plan{'s' * (len(result.plans) != 1)}, {result.ledger_rows} ledger rows in {result.ledger_files} files"
    if format == CheckFormat.json:
        sys.stdout.write(
            render_json(
                diagnostics,
                {"plans": result.plans, "ledger_files": result.ledger_files, "ledger_rows": result.ledger_rows},
            )
        )
    else:
        sys.stderr.write(render_text(diagnostics))
        _err(summary(diagnostics, checked))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in diagnostics):
        raise typer.Exit(1)


class ProgressFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reconcile as of this date (2024-06-30, 2024/6/30, 2024年6月30日); default today.",
        show_default=False,
    ),
]
PlanOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--plan",
        metavar="PLAN",
        help="Plan id or path (repeatable); default every plan under plans/.",
        show_default=False,
    ),
]


def _as_of(text: str | None) -> date:
    from datetime import date

    from .core.dates import parse_date
    from .core.findings import ParseError, UsageError

    if text is None:
        return date.today()
    try:
        return parse_date(text)
    except ParseError as exc:
        raise UsageError(f"--as-of: {exc.message}", exc.code) from None


def _statuses(texts: list[str] | None) -> frozenset[Status] | None:
    from .core.findings import UsageError
    from .core.names import fold
    from .core.report import Status

    if not texts:
        return None
    by_name = {fold(s.value): s for s in Status} | {fold(s.label): s for s in Status}
    chosen: set[Status] = set()
    for text in texts:
        for part in text.split(","):
            status = by_name.get(fold(part))
            if status is None:
                names = ", ".join(f"{s.value} ({s.label})" for s in Status)
                raise UsageError(f"--status {part!r} is not a status; use one of {names}")
            chosen.add(status)
    return frozenset(chosen)


def _print_problems(diagnostics: Iterable[Finding]) -> None:
    from .core.findings import sort_key
    from .render.diagnostics import render_text

    sys.stderr.write(render_text(sorted(diagnostics, key=sort_key)))


@app.command()
@user_errors
def progress(
    plan: PlanOpt = None,
    district: Annotated[
        str | None,
        typer.Option(
            "--district",
            metavar="NAME",
            help="Keep targets whose scope is this area or group or lies inside it (城六区, 朝阳).",
            show_default=False,
        ),
    ] = None,
    task: Annotated[
        list[str] | None, typer.Option("--task", metavar="ID", help="Keep this task (repeatable).", show_default=False)
    ] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", metavar="ID", help="Keep this indicator id (repeatable).", show_default=False),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Keep these statuses (repeatable or comma-separated): met, on_track, behind, overdue, violated, no_data, no_target, or 滯後 ….",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    format: Annotated[
        ProgressFormat, typer.Option("--format", help="table for people, json (DOMAIN §9), csv, md.")
    ] = ProgressFormat.table,
) -> None:
    """The completion table: one row per target with target, actual, completion, pace, status and lead."""
    from .core.report import Selection, select
    from .service import district_areas

    statuses = _statuses(status)
    result = _reconciled(plan, ledger, as_of)
    areas = district_areas(result.contexts, district) if district is not None else None
    report = select(
        result.report,
        Selection(areas, frozenset(task) if task else None, frozenset(indicator) if indicator else None, statuses),
    )
    sys.stdout.write(_render_report(report, format))
    _close(result)


def _reconciled(plans: list[str] | None, ledgers: list[str] | None, as_of: str | None) -> ProgressResult:
    """The report of every selected plan; a plan with errors of its own stops here, listed."""
    from .service import PlanLoadError, build_report

    day = _as_of(as_of)
    try:
        with _reading_bar() as progress:
            return build_report(plans, ledgers, day, progress)
    except PlanLoadError as exc:
        _print_problems(exc.diagnostics)
        raise


@contextlib.contextmanager
def _reading_bar() -> Iterator[ReadProgress | None]:
    """A progress bar on stderr while large ledgers are read, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bars: dict[str, Any] = {}

    def advance(shown: str, done: int, total: int) -> None:
        if not bars:
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            bars["bar"] = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                transient=True,
                console=_stderr_console(),
            )
            bars["bar"].start()
        bar = bars["bar"]
        if shown not in bars:
            bars[shown] = bar.add_task(f"讀取 {shown}", total=total)
        bar.update(bars[shown], completed=done)

    try:
        yield advance
    finally:
        if "bar" in bars:
            bars["bar"].stop()


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _close(result: ProgressResult) -> None:
    """Ledger files that could not be read are listed on stderr and fail the command."""
    if result.diagnostics:
        _print_problems(result.diagnostics)
    if result.failed:
        raise typer.Exit(1)


def _render_report(report: Report, format: ProgressFormat, excel: bool = False) -> str:
    if format == ProgressFormat.json:
        from .render import json_report

        return json_report.render(report)
    if format == ProgressFormat.csv:
        from .render import csv_report

        return csv_report.render(report, excel=excel)
    if format == ProgressFormat.md:
        from .render import markdown

        return markdown.render(report)
    import shutil

    from .render import table

    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return table.render(report, color=color, width=max(shutil.get_terminal_size((160, 24)).columns, 60))


class ExportFormat(StrEnum):
    md = "md"
    csv = "csv"
    json = "json"
    docx = "docx"
    xlsx = "xlsx"
    html = "html"


OFFICE_FORMATS = {"docx": "docx_report", "xlsx": "xlsx_report", "html": "html_report"}  # render.<module>.render


@app.command()
@user_errors
def export(
    format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help="md: the briefing (簡報); docx/html: the 通報; xlsx: the workbook; csv, json: the target rows. "
            "Default: from --output's extension, else md.",
            show_default=False,
        ),
    ] = None,
    plan: PlanOpt = None,
    as_of: AsOfOpt = None,
    ledger: LedgerOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here (atomically; never over a plan or ledger) instead of stdout; - is stdout.",
            show_default=False,
        ),
    ] = None,
    excel: Annotated[
        bool, typer.Option("--excel", help="csv: UTF-8 with BOM and CRLF, so Excel on Chinese Windows opens it right.")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option("--template", metavar="FILE.docx", help="docx: fill this template's {{…}} placeholders."),
    ] = None,
    issue_no: Annotated[str | None, typer.Option("--issue-no", metavar="N", help="docx/html: the 期數.")] = None,
    office: Annotated[
        str | None, typer.Option("--office", metavar="NAME", help="docx/html: the issuing office; default the plan's.")
    ] = None,
) -> None:
    """The briefing note (簡報) of the supervising office, its 通報 (docx, html), workbook (xlsx), or rows."""
    from .core.findings import UsageError

    suffix = output.rsplit(".", 1)[-1].lower() if output and "." in output else ""
    format = format or (ExportFormat(suffix) if suffix in ExportFormat.__members__ else ExportFormat.md)
    binary = format in (ExportFormat.docx, ExportFormat.xlsx)
    if binary and (output is None or output == "-") and sys.stdout.isatty():
        raise UsageError(f"--format {format.value} is a binary file; write it with -o FILE.{format.value}")
    result = _reconciled(plan, ledger, as_of)
    text: str | bytes
    if format.value in OFFICE_FORMATS:
        import importlib

        office = office or next((c.plan.organisation.office or c.plan.issuer for c in result.contexts), None)
        module = importlib.import_module(f".render.{OFFICE_FORMATS[format.value]}", __package__)
        extra = {"template": template} if template else {}
        text = module.render(result.report, issue_no=issue_no, office=office, **extra)
    elif format == ExportFormat.md:
        from .render import briefing

        text = briefing.render(result.report)
    else:  # csv and json: the same rows progress prints
        text = _render_report(result.report, ProgressFormat(format.value), excel=excel)
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
    else:
        from pathlib import Path

        from .write import write_atomic

        write_atomic(Path(output), text, result.inputs)
    _close(result)


@app.command()
@user_errors
def schema() -> None:
    """Print the JSON Schema of a plan file (for editors' YAML language servers)."""
    from .core.model import Plan

    sys.stdout.write(json.dumps(Plan.model_json_schema(), ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Console entry point; the last guard, for anything raised outside a command
    (option parsing, the final flush of stdout into a closed pipe, Ctrl-C between commands)."""
    _setup_streams()
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # here, not at interpreter exit, where a closed pipe prints a warning
    except BrokenPipeError:
        _stdout_gone()
        sys.exit(EXIT_PIPE_CLOSED)
    except KeyboardInterrupt:
        _err("shuzheng: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("SHUZHENG_DEBUG"):
            raise
        _err(_bug(exc))
        sys.exit(1)
