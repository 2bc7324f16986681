"""Fit the learned noise-block classifier and write ``bench/noise_model/noise_model.json``.

    /tmp/probe/bin/python -m bench.noise_model.train [--no-write] [--sample N]

Training data (text corpora, ``../shared/data/text-corpora``): each input of
``{scrapinghub,wcxb-dev}/{seed-style,naive-text}/<id>.txt`` is split with
``cleaner.extract.text_blocks``; a block is KEEP when its text is a line of the gold text, or a
word-bounded substring of a gold line (naive scrapers break lines mid-sentence at links), else
DROP. The gold texts themselves are also fed back as inputs (every block KEEP), so the model
learns to leave clean text alone. WCXB ids divisible by 5 are the held-out split and are never
read here. Cross-validation is group 5-fold by document (all variants of one page stay in one
fold). scikit-learn is needed only here, never at run time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Any

from bench.corpora import data_dir
from bench.noise_model.features import FEATURE_NAMES, block_vectors
from bench.noise_model.model import NoiseModel
from cleaner.extract import text_blocks

DATA = data_dir() / "text-corpora"
CORPORA = ("scrapinghub", "wcxb-dev")
VARIANTS = ("seed-style", "naive-text")
GOLD_VARIANT = "gold"
MODEL_PATH = Path(__file__).resolve().parent / "noise_model.json"
FOLDS = 5
SEED = 0
THRESHOLD = 0.5
C = 1.0
WEIGHTING = os.environ.get("NOISE_WEIGHTING", "none")  # "none" or "sqrt" (see sample_weights)
CACHE = Path("/tmp/noise_model_train_features.pkl")


def held_out(corpus: str, doc_id: str) -> bool:
    """WCXB ids divisible by 5 form the held-out split: no model may be fitted on them."""
    return corpus == "wcxb-dev" and int(doc_id) % 5 == 0


def load_gold(corpus: str) -> dict[str, dict[str, Any]]:
    with (DATA / corpus / "gold.json").open(encoding="utf-8") as f:
        gold: dict[str, dict[str, Any]] = json.load(f)
    return gold


@dataclass(frozen=True)
class Item:
    """One input document to featurise: which page, which variant, its text and gold text."""

    corpus: str
    doc_id: str
    variant: str
    text: str
    gold: str

    @property
    def group(self) -> str:
        return f"{self.corpus}/{self.doc_id}"


def items(corpora: tuple[str, ...] = CORPORA, *, train: bool = True) -> Iterator[Item]:
    """Inputs in sorted order; ``train`` selects training docs, else only held-out WCXB docs."""
    for corpus in corpora:
        gold = load_gold(corpus)
        for doc_id in sorted(gold):
            if held_out(corpus, doc_id) == train:
                continue
            gold_text = gold[doc_id]["text"] or ""
            for variant in VARIANTS:
                path = DATA / corpus / variant / f"{doc_id}.txt"
                if path.exists():
                    yield Item(corpus, doc_id, variant, path.read_text("utf-8"), gold_text)
            yield Item(corpus, doc_id, GOLD_VARIANT, gold_text, gold_text)


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> str:
    """A line as its lowercase word tokens joined by spaces. Matching on tokens ignores what the
    metric ignores too (punctuation, typographic quotes: "doesn’t" in the page, "doesn't" in the
    WCXB gold), which plain string matching got wrong for about a tenth of WCXB's article text.
    """
    return " ".join(_WORD.findall(text.lower()))


def labels(texts: list[str], gold: str) -> list[int]:
    """1 = KEEP when the block is a gold line or a word-bounded part of one, else 0 = DROP.

    Both sides are compared as token sequences (see :func:`_tokens`); a block without any word
    (a lone bullet or bar) is DROP, as it adds nothing to the text.
    """
    gold_lines = [t for t in map(_tokens, gold.split("\n")) if t]
    line_set = set(gold_lines)
    joined = "\n" + "\n".join(gold_lines) + "\n"
    out = []
    for text in map(_tokens, texts):
        if not text:
            out.append(0)
            continue
        bounded = r"[\n ]" + re.escape(text) + r"[\n ]"
        out.append(1 if text in line_set or re.search(bounded, joined) else 0)
    return out


@dataclass
class Featurised:
    """One input document's blocks, paragraphs, feature rows and labels."""

    item: Item
    texts: list[str]
    paras: list[int]
    rows: list[list[float]]
    labels: list[int]


