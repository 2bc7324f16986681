"""Evaluation figures of the order benchmark."""

from __future__ import annotations

import pytest

from bench.order.metrics import kendall_tau


def test_kendall_tau() -> None:
    assert kendall_tau([0, 1, 2, 3]) == 1.0
    assert kendall_tau([3, 2, 1, 0]) == -1.0
    assert kendall_tau([1, 0, 2, 3]) == pytest.approx(2 / 3)
