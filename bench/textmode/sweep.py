"""Sweep the rescue bound of ``model+rules`` over out-of-fold line scores.

    python -m bench.textmode.train --no-write --oof OOF.pkl   # once, about 12 minutes
    python -m bench.textmode.sweep OOF.pkl [--bounds 0.1 0.2 0.3 0.4]

For each bound, the lines that the rules drop by position or length
(:data:`cleaner.settings.POSITIONAL_REASONS`) are kept when their out-of-fold noise
probability is under it, everything else as shipped: the clean gate first, then
:func:`cleaner.textmode.stage.combined_keeps` with that bound.
Prints word F1, the share of documents that lose no article line and the share that come out
exact, per training variant. Every score is out of fold: no line is scored by a model that saw
its page. The WCXB untuned split is not in the training samples at all.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.textmode.train import Encoded
from cleaner.textmode import features as F
from cleaner.textmode.model import LineModel, probability
from cleaner.textmode.stage import combined_keeps

VARIANTS = ("naive", "seed", "seed2", "split", "titled", "gold")


@dataclass(slots=True)
class Tally:
    """Word counts and document counts of one variant under one setting."""

    kept_article: int = 0
    kept_noise: int = 0
    lost_article: int = 0
    docs: int = 0
    none_lost: int = 0
    exact: int = 0

    def f1(self) -> float:
        precision = self.kept_article / max(1, self.kept_article + self.kept_noise)
        recall = self.kept_article / max(1, self.kept_article + self.lost_article)
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def load(path: Path) -> tuple[list[Encoded], list[list[float]], LineModel]:
    """The trainer's ``--oof`` file (pickled under ``python -m``, so ``Encoded`` is looked up
    in ``__main__``)."""
    vars(sys.modules["__main__"])["Encoded"] = Encoded
    with path.open("rb") as f:
        docs, logits, model = pickle.load(f)
    return docs, logits, model


def tally(
    doc: Encoded, probabilities: Sequence[float], whole: bool, bound: float, t: Tally
) -> None:
    lost = wrong = False
    for reason, p, noise, words in zip(doc.rules, probabilities, doc.noise, doc.words, strict=True):
        kept = whole or combined_keeps(reason, p, positional_below=bound)
        if kept and not noise:
            t.kept_article += words
        elif kept:
            t.kept_noise += words
            wrong = True
        elif not noise:
            t.lost_article += words
            lost = wrong = True
    t.docs += 1
    t.none_lost += not lost
    t.exact += not wrong


def sweep(path: Path, bounds: Sequence[float]) -> dict[float, dict[str, Tally]]:
    docs, logits, model = load(path)
    results: dict[float, dict[str, Tally]] = {b: defaultdict(Tally) for b in bounds}
    for doc, lg in zip(docs, logits, strict=True):
        probabilities = [probability(x) for x in lg]
        whole = model.looks_clean(F.clean_features(doc.prose, doc.paras, probabilities, doc.rules))
        for bound in bounds:
            tally(doc, probabilities, whole, bound, results[bound][doc.variant])
    return results


def table(results: dict[float, dict[str, Tally]]) -> str:
    head = "| bound | " + " | ".join(f"{v} F1 / none lost / exact" for v in VARIANTS) + " |"
    rows = [head, "|---" * (len(VARIANTS) + 1) + "|"]
    for bound, by in results.items():
        cells = [_cell(by[v]) for v in VARIANTS]
        rows.append(f"| {bound} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _cell(t: Tally) -> str:
    n = max(1, t.docs)
    return f"{t.f1():.3f} / {t.none_lost / n:.3f} / {t.exact / n:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("oof", type=Path, help="the file written by train --oof")
    parser.add_argument("--bounds", type=float, nargs="+", default=[0.1, 0.2, 0.3, 0.4, 0.5])
    args: Any = parser.parse_args(argv)
    print(table(sweep(args.oof, args.bounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
