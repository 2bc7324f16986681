"""Stage 2, extract: decoded text in, a :class:`Document` with blocks and metadata out.

HTML goes through trafilatura, which finds the main content using the page structure; we keep its
XML body so each paragraph, heading, list or table becomes one block with its kind. Plain text has
no structure to use: every line becomes a block, and lines of one paragraph (no blank line between
them) share a ``para`` number so a kept paragraph is written back exactly as it was. Both paths
produce the same block list, so the noise stage works the same on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import trafilatura
from bs4 import BeautifulSoup
from lxml import etree

from cleaner import settings
from cleaner.config import Options
from cleaner.document import Block, BlockKind, Decoded, Document
from cleaner.read import fix_mojibake

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# A table cell with this many words is page layout, not data (see _is_layout_table).
LAYOUT_CELL_WORDS = 60
_NAIVE_DROP = ("script", "style", "noscript", "template", "svg", "head")

_TAG_KIND: dict[str, BlockKind] = {
    "p": "p",
    "head": "head",
    "list": "list",
    "quote": "quote",
    "table": "table",
    "code": "code",
}


def _squash(text: str) -> str:
    """Collapse runs of spaces within lines and strip each line; drop empty lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _element_text(element: Any) -> str:
    """Text of one trafilatura body element, with line breaks where the XML has them."""
    tag = element.tag
    if tag == "list":
        return "\n".join(_element_text(item) for item in element if item.tag == "item")
    if tag == "table":
        rows = []
        for row in element.iter("row"):
            cells = [_squash(" ".join(cell.itertext())) for cell in row if cell.tag == "cell"]
            cells = [c.replace("\n", " ") for c in cells if c]
            if cells:
                rows.append(" | ".join(cells))
        return "\n".join(rows)
    parts: list[str] = []
    for node in element.iter():
        if node.tag == "lb":
            parts.append("\n")
        elif node is not element and node.tag in ("list", "table"):
            continue
        if node.text and node.tag != "lb":
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return _squash("".join(parts))


def _flatten(container: Any) -> Iterator[tuple[BlockKind, str]]:
    """Blocks of a trafilatura body in document order.

    Known block elements become one block each; other elements (trafilatura sometimes keeps a
    ``div`` around part of the article) are containers: we descend into them, and loose text
    directly inside a container becomes a paragraph of its own.
    """
    loose = _squash(container.text or "")
    if loose:
        yield "p", loose
    for child in container:
        kind = _TAG_KIND.get(child.tag)
        if kind == "table" and _is_layout_table(child):
            for cell in child.iter("cell"):
                yield from _flatten(cell)
        elif kind is not None:
            text = _element_text(child)
            if text:
                yield kind, text
        elif child.tag not in ("lb", "graphic", "ref", "hi", "del"):
            yield from _flatten(child)
        else:
            text = _squash(" ".join(child.itertext()))
            if text:
                yield "p", text
        tail = _squash(child.tail or "")
        if tail:
            yield "p", tail


def _is_layout_table(table: Any) -> bool:
    """A table used for page layout rather than data: some cell holds a long run of text or
    block elements. Its cells are then read as paragraphs instead of being joined into rows."""
    for cell in table.iter("cell"):
        if any(child.tag in _TAG_KIND for child in cell):
            return True
        if len(" ".join(cell.itertext()).split()) >= LAYOUT_CELL_WORDS:
            return True
    return False


def _trafilatura(text: str, options: Options) -> Any:
    return trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        deduplicate=False,
        date_extraction_params=dict(settings.DATE_SEARCH),
    )


def page_text(html: str) -> str:
    """All visible text of a page, one line per text node, as a naive scraper would save it.

    Used when trafilatura finds no main content: the text-mode noise stage then looks for the
    article in the whole page text instead of giving up.
    """
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_NAIVE_DROP)):
        tag.decompose()
    lines = (_SPACES.sub(" ", line).strip() for line in soup.get_text("\n").split("\n"))
    return "\n\n".join(line for line in lines if line)


def text_blocks(text: str) -> list[Block]:
    """Split plain text into line blocks, numbering paragraphs (runs without a blank line)."""
    blocks: list[Block] = []
    for para, chunk in enumerate(_BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n"))):
        for line in chunk.split("\n"):
            line = _SPACES.sub(" ", line).strip()
            if line:
                blocks.append(Block(index=len(blocks), text=line, kind="line", para=para))
    return blocks


def _meta(value: Any) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def extract(decoded: Decoded, *, source: str, options: Options) -> Document:
    """Build the document: blocks plus metadata, with mojibake repaired in both."""
    document = _extract(decoded, source=source, options=options)
    repaired = False
    blocks = []
    for block in document.blocks:
        text, fixed = fix_mojibake(block.text)
        repaired |= fixed
        blocks.append(replace(block, text=text) if text != block.text else block)
    document = replace(
        document,
        blocks=tuple(blocks),
        title=_fixed(document.title),
        author=_fixed(document.author),
        sitename=_fixed(document.sitename),
    )
    if repaired:
        document = document.warn("repaired mojibake (text had been decoded with the wrong charset)")
    return document


def _fixed(value: str | None) -> str | None:
    return fix_mojibake(value)[0] if value else value


def _extract(decoded: Decoded, *, source: str, options: Options) -> Document:
    if decoded.kind == "text":
        return Document(source, decoded, tuple(text_blocks(decoded.text)))
    try:
        result = _trafilatura(decoded.text, options)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        result = None
    blocks: list[Block] = []
    if result is not None and result.body is not None:
        for kind, text in _flatten(result.body):
            blocks.append(Block(index=len(blocks), text=text, kind=kind, para=len(blocks)))
    document = Document(
        source,
        decoded,
        tuple(blocks),
        title=_meta(getattr(result, "title", None)),
        author=_meta(getattr(result, "author", None)),
        date=_meta(getattr(result, "date", None)),
        url=_meta(getattr(result, "url", None)),
        sitename=_meta(getattr(result, "sitename", None)),
    )
    if not blocks:
        fallback = text_blocks(page_text(decoded.text))
        document = document.with_blocks(fallback).warn(
            "trafilatura found no main text; cleaned the whole page text instead"
        )
    return document
