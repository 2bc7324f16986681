"""Train the splice scorer of the order stage (``cleaner/data/splice_model.json``).

    python -m bench.order.splice_train            # writes the model file
    python -m bench.order.splice_train --check    # exit 1 if the written file would differ
    python -m bench.order.splice_train --embed    # the model with embedding features
    python -m bench.order.splice_train --crossfit # train-split recall of embedding feature sets

Self-supervised, on the training split only (:mod:`bench.order.data`; the held-out and the
untuned articles are never read here). Every training article of 3-25 paragraphs gives one
clean example and :data:`RANDOM_DONORS` + :data:`TOPIC_DONORS` spliced ones: a paragraph of
at least eight words of another training article (a random one, and each of the
:data:`TOPIC_DONORS` articles sharing most content words with it, the hard case) inserted at a
seeded place. Features are :func:`cleaner.order.splices.splice_features`. The model is a
conditional logit fitted by Newton's method in pure Python: per article, a softmax over its
units and a "none of them" option, so the weights learn which unit of an article came from
elsewhere, not how unusual a unit is in general. Features are standardised during the fit and
the scale folded back, so the stage multiplies raw features.

The threshold: the highest-scoring unit of an article is flagged when its score passes it.
It is set so that at most :data:`FALSE_FLAG_RATE` of the in-order training texts get a flag:
the clean articles and, for a steadier tail, :data:`WINDOWS` random runs of 4 or more
consecutive paragraphs of each (each an in-order text too).

The word rarities (IDF) come from the same training articles: the number of articles each
content-word stem is in, for the stems in at least :data:`DF_MIN` of them.

With ``--embed`` the same examples also carry :data:`cleaner.order.splices.EMBED_FEATURES`
(the extra ``cleaner-news[embed]`` must be installed) and the model goes to
``cleaner/data/splice_model_embed.json``. ``--crossfit`` is how those features were chosen:
for each candidate set, two folds of the training articles (even and odd places), each fitted
and thresholded on one fold and scored on the other; it writes nothing.

Deterministic (seeded, sorted, rounded), so the file is reproduced byte for byte.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.order.data import SPLIT_RULE, Article, articles_of, ids_digest
from bench.order.train import render, solve, write_or_check
from cleaner.order.features import analyse
from cleaner.order.splices import (
    EMBED_CANDIDATES,
    EMBED_FEATURES,
    SPLICE_FEATURES,
    SpliceModel,
    jaccard,
    splice_features,
    splice_model_from_json,
)
from cleaner.text import stems

MODEL_PATH = Path(__file__).resolve().parents[2] / "cleaner" / "data" / "splice_model.json"
EMBED_MODEL_PATH = MODEL_PATH.with_name("splice_model_embed.json")
MIN_UNITS, MAX_UNITS = 3, 25  # the texts the stage judges
DONOR_MIN_WORDS = 8
RANDOM_DONORS = 3
TOPIC_DONORS = 3
WINDOWS = 3
WINDOW_MIN = 4
FALSE_FLAG_RATE = 0.02
DF_MIN = 2
L2 = 1.0
NEWTON_STEPS = 20
MAX_STEP = 5.0  # a Newton step longer than this (in standardised units) is shortened
DIGITS = 6
SEED = "splice-1"


@dataclass(frozen=True, slots=True)
class Example:
    """One text: each unit's features, and which unit was spliced in (None: in order)."""

    rows: list[list[float]]
    spliced: int | None


def document_frequency(articles: Sequence[Article]) -> dict[str, int]:
    counts = Counter(s for a in articles for s in set(stems(" ".join(a.paragraphs))))
    return {s: c for s, c in sorted(counts.items()) if c >= DF_MIN}


def nearest(articles: Sequence[Article], k: int) -> list[list[int]]:
    """For each article, the k others sharing most content words (Jaccard), best first."""
    vocab = [set(stems(" ".join(a.paragraphs))) for a in articles]
    return [
        [j for _, j in sorted((-jaccard(mine, o), j) for j, o in enumerate(vocab) if j != i)[:k]]
        for i, mine in enumerate(vocab)
    ]


