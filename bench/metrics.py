"""Scoring functions for the benchmark: pure, deterministic, no I/O.

Three metrics are implemented, each as its publisher defines it, so that our figures can be put
beside the published ones:

* :func:`scrapinghub_scores` -- the ScrapingHub article-extraction benchmark metric
  (``evaluate.py`` in https://github.com/scrapinghub/article-extraction-benchmark, MIT licence):
  4-token shingle matching, normalised per document, averaged over documents.
* :func:`wcxb_scores` -- the WCXB (Web Content eXtraction Benchmark, Murrough Foley 2026,
  CC-BY-4.0) word-level metric: lowercase bag of words, P/R/F1 per page, averaged.
* :func:`snippet_scores` -- trafilatura's evaluation metric (Adrien Barbaresi, ``tests/`` and
  ``docs/evaluation.rst`` in https://github.com/adbar/trafilatura, Apache-2.0): hand-picked
  ``with`` / ``without`` snippets, micro-summed confusion matrix.

The implementations are written from the metric definitions (``/work/shared/data/README.md``)
and checked against the published figures by ``python -m bench.check_metric``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from statistics import fmean
from typing import Any, TypedDict

# ``\w+`` on ``str`` is Unicode-aware in Python 3, as upstream's ``re.UNICODE``. Upstream also
# passes ``re.IGNORECASE``, which does not change what ``\w+`` matches: tokens keep their case.
_TOKEN_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")

SHINGLE_SIZE = 4


class DocScore(TypedDict):
    """One document's share of a corpus score; ``None`` where the value is undefined."""

    precision: float | None
    recall: float | None
    f1: float
    exact: bool


class CorpusScore(TypedDict):
    """Averaged scores of one system on one corpus, plus the per-document detail."""

    docs: int
    f1: float
    precision: float
    recall: float
    accuracy: float
    per_doc: dict[str, DocScore]


class SnippetScore(TypedDict):
    """trafilatura's micro-summed confusion matrix and the scores derived from it."""

    docs: int
    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    f1: float
    accuracy: float


def tokens(text: str | None) -> list[str]:
    """Split text into ``\\w+`` tokens, case kept: the token stream every ScrapingHub score uses.

    >>> tokens("Don't stop-me now, 2 times!")
    ['Don', 't', 'stop', 'me', 'now', '2', 'times']
    """
    return _TOKEN_RE.findall(text or "")


