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
import unicodedata
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


# --- Text-mode figures (issue 12): fragments, lost paragraphs, titles --------------------------

_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*\n+")
# Punctuation that opens a paragraph normally (see :func:`is_fragment_start`): ASCII quotes,
# Spanish inverted marks, and the heading / list markers the gold texts themselves use.
NORMAL_START_PUNCTUATION = frozenset("\"'¿¡#*•§@")
# Unicode categories of punctuation that never opens a paragraph: connectors (``_``), closing
# brackets, closing quotes and "other" punctuation (``, . ; : ! ? … /`` ...). Opening brackets
# (Ps), opening quotes (Pi) and dashes (Pd: list items, dialogue) are normal starts.
FRAGMENT_PUNCTUATION_CATEGORIES = frozenset({"Pc", "Pe", "Pf", "Po"})
NO_REMOVED_BLOCK = "(no removed block)"
TOP_REASONS = 10


class TextScore(TypedDict):
    """One document's text-mode figures: output and gold fragment counts, lost paragraphs.

    ``fragments`` / ``paragraphs``: output paragraphs that start as a fragment / all of them;
    ``gold_fragments`` / ``gold_paragraphs``: the same for the gold; ``lost``: gold paragraphs
    (with at least one token) missing from the output; ``lost_reasons``: for each reason of a
    removed block, how many lost paragraphs it holds tokens of (``None`` when the system gives
    no removed blocks, i.e. a baseline).
    """

    fragments: int
    paragraphs: int
    gold_fragments: int
    gold_paragraphs: int
    lost: int
    lost_reasons: dict[str, int] | None


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs: blocks separated by a blank line, stripped, empty ones dropped.

    >>> paragraphs("One\\nline two\\n\\n  \\n\\nThree\\n")
    ['One\\nline two', 'Three']
    """
    parts = _PARAGRAPH_SPLIT.split((text or "").replace("\r\n", "\n"))
    return [p.strip() for p in parts if p.strip()]


def is_fragment_start(char: str) -> bool:
    """True when a paragraph starting with ``char`` reads as the piece of a sentence.

    A fragment starts with a lower-case letter (Unicode ``Ll``) or with punctuation that does
    not open a sentence: a comma, full stop, colon, semicolon, ``!``/``?``, an ellipsis, a
    closing bracket or quote, ``/`` and the like (categories Pc, Pe, Pf, Po). Normal starts,
    which the issue's "lower-case letter or punctuation" leaves open: opening quotes and
    brackets (``"`` ``'`` ``“`` ``(`` ``[`` ...), ``¿`` and ``¡``, dashes (list items and
    dialogue), the list / heading markers ``# * • § @``, digits, upper-case and caseless
    letters (CJK, Arabic, ...) and symbols (``$``, emoji).

    >>> [c for c in "a,.;:)”…/É\\"“(¿¡-—#*1$漢" if is_fragment_start(c)]
    ['a', ',', '.', ';', ':', ')', '”', '…', '/']
    """
    if char.islower():
        return True
    return (
        unicodedata.category(char) in FRAGMENT_PUNCTUATION_CATEGORIES
        and char not in NORMAL_START_PUNCTUATION
    )


def fragment_counts(text: str | None) -> tuple[int, int]:
    """(paragraphs that start as a fragment, all paragraphs) of a text.

    >>> fragment_counts("Leading the list is\\n\\nBarnett Ghostwriting\\n\\n, a standout company")
    (1, 3)
    """
    paras = paragraphs(text)
    return sum(1 for p in paras if is_fragment_start(p[0])), len(paras)


def fragment_rate(text: str | None) -> float | None:
    """Share of the text's paragraphs that start as a fragment; ``None`` for an empty text.

    >>> fragment_rate("One sentence.\\n\\nand a piece")
    0.5
    """
    fragments, total = fragment_counts(text)
    return fragments / total if total else None


REPEAT_MIN_WORDS = 8
REPEAT_TIMES = 3


def repeats_a_paragraph(text: str | None) -> bool:
    """Does the text hold some paragraph of :data:`REPEAT_MIN_WORDS` words or more
    :data:`REPEAT_TIMES` times or more (compared lowercase, on their ``\\w+`` tokens)? The
    symptom of a page whose copies of the article (tabs, print version) all came through.
    Each line counts as a paragraph: some systems (trafilatura) separate paragraphs by a
    single line break.

    >>> long = "one two three four five six seven eight"
    >>> repeats_a_paragraph(f"{long}\\n\\nx\\n\\n{long}\\n\\n{long.upper()}")
    True
    >>> repeats_a_paragraph("short\\n\\nshort\\n\\nshort")
    False
    """
    keys = [title_key(line) for line in (text or "").splitlines()]
    counts = Counter(k for k in keys if len(k) >= REPEAT_MIN_WORDS)
    return any(n >= REPEAT_TIMES for n in counts.values())


def title_key(title: str | None) -> tuple[str, ...]:
    """A title normalised for comparison: its lowercase ``\\w+`` tokens.

    >>> title_key("Kia EV6: the Review!")
    ('kia', 'ev6', 'the', 'review')
    """
    return tuple(_TOKEN_RE.findall((title or "").lower()))


def title_right(pred: str | None, gold: str | None) -> bool | None:
    """Whether a predicted title is the gold one (same lowercase tokens); ``None`` when the gold
    has no title to compare with. A missing prediction is wrong.

    >>> title_right("KIA EV6 -- the review", "Kia EV6: The Review"), title_right(None, "T")
    (True, False)
    >>> title_right("Anything", None) is None
    True
    """
    gold_key = title_key(gold)
    if not gold_key:
        return None
    return title_key(pred) == gold_key


def _joined(toks: Sequence[str]) -> str:
    """Tokens as one string padded with spaces, so that a contiguous token run is a substring
    (``\\w+`` tokens hold no space): ``" a b "`` in ``" x a b c "``."""
    return " " + " ".join(toks) + " "


def lost_paragraphs(pred: str | None, gold: str | None) -> list[str]:
    """The gold paragraphs missing from the output: those whose ``\\w+`` token sequence
    (case kept, as the ScrapingHub metric) does not appear contiguously in the output's.

    Only tokens count, so a paragraph whose lines the output re-joins, re-wraps or moves
    elsewhere is not lost, while one that lost a word, or had a word of another line inserted
    into it, is. A paragraph without tokens ("* * *") is never lost. A paragraph repeated in
    the gold is found by any one occurrence in the output.

    >>> lost_paragraphs("A b c. D e\\nf.", "A b c.\\n\\nD e f.\\n\\nG h.")
    ['G h.']
    """
    out = _joined(tokens(pred))
    lost = []
    for para in paragraphs(gold):
        toks = tokens(para)
        if toks and _joined(toks) not in out:
            lost.append(para)
    return lost


def lost_reasons(lost: Iterable[str], removed: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """For each reason of a removed block, the number of lost paragraphs it took tokens from.

    ``removed`` is ``cleaner``'s ``metadata["removed"]`` (``{"reason", "text", ...}`` items). A
    removed block belongs to a lost paragraph when its token sequence lies contiguously inside
    the paragraph's, or the paragraph's inside the block's (a block the input had merged). A
    lost paragraph counts once per distinct reason; one that no removed block explains
    (shortened, altered, or a block attributed by coincidence elsewhere) counts under
    :data:`NO_REMOVED_BLOCK`. Token containment is approximate: a removed one-word label that
    also occurs inside a lost paragraph is attributed to it.

    >>> removed = [{"reason": "short label", "text": "Hybrid"}, {"reason": "ad", "text": "Ad"}]
    >>> sorted(lost_reasons(["Hybrid", "Some words gone"], removed).items())
    [('(no removed block)', 1), ('short label', 1)]
    """
    blocks = [
        (str(item.get("reason") or "?"), _joined(toks))
        for item in removed
        if (toks := tokens(str(item.get("text") or "")))
    ]
    counts: Counter[str] = Counter()
    for para in lost:
        para_key = _joined(tokens(para))
        reasons = {reason for reason, key in blocks if key in para_key or para_key in key}
        counts.update(reasons or {NO_REMOVED_BLOCK})
    return counts


def text_doc(
    pred: str | None, gold: str | None, removed: Iterable[Mapping[str, Any]] | None = None
) -> TextScore:
    """One document's text-mode figures (see :class:`TextScore`); ``removed`` as for
    :func:`lost_reasons`, ``None`` for a system that reports no removed blocks.

    >>> s = text_doc("One.\\n\\nand two", "One.\\n\\nGone.", [{"reason": "ad", "text": "Gone"}])
    >>> s["fragments"], s["paragraphs"], s["gold_fragments"], s["lost"], s["lost_reasons"]
    (1, 2, 0, 1, {'ad': 1})
    """
    fragments, total = fragment_counts(pred)
    gold_fragments, gold_total = fragment_counts(gold)
    lost = lost_paragraphs(pred, gold)
    reasons = None if removed is None else dict(lost_reasons(lost, removed))
    return {
        "fragments": fragments,
        "paragraphs": total,
        "gold_fragments": gold_fragments,
        "gold_paragraphs": gold_total,
        "lost": len(lost),
        "lost_reasons": reasons,
    }


def aggregate_text(docs: Iterable[TextScore]) -> dict[str, Any]:
    """Corpus text-mode figures from per-document ones.

    ``fragment_rate`` / ``gold_fragment_rate``: fragment paragraphs over all paragraphs, pooled
    over the documents (the share of output paragraphs, as the issue counts it; ``None`` with
    no paragraph at all); ``no_para_lost``: share of documents that lost no gold paragraph;
    ``paras_lost`` / ``gold_paras``: summed counts; ``lost_reasons``: the :data:`TOP_REASONS`
    most frequent reasons with their lost-paragraph counts, ``None`` when no document reported
    removed blocks.

    >>> a = aggregate_text([text_doc("A.", "A.\\n\\nB."), text_doc("x", "X")])
    >>> a["fragment_rate"], a["gold_fragment_rate"], a["no_para_lost"], a["paras_lost"]
    (0.5, 0.0, 0.0, 2)
    """
    docs = list(docs)
    fragments = sum(d["fragments"] for d in docs)
    total = sum(d["paragraphs"] for d in docs)
    gold_fragments = sum(d["gold_fragments"] for d in docs)
    gold_total = sum(d["gold_paragraphs"] for d in docs)
    reasons: Counter[str] = Counter()
    reported = False
    for d in docs:
        if d["lost_reasons"] is not None:
            reported = True
            reasons.update(d["lost_reasons"])
    return {
        "docs": len(docs),
        "fragment_rate": fragments / total if total else None,
        "gold_fragment_rate": gold_fragments / gold_total if gold_total else None,
        "no_para_lost": fmean([d["lost"] == 0 for d in docs]) if docs else None,
        "paras_lost": sum(d["lost"] for d in docs),
        "gold_paras": gold_total,
        "lost_reasons": dict(reasons.most_common(TOP_REASONS)) if reported else None,
    }


def aggregate_titles(flags: Iterable[bool | None]) -> dict[str, Any]:
    """Title accuracy over the documents with a gold title (``None`` flags are left out):
    ``{"docs", "right", "accuracy"}``, accuracy ``None`` when no document is scored (a
    baseline that gives no title, or a corpus without gold titles).

    >>> aggregate_titles([True, False, None, True])
    {'docs': 3, 'right': 2, 'accuracy': 0.6666666666666666}
    """
    scored = [f for f in flags if f is not None]
    right = sum(scored)
    accuracy = right / len(scored) if scored else None
    return {"docs": len(scored), "right": right, "accuracy": accuracy}
