"""End-to-end comparison of the learned noise model with the rule-based cleaner.

    /tmp/probe/bin/python -m bench.noise_model.evaluate [--thresholds 0.3,0.5,0.7]

For each document, variant (seed-style, naive-text, gold fed back) and system, render the kept
blocks (lines of one paragraph joined with "\\n", paragraphs with "\\n\\n") and score against the
gold with the ScrapingHub metric (F1; accuracy = share of token-identical documents). Systems:

* ``rules``: the current cleaner, ``cleaner.clean(bytes, name=id + ".txt").text``.
* ``model``: keep blocks with P(keep) >= threshold.
* ``hybrid``: drop what ``cleaner.noise.pattern_reason`` drops, the model decides the rest.

No document is scored by a model fitted on it: WCXB is scored on its held-out ids only
(id % 5 == 0) with the shipped ``bench/noise_model/noise_model.json``; ScrapingHub (all of it is in
the training data) with out-of-fold models from the same group 5-fold split as the training
script. Needs scikit-learn for the fold models (training-time dependency).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time

from bench.metrics import scrapinghub_scores
from bench.noise_model import train as tn
from bench.noise_model.features import FEATURE_NAMES
from bench.noise_model.model import NoiseModel, load_model
from cleaner import clean
from cleaner.noise import pattern_reason

VARIANTS = ("seed-style", "naive-text", "gold")


def render(texts: list[str], paras: list[int], keep: list[bool]) -> str:
    """Kept blocks back to text: lines of a paragraph with "\\n", paragraphs with "\\n\\n"."""
    out: list[list[str]] = []
    last: int | None = None
    for text, para, k in zip(texts, paras, keep, strict=True):
        if not k:
            continue
        if para != last or not out:
            out.append([])
            last = para
        out[-1].append(text)
    return "\n\n".join("\n".join(p) for p in out)


class _Unpickler(pickle.Unpickler):
    """The training script pickles its classes as ``__main__``'s; find them in its module."""

    def find_class(self, module: str, name: str) -> object:
        if module == "__main__":
            module = tn.__name__
        return super().find_class(module, name)


def training_data() -> list[tn.Featurised]:
    """Featurised training documents, as cached by the last full training run (in /tmp, keyed
    by the feature list; delete the cache after changing the labelling)."""
    if tn.CACHE.exists():
        with tn.CACHE.open("rb") as f:
            names, data = _Unpickler(f).load()
        if names == FEATURE_NAMES:
            return list(data)
    data = tn.featurise_all(list(tn.items()))
    tn.CACHE.write_bytes(pickle.dumps((FEATURE_NAMES, data)))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="", help="extra thresholds to report, e.g. 0.3,0.7")
    parser.add_argument("--corpora", default="scrapinghub,wcxb-dev")
    args = parser.parse_args(argv)
    start = time.time()
    shipped = load_model()
    thresholds = [shipped.threshold] + [float(t) for t in args.thresholds.split(",") if t]

    # which model scores which document
    model_for: dict[str, NoiseModel] = {}
    corpora = tuple(args.corpora.split(","))
    if "scrapinghub" in corpora:
        folds, models = tn.fold_models(training_data())
        for group, k in folds.items():
            if group.startswith("scrapinghub/"):
                model_for[group] = models[k]
        print(f"fold models ready in {time.time() - start:.0f}s", flush=True)

    print(
        f"{'corpus':<12} {'variant':<11} {'system':<14} {'docs':>5} {'F1':>7} {'P':>7} "
        f"{'R':>7} {'acc':>7}"
    )
    for corpus in corpora:
        # ScrapingHub has no held-out ids (scored out-of-fold); WCXB only its held-out ids
        selected = list(tn.items((corpus,), train=corpus == "scrapinghub"))
        gold = {it.doc_id: it.gold for it in selected if it.variant == "gold"}
        data = tn.featurise_all(selected)
        for variant in VARIANTS:
            preds: dict[str, dict[str, str]] = {}
            for d in data:
                if d.item.variant != variant:
                    continue
                doc_id = d.item.doc_id
                model = model_for.get(d.item.group, shipped)
                probs = [model.score(r) for r in d.rows]
                patterned = [pattern_reason(t) is not None for t in d.texts]
                raw = d.item.text.encode("utf-8")
                preds.setdefault("rules", {})[doc_id] = clean(raw, name=doc_id + ".txt").text
                for t in thresholds:
                    keep = [p >= t for p in probs]
                    preds.setdefault(f"model@{t:g}", {})[doc_id] = render(d.texts, d.paras, keep)
                    hybrid = [k and not pat for k, pat in zip(keep, patterned, strict=True)]
                    preds.setdefault(f"hybrid@{t:g}", {})[doc_id] = render(d.texts, d.paras, hybrid)
            docs_gold = {i: gold[i] for i in preds["rules"]}
            for system, pred in preds.items():
                s = scrapinghub_scores(pred, docs_gold)
                print(
                    f"{corpus:<12} {variant:<11} {system:<14} {s['docs']:>5} {s['f1']:>7.4f} "
                    f"{s['precision']:>7.4f} {s['recall']:>7.4f} {s['accuracy']:>7.4f}",
                    flush=True,
                )
    print(f"done in {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
