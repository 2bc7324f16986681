"""Labelled text-mode samples for a learned line classifier, generated from pages with gold.

    python -m bench.textmode.data --stats [--split train|untuned] [--limit N] [--workers 2]
    python -m bench.textmode.data --dump DIR [--split ...] [--limit N]

Pages (:func:`pages`): the 181 ScrapingHub pages (``scrapinghub/html/<id>.html.gz`` against
``ground-truth.json`` ``articleBody``) and the WCXB dev pages of every page type
(``wcxb/dev/html/NNNN.html.gz`` against ``ground-truth/NNNN.json`` ``ground_truth``
``main_content``, ``title``, ``author``); pages whose gold has no word are skipped.

Splits. ``train`` (the default) is ScrapingHub plus the WCXB pages that are *not* untuned: an
untuned page (``int(id) % 5 == 0``, :func:`bench.corpora.is_untuned`) is dropped by its file
name before any of its files is opened, and the per-page worker refuses one if it ever got
there. ``untuned`` is those WCXB pages only, for building *evaluation* inputs of the benchmark
with the same recipes; nothing may be fitted or tuned on them.

Every sample is one input file a user could have (``text``) with one label per block of
:func:`cleaner.extract.text_blocks` (``article``, ``noise``, ``title`` or ``byline``). The
variants of a page (:data:`VARIANTS`):

* ``naive``: the naive scraper text of the page (:func:`naive_text`, the README recipe), each
  line labelled by aligning its tokens to the gold (:func:`align`);
* ``seed``: the seed-style recipe of the README: the gold paragraphs with real noise lines of
  the same page (naive lines labelled noise that do not look like gold text) mixed in: a short
  label or two first, the headline, short labels between some paragraphs, related headlines
  at the end; how much noise is drawn per sample, from none to a lot;
* ``seed2``: a second, heavier draw: more leading menu lines, sometimes a byline, one to three
  lines in many paragraph gaps, long trailers of related headlines and other page text;
* ``gold``: the gold text as it is (all article);
* ``titled``: the headline, a blank line, the gold;
* ``titled-byline``: the headline, a byline (``By <author>``, the bare name, or ``By`` and
  the name on two lines), the gold -- pages with an author only;
* ``split``: the gold with each line cut where the naive text cuts it at inline tags (every
  piece its own block, blocks separated by blank lines as in naive text) plus a light noise
  mix; ``gold_para`` / ``gold_line`` tell which pieces belong together.

``titled`` and ``titled-byline`` need a headline: WCXB's gold ``title``; ScrapingHub has none,
so its headline is taken from the page: the ``<h1>`` whose words are those of ``og:title`` /
``twitter:title`` (or their start, before a site suffix), or the only ``<h1>`` when there is no
such meta. They are skipped when the gold already starts with the headline. ``naive`` and
``split`` are skipped for a page whose alignment covers less than :data:`MIN_COVERAGE` of the
gold tokens (the naive text does not hold the gold cleanly there).

Alignment (:func:`align`): tokens are lowercase ``\\w+``. Every naive line of four tokens or
more gets candidate places in the gold (4-gram votes per diagonal, refined by
``difflib.SequenceMatcher`` in a window, stray one- and two-token coincidences dropped); a
candidate needs half the line's tokens matched, and one under 80 % an article line close by. A
weighted longest-chain search (a max Fenwick tree) picks the monotone set of candidates (lines
in order, gold spans in order, not overlapping) that matches the most gold tokens; on ties the
later line wins (a teaser above the article loses to the article's own copy). Those lines are
``article``. Shorter lines (1-3 tokens) are article only when they continue the gold exactly
where an article neighbour stops (or start it exactly where the next one begins), so a menu
word such as "Fitness" that also occurs in the gold stays noise. Lines without a word (``.``,
``|``) are article when their characters stand in the gold right after the previous article
line (or right before the next one). Before the first article line, the last line whose tokens
are the headline's is ``title`` (other copies stay noise); lines from four above it down to
the article (the :data:`BYLINE_WINDOW` lines above the article when no headline was found)
that are the author, ``By`` + the author, or the author followed by a short tail
(``Jane Doe, Staff Writer``) are ``byline``. Coverage is the share of gold tokens matched by
article lines. A gold line the headline or byline also is stays ``article``: the gold wins.

Noise lines drawn into the synthetic variants are the page's naive lines labelled noise,
minus those that look like gold (a short line equal to a gold line, a long one with 30 % of
its 4-grams in the gold: on a badly aligned page they may be article text), the headline, the
byline and lone punctuation; a sample uses up a pool before repeating a line.

Determinism: pages are sorted, every random choice comes from ``random.Random`` seeded with
``f"{seed}:{page}:{variant}"`` (a string seed is hashed with SHA-512, never ``hash()``), and
samples come out in page order even with several worker processes, so two runs yield
byte-identical samples. The naive text and derived headline of a page are cached (JSON) under
``bench.corpora.cache_dir() / "textmode"``, keyed by the SHA-256 of the page file and the
recipe version.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from multiprocessing import Pool, current_process
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from bench.corpora import cache_dir, data_dir, is_untuned
from cleaner.extract import text_blocks

LABELS = ("article", "noise", "title", "byline")
VARIANTS = ("naive", "seed", "seed2", "gold", "titled", "titled-byline", "split")
SPLITS = ("train", "untuned")
MIN_COVERAGE = 0.9
NAIVE_DROP = ("script", "style", "noscript", "template", "svg")
RECIPE_VERSION = "textmode-naive-1"  # bump when naive_text() or the headline rule changes

LONG = 4  # a line with this many tokens is aligned on its own; shorter ones by contiguity
GRAM = 4  # n-gram size of the gold index used to find candidate places
MIN_RATIO = 0.5  # share of a long line's tokens that must match for it to be article
SURE_RATIO = 0.8  # below this a match needs an article line nearby (NEAR_LINES, NEAR_TOKENS)
NEAR_LINES = 4
NEAR_TOKENS = 40
MAX_CANDIDATES = 6  # candidate places per line
MAX_GRAM_HITS = 64  # a 4-gram more frequent than this in the gold gives no vote
DEFAULT_WORKERS = 2
BYLINE_WINDOW = 15  # lines above the first article line searched for a byline (no title)

_WORD = re.compile(r"\w+")
_PUNCT = frozenset(".,;:!?()[]'\"‘’“”«»-–—…")
_AUTHOR_SEP = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)

Labels = tuple[str, ...]
Paras = tuple[int | None, ...]


# --------------------------------------------------------------------------------------------
# Pages


@dataclass(frozen=True, slots=True)
class Page:
    """One page with gold: ``id`` is ``"sh:<id>"`` or ``"wcxb:<id>"``; ``title`` and
    ``author`` are the gold's (ScrapingHub has neither; its headline is derived from the page
    when the samples are built, see the module docstring)."""

    id: str
    source: str  # "scrapinghub" or "wcxb"
    doc_id: str
    html: Path
    gold: str
    title: str | None
    author: str | None
    page_type: str


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled input file.

    ``labels``, ``gold_para`` and ``gold_line`` have one entry per block of
    ``cleaner.extract.text_blocks(text)``. ``gold_para`` is the index of the gold paragraph
    (blank-line separated chunk of ``gold``, counted from 0) an article line belongs to, None
    for other lines; ``gold_line`` the index of the gold line (over the whole gold, a line of
    :func:`text_blocks` of ``gold``) where it starts, so pieces of one line split at inline
    tags share it. ``gold`` is the gold article as :func:`text_blocks` reads it (each line
    whitespace-collapsed, paragraphs separated by a blank line); ``title`` is the headline
    (gold, or derived from the page for ScrapingHub), ``author`` the gold author.
    """

    page: str
    variant: str
    text: str
    labels: tuple[str, ...]
    gold_para: tuple[int | None, ...]
    gold: str
    title: str | None
    author: str | None
    gold_line: tuple[int | None, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "variant": self.variant,
            "text": self.text,
            "labels": list(self.labels),
            "gold_para": list(self.gold_para),
            "gold_line": list(self.gold_line),
            "title": self.title,
            "author": self.author,
            "gold": self.gold,
        }


