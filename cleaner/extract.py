"""Stage 2, extract: decoded text in, a :class:`Document` with blocks and metadata out.

HTML goes through trafilatura, which finds the main content using the page structure; we keep its
XML body so each paragraph, heading, list or table becomes one block with its kind. Plain text has
no structure to use: every line becomes a block, and lines of one paragraph (no blank line between
them) share a ``para`` number so a kept paragraph is written back exactly as it was. Both paths
produce the same block list, so the noise stage works the same on both.

Of trafilatura's metadata we keep title, author, date, url and sitename, computed by
:mod:`cleaner.page_metadata` (see :func:`_trafilatura`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from cleaner import settings
from cleaner.config import Options
from cleaner.document import Block, BlockKind, Decoded, Document
from cleaner.page_metadata import page_metadata

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


def _comment_blocks(comments: Any, *, start: int) -> list[Block]:
    """The readers' comments trafilatura set apart, as blocks after the article's."""
    if comments is None:
        return []
    found = enumerate(_flatten(comments), start=start)
    return [Block(index=i, text=t, kind=k, para=i, comment=True) for i, (k, t) in found]


def _is_layout_table(table: Any) -> bool:
    """A table used for page layout rather than data: some cell holds a long run of text or
    block elements. Its cells are then read as paragraphs instead of being joined into rows."""
    for cell in table.iter("cell"):
        if any(child.tag in _TAG_KIND for child in cell):
            return True
        if len(" ".join(cell.itertext()).split()) >= LAYOUT_CELL_WORDS:
            return True
    return False


def _trafilatura(text: str, options: Options) -> tuple[Any, dict[str, str | None]] | None:
    """trafilatura's main content and our five metadata fields, or None when it finds no text.

    The same as ``bare_extraction(text, with_metadata=True, ...)`` for what we read, at a lower
    cost: trafilatura's metadata pass also computes categories, tags, licence, image and more,
    which cost more than the five fields we keep. The page is parsed once; the extraction runs
    on a copy of the tree (``bare_extraction`` copies a tree it is given); then title, author,
    date, url and sitename are computed by trafilatura's own helpers, in the order
    ``extract_metadata`` runs them, on the untouched tree. The URL trafilatura hands from the
    metadata to the extraction only resolves links and images, both off here, so the extraction
    is the same. As before, no metadata is returned when the extraction fails.
    """
    tree = load_html(text)
    if tree is None:
        return None
    # bare_extraction copies a tree it is given, and lxml copies one element: a parse that is
    # not a single root (1.4% of the dev pages have a stray second <html> beside the first, and
    # a fragment's tree is an element inside its document) goes in as text, parsed as before.
    whole = tree.getparent() is None and tree.getprevious() is None and tree.getnext() is None
    page = tree if whole else text
    result = _bare_extraction(page, options, fast=options.fast)
    if options.fast and len(getattr(result, "raw_text", None) or "") < settings.FAST_MIN_CHARS:
        result = _bare_extraction(page, options, fast=False)
    if result is None:
        return None
    return result, page_metadata(tree)


def _bare_extraction(page: Any, options: Options, *, fast: bool) -> Any:
    """trafilatura's extraction with our options (it copies a tree it is given)."""
    return trafilatura.bare_extraction(
        page,
        output_format="txt",  # the "python" format also renders the body as text, unused here
        with_metadata=False,
        include_comments=options.comments,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        deduplicate=False,
        fast=fast,
    )


def page_text(html: str) -> str:
    """All visible text of a page, one line per text node, as a naive scraper would save it.

    Used when trafilatura finds no main content: the text-mode noise stage then looks for the
    article in the whole page text instead of giving up.
    """
    from bs4 import BeautifulSoup  # lazy: only this fallback needs it, and it costs 40 ms

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
    """Build the document: blocks plus metadata (mojibake is the next step's work)."""
    return _extract(decoded, source=source, options=options)


def _extract(decoded: Decoded, *, source: str, options: Options) -> Document:
    if decoded.kind == "text":
        return Document(source, decoded, tuple(text_blocks(decoded.text)))
    try:
        extracted = _trafilatura(decoded.text, options)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        extracted = None
    body, meta = extracted if extracted is not None else (None, {})
    blocks: list[Block] = []
    if body is not None and body.body is not None:
        for kind, text in _flatten(body.body):
            blocks.append(Block(index=len(blocks), text=text, kind=kind, para=len(blocks)))
    if blocks and body is not None and options.comments:
        blocks.extend(_comment_blocks(body.commentsbody, start=len(blocks)))
    document = Document(
        source,
        decoded,
        tuple(blocks),
        title=_meta(meta.get("title")),
        author=_meta(meta.get("author")),
        date=_meta(meta.get("date")),
        url=_meta(meta.get("url")),
        sitename=_meta(meta.get("sitename")),
        with_comments=options.comments,
    )
    if not blocks:
        fallback = text_blocks(page_text(decoded.text))
        document = document.with_blocks(fallback).warn(
            "trafilatura found no main text; cleaned the whole page text instead"
        )
    return document