def donor_paragraph(donor: Article, rng: random.Random) -> str:
    long = [p for p in donor.paragraphs if len(p.split()) >= DONOR_MIN_WORDS]
    candidates = long or list(donor.paragraphs)
    return candidates[rng.randrange(len(candidates))]


def example(
    paras: Sequence[str], title: str | None, spliced: int | None, model: SpliceModel
) -> Example:
    return Example(splice_features(analyse(list(paras), title), title, model), spliced)


def spliced_examples(
    article: Article, donors: list[Article], rng: random.Random, model: SpliceModel
) -> list[Example]:
    found = []
    for donor in donors:
        where = rng.randrange(1, len(article.paragraphs) + 1)
        paras = [
            *article.paragraphs[:where],
            donor_paragraph(donor, rng),
            *article.paragraphs[where:],
        ]
        found.append(example(paras, article.title, where, model))
    return found


def windows(article: Article, rng: random.Random) -> list[Article]:
    """Runs of consecutive paragraphs: more in-order texts for the threshold's tail."""
    n = len(article.paragraphs)
    if n <= WINDOW_MIN:
        return []
    runs = []
    for _ in range(WINDOWS):
        size = rng.randint(WINDOW_MIN, n - 1)
        start = rng.randint(0, n - size)
        runs.append(
            Article(
                article.corpus, article.id, article.title, article.paragraphs[start : start + size]
            )
        )
    return runs


def training_examples(
    articles: list[Article], model: SpliceModel
) -> tuple[list[Example], list[Example]]:
    """(examples to fit on, in-order texts to set the threshold on)."""
    rng = random.Random(SEED)
    near = nearest(articles, TOPIC_DONORS)
    fit_on: list[Example] = []
    clean: list[Example] = []
    for i, article in enumerate(articles):
        base = example(article.paragraphs, article.title, None, model)
        fit_on.append(base)
        clean.append(base)
        others = [
            articles[(i + 1 + rng.randrange(len(articles) - 1)) % len(articles)]
            for _ in range(RANDOM_DONORS)
        ]
        fit_on += spliced_examples(article, others + [articles[j] for j in near[i]], rng, model)
        clean += [example(w.paragraphs, w.title, None, model) for w in windows(article, rng)]
    return fit_on, clean


def standardiser(examples: list[Example]) -> tuple[list[float], list[float]]:
    rows = [r for e in examples for r in e.rows]
    d = len(rows[0])
    mean = [math.fsum(r[k] for r in rows) / len(rows) for k in range(d)]
    sd = [
        math.sqrt(math.fsum((r[k] - mean[k]) ** 2 for r in rows) / len(rows)) or 1.0
        for k in range(d)
    ]
    return mean, sd


def _options(example: Example, mean: list[float], sd: list[float]) -> tuple[list[list[float]], int]:
    """The softmax's options for one text: each unit (0, x...) and "none" (1, 0...)."""
    d = len(mean)
    vectors = [[0.0, *((r[k] - mean[k]) / sd[k] for k in range(d))] for r in example.rows]
    vectors.append([1.0] + [0.0] * d)
    return vectors, len(example.rows) if example.spliced is None else example.spliced


def _accumulate(
    w: list[float],
    vectors: list[list[float]],
    target: int,
    grad: list[float],
    hess: list[list[float]],
) -> None:
    """Add one text's gradient and Hessian of the log-likelihood (Hessian negated)."""
    scores = [sum(a * b for a, b in zip(w, v, strict=True)) for v in vectors]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    probs = [e / total for e in exps]
    size = len(w)
    expected = [sum(p * v[i] for p, v in zip(probs, vectors, strict=True)) for i in range(size)]
    for i in range(size):
        grad[i] += vectors[target][i] - expected[i]
    for p, v in zip(probs, vectors, strict=True):
        for i in range(size):
            if v[i]:
                pv = p * v[i]
                row = hess[i]
                for j in range(size):
                    row[j] += pv * v[j]
    for i in range(size):
        for j in range(size):
            hess[i][j] -= expected[i] * expected[j]


