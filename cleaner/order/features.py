"""Cheap features of text units for the order stage: which of two units comes first?

Pure Python, no model downloads: the stage must run at hundreds of documents per second and
cannot depend on numpy at run time. Every feature is a number that a news writer's habits make
informative about position:

* *unary* cues say how lede-like or tail-like one unit is (a dateline, the title's words, a
  weekday; versus an opening pronoun or connective, a quote continuation, "contributed to this
  report"). The pair feature is the difference ``g(a) - g(b)``.
* *pairwise* cues relate two units: a full name ("John Kerry") precedes the bare surname
  ("Kerry said"); an acronym's definition ("United Nations (UN)") precedes its bare use.
  They are antisymmetric (``h(a, b) = -h(b, a)``), so with no bias term the model gives
  ``P(a before b) = 1 - P(b before a)`` by construction.

The training script (``bench/order/train.py``) and the stage (:mod:`cleaner.order.model`) both
call :func:`analyse` and :func:`pair_features`, so training and inference see the same numbers.
Words, content-word stems and the order stage's stopword list come from :mod:`cleaner.text`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain

from cleaner.text import ORDER_STOPWORDS, STEM, WORD, stems, stems_of

# --- word lists (data): the first word of a unit that points back to something said before ---
PRONOUN_OPENERS = frozenset(
    """he she it they we this these those his her their its there such
    er sie es wir dies diese dieser dieses sein seine ihr ihre dort
    il elle ils elles cela ceci cette ces leur leurs
    él ella ellos ellas esto esta este estos estas
    lui lei questo questa questi ele ela eles isso
    hij zij dit deze он она они это этот эта""".split()
)
CONNECTIVE_OPENERS = frozenset(
    """but however meanwhile also and yet still moreover furthermore besides instead then
    so thus therefore although though nevertheless nonetheless indeed additionally later
    afterwards finally otherwise likewise similarly nor or
    aber doch jedoch allerdings auch außerdem dennoch trotzdem zudem dabei daher deshalb
    danach inzwischen unterdessen sondern und oder
    mais cependant pourtant toutefois aussi ainsi donc puis ensuite enfin néanmoins et
    pero además también sin embargo ma però inoltre anche mas porém também
    но однако также кроме""".split()
)
# Words that open a news lede's time frame ("on Friday") or a dateline's agency tag.
WEEKDAYS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday
    montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern
    lundi mardi mercredi jeudi vendredi samedi dimanche aujourd hier
    lunes martes miércoles jueves viernes sábado domingo hoy ayer""".split()
)
AGENCY = re.compile(r"\((?:AP|Reuters|AFP|dpa|UPI|CNN|Xinhua|APA|KNA|epd|ANSA|EFE|IANS|PTI)\)")
DATELINE = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,30}(?:,[^—–\n]{0,30})?\s*(?:\([^)]{1,20}\))?\s*[—–-]"
)
# A wire-story dateline, which only ever opens an article: "HANOI, Vietnam (AP) —",
# "WASHINGTON —", "BERLIN (dpa) -". Stricter than DATELINE: a capitalised place, then an agency
# in parentheses or a dash.
WIRE_DATELINE = re.compile(
    r"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,30}(?:,[^—–\n(]{1,30})?\s*"
    r"(?:\((?:AP|Reuters|AFP|dpa|UPI|CNN|Xinhua|APA|KNA|epd|ANSA|EFE|IANS|PTI|Bloomberg)\)"
    r"\s*[—–-]+|[—–])\s"
)
TAIL_CUES = re.compile(
    r"contributed to this report|reporting by|editing by|^follow |copyright|©|for more |"
    r"read more|mehr zum thema|lesen sie|mit material von|dieser artikel|this article|@",
    re.IGNORECASE,
)
# TAIL_CUES is all lower case: on a lowered text, the same search without IGNORECASE is three
# times faster (a case-blind search tries every branch at every character) and finds the same,
# except around the only characters that match an ASCII letter under IGNORECASE but not once
# lowered, or lower to more than one character (İ ı ſ K, the Kelvin sign); a text with one of
# them takes the case-blind search. (Checked over every code point:
# tests/order/test_speed_equivalence.py.) "^follow " is tested apart: a start-anchored branch
# would keep the search from skipping ahead.
TAIL_CUES_LOWER = re.compile(
    r"contributed to this report|reporting by|editing by|copyright|©|for more |"
    r"read more|mehr zum thema|lesen sie|mit material von|dieser artikel|this article|@"
)
TAIL_FOLD_SPECIAL = frozenset("\u0130\u0131\u017f\u212a")
SPEECH_VERBS = frozenset(
    """said says told added according sagte sagt erklärte betonte selon déclaré affirmé
    dijo según ha detto""".split()
)
SENTENCE_OPENING = '.!?:;"“„«‘(…—–-'  # a capital after these opens a sentence or a quote
OPENING_QUOTES = "\"“„«‘'‹"
DIGIT = re.compile(r"\d")
# Two or more capitalised words in a row, the last one a surname-like token.
# Capitalised tokens only: a name run is broken by anything else between two of them.
# The capital comes first and the look-behind after it ("no word character before the capital",
# over the two characters ending at it): the same matches as r"(?<![\w'’-])[A-Z...][\w'’-]*",
# but a pattern that opens with a character class lets the regex engine skip ahead to the next
# capital instead of trying the look-behind at every character (2.5 times faster; checked in
# tests/order/test_speed_equivalence.py).
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
NAME_TOKEN = re.compile(rf"[{_CAPITAL}](?<![\w'’-].)[\w'’-]*", re.UNICODE)
NAME_MIN = 3
_OPENING = re.escape(SENTENCE_OPENING)
# A NAME_TOKEN that an entity can be, the tests on what stands before it done by look-behinds
# (after the capital, as in NAME_TOKEN): not the text's first character ("(?<=[\w\W].)": a
# character before the capital), and no SENTENCE_OPENING character followed by zero to three
# whitespace characters just before it: the same as ``text[start - 4 : start].rstrip()`` not
# ending in one (``\s`` and ``str.rstrip`` both take ``str.isspace``; a look-behind that runs
# past the start of the text fails, as the slice is cut there). Checked against the plain loop
# in tests/order/test_speed_equivalence.py.
ENTITY_TOKEN = re.compile(
    rf"[{_CAPITAL}](?<![\w'’-].)(?<=[\w\W].)"
    rf"(?<![{_OPENING}].)(?<![{_OPENING}]\s.)(?<![{_OPENING}]\s\s.)(?<![{_OPENING}]\s\s\s.)"
    r"[\w'’-]*"
)
POSSESSIVE = re.compile(r"['’]s$")
POSSESSIVE_ENDS = ("'s", "’s")  # what POSSESSIVE matches at the end of a name token
FULL_NAME_MAX = 4  # longer capitalised runs are titles of works or organisations
# A bare surname counts as a person's name only in a person's context: followed by a verb of
# saying, or after an honorific or "said"; "Alaska" or "Management" used alone do not count.
PERSON_AFTER = re.compile(
    r"\s(?:said|says|told|added|insisted|noted|explained|argued|wrote|stated|warned|asked|"
    r"replied|believes|thinks|sagte|sagt|erklärte|betonte|meinte|fügte|a\s+déclaré|a\s+dit|"
    r"a\s+affirmé|explique|estime|dijo|afirmó|ha\s+detto)\b"
)
PERSON_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Herr|Frau|M|Mme|Sr|Sra)\.?|\bsaid|\bsays|"
    r"\baccording\s+to|\bsagte|\bsagt|\bselon)\s$"
)
# ... but not when a number follows: "Portola Dr. Suite 108" or "Highway 61" is an address, not
# a person (a street abbreviation reads like an honorific).
NUMBER_AFTER = re.compile(r"\s+\d")
ACRONYM_DEFINITION = re.compile(r"\(([A-ZÀ-Þ]{2,8})\)")
# The leading \b of r"\b[A-ZÀ-Þ]{2,8}\b" and r"\b(?:19|20)\d\d\b" moved into a look-behind
# after the first characters (as NAME_TOKEN's): the same matches, found two to three times
# faster, the regex engine skipping ahead to a candidate first character.
ACRONYM = re.compile(r"[A-ZÀ-Þ](?<=\b.)[A-ZÀ-Þ]{1,7}\b")
YEAR = re.compile(r"(?:19|20)(?<=\b..)\d\d\b")
QUOTE_CHARS = frozenset('"“”„«»')
# Position regressor cues: a unit's first words, last word, content stems and coarse buckets of
# the unary cues. Buckets keep the regressor linear in cue presence, so it learns shapes
# ("very short units come late") that a single weight on a number cannot.
CUE_OPENER_WORDS = 2  # cues for the first word and the first two words
CUE_BUCKETS = (0.0, 0.1, 0.25, 0.5)  # share buckets (title overlap, centrality, shared names)
CUE_LENGTH_BASE = 2.0  # length cue: log2 of the word count, rounded
CUE_LENGTH_MAX = 8

