"""Print the targets against the latest ``make eval`` results.

``python -m bench.summary`` reads ``bench/results/*.json`` (written by ``python -m bench.eval``)
and prints two Markdown tables. The boilerplate-removal targets (issue 3): each target, the
figure measured, the best baseline of the same run, and whether the target is met or by how
much it falls short (issue 13 adds the outputs that repeat a paragraph three times where the
gold does not, and the navigation-only pages of ``bench.empty_pages`` reported as articles:
both must stay at 0). The text-mode targets (issue 12), on the WCXB untuned split: each figure
for the text noise stage's rules alone (``cleaner-rules``), the model alone (``cleaner-model``)
and the shipped default (``cleaner``), the target, and whether the shipped figure meets it.
Nothing is measured here; a row whose corpus, split, system or figure is absent from the
results says "not evaluated" / "not run".
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
NOT_RUN = "not run"


@dataclass(frozen=True, slots=True)
class Target:
    """One row: a label, how to read the figure and the baseline, and the bar to reach."""

    label: str
    corpus: str
    figure: Callable[[dict[str, Any]], float]
    baseline: Callable[[dict[str, Any]], tuple[str, float] | None]
    bar: Callable[[dict[str, Any]], float]
    unit: str = ""
    at_most: bool = False  # the figure must stay at or under the bar


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


def _repeats(system: str, split: str | None = None) -> Callable[[dict[str, Any]], float]:
    return lambda result: float(_scores(result, split)[system]["repeats_3x_not_in_gold"])


def _repeats_baseline(split: str | None = None) -> Callable[[dict[str, Any]], tuple[str, float]]:
    return lambda result: ("trafilatura", _repeats("trafilatura", split)(result))


def _nav_articles(split: str) -> Callable[[dict[str, Any]], float]:
    """``bench.empty_pages``: navigation-only pages that cleaner reports as articles."""
    return lambda result: float(result["parts"][f"nav {split}"]["cleaner"]["article with language"])


def _nav_baseline(split: str) -> Callable[[dict[str, Any]], tuple[str, float]]:
    """The same pages where trafilatura returns any text (it cannot say it found nothing)."""

    def read(result: dict[str, Any]) -> tuple[str, float]:
        return "trafilatura", float(result["parts"][f"nav {split}"]["trafilatura"]["article"])

    return read


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
    Target("ScrapingHub HTML, outputs repeating a paragraph 3x (gold does not)",
           "scrapinghub-html", _repeats("cleaner"), _repeats_baseline(), _const(0.0), " docs",
           at_most=True),
    Target("WCXB dev articles HTML, the same", "wcxb-html", _repeats("cleaner"),
           _repeats_baseline(), _const(0.0), " docs", at_most=True),
    Target("  the same, untuned split", "wcxb-html", _repeats("cleaner", "untuned"),
           _repeats_baseline("untuned"), _const(0.0), " docs", at_most=True),
    Target("trafilatura eval set, the same (no gold text: every repeat)", "trafilatura-eval",
           _repeats("cleaner"), _repeats_baseline(), _const(0.0), " docs", at_most=True),
    Target("<nav>-only pages reported as an article with a language", "empty-pages",
           _nav_articles("tuning"), _nav_baseline("tuning"), _const(0.0), " docs", at_most=True),
    Target("  the same, WCXB untuned split", "empty-pages", _nav_articles("untuned"),
           _nav_baseline("untuned"), _const(0.0), " docs", at_most=True),
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
        if path.stem != "order" and not path.stem.startswith("speed")
    }


def _fmt(value: float, unit: str) -> str:
    if unit == " docs":
        return f"{value:.0f}{unit}" if value != 1 else "1 doc"
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
        dates[target.corpus] = _run_label(result)
        try:
            figure, bar = target.figure(result), target.bar(result)
            base = target.baseline(result)
        except (KeyError, TypeError, ValueError):  # a system or figure the run did not produce
            lines.append(f"| {target.label} | {NOT_RUN} | | | |")
            continue
        base_text = f"{base[0]} {_fmt(base[1], target.unit)}" if base else "—"
        met = figure <= bar if target.at_most else figure >= bar
        gap = _fmt(abs(bar - figure), target.unit)
        verdict = "yes" if met else (f"no, {gap} over" if target.at_most else f"no, short by {gap}")
        sign = "<=" if target.at_most else ">="
        lines.append(
            f"| {target.label} | {_fmt(figure, target.unit)} | {base_text} "
            f"| {sign} {_fmt(bar, target.unit)} | {verdict} |"
        )
    runs = ", ".join(f"{name} {date}" for name, date in sorted(dates.items()))
    return "\n".join(lines) + f"\n\nRuns: {runs}.\n"


def _run_label(result: dict[str, Any]) -> str:
    """A run's date, and its document limit when it was a ``--limit`` run."""
    date = str(result.get("environment", {}).get("date", "?"))
    limit = result.get("limit")
    return f"{date} (first {limit} docs only)" if limit is not None else date


