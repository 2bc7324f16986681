"""Search over paragraph orders: the objective, single-paragraph moves and a global order.

The search objective is the precedence score of :mod:`cleaner.order.model` (the sum of the
log-odds over every ordered pair) plus a calibrated weight times the cohesion of adjacent units
(:func:`cohesion_matrix`: neighbouring paragraphs share words), held by a :class:`Scorer`.
From the given order, :func:`small_moves` takes up to :data:`MAX_MOVES` greedy confident
single-unit moves; :func:`global_order` sorts the units by total log-odds, then improves the
order by single moves until none helps. :func:`z_score` says how much better than chance the
model finds the given order (the stage's gate).

The hard-evidence repair is a search too: :func:`resolve` finds the fewest and shortest
single-paragraph moves (at most :data:`MAX_MOVES`) after which every surname is first met in
full (:func:`introductions`, :func:`violations`), the model breaking ties.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from cleaner.order.evidence import Constraints, late_slip, numbered, surname_mentions
from cleaner.order.features import Unit

MAX_MOVES = 3  # small moves: at most this many single-unit moves from the given order
MOVE_MIN_GAIN = 1.0  # log-odds a single move must gain to be taken


def order_score(order: list[int], matrix: list[list[float]]) -> float:
    """Sum of the log-odds of every ordered pair of ``order``."""
    total = 0.0
    for p, a in enumerate(order):
        row = matrix[a]
        for b in order[p + 1 :]:
            total += row[b]
    return total


def moves(order: list[int], matrix: list[list[float]]) -> Iterator[tuple[float, list[int]]]:
    """Every single-unit move (take one unit out, put it elsewhere) with its gain in score."""
    n = len(order)
    for p in range(n):
        x = order[p]
        row = matrix[x]
        gain = 0.0
        for q in range(p - 1, -1, -1):  # move x to position q, before order[q..p-1]
            gain += 2 * row[order[q]]
            yield gain, [*order[:q], x, *order[q:p], *order[p + 1 :]]
        gain = 0.0
        for q in range(p + 1, n):  # move x to just after order[q]
            gain -= 2 * row[order[q]]
            yield gain, order[:p] + order[p + 1 : q + 1] + [x] + order[q + 1 :]


def cohesion_matrix(units: list[Unit]) -> list[list[float]]:
    """``C[i][j]``: cosine of the content-word sets of units i and j (symmetric). Neighbouring
    paragraphs of a story share words; a paragraph moved away from its neighbours leaves two
    seams with few shared words. (On web articles the signal is weak: the best single move
    undoes a displaced paragraph in only a few percent of cases, see ``bench.order.probe``.)"""
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        a = units[i].stems
        for j in range(i + 1, n):
            b = units[j].stems
            if a and b:
                matrix[i][j] = matrix[j][i] = len(a & b) / math.sqrt(len(a) * len(b))
    return matrix


@dataclass(frozen=True, slots=True)
class Scorer:
    """The objective of the search: pairwise precedence log-odds plus ``weight`` times the
    cohesion of adjacent units."""

    logits: list[list[float]]
    cohesion: list[list[float]]
    weight: float

    def score(self, order: list[int]) -> float:
        adjacent = sum(self.cohesion[a][b] for a, b in pairwise(order))
        return order_score(order, self.logits) + self.weight * adjacent

    def best_move(self, order: list[int]) -> tuple[float, list[int]]:
        """The single-unit move that gains most in the objective (the order itself when none
        gains), in O(n^2): precedence gains accumulate along the sweep, cohesion changes only
        at the three seams a move touches."""
        n = len(order)
        c = self.cohesion
        best_gain, best_p, best_q = 0.0, -1, -1
        for p in range(n):
            x = order[p]
            row = self.logits[x]
            prev = order[p - 1] if p > 0 else -1
            nxt = order[p + 1] if p < n - 1 else -1
            out = -(c[prev][x] if prev >= 0 else 0.0) - (c[x][nxt] if nxt >= 0 else 0.0)
            if prev >= 0 and nxt >= 0:
                out += c[prev][nxt]
            gain = 0.0
            for q in range(p - 1, -1, -1):  # x goes between order[q - 1] and order[q]
                gain += 2 * row[order[q]]
                u = order[q - 1] if q > 0 else -1
                total = gain + self.weight * (out + _seam(c, u, x, order[q]))
                if total > best_gain + 1e-12:
                    best_gain, best_p, best_q = total, p, q
            gain = 0.0
            for q in range(p + 1, n):  # x goes between order[q] and order[q + 1]
                gain -= 2 * row[order[q]]
                v = order[q + 1] if q < n - 1 else -1
                total = gain + self.weight * (out + _seam(c, order[q], x, v))
                if total > best_gain + 1e-12:
                    best_gain, best_p, best_q = total, p, q
        if best_p < 0:
            return 0.0, order
        return best_gain, _moved(order, best_p, best_q)


def _seam(c: list[list[float]], u: int, x: int, v: int) -> float:
    """Cohesion change of putting x between u and v (-1: no unit on that side)."""
    change = (c[u][x] if u >= 0 else 0.0) + (c[x][v] if v >= 0 else 0.0)
    return change - (c[u][v] if u >= 0 and v >= 0 else 0.0)


def _moved(order: list[int], p: int, q: int) -> list[int]:
    """``order`` with the unit at p moved as :func:`moves` describes target q."""
    x = order[p]
    if q < p:
        return [*order[:q], x, *order[q:p], *order[p + 1 :]]
    return order[:p] + order[p + 1 : q + 1] + [x] + order[q + 1 :]


def small_moves(scorer: Scorer) -> tuple[float, list[int], int]:
    """Greedy confident single-unit moves from the given order: (gain, order, moves)."""
    order = list(range(len(scorer.logits)))
    total = 0.0
    count = 0
    while count < MAX_MOVES:
        gain, moved = scorer.best_move(order)
        if gain < MOVE_MIN_GAIN:
            break
        total, order, count = total + gain, moved, count + 1
    return total, order, count


def global_order(scorer: Scorer) -> tuple[float, list[int]]:
    """Sort by total log-odds (a Borda count), then apply improving moves to a local optimum
    of the search objective (precedence plus adjacent cohesion)."""
    n = len(scorer.logits)
    totals = [sum(row) for row in scorer.logits]
    order = sorted(range(n), key=lambda i: (-totals[i], i))
    for _ in range(n * n):
        gain, moved = scorer.best_move(order)
        if gain <= 1e-9:
            break
        order = moved
    return scorer.score(order) - scorer.score(list(range(n))), order


Names = Constraints


def introductions(units: list[Unit]) -> Names:
    """Per surname that some unit gives in full: (units that introduce it, units that use it
    bare). Surnames never used bare, and :func:`late_slip` ones, are left out."""
    n = len(units)
    return [names for _, names in surname_mentions(units) if not late_slip(*names, n)]


def constraints(units: list[Unit]) -> Constraints:
    """Every hard-evidence pair: the introductions, then a numbered list's sequence."""
    return introductions(units) + numbered(units)


