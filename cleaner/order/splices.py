"""Off-topic splices: a paragraph of another story pasted into an article.

A learned scorer (:data:`SPLICE_FEATURES`, weights in ``cleaner/data/splice_model.json``,
trained by ``python -m bench.order.splice_train``) rates every unit by how little of it the
rest of the article and the title account for: the share of its words and names found
elsewhere (plain and weighted by how rare a word is across news), how much of the article's
core vocabulary and main names it carries, and its word overlap with the other units and with
its neighbours, each also as a leave-one-out z-score against the article's other units (every
article is its own yardstick: a story whose paragraphs share few words anyway does not flag
them all). The model is a conditional logit: of the units of one article, which one, if any,
came from elsewhere. The unit with the highest score is flagged when the score passes the
threshold, calibrated so that at most 2% of the in-order training articles get a flag. At most
one unit per article is flagged.

With the optional extra ``cleaner-news[embed]`` (``Options.embed``) a second model,
``cleaner/data/splice_model_embed.json`` (``python -m bench.order.splice_train --embed``), adds
:data:`EMBED_FEATURES`: cosines of static word vectors (:mod:`cleaner.order.embed`) between
the unit and the title, the rest of the article and its neighbours, which see a paragraph
about the same thing in other words. Cosines are rounded to :data:`SIM_DIGITS` digits before
they enter a feature, so float differences between machines cannot flip a flag.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from operator import mul
from typing import Any

from cleaner.order.features import Unit
from cleaner.text import stems

SPLICE_MODEL_FILE = "splice_model.json"
EMBED_MODEL_FILE = "splice_model_embed.json"
SIM_DIGITS = 4
LOO_MIN_SD = 0.02  # floor of a spread: near-identical values give no z-score
CORE_UNITS = 3  # a word in this many units is the article's core vocabulary
MAIN_NAME_UNITS = 2  # a name in this many units is one of the article's main names
IDF_NOVEL_SCALE = 10.0  # the summed rarity of unshared words, in units of this

SPLICE_FEATURES = (
    "word_share",  # share of the unit's content words found in the title or another unit
    "name_share",  # the same for its names (1 when it has none)
    "has_names",
    "novel_names",  # log(1 + names found nowhere else)
    "core_share",  # share of its words that are core vocabulary
    "title_covered",  # share of the title's words the unit has
    "title_share",  # share of the unit's words that are in the title
    "has_title",
    "core_carried",  # share of the article's core vocabulary the unit has
    "names_carried",  # share of the article's main names the unit has
    "mean_overlap",  # mean word overlap (Jaccard) with the other units
    "max_overlap",  # the highest of them
    "neighbour_overlap",  # mean overlap with the unit before and after it
    "mean_overlap_z",  # leave-one-out z-scores of the three lines above
    "max_overlap_z",
    "word_share_z",
    "size",  # log(1 + content words)
    "article_size",  # log(units)
    "novel_words",  # log(1 + words found nowhere else)
    "lines",  # log(1 + line breaks): tables and lists are rarely pasted in
    "digits",  # share of digits among the characters
    "rare_share",  # word_share with each word weighted by its rarity (IDF)
    "rare_novel",  # summed rarity of the words found nowhere else
)
# Every embedding feature :func:`embed_columns` computes (cosines of unit vectors); the embed
# model uses :data:`EMBED_FEATURES`, chosen by ``splice_train --crossfit`` on training data.
EMBED_CANDIDATES = (
    "emb_title",  # with the title (0 without one)
    "emb_rest",  # with the sum of the other units' vectors
    "emb_neighbour",  # mean with the unit before and after it
    "emb_max",  # the highest with another unit
    "emb_mean",  # the mean with the other units
    "emb_title_z",  # leave-one-out z-scores of the five lines above
    "emb_rest_z",
    "emb_neighbour_z",
    "emb_max_z",
    "emb_mean_z",
)
# Two-fold train-split recall, random / same-topic donor (``splice_train --crossfit``): base
# .520 / .299; these three .740 / .440; with their z-scores .729 / .403; all ten .760 / .427.
EMBED_FEATURES = ("emb_title", "emb_rest", "emb_neighbour")


@dataclass(frozen=True, slots=True)
class SpliceModel:
    """A shipped splice scorer (this module's for paragraphs, :mod:`cleaner.order.sentences`'
    for sentences): one weight per feature, the threshold, and word document counts."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    df: Mapping[str, int]
    docs: int
    features: tuple[str, ...] = ()  # the names of the weights, as trained
    # idf of every word in ``df`` and of an unseen one, worked out once per model: the scorers
    # look up hundreds of words per article (the same formula, so the same floats)
    _idf: dict[str, float] = field(init=False, repr=False, compare=False)
    _unseen: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        docs = self.docs + 1
        object.__setattr__(self, "_idf", {s: math.log(docs / (c + 1)) for s, c in self.df.items()})
        object.__setattr__(self, "_unseen", math.log(docs / (0 + 1)))

    @property
    def embedded(self) -> tuple[str, ...]:
        """The embedding features it scores, after :data:`SPLICE_FEATURES` (none: no extra)."""
        return tuple(name for name in self.features if name in EMBED_CANDIDATES)

    def idf(self, stem: str) -> float:
        return self._idf.get(stem, self._unseen)

    def idfs(self, stems: Iterable[str]) -> dict[str, float]:
        """:meth:`idf` of each word (one dict lookup each, no method call)."""
        words = list(stems)
        return dict(zip(words, map(self._idf.get, words, repeat(self._unseen)), strict=True))

    def score(self, row: Sequence[float]) -> float:
        if len(row) != len(self.weights):  # what zip(strict=True) checked
            raise ValueError("a feature row of the wrong length")
        # map(mul) makes the same products, summed in the same order, without a generator
        total: float = sum(map(mul, self.weights, row))
        return self.bias + total


