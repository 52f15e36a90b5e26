"""Renderers: report data and diagnostics → text. Pure functions returning strings, bytes, or text in
pieces (an iterable of strings, written as it is made: the JSON report).

RENDERERS is the one map of output formats. A format is one line: its name, the file suffix
that selects it when `--format` is not given, and the renderer each command uses
("module:function" under shuzheng.render, imported only when that format is asked for).
A renderer is called as `function(report, **options)` with only the options it declares
(`color`, `width`, `ascii`, `wide`, `excel`), so a new one needs no glue.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Renderer:
    suffix: str | None  # `-o brief.md` chooses this format
    progress: str | None  # "module:function" for `shuzheng progress`, None: not offered there
    export: str | None  # the same for `shuzheng export`
    binary: bool = False  # returns bytes (docx, xlsx): never written to a terminal
    for_people: bool = True  # plan text in the output's script (render/script.py); json keeps the plan's

    def shows_plan_text(self, options: dict[str, Any]) -> bool:
        return self.for_people or bool(options.get("excel"))  # csv --excel is the file a clerk opens

    def spec(self, command: str) -> str | None:
        return getattr(self, command)


RENDERERS: dict[str, Renderer] = {
    "table": Renderer(None, "table:render", None),
    "md": Renderer(".md", "markdown:render", "briefing:render"),
    "csv": Renderer(".csv", "csv_report:render", "csv_report:render", for_people=False),
    "json": Renderer(".json", "json_report:render", "json_report:render", for_people=False),
    "docx": Renderer(".docx", None, "docx_report:render", binary=True),
    "xlsx": Renderer(".xlsx", None, "xlsx_report:render", binary=True),
    "html": Renderer(".html", None, "html_report:render"),
}


def formats(command: str) -> list[str]:
    """The format names `command` offers, in the map's order."""
    return [name for name, renderer in RENDERERS.items() if renderer.spec(command)]


def by_suffix(command: str, suffix: str) -> str | None:
    """The format an output file's suffix (.md, .CSV) asks for, None if none of `command`'s."""
    for name in formats(command):
        wanted = RENDERERS[name].suffix
        if wanted is not None and wanted == suffix.lower():
            return name
    return None


def renderer(command: str, name: str) -> Callable[..., str | bytes | Iterable[str]]:
    """The render function of format `name` for `command`, imported now; it takes the options it declares."""
    spec = RENDERERS[name].spec(command)
    if spec is None:
        raise KeyError(f"{command} has no format {name}")
    from ..core.report import Report
    from .script import in_output_script

    module, function = spec.split(":")
    render = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    parameters = inspect.signature(render).parameters
    accepted = set(parameters)
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())

    def call(report: Any, **options: Any) -> str | bytes | Iterable[str]:
        if RENDERERS[name].shows_plan_text(options) and isinstance(report, Report):
            report = in_output_script(report)
        return render(report, **{k: v for k, v in options.items() if takes_all or k in accepted})

    return call