# --- Text-mode targets (issue 12), WCXB untuned split --------------------------------------

TEXT_SPLIT = "untuned"
TEXT_MODES = ("rules", "model", "model+rules")
DEFAULT_TEXT_NOISE = "model+rules"  # what ``cleaner`` ran when a result does not record it

SystemScores = dict[str, Any]


@dataclass(frozen=True, slots=True)
class TextTarget:
    """One row of the issue-12 table: a figure read from one system's split scores, a bar,
    and whether the figure must reach it from below (``>=``) or stay under it (``<=``)."""

    label: str
    corpus: str
    figure: Callable[[SystemScores], float | None]
    bar: float
    at_most: bool = False
    unit: str = ""
    gold_fragments: bool = False  # add the gold's own fragment rate to the label


def _get(*keys: str) -> Callable[[SystemScores], float | None]:
    def read(scores: SystemScores) -> float | None:
        value: Any = scores
        for key in keys:
            value = value[key]
        return None if value is None else float(value)

    return read


TEXT_TARGETS: tuple[TextTarget, ...] = (
    TextTarget("clean text fed back, token-identical", "wcxb-gold",
               _get("scrapinghub", "accuracy"), 0.99),
    TextTarget("titled clean article, no paragraph lost", "wcxb-titled",
               _get("text", "no_para_lost"), 0.995),
    TextTarget("naive page text, F1", "wcxb-naive", _get("scrapinghub", "f1"), 0.92),
    TextTarget("seed-style, exact accuracy", "wcxb-seed", _get("scrapinghub", "accuracy"), 0.80),
    TextTarget("seed-style, F1", "wcxb-seed", _get("scrapinghub", "f1"), 0.99),
    TextTarget("fragment paragraphs, naive", "wcxb-naive", _get("text", "fragment_rate"),
               0.035, at_most=True, gold_fragments=True),
    TextTarget("fragment paragraphs, seed-style", "wcxb-seed", _get("text", "fragment_rate"),
               0.025, at_most=True, gold_fragments=True),
    TextTarget("title right, seed-style", "wcxb-seed", _get("title", "accuracy"), 0.95),
    TextTarget("title right, naive", "wcxb-naive", _get("title", "accuracy"), 0.60),
    TextTarget("text throughput per core, seed-style", "wcxb-seed", _get("docs_per_s"), 300.0,
               unit=" docs/s"),
    TextTarget("text throughput per core, naive", "wcxb-naive", _get("docs_per_s"), 300.0,
               unit=" docs/s"),
)  # fmt: skip


def _text_noise(result: dict[str, Any]) -> str:
    """The text noise setting the run's ``cleaner`` system shipped with."""
    return str(result.get("environment", {}).get("text_noise") or DEFAULT_TEXT_NOISE)


def _mode_system(mode: str, shipped: str) -> str:
    """The system that ran ``mode``: ``cleaner`` for the shipped one, else ``cleaner-<mode>``."""
    return "cleaner" if mode == shipped else f"cleaner-{mode}"


def _split_figure(
    result: dict[str, Any] | None, system: str, figure: Callable[[SystemScores], float | None]
) -> float | None:
    """A figure of one system on the untuned split; ``None`` when any part was not run."""
    if result is None:
        return None
    try:
        return figure(result["splits"][TEXT_SPLIT][system])
    except (KeyError, TypeError, ValueError):
        return None