def featurise(item: Item) -> Featurised:
    blocks = text_blocks(item.text)
    texts = [b.text for b in blocks]
    paras = [b.para for b in blocks]
    rows = block_vectors(texts, paras, None)  # text mode: no title is known
    ys = [1] * len(texts) if item.variant == GOLD_VARIANT else labels(texts, item.gold)
    return Featurised(item, texts, paras, rows, ys)


def featurise_all(selected: list[Item], processes: int = 2) -> list[Featurised]:
    with Pool(processes) as pool:
        return pool.map(featurise, selected, chunksize=8)


def fold_of(groups: list[str], n_folds: int = FOLDS) -> dict[str, int]:
    """Deterministic group -> fold assignment (sklearn GroupKFold over the sorted groups)."""
    from sklearn.model_selection import GroupKFold  # type: ignore[import-untyped]

    unique = sorted(set(groups))
    folds: dict[str, int] = {}
    for k, (_, test) in enumerate(GroupKFold(n_splits=n_folds).split(unique, groups=unique)):
        for i in test:
            folds[unique[i]] = k
    return folds


def fit(
    rows: list[list[float]], ys: list[int], weights: list[float] | None = None
) -> tuple[NoiseModel, str]:
    """Standardise + logistic regression; returns the pure-Python model and sklearn version."""
    import numpy as np
    import sklearn  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

    x = np.asarray(rows, dtype=float)
    y = np.asarray(ys)
    scaler = StandardScaler().fit(x)
    scales = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    clf = LogisticRegression(C=C, max_iter=5000, random_state=SEED)
    clf.fit((x - scaler.mean_) / scales, y, sample_weight=weights)
    model = NoiseModel(
        feature_names=FEATURE_NAMES,
        means=tuple(round(float(v), 10) for v in scaler.mean_),
        scales=tuple(round(float(v), 10) for v in scales),
        coefficients=tuple(round(float(v), 10) for v in clf.coef_[0]),
        intercept=round(float(clf.intercept_[0]), 10),
        threshold=THRESHOLD,
    )
    return model, sklearn.__version__


def sample_weights(rows: list[list[float]]) -> list[float] | None:
    """Per-block training weights. WEIGHTING "sqrt" weighs a block by the square root of its
    word count: the end-to-end metric counts words, so losing a long paragraph costs more than
    keeping a one-word label; the root keeps one huge block from dominating."""
    if WEIGHTING == "none":
        return None
    col = FEATURE_NAMES.index("log_words")
    return [1.0 + math.sqrt(math.expm1(r[col])) for r in rows]


def fold_models(data: list[Featurised]) -> tuple[dict[str, int], list[NoiseModel]]:
    """Group K-fold: the fold of each document and one model per fold, trained without it."""
    folds = fold_of([d.item.group for d in data])
    models = []
    for k in range(FOLDS):
        rows = [r for d in data if folds[d.item.group] != k for r in d.rows]
        ys = [y for d in data if folds[d.item.group] != k for y in d.labels]
        models.append(fit(rows, ys, sample_weights(rows))[0])
    return folds, models


