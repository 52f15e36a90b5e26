"""One fold for every name (DOMAIN §3): NFKC, Traditional→Simplified, no whitespace; suffixes; aliases."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shuzheng.core.areas import AreaTree
from shuzheng.core.findings import ParseError
from shuzheng.core.model import Area, Plan
from shuzheng.core.names import AmbiguousName, NameIndex, _fold, fold, strip_suffix
from shuzheng.read.plan import read_plan

PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"
# The Traditional characters of the shipped plans' names and their Simplified forms, written out by
# hand (checked against 《通用規範漢字表》), so the tests below do not ask OpenCC what OpenCC says.
TRADITIONAL = (
    "亂來剎劉動務勞區園圓團場墻壇壩學宮寶將專廟廠廣強慶懷戶擴東條棲楊業構橋機湯溝滿澤無營產盧紅級結經線義"
    "臺興舊莊萬蕭號訓設誼證豐貞轉農進運違遷邊鄉醫釣鋼鎮鑼長門開間關陽雲電項順頭風魚麗點龍"
)
SIMPLIFIED = (
    "乱来刹刘动务劳区园圆团场墙坛坝学宫宝将专庙厂广强庆怀户扩东条栖杨业构桥机汤沟满泽无营产卢红级结经线义"
    "台兴旧庄万萧号训设谊证丰贞转农进运违迁边乡医钓钢镇锣长门开间关阳云电项顺头风鱼丽点龙"
)
TO_SIMPLIFIED = str.maketrans(TRADITIONAL, SIMPLIFIED)


def simplified(name: str) -> str:
    """The name as a Simplified-Chinese user types it: each listed character replaced, nothing else."""
    return name.translate(TO_SIMPLIFIED)


def expected_key(name: str) -> str:
    """DOMAIN §3's fold of a shipped name, spelled out: NFKC, Simplified, no whitespace, case-folded."""
    return re.sub(r"\s", "", simplified(unicodedata.normalize("NFKC", name))).casefold()


@cache
def shipped(plan_id: str) -> Plan:
    plan, problems = read_plan(PLANS_DIR / f"{plan_id}.yaml")
    assert plan is not None, problems
    return plan


def _area_names(area: Area) -> list[str]:
    names = [area.name, *area.aliases]
    for child in area.children:
        names += _area_names(child)
    return names


def plan_names(plan: Plan) -> list[str]:
    """Every area, group and item name (and alias) the plan spells."""
    names = _area_names(plan.areas)
    for group in plan.groups:
        names += [group.name, *group.aliases]
    for _, indicator in plan.indicators():
        names += [item.name for item in indicator.items]
    return names


ALL_NAMES = sorted({name for plan_id in ("city", "hailing", "huairou") for name in plan_names(shipped(plan_id))})


def test_names_are_collected() -> None:
    assert len(ALL_NAMES) > 100
    assert {"朝陽區", "城六區", "喇叭溝門滿族鄉", "主干道十", "來廣營", "北京城市副中心"} <= set(ALL_NAMES)


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("城六区", "城六區"),
        ("朝阳区", "朝陽區"),
        ("丰台区", "豐臺區"),
        ("怀柔区", "懷柔區"),
        ("喇叭沟门满族乡", "喇叭溝門滿族鄉"),
        ("长哨营满族乡", "長哨營滿族鄉"),
        ("来广营", "來廣營"),
        ("门头沟区", "門頭溝區"),
        ("开墙打洞", "開墻打洞"),
        ("开墙打洞", "開牆打洞"),  # a variant folds with the standard form
    ],
)
def test_hand_written_simplified(simplified: str, traditional: str) -> None:
    assert fold(simplified) == fold(traditional) == simplified


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (" 朝 陽 區 ", "朝阳区"),
        ("朝陽\u3000區", "朝阳区"),  # ideographic space
        ("朝陽\t區\n", "朝阳区"),
        ("ＡＢＣ街道", "abc街道"),  # full-width letters, case folded
        ("", ""),
    ],
)
def test_fold_examples(text: str, key: str) -> None:
    assert fold(text) == key


