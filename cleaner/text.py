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
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

_T = TypeVar("_T")

# --- memos ------------------------------------------------------------------------------------

# The noise rules ask the same questions of one line many times (a line is a block, part of a
# unit and a neighbour; the text mode's line model asks again) and the lines of a site's menus
# recur from file to file, so the facts of one line are memoised per process. Memory is
# bounded: a memo holds at most MEMO_ENTRIES texts of MEMO_CHARS characters in all (when full,
# it starts again empty: most reuse is within one document), and a text longer than
# MEMO_MAX_CHARS is computed each time (few lines are, and one would crowd out hundreds).
# Only pure functions of the text are memoised (the settings they read are constants), so a
# result never depends on what was asked before.
MEMO_ENTRIES = 1 << 14
MEMO_CHARS = 1 << 21
MEMO_MAX_CHARS = 1000


class LineMemo(dict[str, _T]):
    """``memo[text]`` is ``func(text)``, computed on the first lookup (see :data:`MEMO_ENTRIES`).

    A dict rather than ``functools.lru_cache`` behind a wrapper: a lookup that hits runs in C,
    with no Python call at all, and the noise rules make several per line."""

    def __init__(self, func: Callable[[str], _T]) -> None:
        super().__init__()
        self.func = func
        self.chars = 0
        _MEMO_CLEARS.append(self.clear)

    def __missing__(self, text: str) -> _T:
        value = self.func(text)
        if len(text) <= MEMO_MAX_CHARS:
            if len(self) >= MEMO_ENTRIES or self.chars + len(text) > MEMO_CHARS:
                self.clear()
            self[text] = value
            self.chars += len(text)
        return value

    def clear(self) -> None:
        super().clear()
        self.chars = 0


_MEMO_CLEARS: list[Callable[[], None]] = []


def line_memo(func: Callable[[str], _T]) -> Callable[[str], _T]:
    """Memoise ``func``, a pure function of one line of text, in a :class:`LineMemo` (the
    result is the memo's bound lookup, so a call that hits stays in C)."""
    return LineMemo(func).__getitem__


def clear_memos() -> None:
    """Empty every :class:`LineMemo` (for benchmarks that want a cold start)."""
    for clear in _MEMO_CLEARS:
        clear()


# --- words ------------------------------------------------------------------------------------

WORD = re.compile(r"\w+", re.UNICODE)
# Han ideographs and Japanese kana: scripts written without spaces between words.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Words, counting scripts written without spaces (Chinese, Japanese) as one word per two
    characters, so a Japanese sentence is not mistaken for a one-word label."""
    return word_facts(text).word_count


def token_count(text: str) -> int:
    """``len(words(text))``, memoised (unlike :func:`word_count`, a CJK run is one token)."""
    return word_facts(text).tokens


class WordFacts(NamedTuple):
    """What the noise rules ask about a line's words, from one pass over them."""

    tokens: int  # len(words(text))
    word_count: int  # word_count(text)
    number: bool  # some word is all digits ("2019", "12")
    function_end: bool  # the last word is one of STOPWORDS ("... the design of the")
    sentence_end: bool  # ends_sentence(text)


@line_memo
def word_facts(text: str) -> WordFacts:
    """The :class:`WordFacts` of ``text``, memoised (one pass over its words serves them all)."""
    tokens = words(text)
    number = any(map(str.isdigit, tokens))
    function_end = bool(tokens) and tokens[-1].lower() in STOPWORDS
    sentence_end = ends_sentence(text)
    if text.isascii() or not CJK.search(text):  # isascii is O(1): most lines skip the search
        return WordFacts(len(tokens), len(tokens), number, function_end, sentence_end)
    total = 0
    for token in tokens:
        cjk = len(CJK.findall(token))
        total += 1 + (cjk - 1) // 2 if cjk > 1 else 1
    return WordFacts(len(tokens), total, number, function_end, sentence_end)


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
_STOP_TUPLE, _FULL_STOP_TUPLE = tuple(STOPS), tuple(FULL_STOPS)  # for str.endswith


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
    return text.rstrip().rstrip(QUOTE_CLOSERS).endswith(_STOP_TUPLE)


def ends_with_full_stop(line: str) -> bool:
    """The last visible character is one of :data:`FULL_STOPS` (the batch profile's test: a
    line ending so is language, not page chrome). Unlike :func:`ends_sentence`, no closing quote
    may follow and a colon or semicolon does not count: 'Read more:' and 'Most read »' are
    chrome that recurs from page to page."""
    return line.rstrip().endswith(_FULL_STOP_TUPLE)


# Where a paragraph breaks into sentences: a stop, at most one closing quote or bracket (part
# of the sentence it closes), space, then a capital or digit (after at most one opening quote
# or bracket).
SENTENCE_BREAK = re.compile(
    rf"(?<=[{re.escape(STOPS)}])([\"”’»)]?)\s+(?=[\"“„«‘(]?[A-ZÀ-ÞА-Я0-9])"
)
# Abbreviations that end with a dot but do not end a sentence (checked before splitting).
ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Inc|Ltd|Co|Corp|vs|No|Nr|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|ca|Hr|Fr|z\.B|u\.a|d\.h)|\b[A-Z])\.$"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a paragraph is: ``(start, end)`` offsets into ``text``, without
    the spaces between sentences. A break is end punctuation (and a closing quote) followed by a
    capital, never after a known abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        end = match.end(1)
        if ABBREVIATION.search(text[start : match.start()].rstrip()):
            continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_trimmed(text, a, b) for a, b in spans) if b > a]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph (:func:`sentence_spans`). Joined by one space they give
    ``text`` back when the paragraph has single spaces (the extractor normalises runs of
    spaces)."""
    return [text[a:b] for a, b in sentence_spans(text)]


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
# Words a sentence does not end on (articles, conjunctions, "of", possessives, a bare "is"):
# a line that stops on one, in lower case, was cut inside its sentence. Smaller than STOPWORDS
# on purpose: "in", "on", "that", "plus" end sentences ("plugged in", "like that").
DANGLING: frozenset[str] = frozenset(
    """a an the and or but nor of with from into than whose their its his her our your my
    is are was were
    der die das den dem des ein eine einer eines einem und oder aber mit von für zu
    le la les un une des du de et ou mais avec pour
    el los las unos unas y pero con para del
    os um uma mas com do da dos das
    il lo gli uno ma di della dei delle
    и а но с для""".split()
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