def _clean_meta(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _has_words(text: str) -> bool:
    return _WORD.search(text) is not None


def pages(split: str = "train", root: Path | None = None) -> list[Page]:
    """The pages of ``split``, sorted by id ("sh:..." before "wcxb:...").

    ``train``: all ScrapingHub pages and the WCXB dev pages that are not untuned (their files
    are never opened: the id is read from the file name first). ``untuned``: the untuned WCXB
    pages only, for evaluation inputs.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    base = root or data_dir()
    found: list[Page] = []
    if split == "train":
        sh = base / "scrapinghub"
        truth = json.loads((sh / "ground-truth.json").read_text(encoding="utf-8"))
        for doc_id in sorted(truth):
            gold = (truth[doc_id].get("articleBody") or "").replace("\r\n", "\n")
            if not _has_words(gold):
                continue
            found.append(
                Page(
                    id=f"sh:{doc_id}",
                    source="scrapinghub",
                    doc_id=doc_id,
                    html=sh / "html" / f"{doc_id}.html.gz",
                    gold=gold,
                    title=None,
                    author=None,
                    page_type="article",
                )
            )
    wcxb = base / "wcxb" / "dev"
    for gt_path in sorted((wcxb / "ground-truth").glob("*.json")):
        doc_id = gt_path.stem
        # The split is decided on the file name alone, before the file is opened.
        if is_untuned(doc_id) != (split == "untuned"):
            continue
        record = json.loads(gt_path.read_text(encoding="utf-8"))
        truth = record.get("ground_truth") or {}
        gold = (truth.get("main_content") or "").replace("\r\n", "\n")
        if not _has_words(gold):
            continue
        page_type = ((record.get("_internal") or {}).get("page_type") or {}).get("primary")
        found.append(
            Page(
                id=f"wcxb:{doc_id}",
                source="wcxb",
                doc_id=doc_id,
                html=wcxb / "html" / f"{doc_id}.html.gz",
                gold=gold,
                title=_clean_meta(truth.get("title")),
                author=_clean_meta(truth.get("author")),
                page_type=str(page_type or "unknown"),
            )
        )
    return found


# --------------------------------------------------------------------------------------------
# Naive text


def _soup(html: bytes | str) -> Any:
    if isinstance(html, bytes):
        # The corpora's naive texts were made from the page decoded as UTF-8 when it is valid
        # UTF-8 (bs4's own guess says iso-8859-1 for a few pages that are UTF-8), else from
        # the bytes with bs4's detection.
        with contextlib.suppress(UnicodeDecodeError):
            html = html.decode("utf-8")
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(NAIVE_DROP)):
        tag.decompose()
    return soup


def _naive_lines(soup: Any) -> list[str]:
    lines = (" ".join(line.split()) for line in soup.get_text("\n").split("\n"))
    return [line for line in lines if line]


def naive_text(html: bytes | str) -> str:
    """What a naive scraper saves (the README recipe): BeautifulSoup (lxml), ``script style
    noscript template svg`` removed, ``get_text("\\n")``, each line whitespace-collapsed and
    stripped, empty lines dropped, one block per line (blocks split by a blank line).
    Reproduces ``text-corpora/*/naive-text/<id>.txt`` byte for byte."""
    return _join_lines(_naive_lines(_soup(html)))


def _join_lines(lines: list[str]) -> str:
    return "\n\n".join(lines) + "\n" if lines else ""


def tokens(text: str) -> list[str]:
    """Lowercase ``\\w+`` tokens."""
    return [m.group().lower() for m in _WORD.finditer(text)]


def _headline(soup: Any) -> str | None:
    """The page's headline: the ``<h1>`` whose words are ``og:title``'s (or their start), else
    the only ``<h1>`` when the page has no such meta title."""
    h1s = [" ".join(h.get_text(" ").split()) for h in soup.find_all("h1")]
    h1s = [h for h in h1s if len(tokens(h)) >= 2]
    meta = None
    for attrs in (
        {"property": "og:title"},
        {"name": "twitter:title"},
        {"property": "twitter:title"},
    ):
        tag = soup.find("meta", attrs=attrs)
        content = _clean_meta(tag.get("content")) if tag is not None else None
        if content:
            meta = content
            break
    if meta is None:
        return h1s[0] if len(h1s) == 1 else None
    want = tokens(meta)
    for h in h1s:
        if tokens(h) == want:
            return h
    for h in h1s:
        got = tokens(h)
        if len(got) >= 3 and want[: len(got)] == got and len(want) - len(got) <= 6:
            return h
    return None


def _parse_cached(path: Path, use_cache: bool = True) -> tuple[str, str | None]:
    """(naive text, derived headline) of a page file, cached by the file's SHA-256."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    cached = cache_dir() / "textmode" / f"{digest[:2]}" / f"{digest}.json"
    if use_cache and cached.is_file():
        try:
            record = json.loads(cached.read_text(encoding="utf-8"))
            if record.get("recipe") == RECIPE_VERSION:
                return record["text"], record["headline"]
        except (OSError, ValueError, KeyError):
            pass
    html = gzip.decompress(raw) if path.name.endswith(".gz") else raw
    soup = _soup(html)
    text = _join_lines(_naive_lines(soup))
    headline = _headline(soup)
    if use_cache:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp.", dir=cached.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"recipe": RECIPE_VERSION, "text": text, "headline": headline}, f)
        os.replace(tmp, cached)
    return text, headline


# --------------------------------------------------------------------------------------------
# Gold structure


@dataclass(slots=True)
class _Gold:
    """The gold text as lines and tokens, with a 4-gram index."""

    lines: list[str]
    line_para: list[int]
    canon: str  # lines joined by "\n", paragraphs by "\n\n"
    line_start: list[int]  # char offset of each line in canon
    toks: list[str]
    tok_line: list[int]
    tok_start: list[int]  # char offsets in canon
    tok_end: list[int]
    index: dict[tuple[str, ...], list[int]]
    line_keys: set[tuple[str, ...]]

    @property
    def paragraphs(self) -> list[list[int]]:
        out: list[list[int]] = []
        for i, p in enumerate(self.line_para):
            if p == len(out):
                out.append([])
            out[p].append(i)
        return out

    def para_at(self, char: int) -> int:
        return self.line_para[max(0, bisect_right(self.line_start, char) - 1)]

    def line_at(self, char: int) -> int:
        return max(0, bisect_right(self.line_start, char) - 1)


def _gold(text: str) -> _Gold:
    blocks = text_blocks(text)
    ranks: dict[int, int] = {}
    lines = [b.text for b in blocks]
    line_para = [ranks.setdefault(b.para, len(ranks)) for b in blocks]
    parts: list[str] = []
    line_start: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        if i:
            sep = "\n" if line_para[i] == line_para[i - 1] else "\n\n"
            parts.append(sep)
            pos += len(sep)
        line_start.append(pos)
        parts.append(line)
        pos += len(line)
    canon = "".join(parts)
    toks: list[str] = []
    tok_line: list[int] = []
    tok_start: list[int] = []
    tok_end: list[int] = []
    line_keys: set[tuple[str, ...]] = set()
    for i, line in enumerate(lines):
        words = []
        for m in _WORD.finditer(line):
            word = m.group().lower()
            words.append(word)
            toks.append(word)
            tok_line.append(i)
            tok_start.append(line_start[i] + m.start())
            tok_end.append(line_start[i] + m.end())
        if words:
            line_keys.add(tuple(words))
    index: dict[tuple[str, ...], list[int]] = {}
    for p in range(len(toks) - GRAM + 1):
        index.setdefault(tuple(toks[p : p + GRAM]), []).append(p)
    return _Gold(
        lines, line_para, canon, line_start, toks, tok_line, tok_start, tok_end, index, line_keys
    )


# --------------------------------------------------------------------------------------------
# Alignment


@dataclass(slots=True)
class _Cand:
    line: int
    gs: int  # first matched gold token
    ge: int  # one past the last matched gold token
    m: int  # matched tokens
    pairs: list[tuple[int, int]]  # (line token index, gold token index)


@dataclass(slots=True)
class Alignment:
    """The full result of aligning naive lines to a gold text."""

    labels: list[str]
    gold_para: list[int | None]
    gold_line: list[int | None]
    spans: list[tuple[int, int] | None]  # per line: char span in the canonical gold
    ratio: list[float | None]  # per long line: best matched share (article or not)
    coverage: float
    gold: _Gold = field(repr=False)


def _line_candidates(i: int, lt: list[str], gold: _Gold) -> list[_Cand]:
    n = len(lt)
    votes: Counter[int] = Counter()
    for o in range(n - GRAM + 1):
        hits = gold.index.get(tuple(lt[o : o + GRAM]))
        if hits and len(hits) <= MAX_GRAM_HITS:
            for p in hits:
                votes[p - o] += 1
    if not votes:
        return []
    grams = n - GRAM + 1
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    floor = max(1, int(0.2 * grams))
    slack = max(3, n // 4)
    picked: list[int] = []
    for d, v in ranked:
        if v < floor or len(picked) >= MAX_CANDIDATES:
            break
        if any(abs(d - q) <= slack for q in picked):
            continue
        picked.append(d)
    total = len(gold.toks)
    out: list[_Cand] = []
    for d in picked:
        if votes[d] == grams and gold.toks[d : d + n] == lt:
            out.append(_Cand(i, d, d + n, n, [(k, d + k) for k in range(n)]))
            continue
        lo, hi = max(0, d - slack), min(total, d + n + slack)
        sm = SequenceMatcher(None, lt, gold.toks[lo:hi], autojunk=False)
        blocks = _solid_blocks(
            [(b.a, lo + b.b, b.size) for b in sm.get_matching_blocks() if b.size]
        )
        pairs = [(a + k, g + k) for a, g, size in blocks for k in range(size)]
        if len(pairs) >= MIN_RATIO * n:
            out.append(_Cand(i, pairs[0][1], pairs[-1][1] + 1, len(pairs), pairs))
    return out


def _solid_blocks(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Matching blocks (line index, gold index, size) without stray coincidences: blocks of
    three tokens or more, and the smaller ones lying between two of those with gaps of at
    most two tokens on both sides (a word changed or dropped inside a sentence)."""
    strong = [k for k, b in enumerate(blocks) if b[2] >= 3]
    if not strong:
        return []
    first, last = strong[0], strong[-1]
    kept = []
    for k in range(first, last + 1):
        a, g, size = blocks[k]
        if size < 3:
            pa, pg, ps = blocks[k - 1]
            na, ng, _ = blocks[k + 1]
            if a - (pa + ps) > 2 or g - (pg + ps) > 2 or na - (a + size) > 2 or ng - (g + size) > 2:
                continue
        kept.append(blocks[k])
    return kept


class _MaxTree:
    """Fenwick tree of prefix maxima over gold positions 1..n."""

    __slots__ = ("n", "v")

    def __init__(self, n: int) -> None:
        self.n = n
        self.v: list[tuple[int, int]] = [(0, -1)] * (n + 1)

    def update(self, i: int, item: tuple[int, int]) -> None:
        while i <= self.n:
            if item > self.v[i]:
                self.v[i] = item
            i += i & -i

    def query(self, i: int) -> tuple[int, int]:
        best = (0, -1)
        while i > 0:
            if self.v[i] > best:
                best = self.v[i]
            i -= i & -i
        return best


def _best_chain(cands: list[_Cand], n: int) -> list[_Cand]:
    """The monotone, non-overlapping set of candidates matching the most gold tokens (one per
    line at most); ties go to the later candidate."""
    if not cands:
        return []
    tree = _MaxTree(n)
    best = [0] * len(cands)
    pred = [-1] * len(cands)
    start = 0
    while start < len(cands):
        end = start
        while end < len(cands) and cands[end].line == cands[start].line:
            end += 1
        for ci in range(start, end):
            value, p = tree.query(cands[ci].gs)
            best[ci] = value + cands[ci].m
            pred[ci] = p
        for ci in range(start, end):
            tree.update(cands[ci].ge, (best[ci], ci))
        start = end
    _, ci = tree.query(n)
    chain: list[_Cand] = []
    while ci >= 0:
        chain.append(cands[ci])
        ci = pred[ci]
    chain.reverse()
    return chain


def _supported(chain: list[_Cand], ltok: list[list[str]]) -> list[_Cand]:
    """Drop partial matches (under :data:`SURE_RATIO` of the line) that have no article line
    close by, above or below, continuing the gold near them: a sentence that merely shares
    words with some gold sentence is not the article."""
    out = []
    for k, c in enumerate(chain):
        if c.m >= SURE_RATIO * len(ltok[c.line]):
            out.append(c)
            continue
        p = chain[k - 1] if k else None
        q = chain[k + 1] if k + 1 < len(chain) else None
        near_p = p is not None and c.line - p.line <= NEAR_LINES and c.gs - p.ge <= NEAR_TOKENS
        near_q = q is not None and q.line - c.line <= NEAR_LINES and q.gs - c.ge <= NEAR_TOKENS
        if near_p or near_q:
            out.append(c)
    return out


def _author_keys(author: str | None) -> list[list[str]]:
    if not author:
        return []
    keys = [tokens(author)]
    keys += [tokens(part) for part in _AUTHOR_SEP.split(author)]
    out: list[list[str]] = []
    for key in keys:
        if key and key not in out:
            out.append(key)
    return out


def _is_byline(lt: list[str], keys: list[list[str]]) -> bool:
    if not lt or not keys:
        return False
    words = lt[1:] if lt[0] == "by" and len(lt) > 1 else lt
    return any(words[: len(k)] == k and len(words) - len(k) <= 6 for k in keys)


def _align(
    lines: list[str], gold: _Gold, title: str | None = None, author: str | None = None
) -> Alignment:
    n_lines = len(lines)
    ltok: list[list[str]] = []
    lspan: list[list[tuple[int, int]]] = []
    for line in lines:
        ms = list(_WORD.finditer(line))
        ltok.append([m.group().lower() for m in ms])
        lspan.append([(m.start(), m.end()) for m in ms])
    total = len(gold.toks)
    cands: list[_Cand] = []
    ratio: list[float | None] = [None] * n_lines
    for i, lt in enumerate(ltok):
        if len(lt) >= LONG:
            found = _line_candidates(i, lt, gold)
            ratio[i] = max((c.m / len(lt) for c in found), default=0.0)
            cands.extend(found)
    chain = _supported(_best_chain(cands, total), ltok)
    pairs: list[list[tuple[int, int]] | None] = [None] * n_lines
    for c in chain:
        pairs[c.line] = c.pairs

    # Short lines: article only where they continue the gold exactly next to an article line.
    bounds = [(-1, 0)] + [(c.line, c.ge) for c in chain]
    nexts = [(c.line, c.gs) for c in chain] + [(n_lines, total)]
    for (a, e), (b, s) in zip(bounds, nexts, strict=True):
        fwd_end_line, pos = a, e
        if a >= 0:  # forward from the article line above
            for j in range(a + 1, b):
                lt = ltok[j]
                if not lt:
                    continue
                if len(lt) >= LONG or gold.toks[pos : pos + len(lt)] != lt:
                    break
                pairs[j] = [(k, pos + k) for k in range(len(lt))]
                pos += len(lt)
                fwd_end_line = j
        if b < n_lines:  # backward from the article line below
            low, pos2 = pos, s
            for j in range(b - 1, fwd_end_line, -1):
                lt = ltok[j]
                if not lt:
                    continue
                k = len(lt)
                if k >= LONG or pos2 - k < low or gold.toks[pos2 - k : pos2] != lt:
                    break
                pairs[j] = [(t, pos2 - k + t) for t in range(k)]
                pos2 -= k

    labels = ["article" if pairs[i] else "noise" for i in range(n_lines)]
    spans: list[tuple[int, int] | None] = [None] * n_lines
    for i, pr in enumerate(pairs):
        if not pr:
            continue
        (k0, p0), (k1, p1) = pr[0], pr[-1]
        start, end = gold.tok_start[p0], gold.tok_end[p1]
        head = lines[i][: lspan[i][k0][0]] if k0 == 0 else ""
        tail = lines[i][lspan[i][k1][1] :] if k1 == len(ltok[i]) - 1 else ""
        if head and gold.canon[start - len(head) : start] == head:
            start -= len(head)
        if tail and gold.canon[end : end + len(tail)] == tail:
            end += len(tail)
        spans[i] = (start, end)

    # Lines without a word: article when their characters stand in the gold right there.
    for i in range(n_lines):
        if ltok[i]:
            continue
        text = lines[i]
        prev = next((j for j in range(i - 1, -1, -1) if ltok[j] or spans[j]), None)
        prev_span = spans[prev] if prev is not None else None
        if prev_span is not None:
            after = prev_span[1]
            k = bisect_left(gold.tok_start, after)
            limit = gold.tok_start[k] if k < total else len(gold.canon)
            at = gold.canon.find(text, after, limit)
            if at >= 0 and not gold.canon[after:at].strip():
                labels[i] = "article"
                spans[i] = (at, at + len(text))
                continue
        nxt = next((j for j in range(i + 1, n_lines) if ltok[j]), None)
        next_span = spans[nxt] if nxt is not None else None
        if next_span is not None:
            before = next_span[0]
            k = bisect_left(gold.tok_end, before + 1) - 1
            low = gold.tok_end[k] if k >= 0 else 0
            at = gold.canon.rfind(text, low, before)
            if at >= 0 and not gold.canon[at + len(text) : before].strip():
                labels[i] = "article"
                spans[i] = (at, at + len(text))

    gold_para: list[int | None] = [None] * n_lines
    gold_line: list[int | None] = [None] * n_lines
    for i in range(n_lines):
        span, matched = spans[i], pairs[i]
        if labels[i] == "article" and span is not None:
            char = gold.tok_start[matched[0][1]] if matched else span[0]
            gold_para[i] = gold.para_at(char)
            gold_line[i] = gold.line_at(char)

    # Headline and byline above the first article line.
    first = next((i for i in range(n_lines) if labels[i] == "article"), n_lines)
    title_at = None
    title_key = tokens(title) if title else []
    if title_key:
        for i in range(first - 1, -1, -1):
            if ltok[i] == title_key:
                labels[i] = "title"
                title_at = i
                break
    keys = _author_keys(author)
    if keys:
        low = title_at - 4 if title_at is not None else first - BYLINE_WINDOW
        for i in range(max(0, low), first):
            if labels[i] == "noise" and _is_byline(ltok[i], keys):
                labels[i] = "byline"
                if i > 0 and ltok[i - 1] == ["by"] and labels[i - 1] == "noise":
                    labels[i - 1] = "byline"

    covered: set[int] = set()
    for i in range(n_lines):
        matched = pairs[i]
        if labels[i] == "article" and matched:
            covered.update(p for _, p in matched)
    coverage = len(covered) / total if total else 0.0
    return Alignment(labels, gold_para, gold_line, spans, ratio, coverage, gold)


def align(
    lines: list[str], gold: str, title: str | None, author: str | None = None
) -> tuple[Labels, Paras]:
    """Label naive lines by token alignment to the gold text: (labels, gold_para), one per
    line. See the module docstring for the rules."""
    result = _align(lines, _gold(gold), title, author)
    return tuple(result.labels), tuple(result.gold_para)


def coverage(lines: list[str], gold: str) -> float:
    """Share of the gold's tokens matched by lines labelled article."""
    return _align(lines, _gold(gold)).coverage


# --------------------------------------------------------------------------------------------
# Building samples


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    label: str
    para: int | None = None
    line: int | None = None


Unit = list[_Line]  # lines joined by "\n"; units are joined by a blank line


def _compose(page: str, variant: str, units: list[Unit], ctx: _Ctx) -> Sample:
    units = [u for u in units if u]
    text = "\n\n".join("\n".join(x.text for x in u) for u in units) + "\n"
    flat = [x for u in units for x in u]
    return _sample(page, variant, text, flat, ctx)


def _sample(page: str, variant: str, text: str, flat: list[_Line], ctx: _Ctx) -> Sample:
    blocks = text_blocks(text)
    if [b.text for b in blocks] != [x.text for x in flat]:
        raise AssertionError(f"{page} {variant}: blocks do not line up with the labels")
    return Sample(
        page=page,
        variant=variant,
        text=text,
        labels=tuple(x.label for x in flat),
        gold_para=tuple(x.para for x in flat),
        gold=ctx.gold_text,
        title=ctx.title,
        author=ctx.author,
        gold_line=tuple(x.line for x in flat),
    )


@dataclass(slots=True)
class _Ctx:
    """What the variants of one page are built from."""

    page: Page
    gold: _Gold
    gold_text: str
    title: str | None
    author: str | None
    naive_lines: list[str]
    alignment: Alignment
    labels_short: list[_Line]  # noise pools, in page order
    headlines: list[_Line]
    others: list[_Line]

    def gold_units(self) -> list[Unit]:
        return [
            [_Line(self.gold.lines[i], "article", p, i) for i in idx]
            for p, idx in enumerate(self.gold.paragraphs)
        ]

    def title_line(self) -> _Line | None:
        return _Line(self.title, "title") if self.title else None


def _noise_pools(
    ctx_gold: _Gold, lines: list[str], al: Alignment, title: str | None, author: str | None
) -> tuple[list[_Line], list[_Line], list[_Line]]:
    """Naive noise lines that do not look like gold text, split into short labels, headline
    -like lines and other text; each text once, in page order."""
    seen: set[str] = set()
    short: list[_Line] = []
    heads: list[_Line] = []
    others: list[_Line] = []
    title_key = tuple(tokens(title)) if title else None
    keys = _author_keys(author)
    for line, label in zip(lines, al.labels, strict=True):
        if label != "noise" or line in seen:
            continue
        seen.add(line)
        lt = tokens(line)
        key = tuple(lt)
        if title_key and key == title_key:
            continue
        if _is_byline(lt, keys):
            continue
        if len(lt) < LONG:
            if key and key in ctx_gold.line_keys:
                continue
        else:
            grams = len(lt) - GRAM + 1
            hits = sum(1 for o in range(grams) if tuple(lt[o : o + GRAM]) in ctx_gold.index)
            if hits >= 0.3 * grams:
                continue
        if not lt and all(ch in _PUNCT for ch in line):
            continue  # a lone "." or "," reads as a piece of the article's own sentence
        item = _Line(line, "noise")
        if len(lt) < LONG and len(line) <= 40:
            short.append(item)
        elif len(lt) <= 20 and len(line) <= 160 and not line.endswith("."):
            heads.append(item)
        else:
            others.append(item)
    return short, heads, others


class _Drawer:
    """Draws noise lines of a page for one sample: a pool is used up, in a shuffled order,
    before any of its lines comes again."""

    def __init__(self, rng: random.Random, ctx: _Ctx) -> None:
        self.rng = rng
        self.pools = [ctx.labels_short, ctx.headlines, ctx.others]
        self.decks: list[list[_Line]] = [[], [], []]

    def one(self, weights: tuple[float, float, float]) -> _Line | None:
        usable = [k for k in range(3) if self.pools[k] and weights[k] > 0]
        if not usable:
            usable = [k for k in range(3) if self.pools[k]]
        if not usable:
            return None
        k = self.rng.choices(usable, [weights[k] or 1.0 for k in usable])[0]
        if not self.decks[k]:
            self.decks[k] = self.rng.sample(self.pools[k], len(self.pools[k]))
        return self.decks[k].pop()

    def units(self, n: int, weights: tuple[float, float, float]) -> list[Unit]:
        """``n`` noise lines, each its own paragraph."""
        return [[x] for x in (self.one(weights) for _ in range(n)) if x is not None]


def _byline_units(rng: random.Random, author: str) -> list[Unit]:
    r = rng.random()
    if r < 0.5:
        return [[_Line(f"By {author}", "byline")]]
    if r < 0.65:
        return [[_Line(author, "byline")]]
    if r < 0.8:
        return [[_Line("By", "byline")], [_Line(author, "byline")]]
    if r < 0.9:
        return [[_Line("By", "byline"), _Line(author, "byline")]]
    return [[_Line(f"by {author}", "byline")]]


def _seed_units(rng: random.Random, ctx: _Ctx, heavy: bool) -> list[Unit]:
    """The seed-style mix: labels first, the headline, noise in paragraph gaps, a trailer."""
    units: list[Unit] = []
    draw = _Drawer(rng, ctx)
    if heavy:
        lead = rng.randint(1, 6)
        lead_w = (0.7, 0.2, 0.1)
        title_p, byline_p = 0.85, 0.35
        gap_p = rng.uniform(0.3, 0.75)
        gap_n = (1, 3)
        gap_w = (0.6, 0.25, 0.15)
        tail = rng.randint(2, 10)
        tail_w = (0.3, 0.5, 0.2)
    else:
        lead = rng.choices([0, 1, 2], [0.25, 0.6, 0.15])[0]
        lead_w = (1.0, 0.0, 0.0)
        title_p, byline_p = 0.8, 0.0
        gap_p = rng.choice([0.0, 0.15, 0.3, 0.45])
        gap_n = (1, 1)
        gap_w = (0.85, 0.1, 0.05)
        tail = rng.choices([0, 1, 2, 3, 4], [0.2, 0.3, 0.2, 0.15, 0.15])[0]
        tail_w = (0.2, 0.8, 0.0)
    units += draw.units(lead, lead_w)
    title = ctx.title_line()
    if title is not None and rng.random() < title_p:
        units.append([title])
        if ctx.author and rng.random() < byline_p:
            units += _byline_units(rng, ctx.author)
    for n, para in enumerate(ctx.gold_units()):
        if n and rng.random() < gap_p:
            units += draw.units(rng.randint(*gap_n), gap_w)
        units.append(para)
    units += draw.units(tail, tail_w)
    return units


def _split_lines(ctx: _Ctx) -> list[list[_Line]]:
    """Each gold line cut where the naive text cuts it: pieces per gold line, as _Lines."""
    al, gold = ctx.alignment, ctx.gold
    cuts: dict[int, set[int]] = {}
    prev: tuple[int, int] | None = None  # (gold line, end char) of the previous article line
    for i, label in enumerate(al.labels):
        span = al.spans[i]
        if label != "article" or span is None:
            continue
        gl = gold.line_at(span[0])
        if prev is not None and prev[0] == gl and gold.line_at(span[1] - 1) == gl:
            end = prev[1]
            if end <= span[0]:
                cuts.setdefault(gl, set()).add(
                    span[0] if not gold.canon[end : span[0]].strip() else end
                )
        prev = (gold.line_at(max(span[0], span[1] - 1)), span[1])
    out: list[list[_Line]] = []
    for gl, line in enumerate(gold.lines):
        base = gold.line_start[gl]
        points = sorted(c - base for c in cuts.get(gl, ()) if base < c < base + len(line))
        pieces = []
        last = 0
        for c in [*points, len(line)]:
            piece = " ".join(line[last:c].split())
            if piece:
                pieces.append(_Line(piece, "article", gold.line_para[gl], gl))
            last = c
        out.append(pieces)
    return out


def _split_units(rng: random.Random, ctx: _Ctx) -> list[Unit]:
    units: list[Unit] = []
    draw = _Drawer(rng, ctx)
    if rng.random() < 0.4:
        units += draw.units(1, (1.0, 0.0, 0.0))
    title = ctx.title_line()
    if title is not None and rng.random() < 0.5:
        units.append([title])
    pieces = _split_lines(ctx)
    last_para = None
    for gl, line_pieces in enumerate(pieces):
        para = ctx.gold.line_para[gl]
        if last_para is not None and para != last_para and rng.random() < 0.08:
            units += draw.units(1, (0.8, 0.2, 0.0))
        for k, piece in enumerate(line_pieces):
            if k and rng.random() < 0.04:
                units += draw.units(1, (1.0, 0.0, 0.0))
            units.append([piece])
        last_para = para
    units += draw.units(rng.choice([0, 0, 1, 2]), (0.3, 0.7, 0.0))
    return units


def _starts_with_title(gold: _Gold, title: str) -> bool:
    key = tokens(title)
    return bool(gold.lines) and tokens(gold.lines[0]) == key


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What happened to one page: alignment coverage and which variants it gave."""

    page: str
    coverage: float
    naive_lines: int
    excluded: bool  # naive and split skipped: coverage below MIN_COVERAGE
    variants: tuple[str, ...]
    title_source: str | None  # "gold", "h1" or None


def _rng(seed: int, page: str, variant: str) -> random.Random:
    return random.Random(f"{seed}:{page}:{variant}")


def page_samples(
    page: Page,
    *,
    split: str = "train",
    seed: int = 0,
    variants: tuple[str, ...] = VARIANTS,
    use_cache: bool = True,
) -> tuple[list[Sample], PageInfo]:
    """All samples of one page, in the order of ``variants``, and its report line. The page
    must belong to ``split``: an untuned page is refused unless ``split="untuned"``."""
    untuned = page.source == "wcxb" and is_untuned(page.doc_id)
    if untuned != (split == "untuned"):
        raise RuntimeError(f"{page.id} is not a page of split {split!r}")
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        raise ValueError(f"unknown variants: {sorted(unknown)}")
    text, headline = _parse_cached(page.html, use_cache)
    lines = [b.text for b in text_blocks(text)]
    gold = _gold(page.gold)
    title, title_source = page.title, ("gold" if page.title else None)
    if title is None and headline:
        title, title_source = headline, "h1"
    al = _align(lines, gold, title, page.author)
    short, heads, others = _noise_pools(gold, lines, al, title, page.author)
    gold_text = gold.canon + "\n"
    ctx = _Ctx(page, gold, gold_text, title, page.author, lines, al, short, heads, others)
    excluded = al.coverage < MIN_COVERAGE
    titled_ok = bool(title) and not _starts_with_title(gold, title or "")
    out: list[Sample] = []
    for variant in variants:
        rng = _rng(seed, page.id, variant)
        if variant == "naive":
            if excluded or not lines:
                continue
            flat = [
                _Line(line, label, para, gl)
                for line, label, para, gl in zip(
                    lines, al.labels, al.gold_para, al.gold_line, strict=True
                )
            ]
            out.append(_sample(page.id, variant, text, flat, ctx))
        elif variant in ("seed", "seed2"):
            out.append(_compose(page.id, variant, _seed_units(rng, ctx, variant == "seed2"), ctx))
        elif variant == "gold":
            raw = page.gold if page.gold.endswith("\n") else page.gold + "\n"
            flat = [
                _Line(gold.lines[i], "article", gold.line_para[i], i)
                for i in range(len(gold.lines))
            ]
            out.append(_sample(page.id, variant, raw, flat, ctx))
        elif variant == "titled":
            if titled_ok:
                units = [[_Line(title or "", "title")], *ctx.gold_units()]
                out.append(_compose(page.id, variant, units, ctx))
        elif variant == "titled-byline":
            if titled_ok and page.author:
                head: list[Unit] = [[_Line(title or "", "title")]]
                by = _byline_units(rng, page.author)
                if rng.random() < 0.2:  # headline and byline in one paragraph
                    head = [head[0] + by[0], *by[1:]]
                else:
                    head += by
                out.append(_compose(page.id, variant, [*head, *ctx.gold_units()], ctx))
        elif variant == "split":
            if excluded:
                continue
            out.append(_compose(page.id, variant, _split_units(rng, ctx), ctx))
    info = PageInfo(
        page.id, al.coverage, len(lines), excluded, tuple(s.variant for s in out), title_source
    )
    return out, info


def _work(args: tuple[Page, str, int, tuple[str, ...], bool]) -> tuple[list[Sample], PageInfo]:
    page, split, seed, variants, use_cache = args
    return page_samples(page, split=split, seed=seed, variants=variants, use_cache=use_cache)


def generate(
    split: str = "train",
    *,
    seed: int = 0,
    variants: tuple[str, ...] = VARIANTS,
    limit: int | None = None,
    workers: int | None = None,
    use_cache: bool = True,
    root: Path | None = None,
) -> Iterator[tuple[list[Sample], PageInfo]]:
    """Per page, in page order: its samples and its report line."""
    chosen = pages(split, root)
    if limit is not None:
        chosen = chosen[:limit]
    jobs: Iterable[tuple[Page, str, int, tuple[str, ...], bool]] = (
        (p, split, seed, tuple(variants), use_cache) for p in chosen
    )
    if workers is None:  # two processes, unless already inside a pool worker
        workers = 1 if current_process().daemon else DEFAULT_WORKERS
    if workers <= 1:
        for job in jobs:
            yield _work(job)
        return
    with Pool(workers) as pool:
        yield from pool.imap(_work, jobs, chunksize=4)


def samples(
    split: str = "train",
    *,
    seed: int = 0,
    variants: tuple[str, ...] = VARIANTS,
    limit: int | None = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> Iterator[Sample]:
    """Every sample of ``split`` (``"train"``: ScrapingHub + WCXB not untuned; ``"untuned"``:
    the untuned WCXB pages, for evaluation only), in page order, then variant order.

    ``workers`` processes build the pages (default :data:`DEFAULT_WORKERS`, one inside a pool
    worker); the output does not depend on it."""
    for page_out, _info in generate(
        split, seed=seed, variants=variants, limit=limit, workers=workers, use_cache=use_cache
    ):
        yield from page_out


# --------------------------------------------------------------------------------------------
# CLI


def _stats(
    split: str, seed: int, limit: int | None, workers: int, dump: Path | None, use_cache: bool
) -> int:
    t0 = time.perf_counter()
    rows: dict[str, Counter[str]] = {v: Counter() for v in VARIANTS}
    infos: list[PageInfo] = []
    files: dict[str, Any] = {}
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        files = {v: (dump / f"{v}.jsonl").open("w", encoding="utf-8") for v in VARIANTS}
    digest = hashlib.sha256()
    try:
        for page_out, info in generate(
            split, seed=seed, limit=limit, workers=workers, use_cache=use_cache
        ):
            infos.append(info)
            for s in page_out:
                row = rows[s.variant]
                row["samples"] += 1
                row["lines"] += len(s.labels)
                row.update(s.labels)
                line = json.dumps(s.to_json(), ensure_ascii=False)
                digest.update(line.encode("utf-8") + b"\n")
                if files:
                    files[s.variant].write(line + "\n")
    finally:
        for f in files.values():
            f.close()
    elapsed = time.perf_counter() - t0
    if split == "untuned":
        print("split=untuned: EVALUATION inputs only -- never fit or tune anything on these.")
    print(f"split={split} seed={seed} pages={len(infos)}")
    header = (
        f"{'variant':<14} {'samples':>8} {'lines':>9} {'article':>8} {'noise':>7}"
        f" {'title':>7} {'byline':>7}"
    )
    print(header)
    print("-" * len(header))
    total: Counter[str] = Counter()
    for v in VARIANTS:
        row = rows[v]
        total.update(row)
        _row(v, row)
    print("-" * len(header))
    _row("all", total)
    excluded = [i for i in infos if i.excluded]
    covs = sorted(i.coverage for i in infos)
    print(
        f"pages excluded from naive/split (coverage < {MIN_COVERAGE}): {len(excluded)}"
        f" of {len(infos)} ({sum(1 for i in excluded if i.page.startswith('sh:'))} ScrapingHub)"
    )
    if covs:
        q = [covs[min(len(covs) - 1, int(f * len(covs)))] for f in (0.1, 0.25, 0.5)]
        print(f"coverage: p10 {q[0]:.3f}  p25 {q[1]:.3f}  median {q[2]:.3f}")
    src = Counter(i.title_source for i in infos)
    print(f"headline: gold {src['gold']}, derived from <h1> {src['h1']}, none {src[None]}")
    print(f"samples sha256: {digest.hexdigest()[:16]}")
    print(f"time: {elapsed:.1f} s ({workers} worker{'s' if workers != 1 else ''})")
    return 0


def _row(name: str, row: Counter[str]) -> None:
    lines = row["lines"] or 1
    print(
        f"{name:<14} {row['samples']:>8} {row['lines']:>9} {row['article'] / lines:>8.3f}"
        f" {row['noise'] / lines:>7.3f} {row['title'] / lines:>7.3f} {row['byline'] / lines:>7.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.textmode.data", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--stats", action="store_true", help="print the per-variant table")
    parser.add_argument("--dump", type=Path, help="write one JSONL file per variant into DIR")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--limit", type=int, help="first N pages only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-cache", action="store_true", help="parse every page again")
    args = parser.parse_args(argv)
    if not args.stats and args.dump is None:
        parser.error("give --stats and/or --dump DIR")
    return _stats(args.split, args.seed, args.limit, args.workers, args.dump, not args.no_cache)


if __name__ == "__main__":
    sys.exit(main())