@pytest.mark.parametrize(
    ("key", "short"),
    [
        ("朝阳区", "朝阳"),
        ("北京市", "北京"),
        ("怀柔镇", "怀柔"),
        ("喇叭沟门满族乡", "喇叭沟门满族"),
        ("泉河街道", "泉河"),
        ("区", None),
        ("来广营", None),
    ],
)
def test_strip_suffix(key: str, short: str | None) -> None:
    assert strip_suffix(key) == short


def test_the_hand_written_table_is_one_to_one() -> None:
    assert len(TRADITIONAL) == len(SIMPLIFIED) == len(set(TRADITIONAL)) == len(set(SIMPLIFIED))
    assert not set(TRADITIONAL) & set(SIMPLIFIED)


@pytest.mark.parametrize("plan_id", ["city", "hailing", "huairou"])
def test_every_shipped_name_folds_to_its_simplified_spelling(plan_id: str) -> None:
    """fold's key for each name is its hand-converted Simplified spelling (no space, case-folded)."""
    for name in plan_names(shipped(plan_id)):
        expected = expected_key(name)
        assert fold(name) == expected, f"{name}: a character missing from TRADITIONAL/SIMPLIFIED?"
        assert fold(simplified(name)) == expected, name


@pytest.mark.parametrize("plan_id", ["city", "hailing", "huairou"])
def test_every_shipped_area_and_group_found_in_simplified(plan_id: str) -> None:
    plan = shipped(plan_id)
    tree = AreaTree.of(plan)
    for name in tree.names():
        assert tree.index.get(simplified(name)) == name
        assert tree.index.get(f" {name} ") == name


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_NAMES), st.data())
def test_mixed_spellings_fold_alike(name: str, data: st.DataObject) -> None:
    """Any mix of Traditional and Simplified characters, with stray (full-width) spaces."""
    typed = ""
    for char in name:
        if data.draw(st.booleans()):
            char = simplified(char)
        if data.draw(st.booleans()):
            char = unicode_full_width(char)
        typed += char + data.draw(st.sampled_from(["", "", " ", "\u3000"]))
    assert fold(typed) == expected_key(name)


def unicode_full_width(char: str) -> str:
    """ASCII → its full-width form (what a Chinese IME types); other characters unchanged."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    # OpenCC's t2s maps 薴 → 苧 and 苧 → 苎: one step at a time, so fold cannot be idempotent there.
    assume("薴" not in text)
    key = fold(text)
    assert fold(key) == key


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
# lone surrogates too: the undecodable bytes of argv and file names in a C locale
@given(st.text(st.one_of(st.characters(), st.characters(categories=["Cs"]))))
def test_fold_of_any_text_is_a_clean_key(text: str) -> None:
    """Whatever it is given, fold returns a key: no whitespace, NFKC-stable, encodable as UTF-8."""
    key = fold(text)
    assert not re.search(r"\s", key)
    assert unicodedata.normalize("NFKC", key) == key
    key.encode("utf-8")  # raises on a surrogate left in the key


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127)))
def test_fold_of_ascii_takes_the_short_way_to_the_same_key(text: str) -> None:
    """ASCII skips NFKC and OpenCC (a million 編號 are folded at a time): the key is the full fold's."""
    assert fold(text) == _fold(text)


# NameIndex over the city plan's areas and groups.


@pytest.fixture(scope="module")
def city_index() -> NameIndex[str]:
    return AreaTree.of(shipped("city")).index


@pytest.mark.parametrize("typed", ["朝陽區", "朝阳区", "朝阳", "朝陽", " 朝 陽 區 ", "朝阳 区"])
def test_index_finds_chaoyang(city_index: NameIndex[str], typed: str) -> None:
    assert city_index.get(typed) == "朝陽區"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("城六区", "城六區"),
        ("城六", "城六區"),
        ("丰台", "豐臺區"),
        ("北京", "北京市"),
        ("副中心", "城市副中心"),  # an alias
        ("北京城市副中心", "城市副中心"),
        ("核心区", "核心區"),
    ],
)
def test_index_finds_by_short_form_and_alias(city_index: NameIndex[str], typed: str, found: str) -> None:
    assert city_index.get(typed) == found


