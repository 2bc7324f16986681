"""Print the boilerplate-removal targets (issue 3) against the latest ``make eval`` results.

``python -m bench.summary`` reads ``bench/results/*.json`` (written by ``python -m bench.eval``)
and prints one Markdown table: each target, the figure measured, the best baseline of the same
run, and whether the target is met or by how much it falls short. Nothing is measured here; a
row whose corpus has not been evaluated says so.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_RESULTS = Path(__file__).resolve().parent / "results"
Results = dict[str, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Target:
    """One row: a label, how to read the figure and the baseline, and the bar to reach."""

    label: str
    corpus: str
    figure: Callable[[dict[str, Any]], float]
    baseline: Callable[[dict[str, Any]], tuple[str, float] | None]
    bar: Callable[[dict[str, Any]], float]
    unit: str = ""


def _scores(result: dict[str, Any], split: str | None) -> dict[str, Any]:
    """The per-system scores of a saved run: all documents, or one split of them."""
    return dict(result["splits"][split] if split else result["scores"])


def _score(
    system: str, metric: str, key: str, split: str | None = None
) -> Callable[[dict[str, Any]], float]:
    def read(result: dict[str, Any]) -> float:
        return float(_scores(result, split)[system][metric][key])

    return read


def _best(
    metric: str, key: str, split: str | None = None
) -> Callable[[dict[str, Any]], tuple[str, float] | None]:
    """The best system of the run that is not a ``cleaner`` variant."""

    def read(result: dict[str, Any]) -> tuple[str, float] | None:
        pairs = [
            (name, float(s[metric][key]))
            for name, s in _scores(result, split).items()
            if not name.startswith("cleaner") and metric in s
        ]
        return max(pairs, key=lambda p: p[1]) if pairs else None

    return read


def _const(value: float) -> Callable[[dict[str, Any]], float]:
    return lambda _result: value


def _speed(system: str) -> Callable[[dict[str, Any]], float]:
    return lambda result: float(result["scores"][system]["docs_per_s"])


def _speed_ratio(result: dict[str, Any]) -> float:
    scores = result["scores"]
    return float(scores["cleaner"]["docs_per_s"]) / float(scores["trafilatura"]["docs_per_s"])


def _traf_plus(delta: float, split: str | None = None) -> Callable[[dict[str, Any]], float]:
    trafilatura = _score("trafilatura", "wcxb", "f1", split)
    return lambda result: trafilatura(result) + delta


TARGETS: tuple[Target, ...] = (
    Target("ScrapingHub HTML, F1", "scrapinghub-html", _score("cleaner", "scrapinghub", "f1"),
           _best("scrapinghub", "f1"), _const(0.975)),
    Target("ScrapingHub HTML, exact accuracy", "scrapinghub-html",
           _score("cleaner", "scrapinghub", "accuracy"), _best("scrapinghub", "accuracy"),
           _const(0.45)),
    Target("WCXB dev articles HTML, WCXB F1", "wcxb-html", _score("cleaner", "wcxb", "f1"),
           _best("wcxb", "f1"), _traf_plus(0.02)),
    Target("  the same, untuned split", "wcxb-html",
           _score("cleaner", "wcxb", "f1", "untuned"), _best("wcxb", "f1", split="untuned"),
           _traf_plus(0.02, "untuned")),
    Target("trafilatura eval set, snippet F", "trafilatura-eval",
           _score("cleaner", "snippet", "f1"), _best("snippet", "f1"), _const(0.94)),
    Target("naive page text ScrapingHub, F1", "sh-naive", _score("cleaner", "scrapinghub", "f1"),
           _best("scrapinghub", "f1"), _const(0.90)),
    Target("naive page text WCXB dev, F1", "wcxb-naive", _score("cleaner", "scrapinghub", "f1"),
           _best("scrapinghub", "f1"), _const(0.92)),
    Target("seed-style ScrapingHub, F1", "sh-seed", _score("cleaner", "scrapinghub", "f1"),
           _best("scrapinghub", "f1"), _const(0.99)),
    Target("seed-style ScrapingHub, exact accuracy", "sh-seed",
           _score("cleaner", "scrapinghub", "accuracy"), _best("scrapinghub", "accuracy"),
           _const(0.80)),
    Target("seed-style WCXB dev, F1", "wcxb-seed", _score("cleaner", "scrapinghub", "f1"),
           _best("scrapinghub", "f1"), _const(0.99)),
    Target("seed-style WCXB dev, exact accuracy", "wcxb-seed",
           _score("cleaner", "scrapinghub", "accuracy"), _best("scrapinghub", "accuracy"),
           _const(0.80)),
    Target("gold fed back ScrapingHub, token-identical", "sh-gold",
           _score("cleaner", "scrapinghub", "accuracy"), lambda _r: None, _const(0.99)),
    Target("gold fed back WCXB dev, token-identical", "wcxb-gold",
           _score("cleaner", "scrapinghub", "accuracy"), lambda _r: None, _const(0.99)),
    Target("HTML throughput, x trafilatura alone", "scrapinghub-html", _speed_ratio,
           lambda _r: ("trafilatura", 1.0), _const(0.85), "x"),
    Target("text throughput (seed-style), docs/s per process", "sh-seed", _speed("cleaner"),
           lambda _r: None, _const(300.0), " docs/s"),
)  # fmt: skip


def load(results: Path) -> Results:
    """Every ``<corpus>.json`` of the results folder, by corpus name."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(results.glob("*.json"))
        if path.stem != "order" and path.stem != "speed"
    }


def _fmt(value: float, unit: str) -> str:
    if unit == " docs/s":
        return f"{value:.1f}{unit}"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3f}"


def render(results: Results) -> str:
    """The Markdown table of every target, with the run date of each corpus used."""
    lines = [
        "| target | cleaner | best baseline, same run | bar | met? |",
        "|---|---|---|---|---|",
    ]
    dates: dict[str, str] = {}
    for target in TARGETS:
        result = results.get(target.corpus)
        if result is None:
            lines.append(f"| {target.label} | not evaluated | | | |")
            continue
        dates[target.corpus] = str(result.get("environment", {}).get("date", "?"))
        figure, bar = target.figure(result), target.bar(result)
        base = target.baseline(result)
        base_text = f"{base[0]} {_fmt(base[1], target.unit)}" if base else "—"
        verdict = "yes" if figure >= bar else f"no, short by {_fmt(bar - figure, target.unit)}"
        lines.append(
            f"| {target.label} | {_fmt(figure, target.unit)} | {base_text} "
            f"| >= {_fmt(bar, target.unit)} | {verdict} |"
        )
    runs = ", ".join(f"{name} {date}" for name, date in sorted(dates.items()))
    return "\n".join(lines) + f"\n\nRuns: {runs}.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.summary", description=__doc__)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    args = parser.parse_args(argv)
    print(render(load(args.results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
