"""Sentence splices: a sentence of another story pasted inside a paragraph.

Content farms splice at the sentence level too: one sentence of another story added to the end
(or the middle) of a real paragraph, where the paragraph scorer (:mod:`cleaner.order.splices`)
cannot see it, since the rest of the paragraph is on topic. Every sentence of a paragraph of two
or more sentences is a candidate. A learned scorer (:data:`SENTENCE_FEATURES`, weights in
``cleaner/data/sentence_model.json``, trained by ``python -m bench.order.sentence_train``)
rates each one by how little of it the rest of the article accounts for: the share of its words
and names found in the title or another sentence (plain and weighted by rarity), in its own
paragraph and in the other paragraphs, each also as a leave-one-out z-score against the
article's other sentences, its size and place in the paragraph, and how it opens. Like the
paragraph scorer, it is a conditional logit (which sentence of this article, if any, came from
elsewhere), its threshold is calibrated so that at most 2% of the in-order training articles get
a flag, and at most one sentence per article is flagged.

The features count words rather than compare every pair of sentences, so the cost grows with the
article's length, not its square.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, pairwise
from typing import Any

from cleaner.document import Block
from cleaner.order.features import CONNECTIVE_OPENERS, PRONOUN_OPENERS, opener
from cleaner.order.features import _entities as entities
from cleaner.order.splices import (
    IDF_NOVEL_SCALE,
    LOO_MIN_SD,
    SpliceModel,
    digit_count,
    jaccard,
    packaged_model,
    share,
    splice_model_from_json,
)
from cleaner.text import sentence_spans, stems

SENTENCE_MODEL_FILE = "sentence_model.json"
DROP_REASON = "off-topic sentence: shares few words and names with the article"
MIN_SENTENCES = 2  # a one-sentence paragraph is the paragraph scorer's to judge
CORE_PARAS = 2  # a word in this many paragraphs is the article's vocabulary

SENTENCE_FEATURES = (
    "word_share",  # share of its content words found in the title or another sentence
    "para_share",  # ... in another sentence of its own paragraph
    "rest_share",  # ... in another paragraph or the title
    "core_share",  # ... that are in CORE_PARAS paragraphs or more
    "name_share",  # share of its names found elsewhere (1 when it has none)
    "has_names",
    "novel_names",  # log(1 + names found nowhere else)
    "title_share",  # share of its words in the title
    "rare_share",  # word_share with each word weighted by its rarity (IDF)
    "rare_novel",  # summed rarity of the words found nowhere else
    "word_share_z",  # leave-one-out z-scores over the article's sentences
    "rest_share_z",
    "rare_share_z",
    "size",  # log(1 + content words)
    "para_size",  # log(sentences in its paragraph)
    "article_size",  # log(sentences in the article)
    "first",  # opens its paragraph
    "last",  # ends its paragraph
    "connective",  # opens with a connective ("But", "Meanwhile")
    "pronoun",  # opens with a pronoun ("He", "This")
    "digits",  # share of digits among its characters
    "neighbour_overlap",  # mean word overlap (Jaccard) with the sentences before and after it
    "neighbour_overlap_z",
)


def sentence_model_from_json(data: dict[str, Any]) -> SpliceModel:
    return splice_model_from_json(data, features=SENTENCE_FEATURES)


def load_sentence_model() -> SpliceModel:
    """The packaged sentence scorer."""
    return packaged_model(SENTENCE_MODEL_FILE, SENTENCE_FEATURES)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a paragraph: where it is (paragraph, its number in the paragraph, line of
    the paragraph, character span in the line)."""

    para: int
    number: int
    line: int
    start: int
    end: int
    text: str


def sentences_of(paragraphs: Sequence[Sequence[str]]) -> list[Sentence]:
    """Every sentence of every line of every paragraph, in order."""
    found: list[Sentence] = []
    for p, lines in enumerate(paragraphs):
        spans = [(k, a, b) for k, line in enumerate(lines) for a, b in sentence_spans(line)]
        found += [Sentence(p, n, k, a, b, lines[k][a:b]) for n, (k, a, b) in enumerate(spans)]
    return found


def candidates(sentences: Sequence[Sentence]) -> list[int]:
    """The sentences of paragraphs of :data:`MIN_SENTENCES` or more."""
    per_para = Counter(s.para for s in sentences)
    return [k for k, s in enumerate(sentences) if per_para[s.para] >= MIN_SENTENCES]


@dataclass(frozen=True, slots=True)
class Words:
    """What the features count of one sentence: its content-word stems and its names (the
    order stage's :class:`~cleaner.order.features.Unit` has these and much more the sentence
    scorer does not use, at three times the cost)."""

    stems: frozenset[str]
    entities: frozenset[str]


def words_of(text: str) -> Words:
    return Words(frozenset(stems(text)), entities(text))


