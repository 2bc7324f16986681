"""Figures of an order against the true one, for evaluation and training only."""

from __future__ import annotations


def kendall_tau(order: list[int]) -> float:
    """Kendall's tau of a permutation against the identity (1 = in order, -1 = reversed)."""
    n = len(order)
    if n < 2:
        return 1.0
    concordant = sum(1 for p in range(n) for q in range(p + 1, n) if order[p] < order[q])
    pairs = n * (n - 1) // 2
    return (2 * concordant - pairs) / pairs