UNARY_NAMES = (
    "pronoun_opener",
    "connective_opener",
    "quote_opener",
    "lowercase_opener",
    "dateline",
    "weekday",
    "title_overlap",
    "log_words",
    "short",
    "colon_end",
    "question",
    "tail_cue",
    "speech",
    "digits",
    "shared_entities",
    "new_entities",
    "names_introduced",
    "bare_surnames",
    "centrality",
    "word_position",
    "opener_position",
    "position",
)
PAIR_NAMES = ("name_intro", "acronym_intro", "entity_first")
FEATURE_NAMES = UNARY_NAMES + PAIR_NAMES


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Learned position tendencies of words (data from the training split, shipped in the model
    file): for a content-word stem, and for a unit's first word, the mean relative position
    (0 = first unit, 1 = last) of the units they occur in, minus 0.5. Words seen too rarely
    are left out (they count 0). This is how "Reporting by", "Meanwhile" or "In conclusion"
    are learned in every language of the corpus rather than listed by hand."""

    words: dict[str, float]
    openers: dict[str, float]
    # Weights of the position regressor over a unit's cues (see :func:`cues`): its prediction
    # is the sum of the weights of the cues present, each times the cue's value.
    cues: dict[str, float] = field(default_factory=dict)


EMPTY_LEXICON = Lexicon({}, {})


@dataclass(frozen=True, slots=True)
class Unit:
    """What the features need to know about one unit (a paragraph or a sentence)."""

    text: str
    unary: tuple[float, ...]
    full_names: frozenset[str]  # surnames introduced with a first name ("John Kerry" -> kerry)
    bare_names: frozenset[str]  # capitalised words used alone ("Kerry said" -> kerry)
    defined: frozenset[str]  # acronyms defined here ("(UN)")
    acronyms: frozenset[str]  # acronyms used here
    entities: frozenset[str]  # stems of capitalised, non-initial words
    stems: frozenset[str]  # content-word stems


def _first_word(text: str) -> str:
    match = WORD.search(text)
    return match.group(0).lower() if match else ""


# Words that are never names, whatever their case (one set: one lookup per word in _names).
NOT_NAMES = ORDER_STOPWORDS | PRONOUN_OPENERS | CONNECTIVE_OPENERS


def _names(text: str, common: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Surnames introduced with a first name, and name words standing alone.

    A *name word* is capitalised, at least :data:`NAME_MIN` letters long, and never written in
    lower case anywhere in the document (``common``): that keeps "The", "But" or "Federal"
    out. A full name is a run of two or more name words ("John Kerry" introduces "kerry"); a
    bare use is a name word with no capitalised neighbour ("Kerry said").
    """
    full: set[str] = set()
    bare: set[str] = set()
    run: list[str] = []

    def close() -> None:
        if 2 <= len(run) <= FULL_NAME_MAX:
            full.add(run[-1])
        elif len(run) == 1 and person:
            bare.add(run[0])

    previous_end = -1
    person = False
    for match in NAME_TOKEN.finditer(text):
        lowered = _name_word(match.group(), common)
        start = match.start()
        # a run has a previous token, so previous_end is set
        if lowered and run and text[previous_end:start] == " ":
            run.append(lowered)
        else:
            if run:  # close() of no run does nothing: skip the call
                close()
            run = [lowered] if lowered else []
            person = bool(lowered) and _in_person_context(text, start, match.end())
        previous_end = match.end()
    close()
    return frozenset(full), frozenset(bare - full)


