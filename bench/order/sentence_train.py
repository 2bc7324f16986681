"""Train the sentence splice scorer of the order stage (``cleaner/data/sentence_model.json``).

    python -m bench.order.sentence_train            # writes the model file
    python -m bench.order.sentence_train --check    # exit 1 if the written file would differ

Self-supervised, on the training split only, like the paragraph scorer
(:mod:`bench.order.splice_train`, whose conditional-logit fit this reuses): every training
article of 3-25 paragraphs gives one clean example and :data:`RANDOM_DONORS` +
:data:`TOPIC_DONORS` spliced ones, each a sentence of at least eight words of another training
article (a random one, and each of the articles sharing most content words with it) inserted
at a seeded sentence boundary of a seeded paragraph (:func:`splice_sentence`, which
``make eval-order`` uses too). The softmax runs over the candidate sentences
(:func:`cleaner.order.sentences.candidates`) and "none of them". The threshold flags at most
:data:`FALSE_FLAG_RATE` of the in-order training texts (the articles and runs of their
paragraphs). Deterministic (seeded, sorted, rounded): the file is reproduced byte for byte.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.order import splice_train
from bench.order.data import Article, articles_of
from bench.order.splice_train import (
    MAX_UNITS,
    MIN_UNITS,
    Example,
    document_frequency,
    fit,
    nearest,
    threshold,
    windows,
)
from bench.order.train import render, write_or_check
from cleaner.order.sentences import (
    SENTENCE_FEATURES,
    candidates,
    sentence_features,
    sentence_model_from_json,
    sentences_of,
)
from cleaner.order.splices import SpliceModel
from cleaner.text import ends_sentence, sentence_spans, split_sentences

MODEL_PATH = Path(__file__).resolve().parents[2] / "cleaner" / "data" / "sentence_model.json"
DONOR_MIN_WORDS = 8
RANDOM_DONORS = 3
TOPIC_DONORS = 3
SEED = "sentence-splice-1"

Lines = list[list[str]]  # an article's paragraphs, each a list of lines


def lines_of(article: Article) -> Lines:
    return [p.split("\n") for p in article.paragraphs]


def donor_sentence(donor: Article, rng: random.Random) -> str:
    """A sentence of at least :data:`DONOR_MIN_WORDS` words of the donor that ends like one
    (any, if none does)."""
    found = [s for p in donor.paragraphs for line in p.split("\n") for s in split_sentences(line)]
    complete = [s for s in found if ends_sentence(s)] or found
    long = [s for s in complete if len(s.split()) >= DONOR_MIN_WORDS]
    pool = long or complete
    return pool[rng.randrange(len(pool))]


def splice_sentence(paras: Lines, sentence: str, rng: random.Random) -> tuple[Lines, int] | None:
    """``paras`` with ``sentence`` inserted at a seeded sentence boundary of a seeded line (the
    line's start, or after a piece that ends a sentence), and
    the sentence's index in :func:`~cleaner.order.sentences.sentences_of`; None when the
    inserted sentence does not come out as one sentence of its own."""
    p = rng.randrange(len(paras))
    k = rng.randrange(len(paras[p]))
    line = paras[p][k]
    pieces = [line[a:b] for a, b in sentence_spans(line)]
    boundaries = [0] + [j for j in range(1, len(pieces) + 1) if ends_sentence(pieces[j - 1])]
    pos = boundaries[rng.randrange(len(boundaries))]
    new = [list(lines) for lines in paras]
    new[p][k] = " ".join([*pieces[:pos], sentence, *pieces[pos:]])
    for index, s in enumerate(sentences_of(new)):
        if (s.para, s.line) == (p, k) and s.text == sentence:
            return new, index
    return None


def example(paras: Lines, title: str | None, spliced: int | None, model: SpliceModel) -> Example:
    """The candidates' rows, and the spliced sentence's place among them (None: in order)."""
    sentences = sentences_of(paras)
    chosen = candidates(sentences)
    rows = sentence_features(sentences, title, model) if chosen else []
    target = chosen.index(spliced) if spliced is not None and spliced in chosen else None
    return Example([rows[k] for k in chosen], target)


def spliced_examples(
    article: Article, donors: Sequence[Article], rng: random.Random, model: SpliceModel
) -> list[Example]:
    found = []
    for donor in donors:
        made = splice_sentence(lines_of(article), donor_sentence(donor, rng), rng)
        if made is not None:
            found.append(example(made[0], article.title, made[1], model))
    return [e for e in found if e.spliced is not None]


def training_examples(
    articles: list[Article], model: SpliceModel
) -> tuple[list[Example], list[Example]]:
    """(examples to fit on, in-order texts to set the threshold on)."""
    rng = random.Random(SEED)
    near = nearest(articles, TOPIC_DONORS)
    fit_on: list[Example] = []
    clean: list[Example] = []
    for i, article in enumerate(articles):
        base = example(lines_of(article), article.title, None, model)
        others = [
            articles[(i + 1 + rng.randrange(len(articles) - 1)) % len(articles)]
            for _ in range(RANDOM_DONORS)
        ]
        donors = others + [articles[j] for j in near[i]]
        fit_on += [base, *spliced_examples(article, donors, rng, model)]
        runs = [example(lines_of(w), w.title, None, model) for w in windows(article, rng)]
        clean += [base, *runs]
    return [e for e in fit_on if e.rows], [e for e in clean if e.rows]


def model_dict(
    fitted: tuple[float, list[float]],
    limit: float,
    df: dict[str, int],
    articles: list[Article],
    counts: tuple[int, int],
) -> dict[str, Any]:
    return splice_train.model_dict(
        *fitted, limit, df, articles, counts, features=SENTENCE_FEATURES, seed=SEED
    )


def build() -> dict[str, Any]:
    everything = articles_of("train")
    df = document_frequency(everything)
    articles = [a for a in everything if MIN_UNITS <= len(a.paragraphs) <= MAX_UNITS]
    zero = (0.0, [0.0] * len(SENTENCE_FEATURES))
    features_only = sentence_model_from_json(model_dict(zero, 0.0, df, everything, (0, 0)))
    fit_on, clean = training_examples(articles, features_only)
    fitted = fit(fit_on)
    scorer = sentence_model_from_json(model_dict(fitted, 0.0, df, everything, (0, 0)))
    counts = (len(fit_on), len(clean))
    return model_dict(fitted, threshold(scorer, clean), df, everything, counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    return write_or_check(MODEL_PATH, render(build()), check=args.check, label="sentence model")


if __name__ == "__main__":
    sys.exit(main())
