"""Quick diagnostics of the order model without the pipeline (for developing the model).

    python -m bench.order.probe

Builds the model as ``bench.order.train`` does (without writing it) and prints, per split and
corpus: the share of paragraph pairs the model orders right, the model-agreement z-score of
in-order and of shuffled articles (quantiles: a gate on z can only catch shuffled articles
below the low quantiles of in-order ones), Kendall's tau and first-paragraph accuracy of the
global order found from a fully shuffled article, and for one seeded single-paragraph move the
share whose best single move (the search objective) restores the true order, with the best
single-move gain on in-order articles (what a confident-move margin must stay above). Articles
of 4-25 paragraphs, as in ``bench.order.evaluate``. Training articles are scored with the
lexicon of the other fold (cross-fitting), so their figures are honest. The untuned split is
never probed: nothing may be tuned on it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from typing import Any

from bench.order import train
from bench.order.data import Article, articles_of
from bench.order.evaluate import MAX_PARAS, MIN_PARAS
from bench.order.metrics import kendall_tau
from cleaner.order.features import Lexicon, analyse
from cleaner.order.model import Model, logit_matrix, model_from_json
from cleaner.order.search import Scorer, cohesion_matrix, global_order, z_score

SEED = "order-probe-1"
QUANTILES = (0.005, 0.01, 0.05, 0.5, 0.95, 0.99)


def scored(articles: list[tuple[Article, Lexicon]], model: Model) -> dict[str, Any]:
    right = total = 0
    z_in: list[float] = []
    z_shuf: list[float] = []
    taus: list[float] = []
    firsts: list[float] = []
    restored: list[float] = []
    still: list[float] = []
    for article, lexicon in articles:
        units = analyse(list(article.paragraphs), article.title, lexicon=lexicon)
        n = len(units)
        matrix = logit_matrix(units, model)
        right += sum(1 for i in range(n) for j in range(i + 1, n) if matrix[i][j] > 0)
        total += n * (n - 1) // 2
        z_in.append(z_score(matrix))
        cohesion_in = cohesion_matrix(units)
        still.append(Scorer(matrix, cohesion_in, model.cohesion).best_move(list(range(n)))[0])
        rng = random.Random(f"{SEED}:{article.id}")
        src = rng.randrange(n)
        dst = rng.choice([k for k in range(n) if k != src])
        one = list(range(n))
        one.insert(dst, one.pop(src))
        scorer = Scorer(_permuted(matrix, one), _permuted(cohesion_in, one), model.cohesion)
        moved = scorer.best_move(list(range(n)))[1]
        restored.append(float([one[k] for k in moved] == list(range(n))))
        order = list(range(n))
        rng.shuffle(order)
        shuffled = [[matrix[a][b] for b in order] for a in order]
        z_shuf.append(z_score(shuffled))
        cohesion = cohesion_matrix([units[k] for k in order])
        _, found = global_order(Scorer(shuffled, cohesion, model.cohesion))
        result = [order[k] for k in found]
        taus.append(kendall_tau(result))
        firsts.append(float(result[0] == 0))

    def quantiles(values: list[float]) -> str:
        ranked = sorted(values)
        return " ".join(f"{ranked[int(q * (len(ranked) - 1))]:.2f}" for q in QUANTILES)

    return {
        "articles": len(articles),
        "pairs_right": round(right / max(total, 1), 4),
        "z_in_order_q": quantiles(z_in),
        "z_shuffled_q": quantiles(z_shuf),
        "shuffled_global_tau": round(statistics.fmean(taus), 4),
        "shuffled_global_first": round(statistics.fmean(firsts), 4),
        "one_moved_best_move_restores": round(statistics.fmean(restored), 4),
        "in_order_best_move_gain_q": quantiles(still),
    }


def _permuted(matrix: list[list[float]], order: list[int]) -> list[list[float]]:
    return [[matrix[a][b] for b in order] for a in order]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    model = model_from_json(train.build())
    trained = articles_of("train")
    folds = train.fold_units(train.folds_of(trained))
    folds = [(a, lx) for a, lx in folds if MIN_PARAS <= len(a.paragraphs) <= MAX_PARAS]
    held = [a for a in articles_of("heldout") if MIN_PARAS <= len(a.paragraphs) <= MAX_PARAS]
    groups = {
        "train-crossfit-scrapinghub": [(a, lx) for a, lx in folds if a.corpus == "scrapinghub"],
        "train-crossfit-wcxb": [(a, lx) for a, lx in folds if a.corpus == "wcxb-dev"],
        "heldout-scrapinghub": [(a, model.lexicon) for a in held if a.corpus == "scrapinghub"],
        "heldout-wcxb": [(a, model.lexicon) for a in held if a.corpus == "wcxb-dev"],
    }
    print("weights", model.raw["weights"])
    print("thresholds", model.raw["thresholds"])
    for name, group in groups.items():
        print(name, scored(group, model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