def _name_word(word: str, common: frozenset[str]) -> str:
    """A name token's word lowered ("Epstein's" is epstein) when it is a name word, else ""."""
    # the shape first: only a name-shaped token is lowered and looked up
    if not (word[1:2].islower() and word[:1].isupper() and len(word) >= NAME_MIN):
        return ""
    lowered = _unpossessive(word.lower())
    return "" if lowered in common or lowered in NOT_NAMES else lowered


def _in_person_context(text: str, start: int, end: int) -> bool:
    """The name word at ``text[start:end]`` stands where a person's name does."""
    return not NUMBER_AFTER.match(text, end) and bool(
        PERSON_AFTER.match(text, end) or PERSON_BEFORE.search(text[max(0, start - 16) : start])
    )


def _unpossessive(word: str) -> str:
    """``POSSESSIVE.sub("", word)`` without the regex call (the names loop's main cost): a
    name token holds no newline, so ``$`` can only match at the very end."""
    return word[:-2] if word.endswith(POSSESSIVE_ENDS) else word


def _entities(text: str) -> frozenset[str]:
    """Stems of capitalised words that do not open a sentence (names, places, organisations):
    a :data:`NAME_TOKEN` not at the start, of three letters or more once lowered, not a
    stopword, and whose last non-space character among the four before it is not one of
    :data:`SENTENCE_OPENING` (the regex does the positional tests: no Python per token)."""
    lowered = map(str.lower, ENTITY_TOKEN.findall(text))
    return frozenset({w[:STEM] for w in lowered if len(w) >= 3 and w not in ORDER_STOPWORDS})