def shingles(toks: Sequence[str], n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles.

    A document shorter than ``n`` tokens (but not empty) yields one shingle holding all its
    tokens, as upstream's ``_ngrams`` does (``range(max(1, len - n + 1))`` and a non-empty
    check); so a two-word gold still scores, and an empty text has no shingle at all.

    >>> sorted(shingles(["a", "b", "c", "d", "e"]).items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles(["short", "doc"])
    Counter({('short', 'doc'): 1})
    >>> shingles([])
    Counter()
    """
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(zip(*(toks[i:] for i in range(n)), strict=False))


def _normalised(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _shingle_counts(pred_tokens: list[str], gold_tokens: list[str]) -> tuple[float, float, float]:
    p, g = shingles(pred_tokens), shingles(gold_tokens)
    # One pass over the smaller side: fp and fn follow from the totals.
    small, large = (p, g) if len(p) <= len(g) else (g, p)
    tp = sum(min(count, large[key]) for key, count in small.items() if key in large)
    return _normalised(tp, p.total() - tp, g.total() - tp)


def shingle_counts(pred: str, gold: str) -> tuple[float, float, float]:
    """Per-document (tp, fp, fn) over shingle multisets, normalised to sum to 1.

    The normalisation is upstream's: it makes every document weigh the same in the corpus
    average whatever its length. When both texts are empty all three stay 0.

    >>> shingle_counts("one two three four five", "one two three four")
    (0.5, 0.5, 0.0)
    """
    return _shingle_counts(tokens(pred), tokens(gold))


def _precision(tp: float, fp: float, fn: float) -> float:
    """Upstream's ``precision_score``: 1 when nothing is wrong (fp = fn = 0)."""
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp > 0 else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    """Upstream's ``recall_score``: 1 when nothing is wrong (fp = fn = 0)."""
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn > 0 else 0.0


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def scrapinghub_doc(pred: str, gold: str) -> DocScore:
    """One document's ScrapingHub figures: P (None when tp + fp = 0, i.e. nothing predicted),
    R (None when tp + fn = 0, i.e. an empty gold), F1 of the two, exact token match.

    >>> scrapinghub_doc("", "p q r s t")
    {'precision': None, 'recall': 0.0, 'f1': 0.0, 'exact': False}
    """
    pred_tokens, gold_tokens = tokens(pred), tokens(gold)
    tp, fp, fn = _shingle_counts(pred_tokens, gold_tokens)
    p = _precision(tp, fp, fn) if tp + fp > 0 else None
    r = _recall(tp, fp, fn) if tp + fn > 0 else None
    f1 = 1.0 if fp == fn == 0 else _harmonic(p or 0.0, r or 0.0)
    return {"precision": p, "recall": r, "f1": f1, "exact": pred_tokens == gold_tokens}


def aggregate_scrapinghub(docs: Iterable[DocScore]) -> dict[str, float]:
    """Corpus figures from per-document ones: P the mean over documents where it is defined
    (tp + fp > 0), R likewise (tp + fn > 0), F1 = 2PR / (P + R) of the means, accuracy the
    share of exact documents. Lets a subset (a split) be scored without re-tokenising."""
    docs = list(docs)
    precisions = [d["precision"] for d in docs if d["precision"] is not None]
    recalls = [d["recall"] for d in docs if d["recall"] is not None]
    precision = fmean(precisions) if precisions else 0.0
    recall = fmean(recalls) if recalls else 0.0
    return {
        "docs": len(docs),
        "f1": _harmonic(precision, recall),
        "precision": precision,
        "recall": recall,
        "accuracy": fmean([d["exact"] for d in docs]) if docs else 0.0,
    }


def scrapinghub_scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> CorpusScore:
    """Score predictions with the ScrapingHub article-extraction benchmark metric.

    Documents are those of ``gold``; a missing prediction counts as the empty string (an
    extractor that crashed or returned nothing), extra predictions are ignored.
    Per document: tp/fp/fn over 4-token shingle multisets, normalised by their sum; P and R
    (both 1 when fp = fn = 0). Corpus P is the mean over documents with tp + fp > 0, corpus R
    the mean over documents with tp + fn > 0, F1 = 2PR / (P + R) of those two means -- not the
    mean of per-document F1s, which is why the per-document ``f1`` below (kept to diff
    regressions) does not average to the corpus F1. Accuracy is the share of documents whose
    token list equals the gold's exactly.

    >>> s = scrapinghub_scores({"a": "w x y z", "b": ""}, {"a": "w x y z", "b": "p q r s t"})
    >>> s["precision"], s["recall"], round(s["f1"], 3), s["accuracy"]
    (1.0, 0.5, 0.667, 0.5)
    >>> s["per_doc"]["b"]
    {'precision': None, 'recall': 0.0, 'f1': 0.0, 'exact': False}
    """
    per_doc = {i: scrapinghub_doc(pred.get(i) or "", text) for i, text in gold.items()}
    return _corpus_score(per_doc, aggregate_scrapinghub(per_doc.values()))


def _corpus_score(per_doc: dict[str, DocScore], agg: Mapping[str, float]) -> CorpusScore:
    """The corpus figures of an aggregate, with the per-document scores they came from."""
    return {
        "docs": len(per_doc),
        "f1": agg["f1"],
        "precision": agg["precision"],
        "recall": agg["recall"],
        "accuracy": agg["accuracy"],
        "per_doc": per_doc,
    }


def _bag(text: str | None) -> Counter[str]:
    return Counter(_TOKEN_RE.findall((text or "").lower()))


def wcxb_doc(pred: str, gold: str) -> tuple[float, float, float]:
    """WCXB's per-page (P, R, F1) over lowercase ``\\w+`` bags of words.

    As WCXB's ``word_f1``: an empty gold scores 1 only against an empty prediction, an empty
    prediction scores 0; P and R follow the same conventions so P, R and F1 stay consistent.

    >>> [round(x, 3) for x in wcxb_doc("The cat sat", "the cat sat on the mat")]
    [1.0, 0.5, 0.667]
    """
    p_bag, g_bag = _bag(pred), _bag(gold)
    if not g_bag:
        return (1.0, 1.0, 1.0) if not p_bag else (0.0, 0.0, 0.0)
    if not p_bag:
        return 0.0, 0.0, 0.0
    overlap = sum((p_bag & g_bag).values())
    p = overlap / sum(p_bag.values())
    r = overlap / sum(g_bag.values())
    return p, r, _harmonic(p, r)


def wcxb_doc_score(pred: str, gold: str) -> DocScore:
    """One page's WCXB figures as a :class:`DocScore` (``exact``: same bag of words)."""
    p, r, f1 = wcxb_doc(pred, gold)
    return {"precision": p, "recall": r, "f1": f1, "exact": _bag(pred) == _bag(gold)}


def aggregate_wcxb(docs: Iterable[DocScore]) -> dict[str, float]:
    """WCXB corpus figures: plain means of the per-page P, R, F1 and exact flags."""
    docs = list(docs)
    if not docs:
        return {"docs": 0, "f1": 0.0, "precision": 0.0, "recall": 0.0, "accuracy": 0.0}
    return {
        "docs": len(docs),
        "f1": fmean([d["f1"] for d in docs]),
        "precision": fmean([d["precision"] or 0.0 for d in docs]),
        "recall": fmean([d["recall"] or 0.0 for d in docs]),
        "accuracy": fmean([d["exact"] for d in docs]),
    }


def wcxb_scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> CorpusScore:
    """Score predictions with WCXB's metric: per-page P/R/F1 averaged over the pages of ``gold``.

    Unlike ScrapingHub, F1 here is the mean of per-page F1s (WCXB's published figures are).
    ``accuracy`` is the share of pages whose lowercase bag of words equals the gold's.
    Missing prediction = empty string.

    >>> s = wcxb_scores({"a": "x y", "b": "z"}, {"a": "x y", "b": "q"})
    >>> s["f1"], s["precision"], s["recall"], s["accuracy"]
    (0.5, 0.5, 0.5, 0.5)
    """
    per_doc = {i: wcxb_doc_score(pred.get(i) or "", text) for i, text in gold.items()}
    return _corpus_score(per_doc, aggregate_wcxb(per_doc.values()))


def normalise_space(text: str) -> str:
    """Collapse whitespace runs to one space, as trafilatura's current scorer does, so that a
    line break inside a snippet does not count as a miss."""
    return _SPACE_RE.sub(" ", text).strip()


def snippet_counts(pred: str | None, item: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """One page's (tp, fp, fn, tn): ``with`` snippets found / ``without`` snippets found.

    >>> snippet_counts("keep this\\ntext", {"with": ["this text", "gone"], "without": ["menu"]})
    (1, 0, 1, 1)
    """
    withs: list[str] = list(item.get("with", []))
    withouts: list[str] = list(item.get("without", []))
    text = normalise_space(pred or "")
    tp = sum(1 for s in withs if normalise_space(s) in text) if text else 0
    fp = sum(1 for s in withouts if normalise_space(s) in text) if text else 0
    return tp, fp, len(withs) - tp, len(withouts) - fp


def aggregate_snippets(counts: Iterable[tuple[int, int, int, int]]) -> SnippetScore:
    """Micro-sum per-page (tp, fp, fn, tn) and derive P, R, F and accuracy = (TP + TN) / all."""
    tp = fp = fn = tn = docs = 0
    for a, b, c, d in counts:
        tp, fp, fn, tn, docs = tp + a, fp + b, fn + c, tn + d, docs + 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    total = tp + fp + fn + tn
    return {
        "docs": docs,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": _harmonic(precision, recall),
        "accuracy": (tp + tn) / total if total else 0.0,
    }


def snippet_scores(
    pred: Mapping[str, str | None], evaldata: Mapping[str, Mapping[str, Any]]
) -> SnippetScore:
    """trafilatura's benchmark metric over all pages of ``evaldata`` (keyed as ``pred``).

    A ``with`` snippet found in the output is a TP, missing a FN; a ``without`` snippet found
    is a FP, absent a TN. Counts are summed over pages (micro average) before P, R, F and
    accuracy = (TP + TN) / all are taken. A missing prediction finds nothing.

    >>> s = snippet_scores({"u": "a b"}, {"u": {"with": ["a", "c"], "without": ["b", "d"]}})
    >>> s["tp"], s["fp"], s["fn"], s["tn"], s["precision"], s["accuracy"]
    (1, 1, 1, 1, 0.5, 0.5)
    """
    return aggregate_snippets(snippet_counts(pred.get(key), item) for key, item in evaldata.items())
