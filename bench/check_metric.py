"""Check our ScrapingHub scorer against the published figures: ``python -m bench.check_metric``.

``scrapinghub/output/*.json`` holds the outputs of ten tools on the ScrapingHub
article-extraction benchmark (https://github.com/scrapinghub/article-extraction-benchmark,
MIT licence). Re-scoring them with :func:`bench.metrics.scrapinghub_scores` must give back the
F1 that the benchmark's README publishes; if it does not, the scorer is wrong and every figure
of ``bench.eval`` is suspect. Exits 1 when a tool in :data:`MUST_MATCH` is off in the third
decimal of F1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NamedTuple

from bench.corpora import data_dir
from bench.metrics import scrapinghub_scores


class Published(NamedTuple):
    """A row of the upstream README's results: the version scored and F1 / P / R / accuracy."""

    name: str
    version: str
    f1: float
    precision: float | None
    recall: float | None
    accuracy: float | None


# Output file stem -> the published row its output was scored for (upstream README.rst, the
# latest table naming that tool; the output's own "version" field, where it has one, agrees).
# readability.json is readability-lxml 0.8.4.1 (.922), not Readability.js (.947), whose output
# is not shipped; newspaper.json is newspaper4k, news_please.json news-please 1.6.16.
PUBLISHED: dict[str, Published] = {
    "AutoExtract": Published("AutoExtract", "Nov 2019", 0.970, 0.984, 0.956, 0.470),
    "boilerpipe": Published("boilerpipe", "ab3694d", 0.860, 0.850, 0.870, 0.006),
    "dragnet": Published("dragnet", "1b65e7b", 0.907, 0.925, 0.889, 0.221),
    "goose3": Published("goose3", "3.1.20", 0.896, 0.940, 0.856, 0.232),
    "html-text": Published("html-text", "0.7.0", 0.665, 0.500, 0.994, 0.000),
    "justext": Published("justext", "3.0.2", 0.804, 0.858, 0.756, 0.088),
    "news_please": Published("news_please", "1.6.16", 0.948, 0.964, 0.933, 0.326),
    "newspaper": Published("newspaper4k", "0.9.3.1", 0.949, 0.964, 0.934, 0.326),
    "readability": Published("readability-lxml", "0.8.4.1", 0.922, 0.913, 0.931, 0.315),
    "trafilatura": Published("trafilatura", "2.0.0", 0.958, 0.938, 0.978, 0.293),
}

# The scorer must reproduce these to three decimals of F1.
MUST_MATCH = ("trafilatura", "readability", "html-text")


def load_output(path: Path) -> tuple[dict[str, str], str | None]:
    """Read one tool's output: ``{id: {"articleBody": ...}}`` or, as newer upstream files are,
    ``{"output": {id: {"articleBody": ...}}, "version": ...}``. Returns texts and version."""
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    version: str | None = None
    if set(raw) <= {"output", "version"} and isinstance(raw.get("output"), dict):
        version = raw.get("version")
        raw = raw["output"]
    texts = {doc_id: (item or {}).get("articleBody") or "" for doc_id, item in raw.items()}
    return texts, version


def load_gold(root: Path) -> dict[str, str]:
    """ScrapingHub's ground truth: ``{id: articleBody}``."""
    raw: dict[str, dict[str, Any]] = json.loads(
        (root / "scrapinghub" / "ground-truth.json").read_text(encoding="utf-8")
    )
    return {doc_id: item.get("articleBody") or "" for doc_id, item in raw.items()}


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Score every shipped output, print ours beside the published figures, return 0 if the
    tools of :data:`MUST_MATCH` match to three decimals of F1 (and no other F1 is off)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="evaluation data folder")
    args = parser.parse_args(argv)
    root: Path = args.data or data_dir()

    gold = load_gold(root)
    rows: list[str] = [
        "| output file | published as | version | F1 | P | R | acc "
        "| pub F1 | pub P | pub R | pub acc | match |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    failures: list[str] = []
    mismatched: list[str] = []
    for path in sorted((root / "scrapinghub" / "output").glob("*.json")):
        texts, version = load_output(path)
        if set(texts) != set(gold):
            failures.append(f"{path.name}: ids differ from the ground truth")
            continue
        s = scrapinghub_scores(texts, gold)
        pub = PUBLISHED.get(path.stem)
        match = pub is not None and f"{s['f1']:.3f}" == f"{pub.f1:.3f}"
        all_four = pub is not None and all(
            ref is not None and f"{ours:.3f}" == f"{ref:.3f}"
            for ours, ref in (
                (s["precision"], pub.precision),
                (s["recall"], pub.recall),
                (s["accuracy"], pub.accuracy),
            )
        )
        if pub is not None and not match:
            (failures if path.stem in MUST_MATCH else mismatched).append(
                f"{path.stem}: F1 {s['f1']:.3f}, published {pub.f1:.3f}"
            )
        shown_version = version or (pub.version if pub else "?")
        rows.append(
            f"| {path.stem} | {pub.name if pub else '?'} | {shown_version}"
            f" | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {s['accuracy']:.3f}"
            f" | {_fmt(pub.f1 if pub else None)} | {_fmt(pub.precision if pub else None)}"
            f" | {_fmt(pub.recall if pub else None)} | {_fmt(pub.accuracy if pub else None)}"
            f" | {('all four' if all_four else 'F1 only') if match else 'NO'} |"
        )
    print("ScrapingHub metric, our scorer vs the published figures (181 documents)\n")
    print("\n".join(rows))
    for stem in MUST_MATCH:
        if not (root / "scrapinghub" / "output" / f"{stem}.json").exists():
            failures.append(f"{stem}: output file missing")
    if mismatched:
        print("\nF1 off (not required to match): " + "; ".join(mismatched))
    if failures:
        print("\nFAIL: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(f"\nOK: F1 reproduced to 3 decimals for {', '.join(MUST_MATCH)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