def opener(text: str) -> str:
    """The first word of a unit, lowercased (the key of ``Lexicon.openers``)."""
    return _first_word(text)


def _lexical(text: str, own: set[str], lexicon: Lexicon) -> tuple[float, float]:
    values = [lexicon.words[s] for s in sorted(own) if s in lexicon.words]  # fixed sum order
    mean = sum(values) / len(values) if values else 0.0
    return mean, lexicon.openers.get(_first_word(text), 0.0)


def analyse(texts: list[str], title: str | None, *, lexicon: Lexicon = EMPTY_LEXICON) -> list[Unit]:
    """Features of every unit of one document (some unary features look at the other units)."""
    return [u for _, u in _analysed(texts, title, lexicon, with_units=True) if u is not None]


def _analysed(
    texts: list[str], title: str | None, lexicon: Lexicon, *, with_units: bool
) -> list[tuple[list[tuple[str, float]], Unit | None]]:
    """Cues and (when ``with_units``) the :class:`Unit` of every unit of one document."""
    title_stems = set(stems(title or ""))
    tokens = [WORD.findall(text) for text in texts]
    title_tokens = WORD.findall(title or "")
    distinct = set(title_tokens).union(*tokens)  # each distinct token tested once
    common = frozenset([w for w in distinct if w[0].islower()])  # WORD matches are never empty
    raw = []
    for text in texts:
        full, bare = _names(text, common)
        raw.append(
            (
                text,
                full,
                bare,
                frozenset(ACRONYM_DEFINITION.findall(text)),
                frozenset(ACRONYM.findall(text)),
                _entities(text),
            )
        )
    all_full = set().union(*(r[1] for r in raw)) if raw else set()
    lowered = [[w.lower() for w in words] for words in tokens]
    own_stems = [set(stems_of(words)) for words in lowered]
    entity_units = Counter(chain.from_iterable(r[5] for r in raw))  # in how many units each is
    recurring = frozenset(e for e, c in entity_units.items() if c > 1)
    centralities = _centralities(own_stems)
    result: list[tuple[list[tuple[str, float]], Unit | None]] = []
    for i, (text, full, bare, defined, acronyms, entities) in enumerate(raw):
        others = entities & recurring  # own entities found elsewhere
        centrality = centralities[i]
        bare_known = bare & all_full
        flags = _flags(text)
        found = cues(
            text,
            lowered[i],
            own_stems[i],
            title_share=(
                len(own_stems[i] & title_stems) / len(title_stems) if title_stems else 0.0
            ),
            centrality=centrality,
            shared_share=len(entities & others) / (len(entities) + 1),
            full=len(full),
            bare_known=len(bare_known),
            flags=flags,
        )
        if not with_units:
            result.append((found, None))
            continue
        unit = Unit(
            text=text,
            unary=(
                *_unary(
                    text,
                    flags,
                    lowered[i],
                    own_stems[i],
                    title_stems,
                    entities,
                    others,
                    full,
                    bare_known,
                ),
                centrality,
                *_lexical(text, own_stems[i], lexicon),
                predict_position(found, lexicon.cues),
            ),
            full_names=full,
            bare_names=bare,
            defined=defined,
            acronyms=acronyms,
            entities=entities,
            stems=frozenset(own_stems[i]),
        )
        result.append((found, unit))
    return result


