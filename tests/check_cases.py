"""The broken plans of tests/test_check_golden.py, as (shipped plan, one edit).

A case is not a copy of a plan: it names plans/<plan>.yaml and the one change that
breaks it, and `write_case` builds the file in a temporary folder. A shipped plan can
then change without leaving 19 stale copies behind; an edit whose text is gone from
the plan (or is no longer unique there) fails loudly instead of testing nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"

Edit = Callable[[str], str]


def replace(old: str, new: str) -> Edit:
    """Replace `old`, which must occur exactly once in the plan, by `new`."""

    def edit(text: str) -> str:
        count = text.count(old)
        if count != 1:
            raise AssertionError(f"the edit expects {old!r} exactly once in the plan, found it {count} times")
        return text.replace(old, new)

    return edit


def insert_after(anchor: str, lines: str) -> Edit:
    """Insert `lines` right after `anchor` (which must occur exactly once)."""
    return replace(anchor, anchor + lines)


def prepend(lines: str) -> Edit:
    return lambda text: lines + text


def append(lines: str) -> Edit:
    return lambda text: text + lines


def unchanged(text: str) -> str:
    return text


def emptied(text: str) -> str:
    return ""


@dataclass(frozen=True)
class Case:
    plan: str  # plans/<plan>.yaml is the starting point
    edit: Edit
    first: str  # line:col of the first finding in the built file
    code: str  # the first finding's code
    encoding: str = "utf-8"


# the billion laughs: nine levels of nine aliases each
LOL = (
    "x-lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    "x-lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "x-lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "x-lol4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "x-lol5: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "x-lol6: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "x-lol7: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
    "x-lol8: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
    "x-lol9: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"
)

# case → how it is made, and where its first finding must point (a golden file rewritten
# with --update-golden cannot quietly move a caret); columns checked by eye against the built file.
CASES: dict[str, Case] = {
    # value of 城六區 1.1: 4417萬 > 北京市 4000萬
    "nested-target": Case(
        "city",
        replace("{scope: 城六區, value: 1417萬平方米}", "{scope: 城六區, value: 4417萬平方米}"),
        "53:33",
        "nested-target",
    ),
    # value of 7.1 北京市 (7.2 became 78)
    "components-sum": Case(
        "city", replace("{scope: 北京市, value: 77個}", "{scope: 北京市, value: 78個}"), "289:33", "components-sum"
    ),
    # the second id "1.2"
    "duplicate-indicator-id": Case("city", replace('- id: "1.3"', '- id: "1.2"'), "63:13", "duplicate-id"),
    # 城七區
    "unknown-scope": Case(
        "city", replace("{scope: 城六區, value: 148家}", "{scope: 城七區, value: 148家}"), "270:21", "unknown-area"
    ),
    # unit: 坪 (a unit the registry does not know) for 6.1's 家
    "unknown-unit": Case(
        "city",
        replace("name: 疏解退出一般制造業企業\n        unit: 家", "name: 疏解退出一般制造業企業\n        unit: 坪"),
        "265:15",
        "unknown-unit",
    ),
    # deadline: 2023-12-31 of 1.4
    "deadline-before-period": Case(
        "city",
        replace("comparator: at_most, deadline: 2025-12-31}", "comparator: at_most, deadline: 2023-12-31}"),
        "75:69",
        "out-of-period",
    ),
    # end: 2025-02-20 of 考核收尾
    "phase-outside-period": Case(
        "huairou",
        replace(
            "{name: 考核收尾, start: 2025-01-01, end: 2025-01-20,",
            "{name: 考核收尾, start: 2025-01-01, end: 2025-02-20,",
        ),
        "19:42",
        "out-of-period",
    ),
    # the '{' of line 181 is never closed
    "yaml-syntax": Case(
        "city",
        replace("{scope: 北京市, value: 305萬平方米}", "{scope: 北京市, value: 305萬平方米"),
        "182:11",
        "yaml-syntax",
    ),
    # the second unit: of 1.2
    "duplicate-key": Case(
        "city",
        insert_after("name: 新增違法建設\n        unit: 處\n", "        unit: 件\n"),
        "59:9",
        "yaml-duplicate-key",
    ),
    # issuer: !!python/object/apply:os.system
    "python-tag": Case(
        "city",
        replace("issuer: 北京市人民政府\n", 'issuer: !!python/object/apply:os.system ["echo 北京市人民政府"]\n'),
        "6:9",
        "yaml-tag",
    ),
    # &a of the billion laughs
    "alias-bomb": Case("city", insert_after("  lead: {leader: 分管副市長}\n", LOL), "40:8", "yaml-anchor"),
    "empty": Case("city", emptied, "1:1", "empty-plan"),
    # indicator 6.2 lacks measure (it says measrue)
    "misspelled-key": Case(
        "city",
        replace(
            "name: 清理整治“散亂污”企業\n        unit: 家\n        measure:",
            "name: 清理整治“散亂污”企業\n        unit: 家\n        measrue:",
        ),
        "271:9",
        "missing-key",
    ),
    # task 4 lacks title
    "missing-key": Case(
        "city", replace('  - id: "4"\n    title: 中心城區老舊小區綜合整治\n', '  - id: "4"\n'), "196:5", "missing-key"
    ),
    # the first Chinese character, in line 2's comment
    "gbk": Case("city", unchanged, "2:3", "encoding-error", encoding="gbk"),
    # the second '---'
    "multi-document": Case("city", append("---\nid: city2\n"), "460:1", "yaml-multi-document"),
    # %YAML 1.1
    "yaml-directive": Case("city", prepend("%YAML 1.1\n---\n"), "1:1", "yaml-directive"),
    # issuer: no
    "plain-no": Case("city", replace("issuer: 北京市人民政府\n", "issuer: no\n"), "6:9", "yaml-ambiguous"),
    # id: 010
    "plain-octal": Case("city", replace('  - id: "4"\n', "  - id: 010\n"), "196:9", "yaml-ambiguous"),
}


def case_bytes(name: str) -> bytes:
    case = CASES[name]
    text = (PLANS_DIR / f"{case.plan}.yaml").read_text("utf-8")
    return case.edit(text).encode(case.encoding)


def write_case(name: str, folder: Path) -> Path:
    """Build the broken plan `name` as folder/<name>.yaml and return its path."""
    path = folder / f"{name}.yaml"
    path.write_bytes(case_bytes(name))
    return path
