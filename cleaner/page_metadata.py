"""Page metadata (title, author, date, url, sitename) the way trafilatura 2.3.1 computes it.

Pinned to trafilatura 2.3.1: this module restates part of its metadata pass. It calls
trafilatura's own helpers, in the order its ``extract_metadata`` runs them, for the five fields
we keep (its full pass also computes categories, tags, licence, image and more, which cost more
than these five together: on the dev pages the metadata step went from a fifth of the
pipeline's time to a tenth). Its author search is restated in Python where trafilatura's XPath
expressions are the ones written here, checked by a hash of those expressions
(:data:`_AUTHOR_SEARCH_KEY`) and by a test against trafilatura's own function: with another
trafilatura, the hash differs and trafilatura's function runs. Bumping trafilatura means
re-checking this module first (``tests/test_extract.py``).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

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
from trafilatura.utils import line_processing, trim
from trafilatura.xml import delete_element
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from cleaner import settings

# The metadata fields we keep; trafilatura's full metadata pass also computes categories, tags,
# licence, image, description and hostname, which cost more than these five together.
_META_FIELDS = ("title", "author", "date", "url", "sitename")
# trafilatura.settings.Document.clean_and_trim: longer strings are cut and end in an ellipsis.
_META_MAX_CHARS = 10_000



def page_metadata(tree: Any) -> dict[str, str | None]:
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