@dataclass(frozen=True, slots=True)
class Flags:
    """Regex cues of one unit that both the unary features and the regressor cues use
    (computed once: the regexes are the stage's main cost)."""

    dateline: bool
    tail: bool
    digits: int


def _flags(text: str) -> Flags:
    return Flags(
        dateline=bool(AGENCY.search(text[:80]) or DATELINE.match(text)),
        tail=_tail(text),
        digits=len(DIGIT.findall(text)),
    )


def _tail(text: str) -> bool:
    """``bool(TAIL_CUES.search(text))``, faster (see :data:`TAIL_CUES_LOWER`)."""
    # isascii is a flag lookup: an ASCII text holds none of them, no need to scan it
    if not text.isascii() and not TAIL_FOLD_SPECIAL.isdisjoint(text):
        return bool(TAIL_CUES.search(text))
    lowered = text.lower()
    return lowered.startswith("follow ") or bool(TAIL_CUES_LOWER.search(lowered))


def _bucket(value: float) -> int:
    """Index of the highest :data:`CUE_BUCKETS` edge that ``value`` reaches."""
    return sum(1 for edge in CUE_BUCKETS[1:] if value >= edge)


def cues(
    text: str,
    words: list[str],
    own: set[str],
    *,
    title_share: float,
    centrality: float,
    shared_share: float,
    full: int,
    bare_known: int,
    flags: Flags,
) -> list[tuple[str, float]]:
    """The sparse cues of one unit for the position regressor: (name, value) pairs.

    Why these: a news lede opens with a place, a time or a name and shares the title's words;
    later paragraphs open with quotes, pronouns and connectives, use bare surnames, end with
    "said" and carry the tail's boilerplate. The content stems carry the rest (topic words of
    background paragraphs). Stem cues are scaled by one over the square root of their count,
    so a long unit does not get a larger prediction just for having more words.
    """
    found: list[tuple[str, float]] = []
    for k in range(1, CUE_OPENER_WORDS + 1):
        if len(words) >= k:
            found.append(("o:" + " ".join(words[:k]), 1.0))
    if words:
        found.append(("l:" + words[-1], 1.0))
    stripped = text.strip()
    present = (
        ("quote_open", stripped[:1] in OPENING_QUOTES),
        ("quote_any", any(q in stripped for q in QUOTE_CHARS)),  # six C searches, no set
        ("lower", stripped[:1].islower()),
        ("dateline", flags.dateline),
        ("year", bool(YEAR.search(text))),
        ("digit", flags.digits > 0),
        ("colon", stripped.endswith(":")),
        ("question", stripped.endswith("?")),
        ("tail", flags.tail),
        ("weekday", not WEEKDAYS.isdisjoint(words)),
        ("speech", not SPEECH_VERBS.isdisjoint(words)),
    )
    found += [("f:" + name, 1.0) for name, on in present if on]
    length = min(round(math.log(max(len(words), 1), CUE_LENGTH_BASE)), CUE_LENGTH_MAX)
    found += [
        (f"len:{length}", 1.0),
        (f"title:{_bucket(title_share)}", 1.0),
        (f"central:{_bucket(centrality)}", 1.0),
        (f"shared:{_bucket(shared_share)}", 1.0),
        (f"full:{min(full, 2)}", 1.0),
        (f"bare:{min(bare_known, 2)}", 1.0),
    ]
    if own:
        weight = 1.0 / math.sqrt(len(own))
        found += [("w:" + stem, weight) for stem in sorted(own)]
    return found