def _block_metrics(pairs: list[tuple[int, int]]) -> dict[str, float]:
    """Accuracy and DROP precision/recall over (gold, predicted) labels, 0 = DROP."""
    n = len(pairs)
    correct = sum(1 for g, p in pairs if g == p)
    tp = sum(1 for g, p in pairs if g == 0 and p == 0)
    fp = sum(1 for g, p in pairs if g == 1 and p == 0)
    fn = sum(1 for g, p in pairs if g == 0 and p == 1)
    return {
        "blocks": n,
        "accuracy": correct / n if n else 0.0,
        "drop_precision": tp / (tp + fp) if tp + fp else 0.0,
        "drop_recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def cross_validate(data: list[Featurised]) -> dict[str, Any]:
    folds, models = fold_models(data)
    per_fold = []
    per_variant: dict[str, list[tuple[int, int]]] = {}
    for k, model in enumerate(models):
        pairs: list[tuple[int, int]] = []
        for d in data:
            if folds[d.item.group] != k:
                continue
            for row, y in zip(d.rows, d.labels, strict=True):
                pred = int(model.score(row) >= model.threshold)
                pairs.append((y, pred))
                per_variant.setdefault(d.item.variant, []).append((y, pred))
        per_fold.append(_block_metrics(pairs))
    mean = {
        key: sum(f[key] for f in per_fold) / len(per_fold)
        for key in ("accuracy", "drop_precision", "drop_recall")
    }
    return {
        "per_fold": per_fold,
        "mean": mean,
        "per_variant": {v: _block_metrics(p) for v, p in sorted(per_variant.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument("--sample", type=int, default=0, help="use only the first N docs/corpus")
    args = parser.parse_args(argv)
    start = time.time()
    selected = list(items())
    if args.sample:
        keep: dict[str, set[str]] = {}
        for it in selected:
            ids = keep.setdefault(it.corpus, set())
            if len(ids) < args.sample:
                ids.add(it.doc_id)
        selected = [it for it in selected if it.doc_id in keep[it.corpus]]
    data = featurise_all(selected)
    if not args.sample:  # lets bench.noise_model.evaluate reuse the features (keyed by the names)
        CACHE.write_bytes(pickle.dumps((FEATURE_NAMES, data)))
    n_blocks = sum(len(d.rows) for d in data)
    n_drop = sum(d.labels.count(0) for d in data)
    docs = len({d.item.group for d in data})
    print(
        f"{len(data)} inputs, {docs} documents, {n_blocks} blocks ({n_drop} DROP), "
        f"featurised in {time.time() - start:.0f}s",
        flush=True,
    )

    cv = cross_validate(data)
    print(f"group {FOLDS}-fold CV by document (threshold {THRESHOLD}):")
    print(f"{'fold':>6} {'blocks':>8} {'acc':>7} {'P(drop)':>8} {'R(drop)':>8}")
    for k, f in enumerate(cv["per_fold"]):
        print(
            f"{k:>6} {f['blocks']:>8} {f['accuracy']:>7.4f} {f['drop_precision']:>8.4f} "
            f"{f['drop_recall']:>8.4f}"
        )
    m = cv["mean"]
    print(
        f"{'mean':>6} {'':>8} {m['accuracy']:>7.4f} {m['drop_precision']:>8.4f} "
        f"{m['drop_recall']:>8.4f}"
    )
    for variant, f in cv["per_variant"].items():
        print(
            f"  {variant:<11} blocks {f['blocks']:>7} acc {f['accuracy']:.4f} "
            f"P(drop) {f['drop_precision']:.4f} R(drop) {f['drop_recall']:.4f}"
        )

    if args.no_write or args.sample:
        print("not writing the model (--no-write or --sample)")
        return 0
    rows = [r for d in data for r in d.rows]
    ys = [y for d in data for y in d.labels]
    model, sk_version = fit(rows, ys, sample_weights(rows))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    payload = {
        "model": "logistic regression, P(keep) per text block",
        "feature_names": list(FEATURE_NAMES),
        "means": list(model.means),
        "scales": list(model.scales),
        "coefficients": list(model.coefficients),
        "intercept": model.intercept,
        "threshold": model.threshold,
        "training_data": {
            "source": "text-corpora {scrapinghub,wcxb-dev}/{seed-style,naive-text} + gold fed "
            "back; labels: block is KEEP if a gold line or word-bounded substring of one",
            "excluded": "wcxb-dev ids divisible by 5 (held-out split)",
            "documents": docs,
            "inputs": len(data),
            "blocks": n_blocks,
            "drop_blocks": n_drop,
            "cv_mean": {k: round(v, 4) for k, v in m.items()},
        },
        "hyperparameters": {
            "C": C,
            "solver": "lbfgs",
            "standardised": True,
            "seed": SEED,
            "sample_weighting": WEIGHTING,
        },
        "date": when.strftime("%Y-%m-%d"),
        "sklearn_version": sk_version,
    }
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {MODEL_PATH} in {time.time() - start:.0f}s total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