@dataclass(frozen=True, slots=True)
class Context:
    """What a sentence's features compare it with, as sets of the article's words (so a
    sentence's counts are set intersections in C, and each word's facts are worked out once per
    article rather than once per sentence that has it)."""

    title: frozenset[str]
    idf: Mapping[str, float]  # the rarity of every word of the article
    elsewhere: frozenset[str]  # words in the title or in two sentences or more
    rest: frozenset[str]  # words in the title or in two paragraphs or more
    core: frozenset[str]  # words in CORE_PARAS paragraphs or more
    repeated: Mapping[int, frozenset[str]]  # per paragraph, words in two of its sentences
    shared_names: frozenset[str]  # names in two sentences or more
    per_para: Counter[int]


def context_of(
    sentences: Sequence[Sentence], units: Sequence[Words], title: str | None, model: SpliceModel
) -> Context:
    title_stems = frozenset(stems(title or ""))
    groups: dict[int, list[frozenset[str]]] = {}  # per paragraph, its sentences' words
    for s, u in zip(sentences, units, strict=True):
        groups.setdefault(s.para, []).append(u.stems)
    # per paragraph: in how many of its sentences a word is (one count per paragraph, the words
    # met in the same order as by one update per sentence)
    by_para = {p: Counter(chain.from_iterable(g)) for p, g in groups.items()}
    # chain: the same words in the same order as a nested generator, without a frame per word
    word_sentences = Counter(chain.from_iterable(u.stems for u in units))
    word_paras = Counter(chain.from_iterable(by_para.values()))
    names = Counter(chain.from_iterable(u.entities for u in units))
    return Context(
        title=title_stems,
        idf=model.idfs(word_sentences),
        elsewhere=frozenset(x for x, c in word_sentences.items() if c > 1) | title_stems,
        rest=frozenset(x for x, c in word_paras.items() if c > 1) | title_stems,
        core=frozenset(x for x, c in word_paras.items() if c >= CORE_PARAS),
        repeated={p: frozenset(x for x, c in w.items() if c > 1) for p, w in by_para.items()},
        shared_names=frozenset(e for e, c in names.items() if c > 1),
        per_para=Counter(s.para for s in sentences),
    )


def _word_shares(s: Sentence, unit: Words, ctx: Context) -> list[float]:
    own = unit.stems
    found = own & ctx.elsewhere
    # fsum is exact, so the sums do not depend on the order a set yields its words in
    idf = ctx.idf.__getitem__
    everything = math.fsum(map(idf, own))
    rare_found = math.fsum(map(idf, found))
    return [
        share(len(found), len(own)),
        share(len(own & ctx.repeated[s.para]), len(own)),
        share(len(own & ctx.rest), len(own)),
        share(len(own & ctx.core), len(own)),
        *_names(unit, ctx),
        len(own & ctx.title) / len(own) if own else 0.0,
        share(rare_found, everything),
        (everything - rare_found) / IDF_NOVEL_SCALE,
    ]


def _names(unit: Words, ctx: Context) -> tuple[float, float, float]:
    found = len(unit.entities & ctx.shared_names)
    return (
        share(found, len(unit.entities)),
        float(bool(unit.entities)),
        math.log1p(len(unit.entities) - found),
    )


def _shape(k: int, sentences: Sequence[Sentence], unit: Words, ctx: Context) -> list[float]:
    s = sentences[k]
    first = opener(s.text)
    return [
        math.log1p(len(unit.stems)),
        math.log(ctx.per_para[s.para]),
        math.log(len(sentences)),
        float(k == 0 or sentences[k - 1].para != s.para),
        float(k + 1 == len(sentences) or sentences[k + 1].para != s.para),
        float(first in CONNECTIVE_OPENERS),
        float(first in PRONOUN_OPENERS),
        digit_count(s.text) / max(1, len(s.text)),
    ]


Z_OF = {  # feature index of each z-score -> the feature it standardises
    SENTENCE_FEATURES.index("word_share_z"): SENTENCE_FEATURES.index("word_share"),
    SENTENCE_FEATURES.index("rest_share_z"): SENTENCE_FEATURES.index("rest_share"),
    SENTENCE_FEATURES.index("rare_share_z"): SENTENCE_FEATURES.index("rare_share"),
    SENTENCE_FEATURES.index("neighbour_overlap_z"): SENTENCE_FEATURES.index("neighbour_overlap"),
}


def _neighbour_overlaps(units: Sequence[Words]) -> list[float]:
    """Each sentence's mean overlap with the sentences before and after it (each seam's overlap
    computed once: it serves both sides)."""
    seams = [jaccard(a.stems, b.stems) for a, b in pairwise(units)]
    found = []
    for k in range(len(units)):
        near = [seams[j] for j in (k - 1, k) if 0 <= j < len(seams)]
        found.append(sum(near) / len(near) if near else 0.0)
    return found