def violations(names: Names, order: list[int]) -> int:
    """How many surnames are first mentioned bare in ``order`` (before any full mention)."""
    count = 0
    for full, bare in names:
        first = next(k for k in order if k in full or k in bare)
        count += first not in full
    return count


def resolve(names: Names, start: list[int], matrix: list[list[float]]) -> list[int]:
    """Fewest, shortest single-unit moves from ``start`` that put introductions first: each
    move must remove a violation; among those, the one that moves a unit over the fewest
    others (a scraper that displaced one paragraph is undone by the shortest move), the model
    breaking ties. Moves nothing else."""
    order = list(start)
    for _ in range(MAX_MOVES):
        current = violations(names, order)
        if current == 0:
            break
        best: tuple[int, int, float] | None = None
        chosen = order
        for gain, moved in moves(order, matrix):
            left = violations(names, moved)
            if left >= current:
                continue
            key = (left, displacement(order, moved), -gain)
            if best is None or key < best:
                best, chosen = key, moved
        order = chosen
    return order


def displacement(before: list[int], after: list[int]) -> int:
    """How many units a single move jumped over (positions that changed, minus one)."""
    return sum(1 for x, y in zip(before, after, strict=True) if x != y) - 1


def z_score(matrix: list[list[float]]) -> float:
    """How much better than chance the model finds the given order: its score over the
    standard deviation of the score of a random order (0 for a random order, high when the
    model agrees with the given order)."""
    n = len(matrix)
    spread = math.sqrt(sum(matrix[i][j] ** 2 for i in range(n) for j in range(i + 1, n)))
    return order_score(list(range(n)), matrix) / spread if spread else 0.0

