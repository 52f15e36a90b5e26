"""The JSON report's own encoder writes exactly what json.dumps(…, ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuzheng.render.json_report import dumps

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_same_as_json_dumps(value: object) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


class Kind(StrEnum):
    a = "甲"


class Level(IntEnum):
    one = 1


def test_enums_odd_keys_and_control_characters() -> None:
    value = {"k": [Kind.a, Level.one, {1: "x", None: [], 2.5: {}}, '\x00\u2028"\\', float("-inf")], "": {}}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


rows = st.dictionaries(
    st.text(max_size=4) | st.sampled_from(["},", "{", "\x01", "\x02"]),
    scalars | st.sampled_from(["},\x01{", '"}, {"', "\x01\x02", "{}", "[]"]),
    min_size=1,  # a row is never empty: every list of them takes the fast path
    max_size=3,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(rows, min_size=17, max_size=20))
def test_long_lists_of_rows_take_the_fast_path_and_say_the_same(value: list) -> None:
    document = {"rows": value, "nested": [value]}
    assert dumps(document) == json.dumps(document, ensure_ascii=False, indent=2)


@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.integers(), st.sampled_from(["甲", 'a"\\\n', ""]), st.none()), max_size=30
    ),
    st.sampled_from(["", "\n  "]),
)
def test_listed_rows_are_written_as_json_dumps_writes_their_objects(rows, indent: str) -> None:
    """Listed (the rejected and outside-scope rows) names each key by its place in the tuple."""
    from shuzheng.render.json_report import Listed

    value = {"rows": Listed(rows, reason=2, file=0, line=1, plan=3), "n": len(rows)}
    expected = {"rows": [{"reason": r[2], "file": r[0], "line": r[1], "plan": r[3]} for r in rows], "n": len(rows)}
    assert dumps([value] if indent else value) == json.dumps(
        [expected] if indent else expected, ensure_ascii=False, indent=2
    )


@given(
    st.lists(
        st.tuples(st.sampled_from(["a.csv", "乙.csv"]), st.integers(), st.sampled_from(["甲", "%s", ""])), max_size=12
    ),
    st.integers(1, 4),
)
def test_listed_rows_in_pieces_join_to_what_json_dumps_writes(rows, at_once: int) -> None:
    """The report is written in pieces of _ROWS_AT_ONCE rows; however the rows fall into pieces, the pieces
    join to json.dumps's text (a reason holding %s included), and render yields them one by one."""
    from unittest import mock

    from shuzheng.render import json_report
    from shuzheng.render.json_report import Listed, _pieces

    expected = json.dumps(
        {"rows": [{"file": f, "line": n, "reason": r} for f, n, r in rows]}, ensure_ascii=False, indent=2
    )
    with mock.patch.object(json_report, "_ROWS_AT_ONCE", at_once):
        pieces = list(_pieces({"rows": Listed(rows, file=0, line=1, reason=2)}, "\n"))
    assert "".join(pieces) == expected
    if len(rows) > at_once:
        assert len([p for p in pieces if '"line"' in p]) == -(-len(rows) // at_once)  # one piece per slice
