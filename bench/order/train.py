"""Train the order stage's pairwise model and calibrate its thresholds.

    python -m bench.order.train            # writes cleaner/data/order_model.json
    python -m bench.order.train --check    # exit 1 if the written file would differ

Self-supervised: every ordered gold article of the training split (:mod:`bench.order.data`)
gives, for each pair of its paragraphs (i before j), the example "i precedes j". Features are
:func:`cleaner.order_features.features`; they are antisymmetric, so a logistic regression with
no bias fits P(i before j) directly. Two features read a *lexicon* learned from the same
articles (the mean relative position of the paragraphs each word stem, and each first word,
occurs in); for fitting the weights, each half of the articles gets the lexicon of the other
half (cross-fitting), so the weights do not trust a lexicon that has seen their examples. The
shipped lexicon is learned on all training articles. The regression is fitted with Newton's
method in pure Python (numpy is not a dependency of the project), features scaled by their RMS
during the fit and the scale folded back into the weights, so the stage multiplies raw
features.

Then, with those weights, the thresholds of the stage are calibrated on the same training
articles (never on the held-out or untuned ones):

* ``gate``: the model-agreement z-score below which an article without hard evidence counts
  as scrambled: :data:`GATE_MARGIN` below the lowest z of any in-order training article
  (in-order articles must stay untouched);
* ``offtopic_words`` / ``offtopic_entities``: the pair that finds most paragraphs spliced in
  from another training article while flagging at most :data:`OFFTOPIC_FALSE_RATE` of the
  in-order training articles, and at least a minimum number of content words (a short unit
  says too little to judge).

Everything is deterministic (fixed seeds, sorted inputs, rounded output), so the file is
reproduced byte for byte.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path
from typing import Any

from bench.order.data import SPLIT_RULE, Article, articles_of, ids_digest
from cleaner.order import (
    MAX_UNITS,
    MIN_UNITS,
    drift,
    logit_matrix,
    model_from_json,
    z_score,
)
from cleaner.order_features import FEATURE_NAMES, Lexicon, analyse, features, opener, stems

MODEL_PATH = Path(__file__).resolve().parents[2] / "cleaner" / "data" / "order_model.json"
MAX_PAIRS_PER_DOC = 300  # long articles would otherwise dominate the fit
L2 = 1.0  # ridge penalty on the scaled weights
NEWTON_STEPS = 12
DIGITS = 6  # weights are rounded so the file is byte-stable
GATE_MARGIN = 0.5  # z units below the lowest in-order training article
OFFTOPIC_FALSE_RATE = 0.01
SEED = 4
WORD_GRID = tuple(round(0.02 * k, 2) for k in range(1, 26))
SIZE_GRID = (6, 8, 10, 12, 15)
LEXICON_PRIOR = 5.0
LEXICON_MIN_DOCS = 8
FOLDS = 2  # the lexicon used for fitting weights comes from the other fold (no leak)
NAME_GRID = tuple(round(0.05 * k, 2) for k in range(1, 21))


def learn_lexicon(articles: list[Article]) -> Lexicon:
    """Mean relative position of the units each stem / first word occurs in, shrunk towards
    the middle by LEXICON_PRIOR pseudo-counts; only words of LEXICON_MIN_DOCS articles or more."""
    sums: dict[str, list[float]] = {}
    openers: dict[str, list[float]] = {}
    for article in articles:
        n = len(article.paragraphs)
        if n < 2:
            continue
        seen: dict[str, list[float]] = {}
        first_seen: dict[str, list[float]] = {}
        for k, para in enumerate(article.paragraphs):
            rel = k / (n - 1) - 0.5
            for stem in set(stems(para)):
                seen.setdefault(stem, []).append(rel)
            first_seen.setdefault(opener(para), []).append(rel)
        for table, found in ((sums, seen), (openers, first_seen)):
            for word, values in found.items():
                entry = table.setdefault(word, [0.0, 0.0])
                entry[0] += sum(values) / len(values)
                entry[1] += 1

    def shrink(table: dict[str, list[float]]) -> dict[str, float]:
        return {
            word: round(total / (count + LEXICON_PRIOR), 4)
            for word, (total, count) in sorted(table.items())
            if count >= LEXICON_MIN_DOCS and word
        }

    return Lexicon(shrink(sums), shrink(openers))


def pairs_of(article: Article, lexicon: Lexicon) -> list[tuple[float, ...]]:
    """Feature vectors of (earlier, later) paragraph pairs, at most MAX_PAIRS_PER_DOC."""
    units = analyse(list(article.paragraphs), article.title, lexicon=lexicon)
    n = len(units)
    all_pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    step = max(1, math.ceil(len(all_pairs) / MAX_PAIRS_PER_DOC))
    return [features(units[i], units[j]) for i, j in all_pairs[::step]]


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and well conditioned)."""
    n = len(vector)
    a = [[*row[:], vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(rows: list[tuple[float, ...]]) -> list[float]:
    """Logistic regression without bias, every row labelled 1 (its mirror image is the 0)."""
    d = len(rows[0])
    scale = [math.sqrt(sum(r[k] ** 2 for r in rows) / len(rows)) or 1.0 for k in range(d)]
    xs = [[r[k] / scale[k] for k in range(d)] for r in rows]
    w = [0.0] * d
    for _ in range(NEWTON_STEPS):
        grad = [-L2 * wk for wk in w]
        hess = [[L2 if i == j else 0.0 for j in range(d)] for i in range(d)]
        for x in xs:
            z = sum(wk * xk for wk, xk in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            g = 1.0 - p
            s = p * (1.0 - p)
            for i in range(d):
                xi = x[i]
                if xi == 0.0:
                    continue
                grad[i] += g * xi
                row = hess[i]
                sxi = s * xi
                for j in range(i, d):
                    row[j] += sxi * x[j]
        for i in range(d):
            for j in range(i):
                hess[i][j] = hess[j][i]
        step = solve(hess, grad)
        w = [wk + sk for wk, sk in zip(w, step, strict=True)]
    return [round(wk / scale[k], DIGITS) for k, wk in enumerate(w)]


def model_dict(
    weights: list[float],
    thresholds: dict[str, float | int],
    train: list[Article],
    n_pairs: int,
    lexicon: Lexicon,
) -> dict[str, Any]:
    return {
        "features": list(FEATURE_NAMES),
        "lexicon": {"words": lexicon.words, "openers": lexicon.openers},
        "weights": dict(zip(FEATURE_NAMES, weights, strict=True)),
        "thresholds": thresholds,
        "training": {
            "split": SPLIT_RULE,
            "articles": len(train),
            "ids_sha256": ids_digest(train),
            "pairs": n_pairs,
            "max_pairs_per_doc": MAX_PAIRS_PER_DOC,
            "l2": L2,
        },
        "about": "pairwise precedence model of cleaner.order; rebuild with make train-order",
    }


def judged(articles: list[Article]) -> list[Article]:
    return [a for a in articles if MIN_UNITS <= len(a.paragraphs) <= MAX_UNITS]


def calibrate_gate(articles: list[Article], model: Any) -> dict[str, float]:
    """The z gate: below the lowest z of any in-order training article, by a margin."""
    lowest = min(
        z_score(logit_matrix(analyse(list(a.paragraphs), a.title, lexicon=model.lexicon), model))
        for a in judged(articles)
    )
    return {"gate": round(lowest - GATE_MARGIN, 3)}


def calibrate_offtopic(articles: list[Article]) -> dict[str, float | int]:
    """Thresholds on (word share, name share) from clean and spliced training articles."""
    rng = random.Random(SEED)
    docs = judged(articles)
    clean_drift = [drift(analyse(list(a.paragraphs), a.title), a.title) for a in docs]
    spliced_drift: list[tuple[float, float, int]] = []
    for k, article in enumerate(docs):
        donor = docs[(k + 1 + rng.randrange(len(docs) - 1)) % len(docs)]
        para = donor.paragraphs[rng.randrange(len(donor.paragraphs))]
        where = rng.randrange(1, len(article.paragraphs) + 1)
        paras = [*article.paragraphs[:where], para, *article.paragraphs[where:]]
        spliced_drift.append(drift(analyse(paras, article.title), article.title)[where])
    best = (0.0, 0.0, 0.0, 0)
    for size in SIZE_GRID:
        for wt in WORD_GRID:
            for nt in NAME_GRID:

                def flags(
                    d: tuple[float, float, int], wt: float = wt, nt: float = nt, size: int = size
                ) -> bool:
                    return d[2] >= size and d[0] < wt and d[1] < nt

                false_rate = sum(any(flags(d) for d in doc) for doc in clean_drift) / len(docs)
                if false_rate > OFFTOPIC_FALSE_RATE:
                    continue
                recall = sum(flags(d) for d in spliced_drift) / len(spliced_drift)
                if recall > best[0]:
                    best = (recall, wt, nt, size)
    return {"offtopic_words": best[1], "offtopic_entities": best[2], "offtopic_min_stems": best[3]}


def build() -> dict[str, Any]:
    train = articles_of("train")
    rows: list[tuple[float, ...]] = []
    for fold in range(FOLDS):
        inside = [a for k, a in enumerate(train) if k % FOLDS == fold]
        outside = [a for k, a in enumerate(train) if k % FOLDS != fold]
        lexicon = learn_lexicon(outside)
        rows += [r for a in inside if len(a.paragraphs) >= 2 for r in pairs_of(a, lexicon)]
    weights = fit(rows)
    lexicon = learn_lexicon(train)
    zero = {"gate": 0.0, "offtopic_words": 0.0, "offtopic_entities": 0.0, "offtopic_min_stems": 0}
    model = model_from_json(model_dict(weights, zero, train, len(rows), lexicon))
    thresholds = {**calibrate_gate(train, model), **calibrate_offtopic(train)}
    return model_dict(weights, thresholds, train, len(rows), lexicon)


def render(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        same = MODEL_PATH.exists() and MODEL_PATH.read_text(encoding="utf-8") == text
        print("order model reproduced byte for byte" if same else "order model differs")
        return 0 if same else 1
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH}")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
