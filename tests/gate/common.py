"""What the gate's tests and its data builder share: paths, the pinned subset, the floor rule.

Kept in one place so the builder (``make_data``) and the tests cannot disagree on which
documents the gate holds, how they are fed to ``cleaner`` or how a floor is derived.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bench.metrics import scrapinghub_scores
from cleaner import clean

GATE_DIR = Path(__file__).resolve().parent
TESTS_DIR = GATE_DIR.parent
DATA_DIR = TESTS_DIR / "data"
OUTPUTS_DIR = DATA_DIR / "scrapinghub-outputs"
SUBSET_DIR = DATA_DIR / "gate"
FLOORS_FILE = SUBSET_DIR / "floors.json"

# Documents per corpus: the first SUBSET_SIZE ids in sorted order (after the held-out filter).
# Sorted order, not a hand pick, so the subset is not chosen by how well cleaner does on it.
SUBSET_SIZE = 25

# Output file stem -> the published ScrapingHub row (upstream README.rst) that re-scoring the
# shipped output must reproduce to 3 decimals; same figures as bench/check_metric.py.
PUBLISHED: dict[str, dict[str, float]] = {
    # trafilatura 2.0.0
    "trafilatura": {"f1": 0.958, "precision": 0.938, "recall": 0.978, "accuracy": 0.293},
    # readability-lxml 0.8.4.1 (not Readability.js, .947, whose output is not shipped)
    "readability": {"f1": 0.922, "precision": 0.913, "recall": 0.931, "accuracy": 0.315},
    # html-text 0.7.0
    "html-text": {"f1": 0.665, "precision": 0.500, "recall": 0.994, "accuracy": 0.000},
}

# The figures each gate corpus is held to (keys of bench.metrics.scrapinghub_scores).
METRICS: tuple[str, ...] = ("f1", "accuracy")

InputKind = Literal["html", "text", "gold"]


@dataclass(frozen=True, slots=True)
class GateCorpus:
    """One corpus of the gate.

    ``folder`` (under ``tests/data/gate``) holds the inputs and ``gold.json.gz``;
    ``kind`` says how an input is stored and named for ``cleaner.clean``: ``html`` as the
    original ``<id>.html.gz`` bytes, ``text`` as ``<id>.txt.gz`` (ungzipped before cleaning,
    so cleaner sees the ``.txt`` bytes a user would give it), ``gold`` as the gold text itself.
    """

    name: str
    folder: str
    kind: InputKind
    description: str


CORPORA: tuple[GateCorpus, ...] = (
    GateCorpus("sh-html", "sh-html", "html", "ScrapingHub HTML pages vs articleBody"),
    GateCorpus("sh-seed", "sh-seed", "text", "ScrapingHub seed-style noisy text vs gold"),
    GateCorpus(
        "wcxb-naive",
        "wcxb-naive",
        "text",
        "WCXB dev article pages, naive scraper text vs gold (tuning split only)",
    ),
    # The gold texts of sh-seed fed back in: cleaner should leave clean text alone.
    GateCorpus("sh-gold", "sh-seed", "gold", "ScrapingHub gold text fed back in"),
)


def read_json_gz(path: Path) -> Any:
    """Load a gzipped UTF-8 JSON file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def write_json_gz(path: Path, data: Any) -> None:
    """Write gzipped JSON reproducibly (sorted keys, no gzip timestamp), so rebuilding the
    data from the same sources gives byte-identical files and an empty ``git diff``."""
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))


def floor_for(measured: float) -> float:
    """The floor pinned for a measured figure: rounded down to 2 decimals, minus 0.01,
    never below 0. The slack absorbs harmless drift from small changes; a real regression
    (a document lost, a noise class let through) still goes below it."""
    down = math.floor(round(measured * 100, 6)) / 100
    return max(0.0, round(down - 0.01, 2))


@dataclass(frozen=True, slots=True)
class GateResult:
    """Scores of cleaner on one gate corpus, with the per-document detail kept for messages."""

    corpus: GateCorpus
    scores: dict[str, float]
    per_doc_f1: dict[str, float]
    errors: dict[str, str]
    seconds: float


def load_inputs(corpus: GateCorpus) -> tuple[dict[str, tuple[bytes, str]], dict[str, str]]:
    """The corpus's inputs as ``{id: (bytes, file name)}`` and its gold as ``{id: text}``."""
    folder = SUBSET_DIR / corpus.folder
    gold: dict[str, str] = read_json_gz(folder / "gold.json.gz")
    inputs: dict[str, tuple[bytes, str]] = {}
    for doc_id in sorted(gold):
        if corpus.kind == "html":
            name = f"{doc_id}.html.gz"
            inputs[doc_id] = ((folder / name).read_bytes(), name)
        elif corpus.kind == "text":
            data = gzip.decompress((folder / f"{doc_id}.txt.gz").read_bytes())
            inputs[doc_id] = (data, f"{doc_id}.txt")
        else:
            inputs[doc_id] = (gold[doc_id].encode("utf-8"), f"{doc_id}.txt")
    return inputs, gold


def run_corpus(corpus: GateCorpus) -> GateResult:
    """Clean every input of ``corpus`` and score it with the ScrapingHub metric.

    As in ``bench.eval``, a document cleaner fails on counts as an empty output (and is listed
    in ``errors``): one crash then costs its share of recall, which the floor catches, and
    the other documents are still scored so the message shows the whole picture.
    """
    inputs, gold = load_inputs(corpus)
    pred: dict[str, str] = {}
    errors: dict[str, str] = {}
    start = time.perf_counter()
    for doc_id, (data, name) in inputs.items():
        try:
            pred[doc_id] = clean(data, name=name).text
        except Exception as exc:  # a crash is a scored empty output, not a stop
            pred[doc_id] = ""
            errors[doc_id] = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    s = scrapinghub_scores(pred, gold)
    return GateResult(
        corpus=corpus,
        scores={
            "f1": s["f1"],
            "precision": s["precision"],
            "recall": s["recall"],
            "accuracy": s["accuracy"],
        },
        per_doc_f1={doc_id: d["f1"] for doc_id, d in s["per_doc"].items()},
        errors=errors,
        seconds=seconds,
    )
