"""The issue-4 target table of ``make eval-order``: verdicts say met or by how much a figure
falls short, in the right direction for each figure."""

from __future__ import annotations

from typing import Any

import pytest

from bench.order.evaluate import TARGETS, targets_table, verdict


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (0.995, 0.995, True, "met"),
        (0.5, 0.75, True, "short by 0.250"),
        (0.01, 0.02, False, "met"),
        (0.05, 0.02, False, "short by 0.030"),
        (1 / 49, 0.02, False, "short by 0.0004"),  # one article of 49
        (None, 0.5, True, "—"),
    ],
)
def test_verdict(value: float | None, target: float, higher: bool, expected: str) -> None:
    assert verdict(value, target, higher) == expected


def _results(value: float, speed: float) -> dict[str, Any]:
    scenarios: dict[str, dict[str, float]] = {}
    for _label, scenario, key, _target, _higher in TARGETS:
        scenarios.setdefault(scenario, {})[key] = value
    return {"scenarios": scenarios, "speed": {"docs_per_s": speed, "cpu_docs_per_s": speed - 1}}


def test_targets_table_takes_the_worst_split() -> None:
    results = {"a": _results(1.0, 300.0), "b": _results(0.0, 150.0)}
    table = targets_table(
        results,
        [("seed check", False)],
        {"scrapinghub": {"articles": 10, "changed": 1, "flagged": 2}},
    )
    lines = table.splitlines()
    in_order = next(line for line in lines if line.startswith("| in-order articles"))
    assert in_order.endswith("short by 0.995 |")  # split b has 0.0
    false_flags = next(line for line in lines if line.startswith("| false flags"))
    assert false_flags.endswith("short by 0.980 |")  # lower is better: split a's 1.0 is worst
    speed = next(line for line in lines if line.startswith("| order stage docs/s"))
    assert "| 300 (299) | 150 (149) |" in speed and speed.endswith("short by 50 |")
    assert any("1 of 10 (2): not met" in line for line in lines)
    assert any(line.startswith("| seed: seed check") and "not met" in line for line in lines)