def sentence_features(
    sentences: Sequence[Sentence], title: str | None, model: SpliceModel
) -> list[list[float]]:
    """One row of :data:`SENTENCE_FEATURES` per sentence (z-scores over all of them)."""
    units = [words_of(s.text) for s in sentences]
    ctx = context_of(sentences, units, title, model)
    rows = [
        [
            *_word_shares(s, u, ctx),
            *(0.0, 0.0, 0.0),
            *_shape(k, sentences, u, ctx),
            near,
            0.0,
        ]
        for k, (s, u, near) in enumerate(
            zip(sentences, units, _neighbour_overlaps(units), strict=True)
        )
    ]
    for z, source in Z_OF.items():
        for row, value in zip(rows, loo_zs([row[source] for row in rows]), strict=True):
            row[z] = value
    return rows


def loo_zs(values: list[float]) -> list[float]:
    """Each value's z-score against the others (leave one out), from running sums so that a
    long article costs its length, not its square; 0 when the others are fewer than two."""
    n = len(values)
    if n < 3:
        return [0.0] * n
    total = math.fsum(values)
    squares = math.fsum(x * x for x in values)
    found = []
    for x in values:
        mean = (total - x) / (n - 1)
        spread = (squares - x * x - (n - 1) * mean * mean) / (n - 2)
        # what max(0.0, spread) and max(sd, LOO_MIN_SD) give (nan too), without the calls
        sd = math.sqrt(spread) if spread > 0.0 else 0.0
        found.append((x - mean) / (LOO_MIN_SD if sd < LOO_MIN_SD else sd))
    return found


def offtopic_sentence(
    paragraphs: Sequence[Sequence[str]], title: str | None, model: SpliceModel | None = None
) -> tuple[Sentence, float] | None:
    """The candidate sentence that most reads like a splice, with its score, when the score
    passes the threshold; ``paragraphs`` are the article's paragraphs as lists of lines."""
    sentences = sentences_of(paragraphs)
    chosen = candidates(sentences)
    if not chosen:
        return None
    model = model or load_sentence_model()
    rows = sentence_features(sentences, title, model)
    scores = {k: model.score(rows[k]) for k in chosen}  # each candidate scored once
    best = max(chosen, key=lambda k: (scores[k], -k))
    return (sentences[best], scores[best]) if scores[best] > model.threshold else None


@dataclass(frozen=True, slots=True)
class Line:
    """One output line of a paragraph: a block and the blocks glued to it (``Block.glue``),
    each with where its text starts in the line, as :func:`cleaner.document.render_text`
    writes them."""

    text: str
    starts: tuple[int, ...]
    blocks: tuple[Block, ...]


def output_lines(group: Sequence[Block]) -> list[Line]:
    lines: list[Line] = []
    for block in group:
        if lines and block.glue is not None:
            last = lines[-1]
            start = len(last.text) + len(block.glue)
            text = last.text + block.glue + block.text
            lines[-1] = Line(text, (*last.starts, start), (*last.blocks, block))
        else:
            lines.append(Line(block.text, (0,), (block,)))
    return lines


@dataclass(frozen=True, slots=True)
class Flagged:
    """The flagged sentence (where it is in the output), its score, and the block that holds
    it whole with the sentence's span in that block (both None when it runs over glued
    blocks: it is flagged, but not dropped)."""

    sentence: Sentence
    score: float
    block: Block | None
    span: Sentence | None


def locate(line: Line, sentence: Sentence) -> tuple[Block | None, Sentence | None]:
    for start, block in zip(line.starts, line.blocks, strict=True):
        if start <= sentence.start and sentence.end <= start + len(block.text):
            return block, replace(sentence, start=sentence.start - start, end=sentence.end - start)
    return None, None


def flag_sentence(
    groups: Sequence[Sequence[Block]],
    title: str | None,
    *,
    skip: Collection[int] = (),
    model: SpliceModel | None = None,
) -> Flagged | None:
    """:func:`offtopic_sentence` over paragraphs of kept blocks, line by output line (so the
    sentence numbers are those of the output text), leaving out the paragraphs in ``skip``
    (those flagged whole)."""
    lines = [[] if k in skip else output_lines(g) for k, g in enumerate(groups)]
    found = offtopic_sentence([[line.text for line in p] for p in lines], title, model)
    if found is None:
        return None
    sentence, value = found
    return Flagged(sentence, value, *locate(lines[sentence.para][sentence.line], sentence))


def split_out(block: Block, sentence: Sentence) -> list[Block]:
    """``block`` as its pieces: the text before the sentence, the sentence dropped with
    :data:`DROP_REASON`, the text after it, the later pieces glued to the earlier ones by a
    space, so the rest of the line renders as it was, without the sentence."""
    before = block.text[: sentence.start].rstrip()
    after = block.text[sentence.end :].lstrip()
    glue = " " if before else block.glue
    pieces = [replace(block, text=before)] if before else []
    pieces.append(replace(block, text=sentence.text, glue=glue).drop(DROP_REASON))
    if after:
        pieces.append(replace(block, text=after, glue=glue))
    return pieces
