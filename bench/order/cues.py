"""Precision and coverage of candidate hard-evidence order cues, on gold (in-order) articles.

A cue reads the *set* of an article's paragraphs (never their order) and returns constraints
in the shape of :func:`cleaner.order.search.violations`: ``(A, B)`` says "the first of
``A | B`` in reading order is in ``A``" (some unit of A comes before every unit of B; with
singletons, "A before B"). On a gold article the given order is the true one, so a constraint
is *right* when ``min(A | B)`` is in A. Per cue and split the table gives:

* constraints: how many the cue makes; right: how many hold in the gold order; P: right share;
* coverage: share of articles (and of 3-25 paragraph ones) with at least one constraint;
* violated: share (and count) of in-order articles of :data:`MIN_PARAS`-:data:`MAX_PARAS`
  paragraphs with at least one wrong constraint -- a hard cue that is wrong there would move
  an article that is in order, so this must be about 0 (also counted over all sizes).

Choices are made on ``train`` only; ``heldout`` and ``untuned`` are reported. On train
(2026-12-03), P >= .95 with no violated 3-25 article: the anchored tail lines
(:data:`TAIL_STRICT`), numbered paragraphs that are exactly 1..m (m <= 9: longer 1..m lists
include countdowns), "First,"... ordinals, a whole lower-case word opening running text (not
first), and a "He"/"She" opener after some full name. Acronym definitions stay below .80 on
every variant (known acronyms come undefined in headings and ledes) and quote continuations
hardly occur in gold text.
Run: ``python -m bench.order.cues``; the tables also go to :data:`OUT`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.order.data import Article, Split, articles_of
from bench.order.evaluate import cell
from cleaner.order.evidence import numbered
from cleaner.order.features import Unit, analyse

OUT = Path("/tmp/cues_results.txt")
MIN_PARAS, MAX_PARAS = 3, 25
SPLITS: tuple[Split, ...] = ("train", "heldout", "untuned")

Constraint = tuple[frozenset[int], frozenset[int]]  # the first of A | B is in A
Cue = Callable[[list[Unit]], list[Constraint]]

# --- (1) credit and tail lines: after every paragraph that is not one --------------------------

# Anchored tail lines, one alternative each (matched case-insensitively from the start).
TAIL_LINES = (
    r"\(?(?:additional )?reporting by\b[^\n]{0,200}\b(?:editing|writing) by\b",  # Reuters
    r"(?:editing|writing|additional reporting) by (?-i:[A-Z])[^\n]{0,120}$",
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d\b[^\n]{0,120}"  # (c) 2024 Org.
    r"(?:all rights reserved|associated press|reuters|afp|ltd|inc|llc|media|news)",
    r"this (?:story|article) (?:has been|was) corrected\b",
    r"follow (?:us|(?-i:[A-Z])[\w&.'-]*(?: (?-i:[A-Z])[\w&.'-]*){0,3}) on "
    r"(?:facebook|twitter|instagram|x|linkedin|tiktok|youtube|threads|bluesky)\b[^\n]{0,80}$",
)
CONTRIBUTED = r"(?-i:[A-Z])[^\n]{0,120} contributed (?:reporting )?to this (?:report|story)\.?$"
CONTRIBUTED_ARTICLE = r"(?-i:[A-Z])[^\n]{0,120} contributed (?:reporting )?to this article\.?$"


def anchored(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


TAIL_STRICT = anchored((*TAIL_LINES, CONTRIBUTED, CONTRIBUTED_ARTICLE))
TAIL_STRICTER = anchored((*TAIL_LINES, CONTRIBUTED))
TAIL_LOOSE = re.compile(
    r"(?:reporting by|editing by|©|\(c\) ?\d{4}|copyright|all rights reserved|"
    r"has been (?:corrected|updated)|^correction\b|^follow |contributed to this report|"
    r"^read more\b|^(?:photo|image) (?:credit|courtesy)|^(?:photo|image|credit)s?:)",
    re.IGNORECASE,
)


def tail_cue(pattern: re.Pattern[str]) -> Cue:
    """A paragraph ``pattern`` matches (a credit or tail line) comes after every other one."""

    def cue(units: list[Unit]) -> list[Constraint]:
        tails = {k for k, u in enumerate(units) if pattern.search(u.text)}
        return [
            (frozenset({i}), frozenset({t}))
            for t in sorted(tails)
            for i in range(len(units))
            if i not in tails
        ]

    return cue


# --- (2) an acronym's definition before its bare use -------------------------------------------

DEFINED = re.compile(
    r"((?:[A-ZÀ-Þ][\w'’.&-]*,? (?:(?:of|for|and|the|on|de|du|des|für|der) )*){1,8})"
    r"\(([A-ZÀ-Þ]{2,8})\)"
)
ACRONYM_WORD = re.compile(r"\b[A-ZÀ-Þ]{2,8}\b")


def initials_match(words: str, acronym: str) -> bool:
    """The capitalised words before "(WHO)" end in words whose initials spell the acronym."""
    caps = "".join(w[0] for w in words.split() if w[:1].isupper())
    return len(acronym) >= 2 and caps.endswith(acronym)


def spelled_definitions(text: str) -> frozenset[str]:
    """Acronyms defined here as "World Health Organization (WHO)" (initials spell it)."""
    return frozenset(a for words, a in DEFINED.findall(text) if initials_match(words, a))


def bare_acronyms(text: str, defined: frozenset[str]) -> frozenset[str]:
    return frozenset(ACRONYM_WORD.findall(text)) - defined


PROSE_WORDS = 12
PROSE_END = re.compile(r"[.!?][\"”’)]?$")


def prose(text: str) -> bool:
    """A running-text paragraph: one line of at least :data:`PROSE_WORDS` words ending a
    sentence (not a heading, a list or a table, where acronyms come undefined)."""
    return "\n" not in text and len(text.split()) >= PROSE_WORDS and bool(PROSE_END.search(text))


def acronym_cue(strict: bool, min_length: int = 2, only_prose: bool = False) -> Cue:
    """Units defining an acronym come before units using it bare. Loose: any "(ABC)" (the
    stage's ``Unit.defined``); strict: the initials of the words before it spell it;
    ``only_prose``: bare uses in :func:`prose` paragraphs only."""

    def cue(units: list[Unit]) -> list[Constraint]:
        defs = [spelled_definitions(u.text) if strict else u.defined for u in units]
        found: list[Constraint] = []
        for acro in sorted(set().union(*defs)):
            if len(acro) < min_length:
                continue
            full = frozenset(k for k, d in enumerate(defs) if acro in d)
            bare = frozenset(
                k
                for k, u in enumerate(units)
                if acro in bare_acronyms(u.text, defs[k]) and (prose(u.text) or not only_prose)
            )
            if bare - full:
                found.append((full, bare - full))
        return found

    return cue


# --- (3) numbered paragraphs in sequence -------------------------------------------------------

NUMERAL = re.compile(r"^(\d{1,2})[.)]\s+\S")
HASH_NUMERAL = re.compile(r"^#?(\d{1,2})[.):]?\s+\S")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
ORDINAL = re.compile(r"^(" + "|".join(ORDINALS) + r"),\s", re.IGNORECASE)


def numeral_of(text: str, pattern: re.Pattern[str]) -> int | None:
    match = pattern.match(text)
    if not match:
        return None
    word = match.group(1).lower()
    return ORDINALS.index(word) + 1 if word in ORDINALS else int(word)


def numbered_cue(pattern: re.Pattern[str], strict: bool, longest: int = 99) -> Cue:
    """Paragraphs opening with numerals come in increasing order. Strict: only when the
    numerals are exactly 1..m, each once (one list, no gaps), with 2 <= m <= ``longest``."""

    def cue(units: list[Unit]) -> list[Constraint]:
        numbered = [(n, k) for k, u in enumerate(units) if (n := numeral_of(u.text, pattern))]
        values = sorted(n for n, _ in numbered)
        if strict and not 2 <= len(values) <= longest:
            return []
        if strict and values != list(range(1, len(values) + 1)):
            return []
        return [(frozenset({a}), frozenset({b})) for n, a in numbered for m, b in numbered if n < m]

    return cue


# --- (4) a quote continuation after a paragraph that opens a quote -----------------------------

OPEN_QUOTES = "“„«"
CLOSE_QUOTES = "”»"
# Opens mid-quote: text, then a closing quote and an attribution, before any opening quote:
# 'and that was that," he added.' (straight quotes: an odd count before the attribution).
CLOSING_FIRST = re.compile(
    r"^[^“„«\"\n]{1,400}[”\"],? (?:he|she|they|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) "
    r"(?:said|says|added|adds|told|continued|explained|noted|wrote)\b"
)
# The first quote mark is a closing one: the paragraph opens inside a quote.
CLOSING_MARK_FIRST = re.compile(r"^[^“„«\"‘'\n]*[”»]")
LOWER_OPEN = re.compile(r"^[\"“„«‘]?[a-zß-ÿ]")
# Strict: a whole lower-case word ("eCommerce", "iPhone" are names) opening running text.
LOWER_WORD_OPEN = re.compile(r"^[a-zß-ÿ]+[ ,;][^\n]*\b\w+\b[^\n]*\s\w+\s\w+\s\w+")


def unclosed_quote(text: str) -> bool:
    """The paragraph opens a quote and does not close it (a multi-paragraph quote)."""
    curly = sum(text.count(q) for q in OPEN_QUOTES) > sum(text.count(q) for q in CLOSE_QUOTES)
    return curly or (text.count('"') % 2 == 1 and text.lstrip()[:1] == '"')


def continuation_cue(pattern: re.Pattern[str], strict: bool) -> Cue:
    """A paragraph that ``pattern`` says continues a quote (or a sentence) is not first; strict:
    some paragraph leaving a quote open comes before it (no constraint when none does)."""

    def cue(units: list[Unit]) -> list[Constraint]:
        found: list[Constraint] = []
        for k, u in enumerate(units):
            if not pattern.search(u.text):
                continue
            if strict:
                opened = frozenset(
                    i for i, v in enumerate(units) if i != k and unclosed_quote(v.text)
                )
                if opened:
                    found.append((opened, frozenset({k})))
            else:
                found.append((frozenset(range(len(units))) - {k}, frozenset({k})))
        return found

    return cue


# --- (5) a pronoun-led paragraph after some paragraph naming a person ---------------------------

PRONOUN_LOOSE = re.compile(r"^(?:He|She|They|His|Her)\b")
PRONOUN_PERSON = re.compile(r"^(?:He|She)\b")
PRONOUN_SAID = re.compile(
    r"^(?:He|She) (?:said|says|added|adds|told|noted|explained|continued|argued|wrote|stated|"
    r"insisted|warned|recalled)\b"
)


def pronoun_cue(pattern: re.Pattern[str], strict: bool) -> Cue:
    """A paragraph opening with a pronoun comes after some paragraph giving a person's full
    name (the stage's ``Unit.full_names``). Strict: only when some paragraph names one."""

    def cue(units: list[Unit]) -> list[Constraint]:
        named = frozenset(k for k, u in enumerate(units) if u.full_names)
        found: list[Constraint] = []
        for k, u in enumerate(units):
            if not pattern.match(u.text):
                continue
            before = named - {k}
            if before:
                found.append((before, frozenset({k})))
            elif not strict:
                found.append((frozenset(range(len(units))) - {k}, frozenset({k})))
        return found

    return cue


CUES: dict[str, Cue] = {
    "tail (loose)": tail_cue(TAIL_LOOSE),
    "tail (strict)": tail_cue(TAIL_STRICT),
    "tail (strict, no '... to this article')": tail_cue(TAIL_STRICTER),
    "acronym (any '(ABC)')": acronym_cue(strict=False),
    "acronym (initials spell it)": acronym_cue(strict=True),
    "acronym (initials, 3+ letters)": acronym_cue(strict=True, min_length=3),
    "acronym (initials, bare in prose)": acronym_cue(strict=True, only_prose=True),
    "acronym (initials, 3+, bare in prose)": acronym_cue(
        strict=True, min_length=3, only_prose=True
    ),
    "numbered (any '#1', '1.', '1:')": numbered_cue(HASH_NUMERAL, strict=False),
    "numbered ('1.' '2)' any)": numbered_cue(NUMERAL, strict=False),
    "numbered ('1.' '2)' exactly 1..m)": numbered_cue(NUMERAL, strict=True),
    "numbered ('1.' '2)' exactly 1..m, m <= 9)": numbered_cue(NUMERAL, strict=True, longest=9),
    "numbered, as shipped (cleaner.order.evidence.numbered)": numbered,
    "ordinals ('First,' exactly 1..m)": numbered_cue(ORDINAL, strict=True),
    "lowercase opener not first": continuation_cue(LOWER_OPEN, strict=False),
    "lowercase word opener (5+ words) not first": continuation_cue(LOWER_WORD_OPEN, strict=False),
    "closing quote first, not first": continuation_cue(CLOSING_FIRST, strict=False),
    "first quote mark closes, not first": continuation_cue(CLOSING_MARK_FIRST, strict=False),
    "closing quote first, after open quote": continuation_cue(CLOSING_FIRST, strict=True),
    "pronoun opener (He/She/They/His/Her)": pronoun_cue(PRONOUN_LOOSE, strict=False),
    "pronoun opener, after a full name": pronoun_cue(PRONOUN_LOOSE, strict=True),
    "He/She opener, after a full name": pronoun_cue(PRONOUN_PERSON, strict=True),
    "'He said' after a full name": pronoun_cue(PRONOUN_SAID, strict=True),
}


# --- counting -----------------------------------------------------------------------------------


@dataclass
class Tally:
    """One cue's counts over one split."""

    articles: int = 0
    sized: int = 0  # articles of MIN_PARAS-MAX_PARAS paragraphs
    constraints: int = 0
    right: int = 0
    covered: int = 0
    covered_sized: int = 0
    violated_sized: int = 0
    violated_all: int = 0

    def add(self, constraints: list[Constraint], paragraphs: int) -> None:
        sized = MIN_PARAS <= paragraphs <= MAX_PARAS
        right = sum(1 for a, b in constraints if holds(a, b))
        wrong = len(constraints) - right
        self.articles += 1
        self.sized += sized
        self.constraints += len(constraints)
        self.right += right
        self.covered += bool(constraints)
        self.covered_sized += sized and bool(constraints)
        self.violated_sized += sized and wrong > 0
        self.violated_all += wrong > 0

    def row(self, name: str) -> str:
        values = [
            self.constraints,
            self.right,
            share(self.right, self.constraints),
            share(self.covered, self.articles),
            share(self.covered_sized, self.sized),
            share(self.violated_sized, self.sized),
            self.violated_sized,
            self.violated_all,
        ]
        return f"| {name} | " + " | ".join(cell(v) for v in values) + " |"


COLUMNS = (
    "constraints",
    "right",
    "P",
    "coverage",
    "coverage (3-25)",
    "violated (3-25)",
    "violated n (3-25)",
    "violated n (all)",
)


def holds(a: frozenset[int], b: frozenset[int]) -> bool:
    """In the given (gold) order: the first of ``a | b`` is in ``a``."""
    return min(a | b) in a


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def tally(articles: list[Article]) -> dict[str, Tally]:
    tallies = {name: Tally() for name in CUES}
    for article in articles:
        units = analyse(list(article.paragraphs), article.title)
        for name, cue in CUES.items():
            tallies[name].add(cue(units), len(units))
    return tallies


def table(split: str, articles: list[Article], tallies: dict[str, Tally]) -> str:
    sized = next(iter(tallies.values())).sized if tallies else 0
    lines = [
        f"#### order cues, {split} ({len(articles)} gold articles, {sized} of "
        f"{MIN_PARAS}-{MAX_PARAS} paragraphs)",
        "",
        "| cue | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    lines += [t.row(name) for name, t in tallies.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    splits = tuple(argv if argv else sys.argv[1:]) or SPLITS
    OUT.write_text("", encoding="utf-8")
    for split in splits:
        articles = articles_of(split)  # type: ignore[arg-type]
        text = table(split, articles, tally(articles))
        print(text + "\n", flush=True)
        with OUT.open("a", encoding="utf-8") as out:
            out.write(text + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
