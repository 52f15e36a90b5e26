"""The console entry point: the language is chosen before the command line is built, so that
its help texts are in it too; then everything runs in shuzheng.cli."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # A run makes a few hundred thousand long-lived objects and almost no cycles; at the default
    # threshold (700) the collector walks them all again and again: a third of a million-row
    # report's time went to it. At 300k a columnar report of 100k or 1M rows is never collected
    # (at 100k, one collection of the imports' objects was 18 ms, a twentieth of the run, for 708 freed).
    gc.set_threshold(300_000, 50, 1000)
    # polars' jemalloc, read when polars loads: one arena, and freed pages handed back by a background
    # thread after 0.1 s rather than kept for ten; a million-row report peaks 100 MB lower, as fast
    os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,background_thread:true,dirty_decay_ms:100,muzzy_decay_ms:0")
    from .core.i18n import DEFAULT_LANGUAGE, from_environment, known_language, language_in_argv, set_language

    arguments = sys.argv[1:]
    chosen = language_in_argv(arguments)
    # An unknown --lang or SHUZHENG_LANG is a usage error (cli._choose_language says so), said in the
    # language the environment names, else the default one.
    language = (
        (known_language(chosen) if chosen is not None else None)
        or known_language(from_environment())
        or DEFAULT_LANGUAGE
    )
    set_language(language)
    # --lang is the program's option, not a command's: `shuzheng progress --lang en` means it too.
    sys.argv[1:] = _lang_first(arguments)
    from .cli import main as run

    try:
        run()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    else:
        code = 0
    _leave(code)


def _leave(code: int) -> None:
    """Exit at once, once both streams are flushed. Every file is closed and every cache entry renamed
    into place by now; what remains is the interpreter freeing the run's objects one by one, which took a
    sixth of a 100k-row report's time, for memory the system takes back whole."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the command already said what it had to
            pass
    os._exit(code)


def _lang_first(arguments: list[str]) -> list[str]:
    rest = list(arguments)
    for index, arg in enumerate(rest):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(rest):
            return ["--lang", rest[index + 1], *rest[:index], *rest[index + 2 :]]
        if arg.startswith("--lang="):
            return [arg, *rest[:index], *rest[index + 1 :]]
    return rest