def splice_model_from_json(
    data: dict[str, Any], *, features: tuple[str, ...] = SPLICE_FEATURES
) -> SpliceModel:
    if tuple(data["features"]) != features:
        raise ValueError("splice model was trained with other features; run make train-order")
    return SpliceModel(
        weights=tuple(float(data["weights"][name]) for name in features),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        df={k: int(v) for k, v in data["df"].items()},
        docs=int(data["docs"]),
        features=features,
    )


@lru_cache(maxsize=2)
def packaged_model(name: str, features: tuple[str, ...]) -> SpliceModel:
    """A scorer shipped in ``cleaner/data`` (read once per process)."""
    path = resources.files("cleaner").joinpath("data", name)
    return splice_model_from_json(json.loads(path.read_text(encoding="utf-8")), features=features)


def load_splice_model(*, embed: bool = False) -> SpliceModel:
    """The packaged paragraph scorer; ``embed``: the one with embedding features (scoring
    with it needs the extra)."""
    if embed:
        return packaged_model(EMBED_MODEL_FILE, (*SPLICE_FEATURES, *EMBED_FEATURES))
    return packaged_model(SPLICE_MODEL_FILE, SPLICE_FEATURES)


@dataclass(frozen=True, slots=True)
class Article:
    """What each unit's features compare it with."""

    title: frozenset[str]
    word_units: Counter[str]  # in how many units each word is
    name_units: Counter[str]
    core: frozenset[str]
    main_names: frozenset[str]
    overlap: list[list[float]]
    # worked out once per article, so each unit's counts are set intersections
    elsewhere: frozenset[str]  # words in the title or in two units or more
    names_elsewhere: frozenset[str]  # names in the title or in two units or more
    idf: Mapping[str, float]  # the rarity of every word


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    common = len(a & b)
    return common / ((len(a) + len(b) - common) or 1)  # the union's size, without building it


