"""The order stage's fast paths give what the plain code they replace gives."""

from __future__ import annotations

import re
import sys

import pytest

from cleaner.order.features import (
    POSSESSIVE,
    TAIL_CUES,
    TAIL_CUES_LOWER,
    TAIL_FOLD_SPECIAL,
    _centralities,
    _tail,
    _unpossessive,
)

PATTERN_CHARS = sorted(set(TAIL_CUES_LOWER.pattern + "follow ") - set("|"))


def test_lowered_search_matches_case_blind_search_for_every_code_point() -> None:
    """Outside TAIL_FOLD_SPECIAL, a character matches a character of the pattern under
    IGNORECASE exactly when it lowers to it, and no character lowers to several that hold one."""
    blind = {p: re.compile(re.escape(p), re.IGNORECASE) for p in PATTERN_CHARS}
    wanted = set(PATTERN_CHARS)
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or c in TAIL_FOLD_SPECIAL:
            continue
        low = c.lower()
        if len(low) > 1:
            assert wanted.isdisjoint(low), hex(cp)
        for p, regex in blind.items():
            assert bool(regex.fullmatch(c)) == (low == p), (hex(cp), p)


@pytest.mark.parametrize(
    "text",
    [
        "Reporting by Jane Doe; Editing by John Roe",
        "FOLLOW us on Twitter",
        " follow us",
        "Mehr zum Thema: Berlin",
        "Copyright © 2019",
        "write to news@example.com",
        "The Kelvin \u212a and the long \u017f: reporting by",
        "Rea\u017fon: ſ is not s once lowered, but is under IGNORECASE: read mo\u017fe",
        "İstanbul this article",
        "nothing to see here",
        "",
    ],
)
def test_tail(text: str) -> None:
    assert _tail(text) == bool(TAIL_CUES.search(text))


@pytest.mark.parametrize("word", ["epstein's", "epstein’s", "obamas", "a's", "'s", "kerry", "s"])
def test_unpossessive(word: str) -> None:
    assert _unpossessive(word) == POSSESSIVE.sub("", word)


def test_centralities() -> None:
    own = [{"syria", "kerry", "talks"}, {"kerry", "geneva"}, set(), {"talks", "syria", "rebel"}]
    expected = []
    for i, mine in enumerate(own):
        others = [o for j, o in enumerate(own) if j != i and o]
        shares = [len(mine & o) / len(o) for o in others] if mine else []
        expected.append(sum(shares) / len(shares) if shares else 0.0)
    assert _centralities(own) == expected
