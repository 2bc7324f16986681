"""Stage 2, extract: decoded text in, a :class:`Document` with blocks and metadata out.

HTML goes through trafilatura, which finds the main content using the page structure; we keep its
XML body so each paragraph, heading, list or table becomes one block with its kind. Plain text has
no structure to use: every line becomes a block, and lines of one paragraph (no blank line between
them) share a ``para`` number so a kept paragraph is written back exactly as it was. Both paths
produce the same block list, so the noise stage works the same on both.

Of trafilatura's metadata we keep title, author, date, url and sitename; they are computed with
its own helpers, exactly as its full metadata pass would, but without the fields we drop: on the
dev pages the metadata step went from a fifth of the pipeline's time to a tenth (see
:func:`_trafilatura`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from typing import Any

import trafilatura
from bs4 import BeautifulSoup
from htmldate import find_date
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.json_metadata import normalize_authors
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import line_processing, load_html, trim
from trafilatura.xml import delete_element
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

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


# The metadata fields we keep; trafilatura's full metadata pass also computes categories, tags,
# licence, image, description and hostname, which cost more than these five together.
_META_FIELDS = ("title", "author", "date", "url", "sitename")
# trafilatura.settings.Document.clean_and_trim: longer strings are cut and end in an ellipsis.
_META_MAX_CHARS = 10_000


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
    result = trafilatura.bare_extraction(
        tree if whole else text,
        output_format="txt",  # the "python" format also renders the body as text, unused here
        with_metadata=False,
        include_comments=options.comments,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        favor_precision=options.favor == "precision",
        favor_recall=options.favor == "recall",
        deduplicate=False,
    )
    if result is None:
        return None
    return result, _metadata(tree)


def _metadata(tree: Any) -> dict[str, str | None]:
    """trafilatura's ``extract_metadata`` restricted to title, author, date, url and sitename,
    with its defaults (no author blacklist, no known URL) and our date search parameters.

    The tree is consumed: the author search prunes it in place (trafilatura prunes a deep copy),
    so that search runs last.
    """
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    # As trafilatura: a bug in its JSON-LD parser loses that source, not the page.
    with contextlib.suppress(Exception):
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree)
    date_params: dict[str, Any] = {**settings.DATE_SEARCH, "url": metadata.url}
    metadata.date = find_date(tree, **date_params)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        sitename = metadata.sitename.lstrip("@")  # a Twitter handle
        if sitename and "." not in sitename and not sitename[0].isupper():
            sitename = sitename.title()
        metadata.sitename = sitename
    elif metadata.url:
        match = META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    if not metadata.author:
        metadata.author = _page_author(tree)
    return {field: _trimmed(getattr(metadata, field)) for field in _META_FIELDS}


def _page_author(tree: Any) -> str | None:
    """trafilatura's ``extract_author``: the first byline-like element of the page whose text is
    3 to 119 characters long, after comments, sidebars, dates and figures are removed.

    trafilatura prunes a deep copy of the page and finds candidates with XPath expressions
    (``re:test`` on attributes, over every element): a third of the metadata time. The tree is
    ours, so it is pruned in place; and when trafilatura's expressions are the ones
    :func:`_prune_author_noise` and :func:`_author_candidates` restate (checked by a hash, and
    by a test against trafilatura's own function) candidates are found in Python, lazily, so
    the search stops at the first good one. (XPath with ``contains`` instead of ``re:test``
    was tried: barely faster, as libxml2's ``//*`` is the slow part.)
    """
    if not _AUTHOR_SEARCH_KNOWN or tree.getparent() is not None:
        # A fragment's tree is not its document's root: XPath's // would see its ancestors.
        return extract_author(tree)
    _prune_author_noise(tree)
    for expression in range(len(AUTHOR_XPATHS)):
        for element in _author_candidates(tree, expression):
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < _AUTHOR_MAX_CHARS:
                return normalize_authors(None, content)
    return None


def _author_search_key() -> str:
    """Hash of trafilatura's author expressions, whitespace-normalised."""
    paths = (" ".join(xpath.path.split()) for xpath in (*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS))
    return hashlib.sha256("\n".join(paths).encode()).hexdigest()[:16]


# The author expressions of trafilatura 2.3.1 (xpaths.AUTHOR_XPATHS, AUTHOR_DISCARD_XPATHS),
# which _prune_author_noise and _author_candidates restate; with other versions trafilatura's
# own function runs. XPath's re:test(@a, pattern) is Python's re.search on the attribute's
# value, "" when the attribute is missing.
_AUTHOR_SEARCH_KEY = "2af94d4a6e04e948"
_AUTHOR_SEARCH_KNOWN = _author_search_key() == _AUTHOR_SEARCH_KEY
# extract_author's length limit (exclusive) on a candidate's text.
_AUTHOR_MAX_CHARS = 120
_DISCARD_TAGS = ("a", "div", "section", "span")
_DISCARD_CLASSES = frozenset({"comments", "title", "date"})
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_AUTHOR1_TAGS = ("a", "address", "div", "link", "p", "span", "strong")
_AUTHOR1_CLASS = re.compile("author-?name|AuthorName|authorName")
_AUTHOR2_TAGS = ("a", "div", "h3", "h4", "p", "span")
_AUTHOR2_CLASSES = frozenset({"byline", "username", "byl", "BBL"})
_AUTHOR2_ID = re.compile("author|zuozhe|bianji|xiaobian")
_AUTHOR2_CLASS = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_AUTHOR3_ID = re.compile("[Aa]uthor")
_AUTHOR3_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")


def _prune_author_noise(tree: Any) -> None:
    """``prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS)``: all matches of the first
    expression are found, then removed keeping their tails; then times and figures."""
    matches = []
    for element in tree.iterdescendants(_DISCARD_TAGS):
        id_ = element.get("id") or ""
        class_ = element.get("class") or ""
        if (
            id_ == "comments"
            or class_ in _DISCARD_CLASSES
            or _DISCARD_ID.search(id_)
            or _DISCARD_CLASS.search(class_)
            or "Figure" in (element.get("data-component") or "")
        ):
            matches.append(element)
    for element in matches:
        delete_element(element)
    prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS[1:])


def _author_candidates(tree: Any, expression: int) -> Iterator[Any]:
    """The elements ``AUTHOR_XPATHS[expression]`` selects, lazily, in document order."""
    if expression == 0:
        for element in tree.iter(*_AUTHOR1_TAGS, "author"):
            if element.tag == "author" or _author1(element):
                yield element
    elif expression == 1:
        for element in tree.iter(_AUTHOR2_TAGS):
            class_ = element.get("class") or ""
            if (
                class_ in _AUTHOR2_CLASSES
                or "author" in (element.get("itemprop") or "")
                or _AUTHOR2_ID.search(element.get("id") or "")
                or _AUTHOR2_CLASS.search(class_)
            ):
                yield element
    else:
        for element in tree.iter(etree.Element):
            if (
                "Byline" in (element.get("data-component") or "")
                or "author" in (element.get("itemprop") or "")
                or _AUTHOR3_ID.search(element.get("id") or "")
                or _AUTHOR3_CLASS.search(element.get("class") or "")
            ):
                yield element


def _author1(element: Any) -> bool:
    """The predicate of the first author expression (its ``rel='me'`` is a child element)."""
    class_ = element.get("class") or ""
    return bool(
        element.get("rel") == "author"
        or element.get("id") == "author"
        or class_ == "author"
        or element.get("itemprop") == "author name"
        or element.get("data-testid") in ("AuthorCard", "AuthorURL")
        or _AUTHOR1_CLASS.search(class_)
        or any(child.text_content() == "me" for child in element.iterchildren("rel"))
    )


def _trimmed(value: Any) -> Any:
    """``Document.clean_and_trim`` for one field: cut, unescape entities, normalise spaces."""
    if not isinstance(value, str):
        return value
    if len(value) > _META_MAX_CHARS:
        value = value[: _META_MAX_CHARS - 1] + "…"
    return line_processing(unescape(value))


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
