"""The order stage's fast paths give what the plain code they replace gives."""

from __future__ import annotations

import math
import random
import re
import sys

import pytest

from cleaner.order.features import (
    ACRONYM,
    NAME_TOKEN,
    POSSESSIVE,
    SENTENCE_OPENING,
    TAIL_CUES,
    TAIL_CUES_LOWER,
    TAIL_FOLD_SPECIAL,
    YEAR,
    _centralities,
    _entities,
    _tail,
    _unpossessive,
)
from cleaner.order.sentences import loo_zs
from cleaner.order.splices import LOO_MIN_SD, SpliceModel, digit_count, jaccard
from cleaner.text import ORDER_STOPWORDS, STEM

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


# --- regexes rewritten with the look-behind after the first character ---------------------------
# The plain patterns they replace, and the entity loop ENTITY_TOKEN replaces.
PLAIN_NAME_TOKEN = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ][\w'’-]*")
PLAIN_ACRONYM = re.compile(r"\b[A-ZÀ-Þ]{2,8}\b")
PLAIN_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def plain_entities(text: str) -> frozenset[str]:
    found: set[str] = set()
    for match in PLAIN_NAME_TOKEN.finditer(text):
        word = match.group(0).lower()
        start = match.start()
        if start == 0 or len(word) < 3 or word in ORDER_STOPWORDS:
            continue
        before = text[max(0, start - 4) : start].rstrip()
        if before and before[-1] in SENTENCE_OPENING:
            continue
        found.add(word[:STEM])
    return frozenset(found)


# Every character class that matters to one of the patterns, and the tricky ones: capitals in and
# out of the name classes (× sits inside À-Þ but is no letter), İ (lowers to two characters), the
# sentence openers, ASCII and other whitespace, digits, word joiners ' ’ -.
ALPHABET = "AaBbKrÉéİı×ØДд12 0 9.!?:;\"“„«‘(…—–-\n\t\u00a0\u2003'’_x"
STRUCTURED = [
    "John Kerry said. The Talks in Geneva",
    "“Kerry” — Putin:   Obama (UN) met the NATO chief in 1999 and 2020s, 1980",
    "İstanbul İSTANBUL İs Ça Çava",
    "x×AB ×AB AB×CD ABCDEFGHI O'Neil’s Jean-Luc Anne-Marie",
    "Said\u00a0Smith  . \u2003Jones",
    "",
]


def random_texts(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choices(ALPHABET, k=rnd.randint(0, 14))) for _ in range(count)]


def test_rewritten_regexes_match_the_plain_ones() -> None:
    for text in STRUCTURED + random_texts(30000, 7):  # a loop: 30,000 test cases would be slow
        assert [m.span() for m in NAME_TOKEN.finditer(text)] == [
            m.span() for m in PLAIN_NAME_TOKEN.finditer(text)
        ], text
        assert ACRONYM.findall(text) == PLAIN_ACRONYM.findall(text), text
        assert [m.span() for m in YEAR.finditer(text)] == [
            m.span() for m in PLAIN_YEAR.finditer(text)
        ], text
        assert _entities(text) == plain_entities(text), text


@pytest.mark.parametrize("text", [*STRUCTURED, "٣ digits ², 42", "abc", "0123456789"])
def test_digit_count(text: str) -> None:
    assert digit_count(text) == sum(map(str.isdigit, text))


def test_model_idf_table_is_the_formula() -> None:
    model = SpliceModel((1.0,), 0.0, 0.0, {"syria": 3, "talks": 0}, 17)
    for stem in ("syria", "talks", "never"):
        assert model.idf(stem) == math.log((17 + 1) / (model.df.get(stem, 0) + 1))
    expected = {"syria": model.idf("syria"), "never": model.idf("never")}
    assert model.idfs(["syria", "never"]) == expected


def test_jaccard_by_sizes() -> None:
    sets = [frozenset(), frozenset("ab"), frozenset("bc"), frozenset("abc")]
    for a in sets:
        for b in sets:
            assert jaccard(a, b) == len(a & b) / (len(a | b) or 1)


def test_loo_zs_is_the_plain_formula() -> None:
    values = [0.1, 0.5, 0.5, 0.9, 0.0, 0.5]
    n = len(values)
    total, squares = math.fsum(values), math.fsum(x * x for x in values)
    for x, z in zip(values, loo_zs(values), strict=True):
        mean = (total - x) / (n - 1)
        spread = max(0.0, (squares - x * x - (n - 1) * mean * mean) / (n - 2))
        assert z == (x - mean) / max(math.sqrt(spread), LOO_MIN_SD)
