"""The search: the O(n^2) best move against a full rescore, cohesion pulling neighbours together."""

from __future__ import annotations

import random

import pytest

from cleaner.order.features import analyse
from cleaner.order.search import Scorer, cohesion_matrix, moves


def random_scorer(rng: random.Random, n: int, weight: float) -> Scorer:
    logits = [[0.0] * n for _ in range(n)]
    cohesion = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            value = rng.uniform(-2, 2)
            logits[i][j], logits[j][i] = value, -value
            cohesion[i][j] = cohesion[j][i] = rng.random()
    return Scorer(logits, cohesion, weight)


@pytest.mark.parametrize("weight", [0.0, 1.0, 5.0])
def test_best_move_gain_matches_a_full_rescore(weight: float) -> None:
    """The O(n^2) sweep (precedence accumulated, cohesion at three seams) must find the same
    best move, with the same gain, as scoring every moved order from scratch."""
    rng = random.Random(7)
    for _ in range(60):
        n = rng.randint(2, 9)
        scorer = random_scorer(rng, n, weight)
        order = list(range(n))
        rng.shuffle(order)
        base = scorer.score(order)
        brute = max([scorer.score(m) - base for _, m in moves(order, scorer.logits)] + [0.0])
        gain, moved = scorer.best_move(order)
        assert gain == pytest.approx(brute, abs=1e-9)
        assert scorer.score(moved) - base == pytest.approx(gain, abs=1e-9)


def test_cohesion_pulls_a_paragraph_back_to_its_neighbours() -> None:
    """With no precedence evidence, a unit that shares words with units 0 and 2 but sits at
    the end is moved between them."""
    texts = [
        "Harbour cranes unload grain ships every morning at the eastern quay.",
        "Grain ships unload their cargo while harbour cranes swing over the quay.",
        "Quay workers said the grain season brings more ships to the harbour.",
        "Violinists rehearse symphonies nightly inside the conservatory auditorium.",
        "Symphonies rehearsed nightly fill the conservatory auditorium with violinists.",
    ]
    order = [0, 2, 3, 4, 1]
    units = analyse([texts[k] for k in order], None)
    zero = [[0.0] * len(units) for _ in units]
    _, moved = Scorer(zero, cohesion_matrix(units), 1.0).best_move(list(range(len(units))))
    restored = [order[k] for k in moved]
    assert set(restored[:3]) == {0, 1, 2} and set(restored[3:]) == {3, 4}


def test_cohesion_matrix_is_symmetric_cosine() -> None:
    units = analyse(["alpha beta gamma delta", "alpha beta epsilon zeta", "theta iota kappa"], None)
    matrix = cohesion_matrix(units)
    assert matrix[0][1] == matrix[1][0] == pytest.approx(2 / 4)
    assert matrix[0][2] == 0.0 and matrix[0][0] == 0.0
