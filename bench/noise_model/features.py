"""Per-block features for the learned noise classifier (see :mod:`bench.noise_model.model`).

The rule-based noise stage (:mod:`cleaner.noise`) decides keep/drop from hand-written rules. A
small logistic regression can weigh the same evidence jointly instead of rule by rule, so the
features here are mostly the rules' own signals turned into numbers: what a block looks like on
its own (length, sentence ending, stopwords, capitals, digits, URLs, pattern-list hits) and where
it sits (relative position, before/after the prose, distance to the nearest prose block, prose-ness
of its neighbours, its paragraph, repeats, similarity to the title).

Every feature is a float computed from the block texts, their paragraph numbers and the title
only, so training (``bench/noise_model/train.py``) and inference compute exactly the same
thing. The order of :data:`FEATURE_NAMES` is the order of the weights in
``bench/noise_model/noise_model.json``.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from cleaner.config import Options
from cleaner.document import Block, Decoded, Document
from cleaner.noise import (
    byline_author,
    continues,
    is_dateline,
    is_headline_like,
    is_prose,
    is_title_like,
    main_run,
    pattern_reason,
    remove_noise,
    units,
)
from cleaner.text import ends_sentence, similarity, stopword_ratio, word_count, words

_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|de|fr|co\.uk)\b", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.IGNORECASE)
# Blocks this close (in blocks) count as the neighbourhood for the local prose density.
_WINDOW = 3

# pattern_reason's categories, grouped into a fixed set of flags; anything new goes to "other".
PATTERN_FLAGS: dict[str, str] = {
    "share/social label": "pat_social",
    "ad label": "pat_ad",
    "navigation label": "pat_nav",
    "read more/related label": "pat_related",
    "newsletter/subscription call": "pat_call",
    "call to action": "pat_call",
    "comment call": "pat_call",
    "cookie/consent notice": "pat_call",
    "copyright/footer": "pat_footer",
    "photo credit/caption": "pat_caption",
}
_PATTERN_NAMES = [*sorted(set(PATTERN_FLAGS.values())), "pat_other"]

# The rule stage's drop reasons (text mode), grouped; pattern reasons are covered by pat_*.
RULE_FLAGS: dict[str, str] = {
    "outside the main article (before it)": "rule_before_run",
    "outside the main article (after it)": "rule_after_run",
    "related headline after the article": "rule_after_run",
    "short label inside the article": "rule_inline_label",
    "headline (moved to title)": "rule_headline",
    "headline repeated (kept as title)": "rule_headline",
    "byline (author moved to metadata)": "rule_meta",
    "dateline/timestamp": "rule_meta",
}
_RULE_NAMES = sorted(set(RULE_FLAGS.values()))

FEATURE_NAMES: tuple[str, ...] = (
    # the block on its own
    "log_words",
    "log_chars",
    "ends_sentence",
    "stopword_ratio",
    "cap_share",
    "digit_share",
    "starts_lower",
    "starts_nonalnum",
    "has_url",
    "has_at",
    "has_copyright",
    "is_prose",
    "is_title_like",
    "is_headline_like",
    "is_dateline",
    "is_byline",
    "short_1_3_words",
    *_PATTERN_NAMES,
    "pat_any",
    # the block in its document
    "rel_position",
    "before_first_prose",
    "after_last_prose",
    "log_dist_prose",
    "prev_prose",
    "next_prose",
    "prev_log_words",
    "next_log_words",
    "continues_prev",
    "continued_by_next",
    "local_prose_density",
    "alone_in_para",
    "log_para_lines",
    "log_repeats",
    "title_similarity",
    "in_main_run",
    "doc_prose_share",
    "doc_log_blocks",
    # interactions a linear model cannot form on its own
    "short_in_run",
    "headline_before_prose",
    # the same evidence means different things in a page dump and in a nearly clean article;
    # the document's prose share tells the two apart
    "rules_keep_x_doc_prose",
    "in_run_x_doc_prose",
    "short_x_doc_prose",
    "alone_x_doc_prose",
    # the rule-based noise stage's own decision, so the model learns where to overrule it
    "rules_keep",
    *_RULE_NAMES,
)


def _word_shape(text: str) -> tuple[int, float, float, float]:
    """Word count plus stopword, capitalised-word and digit shares of one block."""
    tokens = words(text)
    n = word_count(text)
    if not tokens:
        return n, 0.0, 0.0, 0.0
    stop = stopword_ratio(tokens)
    caps = sum(1 for t in tokens if t[:1].isupper()) / len(tokens)
    chars = [c for c in text if not c.isspace()]
    digits = sum(1 for c in chars if c.isdigit()) / len(chars) if chars else 0.0
    return n, stop, caps, digits


def _main_run_flags(blocks: list[str], paras: list[int]) -> list[float]:
    """1.0 for blocks inside the rules' maximum-sum prose run (text mode's article guess).

    The run is a strong document-level signal the rules already compute; giving it to the model
    lets it learn where to trust the run and where a block outside it still belongs.
    """
    objs = [
        Block(index=i, text=t, kind="line", para=p)
        for i, (t, p) in enumerate(zip(blocks, paras, strict=True))
    ]
    groups = units(objs)
    run = main_run(groups)
    flags = [0.0] * len(blocks)
    if run is None:
        return flags
    for group in groups[run[0] : run[1]]:
        for block in group:
            flags[block.index] = 1.0
    return flags


def _rule_reasons(blocks: list[str], paras: list[int], title: str | None) -> list[str | None]:
    """The rule-based noise stage's verdict per block: None = kept, else its drop reason.

    Runs :func:`cleaner.noise.remove_noise` on the blocks as text-mode lines, exactly as the
    pipeline does for a .txt input. The model then only has to learn the rules' blind spots,
    at the price of being tied to the rules: change them and the model must be retrained.
    """
    objs = tuple(
        Block(index=i, text=t, kind="line", para=p)
        for i, (t, p) in enumerate(zip(blocks, paras, strict=True))
    )
    decoded = Decoded(text="\n".join(blocks), kind="text", encoding="utf-8", sha256="", size=0)
    doc = remove_noise(Document("features", decoded, objs, title=title), options=Options())
    return [None if b.keep else (b.reason or "dropped") for b in doc.blocks]


def block_vectors(blocks: list[str], paras: list[int], title: str | None) -> list[list[float]]:
    """Feature vectors, one per block, in :data:`FEATURE_NAMES` order.

    ``paras`` gives each block's paragraph number (blocks of one paragraph share it), ``title``
    is the page title when known (HTML mode), else None (the feature is then 0).
    """
    if len(blocks) != len(paras):
        raise ValueError("blocks and paras must have the same length")
    n = len(blocks)
    if n == 0:
        return []
    prose = [is_prose(t) for t in blocks]
    prose_idx = [i for i, p in enumerate(prose) if p]
    first_prose = prose_idx[0] if prose_idx else n
    last_prose = prose_idx[-1] if prose_idx else -1
    para_size = Counter(paras)
    repeats = Counter(blocks)
    in_run = _main_run_flags(blocks, paras)
    rule_reasons = _rule_reasons(blocks, paras, title)
    doc_prose_share = len(prose_idx) / n
    doc_log_blocks = math.log1p(n)
    logw = [math.log1p(word_count(t)) for t in blocks]

    # distance to the nearest prose block, forwards and backwards passes
    dist = [float(n)] * n
    last = -n
    for i in range(n):
        if prose[i]:
            last = i
        dist[i] = min(dist[i], float(i - last))
    nxt = 2 * n
    for i in range(n - 1, -1, -1):
        if prose[i]:
            nxt = i
        dist[i] = min(dist[i], float(nxt - i))

    vectors: list[list[float]] = []
    for i, text in enumerate(blocks):
        count, stop, caps, digits = _word_shape(text)
        reason = pattern_reason(text)
        flags = dict.fromkeys(_PATTERN_NAMES, 0.0)
        if reason is not None:
            flags[PATTERN_FLAGS.get(reason, "pat_other")] = 1.0
        lo, hi = max(0, i - _WINDOW), min(n, i + _WINDOW + 1)
        neighbours = [prose[j] for j in range(lo, hi) if j != i]
        first = text[:1]
        rule = rule_reasons[i]
        rule_flags = dict.fromkeys(_RULE_NAMES, 0.0)
        if rule is not None and rule in RULE_FLAGS:
            rule_flags[RULE_FLAGS[rule]] = 1.0
        vec = [
            logw[i],
            math.log1p(len(text)),
            float(ends_sentence(text)),
            stop,
            caps,
            digits,
            float(first.islower()),
            float(bool(first) and not first.isalnum()),
            float(bool(_URL.search(text))),
            float("@" in text),
            float(bool(_COPYRIGHT.search(text))),
            float(prose[i]),
            float(is_title_like(text)),
            float(is_headline_like(text)),
            float(is_dateline(text)),
            float(byline_author(text) is not None),
            float(1 <= count <= 3),
            *(flags[name] for name in _PATTERN_NAMES),
            float(reason is not None),
            i / (n - 1) if n > 1 else 0.0,
            float(i < first_prose),
            float(i > last_prose),
            math.log1p(dist[i]) if prose_idx else math.log1p(n),
            float(i > 0 and prose[i - 1]),
            float(i + 1 < n and prose[i + 1]),
            logw[i - 1] if i > 0 else 0.0,
            logw[i + 1] if i + 1 < n else 0.0,
            float(i > 0 and continues(blocks[i - 1], text)),
            float(i + 1 < n and continues(text, blocks[i + 1])),
            sum(neighbours) / len(neighbours) if neighbours else 0.0,
            float(para_size[paras[i]] == 1),
            math.log1p(para_size[paras[i]]),
            math.log(repeats[text]),
            similarity(text, title) if title else 0.0,
            in_run[i],
            doc_prose_share,
            doc_log_blocks,
            float(1 <= count <= 3) * in_run[i],
            float(is_headline_like(text) and i < first_prose),
            float(rule is None) * doc_prose_share,
            in_run[i] * doc_prose_share,
            float(1 <= count <= 3) * doc_prose_share,
            float(para_size[paras[i]] == 1) * doc_prose_share,
            float(rule is None),
            *(rule_flags[name] for name in _RULE_NAMES),
        ]
        vectors.append(vec)
    return vectors


def block_features(
    blocks: list[str], paras: list[int], title: str | None
) -> list[dict[str, float]]:
    """The same features as :func:`block_vectors`, keyed by name (for inspection and tests)."""
    return [dict(zip(FEATURE_NAMES, v, strict=True)) for v in block_vectors(blocks, paras, title)]
