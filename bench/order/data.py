"""Gold articles for the order model, and the fixed split between training and evaluation.

Every ordered gold article of ``text-corpora/{scrapinghub,wcxb-dev}/gold.json`` (paragraphs
split by a blank line) is a list of units in their true order. The split is by id, never at
random, so it does not move between runs:

* ``train``: WCXB dev ids with ``int(id) % 5`` in 1, 2, 3 -- the model's weights and the
  stage's thresholds are fitted on these only;
* ``heldout``: WCXB dev ids with ``int(id) % 5 == 4`` and every ScrapingHub gold article --
  what ``bench.order.evaluate`` reports;
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
SPLIT_RULE = (
    "train: text-corpora/wcxb-dev/gold.json ids with int(id) % 5 in {1, 2, 3}; "
    "heldout: wcxb-dev ids with int(id) % 5 == 4 and all text-corpora/scrapinghub gold; "
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


def split_of(corpus: str, doc_id: str) -> Split:
    if corpus == "scrapinghub":
        return "heldout"
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
