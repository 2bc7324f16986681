"""Train the text-mode line model and write ``cleaner/data/text_model.json``.

    python -m bench.textmode.train [--limit N] [--no-write] [--report]

Data: :func:`bench.textmode.data.samples` (the pages of ``../shared/data`` with gold, in
several scraped forms, every line labelled by alignment to the gold; the WCXB untuned split is
never read). Steps:

1. every line's features (:mod:`cleaner.textmode.features`), kept when they occur on at
   least ``MIN_PAGES`` pages, so that no feature names one site;
2. out-of-fold scores: a logistic regression fitted on four fifths of the pages scores the
   fifth (folds by page, so the variants of one page never sit on both sides);
3. from those scores, never from the lines a model was fitted on: the keep bias of the
   decoder (an article line lost costs ``LOSS_WEIGHT`` times a noise line kept) and the
   "already clean" bound (the highest noise probability that ``CLEAN_PASS`` of the clean
   variants stay under);
4. the final model on every page, the transitions counted on the label sequences, and the
   join model (do two consecutive article lines belong to one paragraph).

scikit-learn and numpy are needed here only (``pip install -e '.[train]'``); the shipped file
is plain JSON, rounded so that the same data and versions give the same bytes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import sys
import time
import warnings
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from bench.textmode.data import Sample, samples
from cleaner.document import Block, Decoded, Document
from cleaner.extract import text_blocks
from cleaner.textmode import features as F
from cleaner.textmode.model import STATES, LineModel, probability
from cleaner.textmode.stage import rule_reasons

ROOT = Path(__file__).resolve().parent.parent.parent
MODEL_PATH = ROOT / "cleaner" / "data" / "text_model.json"
MIN_PAGES = 3
C = 0.5
JOIN_C = 1.0
FOLDS = 5
LOSS_WEIGHT = 3.0
# Share of the clean documents (out of fold) that the "already clean" gate lets through. At
# 0.995 it also let through 20% of the naive page dumps and 63% of the seed-style texts of the
# training variants, which then kept all their noise (ScrapingHub naive text F1 .831 instead of
# .868, first 150 documents of `python -m bench.eval --corpus sh-naive`); at 0.9, 0.5% and 11%.
# A clean text the gate misses still goes through the rules with the model's rescue.
CLEAN_PASS = 0.9
KEEP_BIASES = (0.0, 0.5, 1.0, 1.5, 2.0)
TRANSITION_SCALES = (0.0, 0.5, 1.0)
# Calibration decodes every document once per setting: every CALIBRATION_STEP-th is enough.
CALIBRATION_STEP = 3
# lbfgs stops here, converged or not: more iterations moved no held-out figure.
MAX_ITER = 150
DIGITS = 5


@dataclass(slots=True)
class Encoded:
    """One sample as the trainer needs it: per-line features and labels, join pairs."""

    page: str
    variant: str
    feats: list[list[str]]
    noise: list[bool]
    words: list[int]
    joins: list[tuple[list[str], bool]] = field(default_factory=list)
    titles: list[tuple[list[str], bool]] = field(default_factory=list)
    paras: list[int] = field(default_factory=list)
    prose: list[bool] = field(default_factory=list)
    rules: list[str | None] = field(default_factory=list)


def encode(sample: Sample) -> Encoded:
    blocks = text_blocks(sample.text)
    if len(blocks) != len(sample.labels):
        raise ValueError(f"{sample.page}/{sample.variant}: labels do not match the blocks")
    lines = [F.facts(b.text) for b in blocks]
    paras = [b.para for b in blocks]
    rules = rule_reasons(_document(sample.text, blocks))
    feats = F.features_of(lines, paras, rules)
    noise = [label != "article" for label in sample.labels]
    encoded = Encoded(sample.page, sample.variant, feats, noise, [f.n for f in lines])
    encoded.paras, encoded.prose, encoded.rules = paras, [f.prose for f in lines], rules
    layout = F.document_layout(paras)
    previous: int | None = None
    for i, label in enumerate(sample.labels):
        if label != "article":
            continue
        if previous is not None and paras[previous] != paras[i]:
            same = sample.gold_para[previous] == sample.gold_para[i]
            encoded.joins.append((F.join_features(lines[previous], lines[i], layout), same))
        previous = i
    encoded.titles = _title_candidates(lines, sample.labels)
    return encoded


def _title_candidates(
    lines: list[F.LineFacts], labels: Sequence[str]
) -> list[tuple[list[str], bool]]:
    """The lines above the article's first line, each with 'is it the headline'."""
    first = next((i for i, label in enumerate(labels) if label == "article"), None)
    if first is None:
        return []
    article = frozenset(w for f, lab in zip(lines, labels, strict=True) if lab == "article"
                        for w in f.content)
    counts = Counter(f.normal for f in lines)
    return [
        (F.title_features(lines[k], first - k, article, counts[lines[k].normal] > 1),
         labels[k] == "title")
        for k in range(max(0, first - F.TITLE_WINDOW), first)
    ]


