"""Gold articles for the order model, and the fixed split between training and evaluation.

Every ordered gold article of ``text-corpora/{scrapinghub,wcxb-dev}/gold.json`` (paragraphs
split by a blank line) is a list of units in their true order. The split is by id, never at
random, so it does not move between runs:

* ``train``: WCXB dev ids with ``int(id) % 5`` in 1, 2, 3, and the ScrapingHub gold articles
  whose id hashes to the training half (:func:`scrapinghub_half`) -- the model's weights and
  the stage's thresholds are fitted on these only; ScrapingHub is the only news-only corpus,
  so half of it is worth more to the model than its size suggests;
* ``heldout``: WCXB dev ids with ``int(id) % 5 == 4`` and the other half of the ScrapingHub
  gold -- what ``bench.order.evaluate`` reports;
* ``untuned``: WCXB dev ids with ``int(id) % 5 == 0`` (``bench.corpora.is_untuned``) --
  never fitted or tuned on, reported separately.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench.corpora import data_dir, is_untuned

Split = Literal["train", "heldout", "untuned"]
TRAIN_RESIDUES = (1, 2, 3)
SCRAPINGHUB_TRAIN_HALF = 0  # sha256(id) first byte % 2 == this: a ScrapingHub training article
SPLIT_RULE = (
    "train: text-corpora/wcxb-dev/gold.json ids with int(id) % 5 in {1, 2, 3} and "
    "text-corpora/scrapinghub gold ids with sha256(id)[0] % 2 == 0; "
    "heldout: wcxb-dev ids with int(id) % 5 == 4 and scrapinghub ids with sha256(id)[0] % 2 == 1; "
    "untuned: wcxb-dev ids with int(id) % 5 == 0 (never used for fitting)"
)


@dataclass(frozen=True, slots=True)
class Article:
    """One ordered gold article."""

    corpus: str
    id: str
    title: str | None
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"


def scrapinghub_half(doc_id: str) -> int:
    """0 or 1 by a stable hash of the id: the same split on every machine and Python."""
    return hashlib.sha256(doc_id.encode()).digest()[0] % 2


def split_of(corpus: str, doc_id: str) -> Split:
    if corpus == "scrapinghub":
        return "train" if scrapinghub_half(doc_id) == SCRAPINGHUB_TRAIN_HALF else "heldout"
    if is_untuned(doc_id):
        return "untuned"
    return "train" if int(doc_id) % 5 in TRAIN_RESIDUES else "heldout"


def load_articles(root: Path | None = None) -> list[Article]:
    """All gold articles, sorted by corpus and id; paragraphs whitespace-normalised per line."""
    base = (root or data_dir()) / "text-corpora"
    articles: list[Article] = []
    for corpus in ("scrapinghub", "wcxb-dev"):
        gold = json.loads((base / corpus / "gold.json").read_text(encoding="utf-8"))
        for doc_id in sorted(gold):
            text = (gold[doc_id].get("text") or "").replace("\r\n", "\n")
            paras = tuple(
                "\n".join(" ".join(line.split()) for line in p.split("\n") if line.strip())
                for p in text.split("\n\n")
                if p.strip()
            )
            articles.append(Article(corpus, doc_id, gold[doc_id].get("title"), paras))
    return articles


def articles_of(split: Split, root: Path | None = None) -> list[Article]:
    return [a for a in load_articles(root) if split_of(a.corpus, a.id) == split]


def ids_digest(articles: list[Article]) -> str:
    """A short hash of which articles a split holds (recorded in the model file)."""
    blob = "\n".join(f"{a.corpus}/{a.id}" for a in articles)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