def article_of(units: Sequence[Unit], title: str | None, model: SpliceModel) -> Article:
    word_units = Counter(chain.from_iterable(u.stems for u in units))  # no frame per word
    name_units = Counter(chain.from_iterable(u.entities for u in units))
    title_stems = frozenset(stems(title or ""))
    return Article(
        title=title_stems,
        word_units=word_units,
        name_units=name_units,
        core=frozenset(s for s, c in word_units.items() if c >= CORE_UNITS),
        main_names=frozenset(e for e, c in name_units.items() if c >= MAIN_NAME_UNITS),
        overlap=_overlap_matrix(units),
        elsewhere=frozenset(s for s, c in word_units.items() if c > 1) | title_stems,
        names_elsewhere=frozenset(e for e, c in name_units.items() if c > 1) | title_stems,
        idf=model.idfs(word_units),
    )


def _overlap_matrix(units: Sequence[Unit]) -> list[list[float]]:
    """Every pair's Jaccard overlap (symmetric: each pair computed once)."""
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i, a in enumerate(units):
        matrix[i][i] = 1.0 if a.stems else 0.0  # jaccard(a, a)
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = jaccard(a.stems, units[j].stems)
    return matrix


def loo_z(values: list[float], i: int) -> float:
    """(values[i] - mean) / sd of the other values, 0 when they are too few."""
    others = values[:i] + values[i + 1 :]
    if len(others) < 2:
        return 0.0
    mean = sum(others) / len(others)
    # a list, not a generator: faster, the same terms in the same order
    sd = math.sqrt(sum([(x - mean) ** 2 for x in others]) / (len(others) - 1))
    return (values[i] - mean) / (LOO_MIN_SD if sd < LOO_MIN_SD else sd)  # max(sd, LOO_MIN_SD)


def _shared(unit: Unit, art: Article) -> list[str]:
    """The unit's words found in the title or another unit, sorted (a fixed sum order)."""
    return sorted(unit.stems & art.elsewhere)


def digit_count(text: str) -> int:
    """``sum(map(str.isdigit, text))``: in ASCII text only 0-9 are digits, and ten counts in C
    are faster than a call per character."""
    if text.isascii():
        return sum(map(text.count, "0123456789"))
    return sum(map(str.isdigit, text))


def share(part: float, whole: float) -> float:
    """``part / whole``, 1 for an empty whole (nothing to find is nothing missing)."""
    return part / whole if whole else 1.0


def _rarity(unit: Unit, shared: list[str], art: Article) -> tuple[float, float]:
    """The rarity-weighted share of shared words, and the summed rarity of the others."""
    idf = art.idf
    # plain sums in sorted order, as trained; map: no generator frame per word
    everything = sum(map(idf.__getitem__, sorted(unit.stems)))
    found = sum(map(idf.__getitem__, shared))
    return share(found, everything), (everything - found) / IDF_NOVEL_SCALE


def _names(unit: Unit, art: Article) -> tuple[float, float, float, float]:
    found = len(unit.entities & art.names_elsewhere)
    return (
        share(found, len(unit.entities)),
        float(bool(unit.entities)),
        math.log1p(len(unit.entities) - found),
        len(unit.entities & art.main_names) / (len(art.main_names) or 1),
    )


def _overlaps(art: Article, i: int) -> tuple[float, float, float]:
    row = art.overlap[i][:i] + art.overlap[i][i + 1 :]  # all but the unit itself
    near = [art.overlap[i][j] for j in (i - 1, i + 1) if 0 <= j < len(art.overlap)]
    return sum(row) / len(row), max(row), sum(near) / len(near)


def _unit_row(i: int, unit: Unit, art: Article) -> list[float]:
    """Every feature of one unit but the three z-scores (filled in by :func:`splice_features`)."""
    shared = _shared(unit, art)
    own = unit.stems
    name_share, has_names, novel_names, names_carried = _names(unit, art)
    mean, top, near = _overlaps(art, i)
    rare_share, rare_novel = _rarity(unit, shared, art)
    core = art.core
    title = art.title
    return [
        share(len(shared), len(own)),
        name_share,
        has_names,
        novel_names,
        share(len(own & core), len(own)),  # core: the words in CORE_UNITS units or more
        len(own & title) / len(title) if title else 0.0,
        len(own & title) / len(own) if own else 0.0,
        float(bool(title)),
        len(own & core) / (len(core) or 1),
        names_carried,
        mean,
        top,
        near,
        0.0,
        0.0,
        0.0,
        math.log1p(len(own)),
        math.log(len(art.overlap)),
        math.log1p(len(own) - len(shared)),
        math.log1p(unit.text.count("\n")),
        digit_count(unit.text) / max(1, len(unit.text)),
        rare_share,
        rare_novel,
    ]


