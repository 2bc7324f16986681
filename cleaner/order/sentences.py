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
from typing import Any

from cleaner.document import Block
from cleaner.order.features import CONNECTIVE_OPENERS, PRONOUN_OPENERS, opener
from cleaner.order.features import _entities as entities
from cleaner.order.splices import (
    IDF_NOVEL_SCALE,
    LOO_MIN_SD,
    SpliceModel,
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
    """What a sentence's features compare it with: per word, the sentences and paragraphs
    that have it."""

    title: frozenset[str]
    word_sentences: Counter[str]
    name_sentences: Counter[str]
    word_paras: Mapping[str, Counter[int]]
    per_para: Counter[int]


def context_of(sentences: Sequence[Sentence], units: Sequence[Words], title: str | None) -> Context:
    word_paras: dict[str, Counter[int]] = {}
    for s, u in zip(sentences, units, strict=True):
        for stem in u.stems:
            word_paras.setdefault(stem, Counter())[s.para] += 1
    return Context(
        title=frozenset(stems(title or "")),
        word_sentences=Counter(x for u in units for x in u.stems),
        name_sentences=Counter(e for u in units for e in u.entities),
        word_paras=word_paras,
        per_para=Counter(s.para for s in sentences),
    )


def _places(stem: str, para: int, ctx: Context) -> tuple[bool, bool, bool]:
    """Is the word elsewhere at all, in another sentence of its paragraph, in another
    paragraph or the title?"""
    paras = ctx.word_paras[stem]
    in_title = stem in ctx.title
    return (
        in_title or ctx.word_sentences[stem] > 1,
        paras[para] > 1,
        in_title or len(paras) > 1,
    )


def _word_shares(s: Sentence, unit: Words, ctx: Context, model: SpliceModel) -> list[float]:
    own = sorted(unit.stems)
    places = [_places(x, s.para, ctx) for x in own]
    everything = math.fsum(model.idf(x) for x in own)
    found = math.fsum(model.idf(x) for x, p in zip(own, places, strict=True) if p[0])
    return [
        share(sum(p[0] for p in places), len(own)),
        share(sum(p[1] for p in places), len(own)),
        share(sum(p[2] for p in places), len(own)),
        share(sum(len(ctx.word_paras[x]) >= CORE_PARAS for x in own), len(own)),
        *_names(unit, ctx),
        len(unit.stems & ctx.title) / len(own) if own else 0.0,
        share(found, everything),
        (everything - found) / IDF_NOVEL_SCALE,
    ]


def _names(unit: Words, ctx: Context) -> tuple[float, float, float]:
    found = sum(1 for e in unit.entities if ctx.name_sentences[e] > 1)
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
        sum(ch.isdigit() for ch in s.text) / max(1, len(s.text)),
    ]


Z_OF = {  # feature index of each z-score -> the feature it standardises
    SENTENCE_FEATURES.index("word_share_z"): SENTENCE_FEATURES.index("word_share"),
    SENTENCE_FEATURES.index("rest_share_z"): SENTENCE_FEATURES.index("rest_share"),
    SENTENCE_FEATURES.index("rare_share_z"): SENTENCE_FEATURES.index("rare_share"),
    SENTENCE_FEATURES.index("neighbour_overlap_z"): SENTENCE_FEATURES.index("neighbour_overlap"),
}


def _neighbour_overlap(k: int, units: Sequence[Words]) -> float:
    near = [jaccard(units[k].stems, units[j].stems) for j in (k - 1, k + 1) if 0 <= j < len(units)]
    return sum(near) / len(near) if near else 0.0


def sentence_features(
    sentences: Sequence[Sentence], title: str | None, model: SpliceModel
) -> list[list[float]]:
    """One row of :data:`SENTENCE_FEATURES` per sentence (z-scores over all of them)."""
    units = [words_of(s.text) for s in sentences]
    ctx = context_of(sentences, units, title)
    rows = [
        [
            *_word_shares(s, u, ctx, model),
            *(0.0, 0.0, 0.0),
            *_shape(k, sentences, u, ctx),
            _neighbour_overlap(k, units),
            0.0,
        ]
        for k, (s, u) in enumerate(zip(sentences, units, strict=True))
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
        spread = max(0.0, (squares - x * x - (n - 1) * mean * mean) / (n - 2))
        found.append((x - mean) / max(math.sqrt(spread), LOO_MIN_SD))
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
    best = max(chosen, key=lambda k: (model.score(rows[k]), -k))
    value = model.score(rows[best])
    return (sentences[best], value) if value > model.threshold else None


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