def _verdict(value: float | None, target: TextTarget) -> str:
    if value is None:
        return NOT_RUN
    met = value <= target.bar if target.at_most else value >= target.bar
    if met:
        return "yes"
    return f"short by {_fmt(abs(value - target.bar), target.unit)}"


def render_text_targets(results: Results) -> str:
    """The issue-12 table: rules | model | model+rules, the target and whether the shipped
    system (``cleaner``) meets it, on the WCXB untuned split."""
    corpora = {t.corpus for t in TEXT_TARGETS}
    present = [results[c] for c in sorted(corpora) if c in results]
    shipped = _text_noise(present[0]) if present else DEFAULT_TEXT_NOISE
    heads = [f"{mode} (shipped)" if mode == shipped else mode for mode in TEXT_MODES]
    lines = [
        f"### Text mode targets (issue 12), WCXB {TEXT_SPLIT} split",
        "",
        "| figure | " + " | ".join(heads) + " | target | met? |",
        "|---|" + "---|" * len(heads) + "---|---|",
    ]
    for target in TEXT_TARGETS:
        result = results.get(target.corpus)
        label = target.label
        if target.gold_fragments:
            gold = _split_figure(result, "cleaner", _get("text", "gold_fragment_rate"))
            label += f" (gold {_fmt(gold, '')})" if gold is not None else ""
        values = [
            _split_figure(result, _mode_system(mode, _text_noise(result or {})), target.figure)
            for mode in TEXT_MODES
        ]
        cells = [NOT_RUN if v is None else _fmt(v, target.unit) for v in values]
        shipped_value = values[TEXT_MODES.index(shipped)] if shipped in TEXT_MODES else None
        sign = "<=" if target.at_most else ">="
        lines.append(
            f"| {label} | " + " | ".join(cells)
            + f" | {sign} {_fmt(target.bar, target.unit)} | {_verdict(shipped_value, target)} |"
        )
    runs = ", ".join(f"{c} {_run_label(results[c])}" for c in sorted(corpora) if c in results)
    missing = sorted(c for c in corpora if c not in results)
    notes = [f"Runs: {runs or 'none'}."]
    if missing:
        command = f"python -m bench.eval --corpus {' '.join(missing)}"
        notes.append(f"Not run: {', '.join(missing)} (`{command}`).")
    notes.append(
        "Figures: ScrapingHub exact accuracy (token-identical) and F1; share of documents with"
        " every gold paragraph's tokens in the output; share of output paragraphs starting as a"
        " fragment, pooled (the gold's own share in brackets); metadata title = gold title;"
        " docs/s per process on the split's documents. met? judges the shipped column."
    )
    lost = _lost_lines(results, shipped)
    return "\n".join([*lines, "", *notes, *lost]) + "\n"


def _lost_lines(results: Results, shipped: str, top: int = 5) -> list[str]:
    """Where clean inputs lose paragraphs (shipped system, untuned split), by reason."""
    lines = []
    for corpus in ("wcxb-gold", "wcxb-titled"):
        text = _split_figure_raw(results.get(corpus), "cleaner", "text")
        reasons = (text or {}).get("lost_reasons")
        if text is None or reasons is None:
            continue
        # The JSON keeps keys sorted by name: order by count again.
        ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:top]
        shown = " · ".join(f"{r} {n}" for r, n in ranked) or "none"
        lines.append(
            f"- {corpus}: {text.get('paras_lost', 0)} of {text.get('gold_paras', 0)} gold"
            f" paragraphs lost ({shipped}); by reason: {shown}"
        )
    if lines:
        lines.insert(0, "\nGold paragraphs lost by the shipped system, by reason of the removed"
                     " blocks holding them:")  # fmt: skip
    return lines


def _split_figure_raw(result: dict[str, Any] | None, system: str, metric: str) -> Any:
    if result is None:
        return None
    try:
        return result["splits"][TEXT_SPLIT][system][metric]
    except (KeyError, TypeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.summary", description=__doc__)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    args = parser.parse_args(argv)
    results = load(args.results)
    print(render(results))
    print(render_text_targets(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