def predict_position(found: list[tuple[str, float]], weights: dict[str, float]) -> float:
    """The regressor's relative position of a unit (about -0.5 first, +0.5 last)."""
    get = weights.get
    return sum([get(name, 0.0) * value for name, value in found])  # a list: faster, same order


def unit_cues(texts: list[str], title: str | None) -> list[list[tuple[str, float]]]:
    """:func:`cues` of every unit of one document (the training script's entry point)."""
    return [c for c, _ in _analysed(texts, title, EMPTY_LEXICON, with_units=False)]


def _centralities(own: list[set[str]]) -> list[float]:
    """Per unit, the mean share of the other units' content words it contains: a lede
    summarises the story, so it shares words with most of what follows. (Each pair's common
    words are counted once, for both units of the pair.)"""
    n = len(own)
    common = [[0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common[i][j] = common[j][i] = len(own[i] & own[j])
    return [_centrality(i, own, common[i]) for i in range(n)]


def _centrality(i: int, own: list[set[str]], common: list[int]) -> float:
    """Unit i's centrality, ``common[j]`` the words it shares with unit j."""
    if len(own) < 2 or not own[i]:
        return 0.0
    shares = [common[j] / len(other) for j, other in enumerate(own) if j != i and other]
    return sum(shares) / len(shares) if shares else 0.0


def _unary(
    text: str,
    flags: Flags,
    words: list[str],
    own: set[str],
    title_stems: set[str],
    entities: frozenset[str],
    others: frozenset[str],
    full: frozenset[str],
    bare_known: frozenset[str],
) -> tuple[float, ...]:
    first = words[0] if words else ""
    lowered = set(words)
    shared = len(entities & others)
    return (
        float(first in PRONOUN_OPENERS),
        float(first in CONNECTIVE_OPENERS),
        float(text[:1] in OPENING_QUOTES),
        float(text[:1].islower()),
        float(flags.dateline),
        float(bool(lowered & WEEKDAYS)),
        len(own & title_stems) / len(title_stems) if title_stems else 0.0,
        math.log1p(len(words)),
        float(len(words) <= 8),
        float(text.rstrip().endswith(":")),
        float(text.rstrip().endswith("?")),
        float(flags.tail),
        float(bool(lowered & SPEECH_VERBS)),
        flags.digits / max(len(text), 1) * 10,
        shared / (len(entities) + 1),
        (len(entities) - shared) / (len(entities) + 1),
        float(min(len(full), 3)),
        float(min(len(bare_known), 3)),
    )


def pair_features(a: Unit, b: Unit) -> tuple[float, ...]:
    """Antisymmetric pair cues for "a comes before b" (positive) vs the reverse (negative)."""
    return (
        _intro(a, b) - _intro(b, a),
        _acronym(a, b) - _acronym(b, a),
        _first_mention(a, b) - _first_mention(b, a),
    )


def _intro(a: Unit, b: Unit) -> float:
    """a names someone in full whom b mentions by the bare surname only."""
    return float(min(len(a.full_names & b.bare_names), 2))


def _acronym(a: Unit, b: Unit) -> float:
    """a defines an acronym that b uses without defining it."""
    return float(min(len(a.defined & (b.acronyms - b.defined)), 2))


def _first_mention(a: Unit, b: Unit) -> float:
    """Share of b's entities that a mentions too: later units refer back to earlier ones,
    measured against the smaller unit so it is comparable across lengths."""
    if not a.entities or not b.entities:
        return 0.0
    shared = len(a.entities & b.entities)
    return shared / len(b.entities) - shared / len(a.entities)


def features(a: Unit, b: Unit) -> tuple[float, ...]:
    """The full feature vector of the pair (a, b): unary differences, then pair cues."""
    return tuple(x - y for x, y in zip(a.unary, b.unary, strict=True)) + pair_features(a, b)