@pytest.mark.parametrize("typed", ["城七區", "上海市", "朝", ""])
def test_index_unknown(city_index: NameIndex[str], typed: str) -> None:
    assert city_index.get(typed) is None


def test_index_suggests_a_spelling_of_the_plan(city_index: NameIndex[str]) -> None:
    assert city_index.suggest("朝阳去") == "朝陽區"


def test_short_form_that_could_mean_two_areas_is_ambiguous() -> None:
    """懷柔 is both 懷柔區 and 懷柔鎮 in the huairou plan; the full names still work."""
    index = AreaTree.of(shipped("huairou")).index
    with pytest.raises(AmbiguousName) as raised:
        index.get("怀柔")
    assert raised.value.candidates == ["懷柔區", "懷柔鎮"]
    assert index.get("怀柔区") == "懷柔區"
    assert index.get("懷柔鎮") == "懷柔鎮"
    assert index.get("喇叭沟门满族乡") == "喇叭溝門滿族鄉"


def test_exact_name_wins_over_a_short_form() -> None:
    index: NameIndex[str] = NameIndex()
    index.add("北京", "the town")
    index.add("北京市", "the city")
    assert index.get("北京") == "the town"
    assert index.get("北京市") == "the city"


# "Did you mean" at any size: a plan of 20,000 areas and a ledger naming 3,000 unknown ones.


def test_hints_stay_cheap_in_a_plan_of_twenty_thousand_areas() -> None:
    """A full difflib scan costs ~80 ms a name here (3,000 names: minutes). Through the character
    index the 3,000 hints take a few seconds on a busy machine; the bound is ten times that. The
    hints stay as good: most typos are traced back to the name they were made from."""
    import random
    import time

    rng = random.Random(7)
    pool = [chr(c) for c in range(0x4E00, 0x4E00 + 800)]
    names: set[str] = set()
    while len(names) < 20_000:
        names.add("".join(rng.choice(pool) for _ in range(rng.randint(2, 4))) + rng.choice(["街道", "鎮", "社區"]))
    ordered = sorted(names)
    plan = Plan.model_validate(
        {
            "id": "big",
            "title": "t",
            "period": {"start": "2024-01-01", "end": "2024-12-31"},
            "areas": {"name": "北京市", "children": [{"name": name} for name in ordered]},
            "tasks": [{"id": "1", "title": "t"}],
        }
    )
    tree = AreaTree.of(plan)
    typos: dict[str, str] = {}
    while len(typos) < 3_000:
        meant = rng.choice(ordered)
        at = rng.randrange(len(meant) - 2)  # a wrong character before the suffix
        typo = meant[:at] + rng.choice(pool) + meant[at + 1 :]
        if tree.find(typo) is None:  # not a name, nor another name's short form
            typos[typo] = meant
    started = time.perf_counter()
    hints: dict[str, str] = {}
    for typo in typos:
        with pytest.raises(ParseError) as raised:
            tree.resolve(typo)
        hints[typo] = raised.value.message
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"3,000 hints took {elapsed:.1f}s"
    traced = sum(f"; did you mean {meant}?" in hints[typo] for typo, meant in typos.items())
    assert traced > 0.6 * len(typos), traced  # a full scan traces about 72 % of these, this 71 %


def test_a_small_index_is_compared_whole() -> None:
    """Below the size where the character index is used, every name is a candidate: a typo that
    shares no character with the name it means (a transliteration) still finds it by difflib."""
    index: NameIndex[str] = NameIndex()
    for name in ("abcd", "wxyz", "北京市"):
        index.add(name, name)
    assert index.suggest("abce") == "abcd"
    assert index.suggest("朝阳去") is None
    assert index.hint("") == ""
