"""`export --format html`: one self-contained file with the bulletin's sections, the lights, inline SVG charts
whose labels are real <text> (completion bars, a burn-up per headline target), A4 print rules, `--since`, the
page's lang and its words in each language; hostile plan text stays text; Chromium renders it, where installed."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from office_files import city_report
from shuzheng.render import bulletin, html_report
from shuzheng.render.svg_chart import shorten

AS_OF = "2024-09-15"
REPO = Path(__file__).resolve().parent.parent


class Outline(HTMLParser):
    """The tags, the text of each heading, the <text> inside each <svg>, and every attribute value."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.svg_texts: list[list[str]] = []
        self.attributes: list[str] = []
        self.style = ""
        self.light_cells: list[str] = []
        self.lang: str | None = None
        self.burnups = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.stack.append(tag)
        self.attributes += [v or "" for _k, v in attrs]
        if tag == "svg":
            self.svg_texts.append([])
            self.burnups += "burnup" in (dict(attrs).get("class") or "")
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag == "td" and dict(attrs).get("class") in bulletin.LIGHTS:
            self.light_cells.append(dict(attrs)["class"])

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        self.attributes += [v or "" for _k, v in attrs]

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self.stack:
            return
        top = self.stack[-1]
        if top in self.headings:
            self.headings[top].append(data)
        elif top == "text" and "svg" in self.stack:
            self.svg_texts[-1].append(data)
        elif top == "style":
            self.style += data


@pytest.fixture(scope="module")
def report():
    return city_report()


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


def export(cli, tmp_path: Path, *args: str, lang: str = "en") -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    out = tmp_path / "通报.html"
    result = cli("--lang", lang, "export", "--as-of", AS_OF, "--plan", "city", "-o", str(out), *args)
    assert result.exit_code == 0, result.stderr
    return out, out.read_text(encoding="utf-8")


@pytest.fixture
def page(cli, in_repo, tmp_path) -> tuple[Path, str]:
    return export(cli, tmp_path, "--issue-no", "2")


def test_sections_and_annex(page, report):
    found = outline(page[1])
    assert found.lang == "en"
    assert found.headings["h2"][:4] == ["I. Overview", "II. Main progress", "III. Problems", "IV. Next steps"]
    assert "Annex 1" in found.headings["h2"]
    assert found.headings["h1"][0] == bulletin.title(report)
    assert found.headings["h3"][:4] == [
        "(1) Targets met",
        "(2) Furthest ahead of the expected pace",
        "(3) Completion against the expected pace",
        "(4) Burn-up of each headline target",
    ]
    assert "(1) Red-light targets" in found.headings["h3"]
    lights = [bulletin._light_of(t) for t in report.plans[0].targets]
    assert found.light_cells == [lt for lt in lights if lt]


WORDS = {
    "zh-Hans": (["一、总体情况", "二、主要进展", "三、存在问题", "四、下步工作"], "（一）红灯目标", "推进情况通报"),
    "zh-Hant": (["一、總體情況", "二、主要進展", "三、存在問題", "四、下步工作"], "（一）紅燈目標", "推進情況通報"),
    "en": (["I. Overview", "II. Main progress", "III. Problems", "IV. Next steps"], "(1) Red-light targets", "report"),
}


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_lang_and_words_follow_the_language(cli, in_repo, tmp_path, lang):
    found = outline(export(cli, tmp_path, lang=lang)[1])
    heads, red, title = WORDS[lang]
    assert found.lang == lang
    assert found.headings["h2"][:4] == heads and red in found.headings["h3"]
    assert found.headings["h1"][0].endswith(title)
    labels = [text for texts in found.svg_texts for text in texts]
    plan_word = {"zh-Hans": "1.1 城六区", "zh-Hant": "1.1 城六區", "en": "1.1 城六區"}[lang]
    assert plan_word in labels
    if lang == "zh-Hant":
        assert "Noto Serif CJK TC" in found.style  # Traditional glyphs where the font has both


def test_a_burn_up_per_headline_target(page, report):
    found = outline(page[1])
    heads = bulletin.burnup_targets(report.plans[0])
    assert found.burnups == len(heads) > 10
    labels = [text for texts in found.svg_texts for text in texts]
    assert {"Done", "Expected pace", "Target", "Jan", "Sep"} <= set(labels)
    assert bulletin.label(heads[0]) in found.attributes  # each chart is named for its target


def test_since_adds_what_changed(cli, in_repo, tmp_path):
    found = outline(export(cli, tmp_path, "--since", "2024-08-31")[1])
    assert found.headings["h3"][2:5] == [
        "(3) Compared with the last report",
        "(4) Completion against the expected pace",
        "(5) Burn-up of each headline target",
    ]
    text = export(cli, tmp_path, "--since", "2024-08-31")[1]
    assert "Since 31 August 2024, 16 targets have had more done." in text
    assert "255.1萬平方米 more, 2,715.8萬平方米 in all" in text


def test_charts_are_inline_svg_with_real_text(page, report):
    found = outline(page[1])
    assert found.svg_texts and all(texts for texts in found.svg_texts)
    charted = [t for t in report.plans[0].targets if t.ratio is not None and t.comparator != "at_most"]
    labels = [text for texts in found.svg_texts for text in texts]
    for t in charted:
        assert shorten(f"{t.indicator} {t.scope}", 24) in labels
    assert "100.0%" in labels
    assert shorten("3.1 朝陽區、海淀區、豐臺區、石景山區", 24) == "3.1 朝陽區、海淀區、豐…"


def test_self_contained_and_printable(page):
    found = outline(page[1])
    assert not {"script", "link", "img", "iframe"} & set(found.tags)
    assert not any(
        a.startswith(("http:", "https:", "//")) for a in found.attributes if a != "http://www.w3.org/2000/svg"
    )
    assert "url(" not in found.style and "@import" not in found.style
    assert "@page" in found.style and "size: A4" in found.style and "@media print" in found.style


def test_plan_text_cannot_break_the_page(report):
    plan = report.plans[0]
    evil = replace(plan.targets[1], name='<script>alert(1)</script>"&', scope="<b>城六區</b>")
    hostile = replace(report, plans=(replace(plan, targets=(evil, *plan.targets[2:])),))
    text = html_report.render(hostile)
    found = outline(text)
    assert "script" not in found.tags and "b" not in found.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium is not installed")
def test_chromium_renders_it(page, tmp_path):
    shot = tmp_path / "page.png"
    proc = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path}/chromium",
            f"--screenshot={shot}",
            "--window-size=1240,1754",
            page[0].as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert shot.stat().st_size > 20_000
