"""The inputs of the runs: the page corpus un-gzipped, folders of text documents and of small
texts, and generated pages (prose, markup-heavy) and gzipped text."""

from __future__ import annotations

import gzip
import random
from pathlib import Path
from typing import TypeVar

from bench.corpora import data_dir, load_corpus, scrapinghub_html

T = TypeVar("T")

QUICK_PAGES = 60
QUICK_TEXT_DOCS = 60
PROSE_WORDS = (
    "the council said on monday that its new budget for the city parks would include more "
    "money for playgrounds trees and benches while critics argued that it came too late and "
    "residents who gathered at the town hall heard the mayor explain how the plan would work"
).split()
# Markup of no article text, repeated (``{i}`` varies) to fill a markup-heavy page.
STYLE_RULE = ".c{i} {{margin: 0 {i}px; color: #{i:06x}; font: 14px/1.4 sans-serif}}\n"
SVG_PATH = '<path d="M{i} 0 L0 {i} L{i} {i} Z" fill="#3a6" stroke="#000"/>\n'
SCRIPT_LINE = 'var d{i} = {{"key": "value {i}", "list": [{i}, 2, 3]}};\n'


def pages(quick: bool) -> list[Path]:
    """The page files: ScrapingHub (via bench.corpora) plus every WCXB dev page."""
    root = data_dir()
    found = [doc.path for doc in scrapinghub_html(root).docs if doc.path is not None]
    found += sorted((root / "wcxb" / "dev" / "html").glob("*.html.gz"))
    return found[:QUICK_PAGES] if quick else found


def spread(items: list[T], count: int | None) -> list[T]:
    """``count`` of ``items`` taken at even steps (every corpus represented), or all of them."""
    if count is None or count >= len(items):
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def unpack(files: list[Path], folder: Path) -> None:
    """Un-gzip each page into ``folder`` under a unique plain ``.html`` name."""
    folder.mkdir(parents=True)
    for path in files:
        name = f"{path.parent.parent.name}-{path.name.removesuffix('.gz')}"
        (folder / name).write_bytes(gzip.decompress(path.read_bytes()))


def text_folder(name: str, folder: Path, quick: bool) -> int:
    """The input of every document of text corpus ``name`` written to ``folder/<id>.txt``;
    returns their number."""
    docs = spread(load_corpus(name).docs, QUICK_TEXT_DOCS if quick else None)
    folder.mkdir(parents=True)
    for doc in docs:
        (folder / f"{doc.id}.txt").write_bytes(doc.read())
    return len(docs)


def small_texts(folder: Path, count: int) -> None:
    """``count`` short articles in 100 sub-folders (one sentence varies, so none repeat)."""
    for i in range(count):
        sub = folder / f"d{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"story{i}.txt").write_text(
            f"Story {i} begins with a sentence long enough to read as prose, as articles do.\n\n"
            f"It continues with a second paragraph about item {i} and what happened next.\n",
            encoding="utf-8",
        )


def _prose(rnd: random.Random, sentences: int) -> str:
    """Sentences of 8 to 24 words drawn from PROSE_WORDS: text with the shape of an article."""
    out = []
    for _ in range(sentences):
        words = [rnd.choice(PROSE_WORDS) for _ in range(rnd.randint(8, 24))]
        out.append(" ".join(words).capitalize() + ".")
    return " ".join(out)


def prose_page(size: int, seed: int = 0) -> bytes:
    """A news page of about ``size`` bytes: head, navigation, headline, ``<p>`` paragraphs of
    prose, footer."""
    rnd = random.Random(seed)
    head = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>City budget</title>"
        "</head><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "</ul></nav><article><h1>Council approves the city budget</h1>"
    )
    tail = "</article><footer><p>All rights reserved.</p></footer></body></html>"
    parts, total = [head], len(head) + len(tail)
    while total < size:
        paragraph = f"<p>{_prose(rnd, rnd.randint(2, 6))}</p>\n"
        parts.append(paragraph)
        total += len(paragraph)
    return ("".join(parts) + tail).encode()


def _filler(template: str, size: int) -> str:
    """``template`` formatted with i = 0, 1, ... and joined, to about ``size`` characters."""
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(template.format(i=len(parts)))
        total += len(parts[-1])
    return "".join(parts)


def markup_page(size: int, seed: int = 0) -> bytes:
    """A page of about ``size`` bytes: ``prose_page`` of half that, plus markup of no article
    text, as pages that inline their assets carry: a ``<style>`` in the head, an ``<svg>`` in
    the article and a ``<script>`` before ``</body>``, a sixth of the bytes each."""
    page = prose_page(size // 2, seed).decode()
    part = size // 6
    style = f"<style>\n{_filler(STYLE_RULE, part)}</style>"
    svg = f"<svg viewBox='0 0 100 100'>\n{_filler(SVG_PATH, part)}</svg>"
    script = f"<script>\n{_filler(SCRIPT_LINE, part)}</script>"
    page = page.replace("</head>", style + "</head>", 1).replace("</h1>", "</h1>" + svg, 1)
    return page.replace("</body>", script + "</body>", 1).encode()


def write_gzipped_text(path: Path, size: int) -> None:
    """A ``.gz`` of ``size`` bytes of plain text: one 20 KB article repeated, so it compresses
    to well under 1 MB, as the reported 92 KB bomb of 60 MB did."""
    article = "\n\n".join(_prose(random.Random(1), 4) for _ in range(60)).encode() + b"\n\n"
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for _ in range(size // len(article)):
            handle.write(article)
        handle.write(article[: size % len(article)])
