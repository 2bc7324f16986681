"""Paragraphs spliced in from another story: flagged as off-topic.

Units whose content words and names barely occur in the title and the rest of the article,
and whose cohesion with the other units is low against the article's own spread (a
leave-one-out z-score, :func:`drift`), are flagged as off-topic (the stage's ``offtopic``:
their positions in the output); with ``options.drop_offtopic`` the stage drops them with the
reason ``off-topic: ...``. The thresholds are calibrated in the model file.
"""

from __future__ import annotations

import math
from collections import Counter

from cleaner.order.features import Unit
from cleaner.order.model import Model
from cleaner.order.search import cohesion_matrix
from cleaner.text import stems

OFFTOPIC_MIN_SD = 0.02  # floor of the cohesion spread: near-identical units give no z-score


Drift = tuple[float, float, int, float]


def drift(units: list[Unit], title: str | None) -> list[Drift]:
    """Per unit: share of its content words, and of its names, found in the title or the other
    units; how many content words it has; and how its mean cohesion with the other units
    compares with theirs (a leave-one-out z-score: each article is its own yardstick, so a
    story whose paragraphs share few words anyway does not flag them all)."""
    z = cohesion_z(units)
    return [(*share, z[i]) for i, share in enumerate(shares(units, title))]


def shares(units: list[Unit], title: str | None) -> list[tuple[float, float, int]]:
    """The first three entries of :func:`drift` (cheap: no pair of units is compared)."""
    title_stems = set(stems(title or ""))
    # A word is "elsewhere" when the title has it or another unit does: count units per word.
    word_units = Counter(s for u in units for s in u.stems)
    name_units = Counter(e for u in units for e in u.entities)
    result: list[tuple[float, float, int]] = []
    for unit in units:
        own = unit.stems
        shared_words = sum(1 for s in own if s in title_stems or word_units[s] > 1)
        shared_names = sum(1 for e in unit.entities if e in title_stems or name_units[e] > 1)
        word_share = shared_words / len(own) if own else 1.0
        name_share = shared_names / len(unit.entities) if unit.entities else 1.0
        result.append((word_share, name_share, len(own)))
    return result


def cohesion_z(units: list[Unit]) -> list[float]:
    """The last entry of :func:`drift`: each unit's mean cohesion, as a z-score against the
    other units' mean cohesions."""
    cohesion = cohesion_matrix(units)
    n = len(units)
    means = [sum(row) / (n - 1) if n > 1 else 0.0 for row in cohesion]
    return [_loo_z(m, means[:i] + means[i + 1 :]) for i, m in enumerate(means)]


def _loo_z(value: float, others: list[float]) -> float:
    """(value - mean) / sd of ``others``, 0 when they are too few or all alike."""
    if len(others) < 2:
        return 0.0
    mean = sum(others) / len(others)
    sd = math.sqrt(sum((x - mean) ** 2 for x in others) / (len(others) - 1))
    return (value - mean) / max(sd, OFFTOPIC_MIN_SD)


def is_offtopic(d: Drift, model: Model) -> bool:
    """The off-topic rule on one unit's :data:`Drift` (thresholds from the model file)."""
    word_share, name_share, size, z = d
    return (
        size >= model.offtopic_min_stems
        and word_share < model.offtopic_words
        and name_share < model.offtopic_entities
        and z < model.offtopic_z
    )


def offtopic_units(units: list[Unit], title: str | None, model: Model) -> list[int]:
    """Units whose vocabulary and names drift from the rest of the article and the title.
    The cohesion z-score (quadratic in the units) is computed only when some unit passes the
    cheap tests."""
    cheap = shares(units, title)
    if not any(is_offtopic((*share, -math.inf), model) for share in cheap):
        return []
    z = cohesion_z(units)
    return [i for i, share in enumerate(cheap) if is_offtopic((*share, z[i]), model)]

