"""Train the order stage's pairwise model and calibrate its thresholds.

    python -m bench.order.train            # writes cleaner/data/order_model.json
    python -m bench.order.train --check    # exit 1 if the written file would differ

Self-supervised: every ordered gold article of the training split (:mod:`bench.order.data`:
WCXB dev ids % 5 in {1, 2, 3} and the training half of the ScrapingHub gold)
gives, for each pair of its paragraphs (i before j), the example "i precedes j". Features are
:func:`cleaner.order.features.features`; they are antisymmetric, so a logistic regression with
no bias fits P(i before j) directly. Three features read a *lexicon* learned from the same
articles: the mean relative position of the paragraphs each word stem, and each first word,
occurs in, and a *position regressor* (:func:`learn_positions`: ridge least squares of a
paragraph's relative position on its sparse cues, solved by conjugate gradient); for fitting
the weights, each half of the articles gets the lexicon of the other half (cross-fitting), so
the weights do not trust a lexicon that has seen their examples. The shipped lexicon is
learned on all training articles. The regression is fitted with Newton's
method in pure Python (numpy is not a dependency of the project), features scaled by their RMS
during the fit and the scale folded back into the weights, so the stage multiplies raw
features.

Then, with those weights, the thresholds of the stage are calibrated on the same training
articles (never on the held-out or untuned ones):

* ``gate``: the model-agreement z-score below which an article without hard evidence counts
  as scrambled: :data:`GATE_MARGIN` below the lowest z of any in-order training article
  (in-order articles must stay untouched; scored with the other fold's lexicon);
* ``cohesion``: the weight of adjacent units' cohesion in the search, the one whose global
  order best restores shuffled training articles (:func:`calibrate_cohesion`);

The splice scorer has a file and a script of its own (:mod:`bench.order.splice_train`).

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
from bench.order.metrics import kendall_tau
from cleaner.order.features import (
    FEATURE_NAMES,
    Lexicon,
    analyse,
    features,
    opener,
    unit_cues,
)
from cleaner.order.model import logit_matrix, model_from_json
from cleaner.order.search import Scorer, cohesion_matrix, global_order, z_score
from cleaner.order.stage import MAX_UNITS, MIN_UNITS
from cleaner.text import stems

MODEL_PATH = Path(__file__).resolve().parents[2] / "cleaner" / "data" / "order_model.json"
MAX_PAIRS_PER_DOC = 300  # long articles would otherwise dominate the fit
L2 = 1.0  # ridge penalty on the scaled weights
NEWTON_STEPS = 12
DIGITS = 6  # weights are rounded so the file is byte-stable
GATE_MARGIN = 0.5  # z units below the lowest in-order training article
SEED = 4
LEXICON_PRIOR = 5.0
LEXICON_MIN_DOCS = 8
FOLDS = 2  # the lexicon used for fitting weights comes from the other fold (no leak)
CUE_MIN_DOCS = 5  # a regressor cue must occur in this many training articles
CUE_RIDGE = 3.0  # ridge penalty of the position regressor
CUE_STEPS = 60  # conjugate-gradient steps of the ridge solve
CUE_DIGITS = 4
COHESION_GRID = (0.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)  # weight of adjacent cohesion in the search


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


Sparse = list[tuple[int, float]]


def learn_positions(articles: list[Article]) -> dict[str, float]:
    """The position regressor: ridge least squares of each paragraph's relative position
    (-0.5 first, +0.5 last) on its cues (:func:`cleaner.order.features.cues`), solved by
    conjugate gradient on the normal equations in pure Python. Cues of fewer than
    CUE_MIN_DOCS articles are left out: they would only memorise their article."""
    docs = [a for a in articles if len(a.paragraphs) >= 2]
    per_doc = [unit_cues(list(a.paragraphs), a.title) for a in docs]
    counts: dict[str, int] = {}
    for found in per_doc:
        for name in {n for unit in found for n, _ in unit}:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= CUE_MIN_DOCS)
    index = {n: k for k, n in enumerate(names)}
    rows: list[Sparse] = []
    targets: list[float] = []
    for found in per_doc:
        n = len(found)
        for k, unit in enumerate(found):
            rows.append([(index[name], value) for name, value in unit if name in index])
            targets.append(k / (n - 1) - 0.5)
    weights = _ridge(rows, targets, len(names))
    return {
        n: round(w, CUE_DIGITS) for n, w in zip(names, weights, strict=True) if round(w, CUE_DIGITS)
    }


def _ridge(rows: list[Sparse], targets: list[float], d: int) -> list[float]:
    """argmin |Xw - y|^2 + CUE_RIDGE |w|^2 by conjugate gradient (X sparse, given by rows)."""

    def normal(w: list[float]) -> list[float]:
        out = [CUE_RIDGE * x for x in w]
        for row in rows:
            dot = sum(w[k] * v for k, v in row)
            for k, v in row:
                out[k] += dot * v
        return out

    b = [0.0] * d
    for row, y in zip(rows, targets, strict=True):
        for k, v in row:
            b[k] += y * v
    w = [0.0] * d
    r = b[:]
    p = r[:]
    rr = sum(x * x for x in r)
    for _ in range(CUE_STEPS):
        if rr < 1e-12:
            break
        ap = normal(p)
        alpha = rr / sum(x * y for x, y in zip(p, ap, strict=True))
        w = [x + alpha * y for x, y in zip(w, p, strict=True)]
        r = [x - alpha * y for x, y in zip(r, ap, strict=True)]
        new = sum(x * x for x in r)
        p = [x + (new / rr) * y for x, y in zip(r, p, strict=True)]
        rr = new
    return w


def learn(articles: list[Article]) -> Lexicon:
    """Everything learned from articles besides the weights: word lexicon, position regressor."""
    lexicon = learn_lexicon(articles)
    return Lexicon(lexicon.words, lexicon.openers, learn_positions(articles))


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
        "lexicon": {
            "words": lexicon.words,
            "openers": lexicon.openers,
            "cues": lexicon.cues,
        },
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


def fold_units(folds: list[Fold]) -> list[tuple[Article, Lexicon]]:
    """Every judged training article with the lexicon that never saw it (honest scores)."""
    return [(a, lexicon) for inside, lexicon in folds for a in judged(inside)]


def calibrate_gate(folds: list[Fold], model: Any) -> dict[str, float]:
    """The z gate: below the lowest z of any in-order training article, by a margin."""
    lowest = min(
        z_score(logit_matrix(analyse(list(a.paragraphs), a.title, lexicon=lexicon), model))
        for a, lexicon in fold_units(folds)
    )
    return {"gate": round(lowest - GATE_MARGIN, 3)}


def _permuted(matrix: list[list[float]], order: list[int]) -> list[list[float]]:
    return [[matrix[a][b] for b in order] for a in order]


def calibrate_cohesion(folds: list[Fold], model: Any) -> dict[str, float]:
    """The weight of adjacent cohesion in the search: the one of COHESION_GRID whose global
    order of a fully shuffled training article (seeded) agrees best with the true order
    (mean Kendall tau; the lexicon of the other fold, so the figure is honest)."""
    cases = []
    for article, lexicon in fold_units(folds):
        units = analyse(list(article.paragraphs), article.title, lexicon=lexicon)
        order = list(range(len(units)))
        random.Random(f"{SEED}:{article.corpus}:{article.id}").shuffle(order)
        logits = _permuted(logit_matrix(units, model), order)
        cases.append((logits, _permuted(cohesion_matrix(units), order), order))
    best = (-2.0, 0.0)
    for weight in COHESION_GRID:
        taus = [
            kendall_tau([order[k] for k in global_order(Scorer(logits, cohesion, weight))[1]])
            for logits, cohesion, order in cases
        ]
        mean = sum(taus) / len(taus)
        if mean > best[0] + 1e-9:
            best = (mean, weight)
    return {"cohesion": best[1]}


Fold = tuple[list[Article], Lexicon]


def folds_of(train: list[Article]) -> list[Fold]:
    """Cross-fitting folds: each fold's articles with the lexicon learned on the others."""
    return [
        (
            [a for k, a in enumerate(train) if k % FOLDS == fold],
            learn([a for k, a in enumerate(train) if k % FOLDS != fold]),
        )
        for fold in range(FOLDS)
    ]


def build() -> dict[str, Any]:
    train = articles_of("train")
    folds = folds_of(train)
    rows = [
        r
        for inside, lexicon in folds
        for a in inside
        if len(a.paragraphs) >= 2
        for r in pairs_of(a, lexicon)
    ]
    weights = fit(rows)
    lexicon = learn(train)
    zero = {"gate": 0.0}
    model = model_from_json(model_dict(weights, zero, train, len(rows), lexicon))
    thresholds = {
        **calibrate_gate(folds, model),
        **calibrate_cohesion(folds, model),
    }
    return model_dict(weights, thresholds, train, len(rows), lexicon)


def render(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_or_check(path: Path, text: str, *, check: bool, label: str) -> int:
    """Write a model file, or with ``check`` say whether it is reproduced (exit 1 if not)."""
    if check:
        same = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{label} reproduced byte for byte" if same else f"{label} differs")
        return 0 if same else 1
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    return write_or_check(MODEL_PATH, render(build()), check=args.check, label="order model")


if __name__ == "__main__":
    sys.exit(main())