Z_OF = {  # feature index of each z-score -> the feature it standardises
    SPLICE_FEATURES.index("mean_overlap_z"): SPLICE_FEATURES.index("mean_overlap"),
    SPLICE_FEATURES.index("max_overlap_z"): SPLICE_FEATURES.index("max_overlap"),
    SPLICE_FEATURES.index("word_share_z"): SPLICE_FEATURES.index("word_share"),
}


def splice_features(
    units: Sequence[Unit], title: str | None, model: SpliceModel
) -> list[list[float]]:
    """One row of :data:`SPLICE_FEATURES` per unit (at least two units), then the model's
    embedding features."""
    art = article_of(units, title, model)
    rows = [_unit_row(i, u, art) for i, u in enumerate(units)]
    for z, source in Z_OF.items():
        column = [row[source] for row in rows]
        for i, row in enumerate(rows):
            row[z] = loo_z(column, i)
    if model.embedded:
        columns = embed_columns(units, title, model.embedded)
        for i, row in enumerate(rows):
            row += [columns[name][i] for name in model.embedded]
    return rows


def _cosines(
    units: Sequence[Unit], title: str | None
) -> tuple[list[list[float]], list[float], list[float]]:
    """Rounded cosines: between the units, of each unit with the title (0s without one), and
    of each with the sum of the other units' vectors."""
    from cleaner.order.embed import embed  # the optional extra: imported only when used

    vectors = embed([title or "", *(u.text for u in units)])
    own = vectors[1:]
    rest = own.sum(axis=0) - own
    norms = (rest * rest).sum(axis=1) ** 0.5
    to_rest = (own * rest).sum(axis=1) / (norms + (norms == 0))
    to_title = own @ vectors[0] if title else 0.0 * to_rest
    return (
        (own @ own.T).round(SIM_DIGITS).tolist(),
        to_title.round(SIM_DIGITS).tolist(),
        to_rest.round(SIM_DIGITS).tolist(),
    )


def embed_columns(
    units: Sequence[Unit], title: str | None, names: Sequence[str] = EMBED_CANDIDATES
) -> dict[str, list[float]]:
    """The features ``names`` (of :data:`EMBED_CANDIDATES`), one column (a value per unit)
    each; the z-scores only of those asked for (the shipped model asks for none)."""
    matrix, to_title, to_rest = _cosines(units, title)
    n = len(units)
    others = [[matrix[i][j] for j in range(n) if j != i] for i in range(n)]
    near = [[matrix[i][j] for j in (i - 1, i + 1) if 0 <= j < n] for i in range(n)]
    columns = {
        "emb_title": to_title,
        "emb_rest": to_rest,
        "emb_neighbour": [sum(x) / len(x) for x in near],
        "emb_max": [max(x) for x in others],
        "emb_mean": [sum(x) / len(x) for x in others],
    }
    for name in names:
        if name not in columns:  # a z-score: "emb_rest_z" of "emb_rest"
            source = columns[name.removesuffix("_z")]
            columns[name] = [loo_z(source, i) for i in range(n)]
    return {name: columns[name] for name in names}


def splice_scores(units: Sequence[Unit], title: str | None, model: SpliceModel) -> list[float]:
    """Each unit's score: higher, the more it reads like a paragraph of another story."""
    return [model.score(row) for row in splice_features(units, title, model)]


def offtopic_units(
    units: Sequence[Unit], title: str | None, model: SpliceModel | None = None
) -> list[tuple[int, float]]:
    """The unit (index, score) that most reads like a splice, when its score passes the
    threshold; at most one per article."""
    if len(units) < 2:
        return []
    model = model or load_splice_model()
    scores = splice_scores(units, title, model)
    best = max(range(len(scores)), key=lambda k: (scores[k], -k))
    return [(best, scores[best])] if scores[best] > model.threshold else []
