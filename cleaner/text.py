"""Shared text rules: what a word, a sentence end, a function word and a comparable line are.

One home, so that the noise stage, batch profiles and the order stage agree on what a word and a
sentence end are: each used to carry its own regex and punctuation lists, and a change to one
silently disagreed with the others. Where two stages really need different rules (the stopword
list the order model was trained with, the sentence ends a batch profile goes by), both rules
live here, named for their use, each saying how it differs.

Data and pure functions only; nothing here imports the rest of the package.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# --- words ------------------------------------------------------------------------------------

WORD = re.compile(r"\w+", re.UNICODE)
# Han ideographs and Japanese kana: scripts written without spaces between words.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Words, counting scripts written without spaces (Chinese, Japanese) as one word per two
    characters, so a Japanese sentence is not mistaken for a one-word label."""
    tokens = words(text)
    if not CJK.search(text):
        return len(tokens)
    total = 0
    for token in tokens:
        cjk = len(CJK.findall(token))
        total += 1 + (cjk - 1) // 2 if cjk > 1 else 1
    return total


# --- sentence ends ----------------------------------------------------------------------------

STOPS = ".!?…"  # the marks that end a sentence in scripts written with spaces
FULL_STOPS = STOPS + "。！？"  # ... and in Chinese and Japanese
# A line ending in a colon or semicolon goes on like a sentence, so the noise stage counts it
# as an ending too (a label or a menu item almost never ends so).
TERMINAL = FULL_STOPS + ":;"
# Closing quotes and brackets that may stand after an ending ('... he said.»').
CLOSERS = "\"'”’»)]」』）"
# The closers a complete short sentence may end with: CLOSERS without ] and the CJK brackets.
QUOTE_CLOSERS = "\"'”’»)"


def ends_sentence(text: str) -> bool:
    """Ends like a sentence (the noise stage's test): one of :data:`TERMINAL`, then only
    :data:`CLOSERS`. Closing quotes and brackets count only around an ending (a headline in
    quotes, «Посмотри на красотку», does not end a sentence). A text of only spaces and
    closers counts as ending (nothing is left to say otherwise)."""
    core = text.rstrip().rstrip(CLOSERS)
    return core[-1:] in TERMINAL


def ends_complete_sentence(text: str) -> bool:
    """Ends a complete sentence (the noise stage's short-sentence test): one of :data:`STOPS`,
    then only :data:`QUOTE_CLOSERS`. Stricter than :func:`ends_sentence`: a colon, a semicolon,
    a CJK stop or a closing square bracket does not count, and an empty text does not end."""
    return text.rstrip().rstrip(QUOTE_CLOSERS).endswith(tuple(STOPS))


def ends_with_full_stop(line: str) -> bool:
    """The last visible character is one of :data:`FULL_STOPS` (the batch profile's test: a
    line ending so is language, not page chrome). Unlike :func:`ends_sentence`, no closing quote
    may follow and a colon or semicolon does not count: 'Read more:' and 'Most read »' are
    chrome that recurs from page to page."""
    return line.rstrip().endswith(tuple(FULL_STOPS))


# Where a paragraph breaks into sentences: a stop, at most one closing quote or bracket, space,
# then a capital or digit (after at most one opening quote or bracket).
SENTENCE_BREAK = re.compile(
    rf"(?<=[{re.escape(STOPS)}])[\"”’»)]?\s+(?=[\"“„«‘(]?[A-ZÀ-ÞА-Я0-9])"
)
# Abbreviations that end with a dot but do not end a sentence (checked before splitting).
ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|Nr|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|ca|Hr|Fr|z\.B|u\.a|d\.h)|\b[A-Z])\.$"
)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences at end punctuation followed by a capital, never after a
    known abbreviation or an initial. The pieces joined by one space give ``text`` back when the
    paragraph has single spaces (the extractor normalises runs of spaces)."""
    pieces: list[str] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if ABBREVIATION.search(candidate):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


# --- function words ---------------------------------------------------------------------------

# Function words per language: prose has many, labels and menus few (the noise stage).
STOPWORDS: frozenset[str] = frozenset(
    """a an the and or but of to in on at for with from by as is are was were be been has have had
    it its this that these those he she they we you i his her their our not no will would can could
    said says who which what when where there than then also about after before over into more
    der die das und oder aber den dem des ein eine einer eines einem ist sind war waren wird werden
    hat haben nicht mit von zu im auf für sich auch als bei nach aus wie es sie er wir ich dass
    le la les un une des et ou mais de du dans sur pour avec par est sont était il elle ils nous
    vous je que qui ne pas au aux ce cette ces se son sa ses leur plus
    el los las una unos unas y o pero del en con por para es son fue está lo su sus que como más
    se al no ha
    os um uma e ou mas do da dos das em no na nos nas com por para é são foi que não ao seu sua
    il lo gli le uno una e o ma di del della dei delle in con su per è sono era che non si al
    и в во не на с со что как а но по к у из за от для это он она они мы вы я же бы был была
    было были""".split()
)
# The words that are not content words to the order stage (en, de, fr only, with some words
# STOPWORDS lacks: "only", "über"). Kept apart because the order model was trained with this
# list: its lexicon is keyed by the stems it leaves (make train-order to change it).
ORDER_STOPWORDS: frozenset[str] = frozenset(
    """the and for that with this from have has had was were are been will would could should
    into about after before over their there they them than then what when where which while
    who whom whose also more most some such only other very just your said says
    der die das und mit von für auf den dem des ein eine einer eines nicht sich auch ist sind
    wird wurde werden nach bei aus als wie noch über durch
    les des une pour dans avec sur par est sont pas plus qui que ont été""".split()
)


def stopword_ratio(tokens: Sequence[str]) -> float:
    """Share of the tokens that are :data:`STOPWORDS` (0 for no tokens)."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t.lower() in STOPWORDS) / len(tokens)


STEM = 5  # words are compared by their first five letters: "Syrian" ~ "Syrians"
CONTENT_WORD_MIN = 4  # shorter words are mostly function words


def stems(text: str) -> list[str]:
    """Content-word stems: lowercased words of :data:`CONTENT_WORD_MIN` letters or more, not in
    :data:`ORDER_STOPWORDS` and not numbers, cut to :data:`STEM` (the order stage's vocabulary)."""
    return stems_of(WORD.findall(text.lower()))


def stems_of(lowered: list[str]) -> list[str]:
    """:func:`stems` of words already lowercased."""
    return [
        w[:STEM]
        for w in lowered
        if len(w) >= CONTENT_WORD_MIN and w not in ORDER_STOPWORDS and not w.isdigit()
    ]


# --- comparing texts --------------------------------------------------------------------------

_EDGE = re.compile(r"^\W+|\W+$")


def normalise_line(text: str) -> str:
    """The form in which lines are compared: lowercase, single spaces, no edge punctuation."""
    return " ".join(_EDGE.sub("", text).lower().split())


def similarity(a: str, b: str) -> float:
    """Word-overlap similarity (Dice over lowercase word sets), 0..1."""
    wa = {w.lower() for w in words(a)}
    wb = {w.lower() for w in words(b)}
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))