def _document(text: str, blocks: list[Block]) -> Document:
    decoded = Decoded(text, "text", "utf-8", "", len(text))
    return Document("sample.txt", decoded, tuple(blocks))


class Interner:
    """Feature strings as numbers, and on how many pages each occurs: 1.3 million lines of
    sixty strings each would not fit in memory as strings."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.pages: list[int] = []
        self._last: list[str] = []

    def encode(self, feats: list[str], page: str) -> array[int]:
        out = array("i")
        for f in feats:
            i = self.ids.get(f)
            if i is None:
                i = self.ids[f] = len(self.names)
                self.names.append(f)
                self.pages.append(0)
                self._last.append("")
            if self._last[i] != page:
                self._last[i] = page
                self.pages[i] += 1
            out.append(i)
        return out


def encode_all(items: Iterable[Sample], interner: Interner) -> list[Encoded]:
    docs = []
    with Pool(2) as pool:
        for doc in pool.imap(encode, items, chunksize=8):
            doc.feats = [interner.encode(f, doc.page) for f in doc.feats]  # type: ignore[misc]
            docs.append(doc)
    return docs


class Vocabulary:
    """The features that occur on at least ``min_pages`` pages, numbered as columns."""

    def __init__(self, interner: Interner, min_pages: int) -> None:
        keep = sorted(
            (name, i) for i, name in enumerate(interner.names) if interner.pages[i] >= min_pages
        )
        self.names = [name for name, _ in keep]
        self.column = np.full(len(interner.names), -1, dtype=np.int64)
        for col, (_, i) in enumerate(keep):
            self.column[i] = col

    def matrix(self, rows: Sequence[array[int]]) -> sparse.csr_matrix:
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        flat = np.frombuffer(b"".join(r.tobytes() for r in rows), dtype=np.int32)
        cols = self.column[flat]
        row_of = np.repeat(np.arange(len(rows)), lengths)
        known = cols >= 0
        data = np.ones(int(known.sum()), dtype=np.float64)
        shape = (len(rows), len(self.names))
        matrix = sparse.csr_matrix((data, (row_of[known], cols[known])), shape=shape)
        matrix.data[:] = 1.0
        return matrix


def _pairs_matrix(rows: list[list[str]]) -> tuple[list[str], sparse.csr_matrix]:
    interner = Interner()
    encoded = [interner.encode(r, "") for r in rows]
    vocab = Vocabulary(interner, 0)
    return vocab.names, vocab.matrix(encoded)


def _lines(docs: Sequence[Encoded]) -> tuple[list[Any], np.ndarray]:
    rows = [f for d in docs for f in d.feats]
    y = np.array([n for d in docs for n in d.noise], dtype=np.int8)
    return rows, y


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=1e-4)
    # One BLAS thread: a multi-threaded sum may add in another order and change the last bits,
    # and the shipped file must come out byte for byte the same.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)  # MAX_ITER is a choice, see above
        model.fit(x, y)
    return model


def weights(model: LogisticRegression, names: Sequence[str]) -> dict[str, float]:
    """Named weights, the intercept folded into ``bias``, rounded, zeros left out."""
    out: dict[str, float] = {}
    coef = model.coef_[0]
    for name, w in zip(names, coef, strict=True):
        value = float(w) + (float(model.intercept_[0]) if name == "bias" else 0.0)
        rounded = float(f"{value:.{DIGITS}g}")
        if rounded:
            out[name] = rounded
    return out


def out_of_fold(docs: Sequence[Encoded], vocab: Vocabulary) -> list[list[float]]:
    """Each document's line logits from a model that never saw its page."""
    pages = sorted({d.page for d in docs})
    fold_of = {p: i % FOLDS for i, p in enumerate(pages)}
    logits: list[list[float]] = [[] for _ in docs]
    for fold in range(FOLDS):
        train = [d for d in docs if fold_of[d.page] != fold]
        rows, y = _lines(train)
        model = fit(vocab.matrix(rows), y, C)
        for k, doc in enumerate(docs):
            if fold_of[doc.page] == fold:
                scores = model.decision_function(vocab.matrix(doc.feats))  # type: ignore[arg-type]
                logits[k] = [float(s) for s in scores]
        print(f"  fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    return logits


def states(noise: Sequence[bool]) -> list[int]:
    """The decoder's state for each labelled line (see ``cleaner.textmode.model.STATES``)."""
    kept = [i for i, n in enumerate(noise) if not n]
    if not kept:
        return [0] * len(noise)
    first, last = kept[0], kept[-1]
    return [1 if not n else 0 if i < first else 3 if i > last else 2 for i, n in enumerate(noise)]


def transitions(docs: Sequence[Encoded]) -> tuple[list[list[float]], list[float]]:
    """Log-probabilities of moving between states and of the first state, with add-one
    smoothing on allowed moves (before -> inside or after -> article never happen)."""
    k = len(STATES)
    counts = [[0.0] * k for _ in range(k)]
    starts = [0.0] * k
    for doc in docs:
        seq = states(doc.noise)
        if not seq:
            continue
        starts[seq[0]] += 1
        for a, b in itertools.pairwise(seq):
            counts[a][b] += 1
    allowed = {(0, 0), (0, 1), (1, 1), (1, 2), (1, 3), (2, 2), (2, 1), (3, 3), (0, 3), (2, 3)}
    trans = []
    for a in range(k):
        row = [counts[a][b] + 1 if (a, b) in allowed else 0.0 for b in range(k)]
        total = sum(row)
        trans.append([_round(math.log(v / total)) if v else -1e9 for v in row])
    start_total = sum(starts) + k
    start = [_round(math.log((s + 1) / start_total)) for s in starts]
    return trans, start


def _round(value: float) -> float:
    return float(f"{value:.{DIGITS}g}")


def _model(
    w: dict[str, float], trans: list[list[float]], start: list[float], prior: float, bias: float
) -> LineModel:
    return LineModel(
        weights=w,
        transitions=tuple(tuple(r) for r in trans),
        start=tuple(start),
        noise_prior=prior,
        keep_bias=bias,
        transition_scale=1.0,
        clean={},
        clean_bound=0.0,
        join={},
        title={},
    )


def _cost(docs: Sequence[Encoded], logits: Sequence[list[float]], model: LineModel) -> float:
    cost = 0.0
    for doc, lg in zip(docs, logits, strict=True):
        keep = model.decode(lg)
        for k, n, w in zip(keep, doc.noise, doc.words, strict=True):
            if n and k:
                cost += w
            elif not n and not k:
                cost += LOSS_WEIGHT * w
    return cost


def calibrate(
    docs: Sequence[Encoded], logits: Sequence[list[float]], base: LineModel
) -> tuple[float, float]:
    """The keep bias and transition scale of least cost on the out-of-fold scores."""
    docs, logits = docs[::CALIBRATION_STEP], logits[::CALIBRATION_STEP]
    costs = {}
    for scale in TRANSITION_SCALES:
        for bias in KEEP_BIASES:
            trial = replace(base, keep_bias=bias, transition_scale=scale)
            costs[bias, scale] = _cost(docs, logits, trial)
            cost = costs[bias, scale]
            print(f"  scale {scale} keep bias {bias:+.1f}: {cost:,.0f}", file=sys.stderr)
    return min(costs, key=lambda k: (costs[k], k))


def clean_pairs(
    docs: Sequence[Encoded], logits: Sequence[list[float]]
) -> list[tuple[str, list[str], bool]]:
    """(page, features, is it clean) for every document as a whole and for every document
    after its first line (a clean article under its headline)."""
    pairs = []
    for doc, lg in zip(docs, logits, strict=True):
        probabilities = [probability(x) for x in lg]
        for skip in (0, 1):
            if skip and (len(lg) < 2 or doc.paras[0] == doc.paras[1]):
                continue
            feats = F.clean_features(
                doc.prose[skip:], doc.paras[skip:], probabilities[skip:], doc.rules[skip:]
            )
            pairs.append((doc.page, feats, not any(doc.noise[skip:])))
    return pairs


def fit_clean(pairs: Sequence[tuple[str, list[str], bool]]) -> tuple[dict[str, float], float]:
    """The "already clean" model and its bound: the logit that ``CLEAN_PASS`` of the clean
    documents reach when scored by a model fitted without their page (cross-fitted)."""
    pages = sorted({p for p, _, _ in pairs})
    fold_of = {p: i % FOLDS for i, p in enumerate(pages)}
    names, matrix = _pairs_matrix([f for _, f, _ in pairs])
    y = np.array([c for _, _, c in pairs], dtype=np.int8)
    folds = np.array([fold_of[p] for p, _, _ in pairs])
    scores = np.zeros(len(pairs))
    for fold in range(FOLDS):
        inside = folds == fold
        model = fit(matrix[~inside], y[~inside], JOIN_C)
        scores[inside] = model.decision_function(matrix[inside])
    clean_scores = np.sort(scores[y == 1])
    index = math.floor((1.0 - CLEAN_PASS) * len(clean_scores))
    bound = _round(float(clean_scores[index]) - 1e-6)
    passed = scores >= bound
    print(
        f"clean gate: {passed[y == 1].mean():.4f} of {int(y.sum())} clean documents pass, "
        f"{passed[y == 0].mean():.4f} of {int((y == 0).sum())} scraped ones",
        file=sys.stderr,
    )
    return weights(fit(matrix, y, JOIN_C), names), bound


def fit_pairs(pairs: Sequence[tuple[list[str], bool]], c: float) -> dict[str, float]:
    """A small logistic model over (features, label) pairs: the join and headline models."""
    y = np.array([label for _, label in pairs], dtype=np.int8)
    if len(set(y.tolist())) < 2:
        return {}
    names, matrix = _pairs_matrix([f for f, _ in pairs])
    return weights(fit(matrix, y, c), names)


def report(
    docs: Sequence[Encoded], logits: Sequence[list[float]], model: LineModel, *, gate: bool
) -> None:
    """Out-of-fold figures per variant: article words lost, noise words kept, documents
    exactly right; with the "already clean" gate or the decoder alone."""
    by: dict[str, list[float]] = {}
    for doc, lg in zip(docs, logits, strict=True):
        keep = model.decode(lg)
        probabilities = [probability(x) for x in lg]
        clean = F.clean_features(doc.prose, doc.paras, probabilities, doc.rules)
        if gate and model.looks_clean(clean):
            keep = [True] * len(lg)
        lost = sum(w for k, n, w in zip(keep, doc.noise, doc.words, strict=True) if not n and not k)
        kept = sum(w for k, n, w in zip(keep, doc.noise, doc.words, strict=True) if n and k)
        art = sum(w for n, w in zip(doc.noise, doc.words, strict=True) if not n) or 1
        noi = sum(w for n, w in zip(doc.noise, doc.words, strict=True) if n) or 1
        exact = all(k != n for k, n in zip(keep, doc.noise, strict=True))
        row = by.setdefault(doc.variant, [0, 0.0, 0.0, 0])
        row[0] += 1
        row[1] += lost / art
        row[2] += kept / noi
        row[3] += exact
    print(f"\nout of fold, {'with' if gate else 'without'} the clean gate")
    print("| variant | docs | article words lost | noise words kept | docs exact |")
    print("|---|---|---|---|---|")
    for variant, (n, lost, kept, exact) in sorted(by.items()):
        print(f"| {variant} | {n:.0f} | {lost / n:.3f} | {kept / n:.3f} | {exact / n:.3f} |")


def dump(model: LineModel, info: dict[str, Any]) -> str:
    data = {
        "info": info,
        "noise_prior": model.noise_prior,
        "keep_bias": model.keep_bias,
        "transition_scale": model.transition_scale,
        "clean_bound": model.clean_bound,
        "clean": dict(sorted(model.clean.items())),
        "start": list(model.start),
        "transitions": [list(r) for r in model.transitions],
        "join": dict(sorted(model.join.items())),
        "title": dict(sorted(model.title.items())),
        "weights": dict(sorted(model.weights.items())),
    }
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="use only the first N samples (a quick try)")
    parser.add_argument("--no-write", action="store_true", help="do not write the model file")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    parser.add_argument("--oof", type=Path, help="also save documents and out-of-fold logits")
    parser.add_argument(
        "--encoded", type=Path, help="reuse (or save) the encoded documents here, to iterate"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    items = samples("train")
    if args.limit:
        items = (s for i, s in zip(range(args.limit), items, strict=False))
    if args.encoded and args.encoded.exists():
        with args.encoded.open("rb") as f:
            docs, interner = pickle.load(f)
    else:
        interner = Interner()
        docs = encode_all(items, interner)
        if args.encoded:
            with args.encoded.open("wb") as f:
                pickle.dump((docs, interner), f)
    print(f"{len(docs)} documents, {sum(len(d.noise) for d in docs):,} lines", file=sys.stderr)
    vocab = Vocabulary(interner, MIN_PAGES)
    print(f"{len(vocab.names):,} features on >= {MIN_PAGES} pages", file=sys.stderr)
    logits = out_of_fold(docs, vocab)
    rows, y = _lines(docs)
    prior = _round(float(y.mean()))
    trans, start = transitions(docs)
    final = fit(vocab.matrix(rows), y, C)
    base = _model(weights(final, vocab.names), trans, start, prior, 0.0)
    bias, scale = calibrate(docs, logits, base)
    model = replace(base, keep_bias=bias, transition_scale=scale)
    clean, bound = fit_clean(clean_pairs(docs, logits))
    model = replace(model, clean=clean, clean_bound=bound)
    joins = [p for d in docs for p in d.joins]
    titles = [p for d in docs for p in d.titles]
    model = replace(model, join=fit_pairs(joins, JOIN_C), title=fit_pairs(titles, JOIN_C))
    if args.oof:
        with args.oof.open("wb") as f:
            pickle.dump((docs, logits, model), f)
    report(docs, logits, model, gate=False)
    report(docs, logits, model, gate=True)
    print(
        f"clean bound {model.clean_bound}, keep bias {model.keep_bias}, "
        f"transition scale {model.transition_scale}",
        file=sys.stderr,
    )
    info = {
        "trained_on": "bench.textmode.data.samples('train'): ScrapingHub + WCXB dev (ids % 5 != 0)",
        "documents": len(docs),
        "lines": len(y),
        "features": len(vocab.names),
        "C": C,
        "min_pages": MIN_PAGES,
    }
    if not args.no_write:
        args.out.write_text(dump(model, info), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
