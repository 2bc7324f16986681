"""The benchmark corpora: where their files are, what their gold is, which split is untuned.

Data sources (read-only, under ``../shared/data`` or ``$CLEANER_BENCH_DATA``):

* ScrapingHub article-extraction benchmark, 181 news pages with ``articleBody`` gold
  (Zyte / ScrapingHub, https://github.com/scrapinghub/article-extraction-benchmark, MIT).
* WCXB, Web Content eXtraction Benchmark, dev split (Murrough Foley, 2026,
  https://github.com/murroughfoley/wcx, CC-BY-4.0); only its ``article`` pages are used.
* trafilatura's evaluation set, 990 pages with ``with`` / ``without`` snippets
  (Adrien Barbaresi, https://github.com/adbar/trafilatura ``tests/``, Apache-2.0).
* ``text-corpora/``: plain-text inputs built from the ScrapingHub and WCXB pages (naive
  scraper output and seed-style noisy copies of the gold); same licences as their sources.
  Built from them here, in memory: the gold fed back in (``*-gold``) and the gold with its
  headline as first paragraph (``*-titled``, the "titled clean article" of issue 12).
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

Kind = Literal["html", "text"]

# The shared data sits beside the repository: <parent>/shared/data (also on CI).
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TRAFILATURA_ARCHIVE = "trafilatura-tests-eval-cache-html.tar.xz"


def data_dir() -> Path:
    """The shared evaluation data: ``$CLEANER_BENCH_DATA`` if set, else ``../shared/data``."""
    return Path(os.environ.get("CLEANER_BENCH_DATA") or DEFAULT_DATA)


def cache_dir() -> Path:
    """Where unpacked archives go: outside the repository, so nothing large is ever committed.
    ``$CLEANER_BENCH_CACHE``, else ``$XDG_CACHE_HOME/cleaner-bench``, else
    ``~/.cache/cleaner-bench``."""
    explicit = os.environ.get("CLEANER_BENCH_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cleaner-bench"


def is_untuned(doc_id: str) -> bool:
    """True for the fixed held-out ("untuned") split of the WCXB dev pages: numeric id % 5 == 0.

    No rule, threshold, word list or model of ``cleaner`` may ever be fitted, chosen or checked
    by looking at these pages (in any of their forms: ``wcxb-html``, ``wcxb-naive``,
    ``wcxb-seed``, ``wcxb-gold``, which share ids). Their score is the honest estimate of how
    tuning on the other 80 % generalises; once it has been used to choose between variants it
    stops being one. The split is by id, not at random, so it never moves between runs.

    >>> [i for i in ("0005", "0010", "0011", "1495") if is_untuned(i)]
    ['0005', '0010', '1495']
    """
    return int(doc_id) % 5 == 0


@dataclass(frozen=True, slots=True)
class Doc:
    """One input document and what it is scored against.

    ``path`` is the file a system reads; ``name`` is the file name given to ``cleaner.clean``
    (its extension picks HTML or text parsing); ``text`` replaces the file when the input is
    built in memory (the gold fed back in); ``gold`` is the reference article text, empty for
    snippet-scored pages, whose annotations are in ``item``; ``title`` is the gold headline
    (text corpora; ``None`` where the source has none), which a system should put in its
    metadata, not in the text.
    """

    id: str
    name: str
    gold: str = ""
    path: Path | None = None
    text: str | None = None
    item: dict[str, Any] | None = None
    title: str | None = None

    def read(self) -> bytes:
        """The input bytes, exactly as a user would hand them to ``cleaner``."""
        if self.text is not None:
            return self.text.encode("utf-8")
        if self.path is None:
            raise ValueError(f"{self.id}: document has neither a path nor a text")
        return self.path.read_bytes()


@dataclass(frozen=True, slots=True)
class Corpus:
    """A named set of documents, the metrics it is scored with and the systems run on it."""

    name: str
    kind: Kind
    docs: list[Doc]
    metrics: tuple[str, ...]
    systems: tuple[str, ...]
    description: str
    splits: dict[str, Callable[[str], bool]] = field(default_factory=dict)


HTML_SYSTEMS = ("cleaner", "cleaner-fast", "trafilatura")
# ``cleaner`` is the shipped default (``Options().text_noise``); ``cleaner-rules`` and
# ``cleaner-model`` force the text noise stage's other settings, to compare them side by side.
TEXT_SYSTEMS = (
    "cleaner",
    "cleaner-rules",
    "cleaner-model",
    "cleaner+profile",
    "as-is",
    "justext",
    "c4-filter",
)
WCXB_SPLITS: dict[str, Callable[[str], bool]] = {
    "untuned": is_untuned,
    "tuning": lambda doc_id: not is_untuned(doc_id),
}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def scrapinghub_html(root: Path) -> Corpus:
    """The 181 ScrapingHub pages (gzipped HTML) against their ``articleBody``."""
    gold = _json(root / "scrapinghub" / "ground-truth.json")
    docs = [
        Doc(
            id=doc_id,
            name=f"{doc_id}.html.gz",
            gold=gold[doc_id].get("articleBody") or "",
            path=root / "scrapinghub" / "html" / f"{doc_id}.html.gz",
        )
        for doc_id in sorted(gold)
    ]
    return Corpus(
        "scrapinghub-html",
        "html",
        docs,
        ("scrapinghub", "text"),
        HTML_SYSTEMS,
        "ScrapingHub article-extraction benchmark, HTML pages vs articleBody",
    )


def wcxb_html(root: Path) -> Corpus:
    """WCXB dev pages whose primary type is ``article`` and whose ``main_content`` is set."""
    base = root / "wcxb" / "dev"
    docs: list[Doc] = []
    for gt_path in sorted((base / "ground-truth").glob("*.json")):
        record = _json(gt_path)
        page_type = ((record.get("_internal") or {}).get("page_type") or {}).get("primary")
        content = (record.get("ground_truth") or {}).get("main_content") or ""
        if page_type != "article" or not content.strip():
            continue
        doc_id = gt_path.stem
        docs.append(
            Doc(
                id=doc_id,
                name=f"{doc_id}.html.gz",
                gold=content,
                path=base / "html" / f"{doc_id}.html.gz",
            )
        )
    return Corpus(
        "wcxb-html",
        "html",
        docs,
        ("scrapinghub", "wcxb", "text"),
        HTML_SYSTEMS,
        "WCXB dev, article pages, HTML vs main_content",
        WCXB_SPLITS,
    )


def unpack_trafilatura_eval(root: Path) -> Path:
    """Unpack trafilatura's page archive once into the cache and return that folder.

    A stamp file records the archive's size and mtime; a changed archive is unpacked again.
    Unpacking goes to a temporary sibling folder renamed into place, so an interrupted run
    never leaves a half-filled cache behind.
    """
    archive = root / "trafilatura-eval" / TRAFILATURA_ARCHIVE
    target = cache_dir() / "trafilatura-eval"
    stat = archive.stat()
    stamp = f"{archive.name} {stat.st_size} {int(stat.st_mtime)}\n"
    stamp_file = target / ".unpacked"
    if stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="trafilatura-eval.", dir=target.parent))
    try:
        with tarfile.open(archive, "r:xz") as tar:
            tar.extractall(tmp, filter="data")
        (tmp / ".unpacked").write_text(stamp, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return target


def trafilatura_eval(root: Path) -> Corpus:
    """trafilatura's evaluation pages, scored by snippets. As upstream, a page's ``file`` is
    looked up in ``cache/`` first, then ``eval/``; a page whose file is missing is an error."""
    evaldata: dict[str, dict[str, Any]] = _json(root / "trafilatura-eval" / "evaldata.json")
    unpacked = unpack_trafilatura_eval(root)
    docs: list[Doc] = []
    for url, item in evaldata.items():
        found = [unpacked / sub / item["file"] for sub in ("cache", "eval")]
        path = next((p for p in found if p.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"trafilatura-eval: {item['file']} not in the archive")
        docs.append(Doc(id=url, name=item["file"], path=path, item=item))
    return Corpus(
        "trafilatura-eval",
        "html",
        docs,
        ("snippet",),
        HTML_SYSTEMS,
        "trafilatura evaluation set (mostly German), with/without snippets",
    )


# Scores of every text corpus: ScrapingHub's (plus WCXB's on WCXB), fragments and lost
# paragraphs ("text"), and title accuracy ("title") where the input holds the headline.
_TEXT_LABELS = {
    "naive-text": "naive scraper text",
    "seed-style": "seed-style noisy text",
    "gold": "gold text fed back in",
    "titled": "gold text with its headline first (titled clean article)",
}


def _text_corpus(root: Path, source: str, variant: str, name: str) -> Corpus:
    """A text corpus of ``text-corpora/<source>/gold.json`` (``{id: {text, title}}``), scored
    against the gold text; every document carries the gold title.

    Variants: ``naive-text`` and ``seed-style`` read ``<source>/<variant>/<id>.txt``; ``gold``
    feeds the gold text itself back in (``cleaner`` should leave it alone); ``titled`` feeds
    the gold title, a blank line and the gold text (the headline should become the metadata
    title and leave the text untouched); documents without a gold title are left out of it.
    Title accuracy is scored where the input holds the headline: not on ``gold``.
    """
    base = root / "text-corpora" / source
    gold: dict[str, dict[str, Any]] = _json(base / "gold.json")
    docs: list[Doc] = []
    for doc_id in sorted(gold):
        text = gold[doc_id].get("text") or ""
        title = (gold[doc_id].get("title") or "").strip() or None
        doc = Doc(id=doc_id, name=f"{doc_id}.txt", gold=text, title=title)
        if variant == "gold":
            docs.append(replace(doc, text=text))
        elif variant == "titled":
            if title is not None:
                docs.append(replace(doc, text=f"{title}\n\n{text}"))
        else:
            docs.append(replace(doc, path=base / variant / f"{doc_id}.txt"))
    wcxb = source.startswith("wcxb")
    metrics: tuple[str, ...] = ("scrapinghub", "wcxb") if wcxb else ("scrapinghub",)
    metrics += ("text",) if variant == "gold" else ("text", "title")
    description = f"{source} {_TEXT_LABELS[variant]} vs gold"
    if variant == "titled" and not docs:
        description += " (no document of this source has a gold title)"
    return Corpus(
        name,
        "text",
        docs,
        metrics,
        TEXT_SYSTEMS,
        description,
        WCXB_SPLITS if wcxb else {},
    )


CORPORA: dict[str, Callable[[Path], Corpus]] = {
    "scrapinghub-html": scrapinghub_html,
    "wcxb-html": wcxb_html,
    "trafilatura-eval": trafilatura_eval,
    "sh-naive": lambda root: _text_corpus(root, "scrapinghub", "naive-text", "sh-naive"),
    "sh-seed": lambda root: _text_corpus(root, "scrapinghub", "seed-style", "sh-seed"),
    "wcxb-naive": lambda root: _text_corpus(root, "wcxb-dev", "naive-text", "wcxb-naive"),
    "wcxb-seed": lambda root: _text_corpus(root, "wcxb-dev", "seed-style", "wcxb-seed"),
    "sh-gold": lambda root: _text_corpus(root, "scrapinghub", "gold", "sh-gold"),
    "wcxb-gold": lambda root: _text_corpus(root, "wcxb-dev", "gold", "wcxb-gold"),
    "sh-titled": lambda root: _text_corpus(root, "scrapinghub", "titled", "sh-titled"),
    "wcxb-titled": lambda root: _text_corpus(root, "wcxb-dev", "titled", "wcxb-titled"),
}


def load_corpus(name: str, root: Path | None = None) -> Corpus:
    """Build corpus ``name`` (a key of :data:`CORPORA`) from the data folder."""
    return CORPORA[name](root or data_dir())
