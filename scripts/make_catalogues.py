"""Build the message catalogues from the code, with Babel.

    python3 scripts/make_catalogues.py                 # extract, update zh_Hans.po, derive zh_Hant, compile
    python3 scripts/make_catalogues.py --import F.json # also take translations {"English": "简体"} from F
    python3 scripts/make_catalogues.py --check         # exit 1 if a text lacks its translation or a file is stale

English is the source language (the msgids are the code's texts). locale/zh_Hans/…/shuzheng.po is
the one catalogue kept by hand; locale/zh_Hant is derived from it by OpenCC (s2t) and both are
compiled to .mo, which is what the program reads (stdlib gettext, no Babel at run time).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "shuzheng"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
HAND_WRITTEN = "zh_Hans"
DERIVED = {"zh_Hant": "s2t"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Babel stamps the build time into both files; a catalogue rebuilt unchanged must be the same bytes.
STAMP = datetime(2024, 1, 1, tzinfo=UTC)


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / "shuzheng.po"


def extract() -> Catalog:
    """Every text the code marks, with where it is (file:line, for translators)."""
    template = Catalog(project="shuzheng", domain="shuzheng")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(message, None, [(f"src/shuzheng/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, domain="shuzheng", project="shuzheng")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _msgid(message) -> str:  # noqa: ANN001 - babel's Message
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _translated(message) -> bool:  # noqa: ANN001
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and all(strings) and not message.fuzzy


@dataclass
class Problems:
    untranslated: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.untranslated or self.placeholders or self.stale)


def build(imports: list[dict[str, str]] | None = None) -> tuple[dict[Path, bytes], Problems]:
    """The catalogue files as they should be, and what is wrong with them."""
    template = extract()
    catalogue = _read(po_path(HAND_WRITTEN), HAND_WRITTEN)
    catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalogue.fuzzy = False
    catalogue.creation_date = STAMP
    for message in catalogue:
        message.flags.discard("fuzzy")  # no guessed translation is ever shipped: untranslated instead
    catalogue.obsolete.clear()  # a text the code no longer has is gone; git keeps its history
    for table in imports or []:
        for message in catalogue:
            key = _msgid(message)
            if key in table and table[key]:
                value = table[key]
                message.string = (value,) if isinstance(message.id, tuple) else value
    problems = Problems()
    for message in catalogue:
        if not message.id:
            continue
        if not _translated(message):
            problems.untranslated.append(_msgid(message))
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(PLACEHOLDER.findall(_msgid(message)))
        if any(sorted(PLACEHOLDER.findall(s)) != wanted for s in strings):
            problems.placeholders.append(_msgid(message))
    files: dict[Path, bytes] = {}
    files[po_path(HAND_WRITTEN)] = _po_bytes(catalogue)
    files[po_path(HAND_WRITTEN).with_suffix(".mo")] = _mo_bytes(catalogue)
    for locale, config in DERIVED.items():
        derived = _derive(catalogue, locale, config)
        files[po_path(locale)] = _po_bytes(derived)
        files[po_path(locale).with_suffix(".mo")] = _mo_bytes(derived)
    for path, content in files.items():
        if not path.exists() or path.read_bytes() != content:
            problems.stale.append(str(path.relative_to(ROOT)))
    return files, problems


def _derive(source: Catalog, locale: str, config: str) -> Catalog:
    from shuzheng.core.i18n import to_traditional

    convert = {"s2t": to_traditional}[config]
    derived = Catalog(locale=locale, domain="shuzheng", project="shuzheng")
    derived.fuzzy = False
    derived.creation_date = STAMP
    derived.header_comment = f"# Derived from {HAND_WRITTEN} by OpenCC {config}; run scripts/make_catalogues.py"
    for message in source:
        if not message.id:
            continue
        if isinstance(message.string, tuple):
            string = tuple(convert(s) for s in message.string)
        else:
            string = convert(message.string) if message.string else message.string
        derived.add(message.id, string, message.locations, flags=message.flags)
    return derived


def _po_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalogue, width=100, sort_output=False, include_previous=False, include_lineno=False)
    # Babel stamps the build time into the header; a stable file needs a stable header.
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", out.getvalue())


def _mo_bytes(catalogue: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalogue, use_fuzzy=False)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is missing or stale")
    parser.add_argument("--import", dest="imports", action="append", default=[], metavar="FILE.json")
    args = parser.parse_args()
    tables = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.imports]
    files, problems = build(tables)
    for text in problems.untranslated:
        print(f"untranslated: {text!r}", file=sys.stderr)
    for text in problems.placeholders:
        print(f"placeholders differ: {text!r}", file=sys.stderr)
    if args.check:
        for name in problems.stale:
            print(f"stale: {name} (run scripts/make_catalogues.py)", file=sys.stderr)
        return 1 if problems else 0
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
    print(f"{len(problems.untranslated)} untranslated, {len(problems.placeholders)} with differing placeholders")
    return 1 if problems.untranslated or problems.placeholders else 0


if __name__ == "__main__":
    sys.exit(main())