def fit(examples: list[Example]) -> tuple[float, list[float]]:
    """(bias, weights) of the conditional logit, on the raw feature scale."""
    mean, sd = standardiser(examples)
    texts = [_options(e, mean, sd) for e in examples]
    size = len(mean) + 1
    w = [0.0] * size
    for _ in range(NEWTON_STEPS):
        grad = [-L2 * wk if k else 0.0 for k, wk in enumerate(w)]
        hess = [[(L2 if k else 1e-3) if k == j else 0.0 for j in range(size)] for k in range(size)]
        for vectors, target in texts:
            _accumulate(w, vectors, target, grad, hess)
        step = solve(hess, grad)
        norm = math.sqrt(sum(x * x for x in step))
        if norm > MAX_STEP:
            step = [x * MAX_STEP / norm for x in step]
        w = [a + b for a, b in zip(w, step, strict=True)]
    weights = [w[k + 1] / sd[k] for k in range(len(mean))]
    # A unit is flagged when its score passes the "none" option's: fold that into the bias.
    bias = -math.fsum(w[k + 1] * mean[k] / sd[k] for k in range(len(mean))) - w[0]
    return bias, weights


def top_score(model: SpliceModel, rows: list[list[float]]) -> float:
    return max(model.score(row) for row in rows)


def threshold(model: SpliceModel, clean: list[Example]) -> float:
    """The lowest threshold that flags at most FALSE_FLAG_RATE of the in-order texts."""
    tops = sorted((top_score(model, e.rows) for e in clean), reverse=True)
    allowed = int(FALSE_FLAG_RATE * len(tops))
    return round(tops[allowed], DIGITS) + 10.0**-DIGITS


def model_dict(
    bias: float,
    weights: list[float],
    limit: float,
    df: dict[str, int],
    articles: list[Article],
    counts: tuple[int, int],
    *,
    features: tuple[str, ...] = SPLICE_FEATURES,
    seed: str = SEED,
) -> dict[str, Any]:
    """A model file's content (the sentence scorer's too, with its ``features`` and ``seed``)."""
    return {
        "features": list(features),
        "weights": {n: round(w, DIGITS) for n, w in zip(features, weights, strict=True)},
        "bias": round(bias, DIGITS),
        "threshold": round(limit, DIGITS),
        "docs": len(articles),
        "df": df,
        "training": {
            "articles": len(articles),
            "ids_digest": ids_digest(articles),
            "split": SPLIT_RULE,
            "examples": counts[0],
            "in_order_texts": counts[1],
            "false_flag_rate": FALSE_FLAG_RATE,
            "seed": seed,
        },
    }


def _unfitted(df: dict[str, int], everything: list[Article], names: tuple[str, ...]) -> SpliceModel:
    """A model of zero weights: what the features need (the word counts, which features)."""
    data = model_dict(0.0, [0.0] * len(names), 0.0, df, everything, (0, 0), features=names)
    return splice_model_from_json(data, features=names)


@dataclass(frozen=True, slots=True)
class TrainingSet:
    df: dict[str, int]
    everything: list[Article]  # every training article (the word counts' documents)
    judged: list[Article]  # those of 3-25 paragraphs
    fit_on: list[Example]
    clean: list[Example]


def training_set(names: tuple[str, ...]) -> TrainingSet:
    everything = articles_of("train")
    df = document_frequency(everything)
    judged = [a for a in everything if MIN_UNITS <= len(a.paragraphs) <= MAX_UNITS]
    fit_on, clean = training_examples(judged, _unfitted(df, everything, names))
    return TrainingSet(df, everything, judged, fit_on, clean)


def build(*, names: tuple[str, ...] = SPLICE_FEATURES) -> dict[str, Any]:
    data = training_set(names)
    bias, weights = fit(data.fit_on)
    unset = model_dict(bias, weights, 0.0, data.df, data.everything, (0, 0), features=names)
    limit = threshold(splice_model_from_json(unset, features=names), data.clean)  # rounded weights
    counts = (len(data.fit_on), len(data.clean))
    return model_dict(bias, weights, limit, data.df, data.everything, counts, features=names)


# The feature sets --crossfit compares (the base features are always in).
CANDIDATE_SETS: dict[str, tuple[str, ...]] = {
    "base": (),
    "title+rest+neighbour": ("emb_title", "emb_rest", "emb_neighbour"),
    "three + z": (
        "emb_title", "emb_rest", "emb_neighbour", "emb_title_z", "emb_rest_z", "emb_neighbour_z"
    ),
    "all": EMBED_CANDIDATES,
}


KINDS = ("random", "topic")


def _columns(examples: list[Example], keep: list[int]) -> list[Example]:
    return [Example([[r[k] for k in keep] for r in e.rows], e.spliced) for e in examples]


def _recall(model: SpliceModel, examples: list[Example]) -> float:
    """The share of spliced examples whose splice is the top unit and passes the threshold."""
    hits = 0
    for e in examples:
        scores = [model.score(row) for row in e.rows]
        best = max(range(len(scores)), key=lambda k: (scores[k], -k))
        hits += best == e.spliced and scores[best] > model.threshold
    return hits / len(examples)


def _owners(data: TrainingSet) -> tuple[list[int], list[int], list[str]]:
    """Which article each fit example and each clean text came from, and each fit example's
    kind (clean, random or topic donor)."""
    per_fit = 1 + RANDOM_DONORS + TOPIC_DONORS
    fit_owner = [i for i in range(len(data.judged)) for _ in range(per_fit)]
    per_clean = [1 + (WINDOWS if len(a.paragraphs) > WINDOW_MIN else 0) for a in data.judged]
    clean_owner = [i for i, k in enumerate(per_clean) for _ in range(k)]
    kinds = ["clean", *["random"] * RANDOM_DONORS, *["topic"] * TOPIC_DONORS] * len(data.judged)
    return fit_owner, clean_owner, kinds


def _fold(data: TrainingSet, keep: list[int], fold: int) -> tuple[float, float, float]:
    """(random recall, topic recall, false flags) fitted on one fold, scored on the other."""
    fit_owner, clean_owner, kinds = _owners(data)
    fits, cleans = _columns(data.fit_on, keep), _columns(data.clean, keep)
    bias, weights = fit([e for e, o in zip(fits, fit_owner, strict=True) if o % 2 == fold])
    mine = [e for e, o in zip(cleans, clean_owner, strict=True) if o % 2 == fold]
    limit = threshold(SpliceModel(tuple(weights), bias, 0.0, {}, 0), mine)
    model = SpliceModel(tuple(weights), bias, limit, {}, 0)
    other = [(e, k) for e, o, k in zip(fits, fit_owner, kinds, strict=True) if o % 2 != fold]
    theirs = [e for e, o in zip(cleans, clean_owner, strict=True) if o % 2 != fold]
    false = sum(top_score(model, e.rows) > limit for e in theirs) / len(theirs)
    random_, topic = (_recall(model, [e for e, k in other if k == kind]) for kind in KINDS)
    return random_, topic, false


def crossfit_report() -> list[str]:
    """Two-fold train-split recall (random, same-topic donors) and false flags per set."""
    data = training_set((*SPLICE_FEATURES, *EMBED_CANDIDATES))
    base = list(range(len(SPLICE_FEATURES)))
    lines = []
    for name, extra in CANDIDATE_SETS.items():
        keep = base + [len(SPLICE_FEATURES) + EMBED_CANDIDATES.index(c) for c in extra]
        folds = [_fold(data, keep, fold) for fold in (0, 1)]
        r, t, f = ((a + b) / 2 for a, b in zip(*folds, strict=True))
        lines.append(f"{name:<22} random {r:.3f}  topic {t:.3f}  false flags {f:.3f}")
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    parser.add_argument("--embed", action="store_true", help="the model with embeddings")
    parser.add_argument("--crossfit", action="store_true", help="compare embedding features")
    args = parser.parse_args(argv)
    if args.crossfit:
        crossfit_report()
        return 0
    path, names = MODEL_PATH, SPLICE_FEATURES
    if args.embed:
        path, names = EMBED_MODEL_PATH, (*SPLICE_FEATURES, *EMBED_FEATURES)
    label = "splice model" + (" (embed)" if args.embed else "")
    return write_or_check(path, render(build(names=names)), check=args.check, label=label)


if __name__ == "__main__":
    sys.exit(main())
