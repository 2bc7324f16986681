from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from lxml import etree
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from cleaner import settings
from cleaner.config import Options
from cleaner.extract import _trafilatura, extract, page_text, text_blocks
from cleaner.page_metadata import (
    _AUTHOR_SEARCH_KNOWN,
    _author_candidates,
    _page_author,
    _prune_author_noise,
)
from cleaner.read import read
from tests.conftest import FIXTURES

PARAS = [
    "The city council on Tuesday approved a budget that doubles spending on parks and "
    "playgrounds over the next five years, after months of debate among its members.",
    "Mayor Ana Lopez said the plan would create hundreds of jobs and give every neighbourhood "
    "a green space within a ten-minute walk of every home in the city.",
    "Critics argued that the money should go to road repairs instead, but the measure passed "
    "by seven votes to two late on Tuesday evening after a long session.",
]
PAGE = (
    "<html><head><title>Council approves new budget for city parks</title>"
    '<meta name="author" content="Jane Doe"></head><body>'
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
    "<article><h1>Council approves new budget for city parks</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "<ul><li>First point of a list</li><li>Second point of a list</li></ul>"
    "</article><footer>© 2024 City Paper</footer></body></html>"
)


def test_html_blocks_and_metadata() -> None:
    doc = extract(read(PAGE, name="p.html", max_bytes=10**7), source="p.html", options=Options())
    texts = [b.text for b in doc.blocks]
    for para in PARAS:
        assert para in texts
    assert "First point of a list\nSecond point of a list" in texts
    assert doc.title == "Council approves new budget for city parks"
    assert doc.author == "Jane Doe"
    assert all(b.kind != "line" for b in doc.blocks)
    assert "Home" not in texts


@pytest.mark.parametrize(
    ("fast_chars", "modes"),
    [
        (10, [True]),  # the fast text is long enough: kept
        (10**9, [True, False]),  # too short against the bound: the full mode decides
    ],
)
def test_fast_mode_falls_back_to_the_full_mode_on_a_short_text(
    monkeypatch: pytest.MonkeyPatch, fast_chars: int, modes: list[bool]
) -> None:
    real = trafilatura.bare_extraction
    seen: list[bool] = []

    def bare_extraction(page: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["fast"])
        return real(page, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", bare_extraction)
    monkeypatch.setattr(settings, "FAST_MIN_CHARS", fast_chars)
    options = Options(fast=True)
    doc = extract(read(PAGE, name="p.html", max_bytes=10**7), source="p.html", options=options)
    assert seen == modes
    assert PARAS[0] in [b.text for b in doc.blocks]
    seen.clear()
    extract(read(PAGE, name="p.html", max_bytes=10**7), source="p.html", options=Options())
    assert seen == [False]  # the default never takes the fast mode


def test_text_blocks_group_lines_into_paragraphs() -> None:
    blocks = text_blocks("a  b\nc\n\n\n  d \r\n e\n")
    assert [(b.text, b.para) for b in blocks] == [("a b", 0), ("c", 0), ("d", 1), ("e", 1)]


def test_page_text_drops_scripts_and_styles() -> None:
    html = "<html><head><style>p{}</style></head><body><script>x=1</script><p>Hi</p></body></html>"
    assert page_text(html) == "Hi"


def test_trafilatura_finds_nothing_falls_back_to_page_text() -> None:
    html = "<html><body><footer><p>Only a tiny label</p></footer></body></html>"
    doc = extract(read(html, name="e.html", max_bytes=10**7), source="e.html", options=Options())
    assert any("fell back" in w or "whole page" in w for w in doc.warnings)
    assert [b.text for b in doc.blocks] == ["Only a tiny label"]


META_PAGE = (
    "<html><head><title>Parks budget doubles | City Paper</title>"
    '<link rel="canonical" href="https://www.citypaper.example/news/parks-budget">'
    '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
    "</head><body><article><h1>Council approves new budget for city parks</h1>"
    '<p class="byline">By Jane Doe</p>'
    + "".join(f"<p>{p}</p>" for p in PARAS)
    + "</article></body></html>"
)


def test_metadata_fields_of_a_page() -> None:
    doc = extract(
        read(META_PAGE, name="m.html", max_bytes=10**7), source="m.html", options=Options()
    )
    assert doc.title == "Council approves new budget for city parks"
    assert doc.author == "Jane Doe"  # from the byline: the page has no author meta tag
    assert doc.date == "2024-03-05"
    assert doc.url == "https://www.citypaper.example/news/parks-budget"
    # the title's "City Paper" has no dot, so trafilatura takes the canonical URL's host
    assert doc.sitename == "citypaper.example"
    assert [b.text for b in doc.blocks if b.text in PARAS] == PARAS


def _reference(html: str, options: Options) -> Any:
    """What the extract stage called before: trafilatura's full metadata pass included."""
    return trafilatura.bare_extraction(
        html,
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


FIXTURE_PAGES = sorted((FIXTURES / "inputs" / "html").glob("*.htm*"))


def _page(path: Path) -> str:
    return read(path.read_bytes(), name=path.name, max_bytes=10**8).text


@pytest.mark.parametrize("path", [*FIXTURE_PAGES, Path("META_PAGE")], ids=lambda p: p.name)
@pytest.mark.parametrize("favor", ["balanced", "precision", "recall"])
def test_same_body_and_metadata_as_bare_extraction_with_metadata(path: Path, favor: str) -> None:
    options = Options(favor=favor)
    html = META_PAGE if path.name == "META_PAGE" else _page(path)
    reference = _reference(html, options)
    ours = _trafilatura(html, options)
    if reference is None:  # no main text: no metadata either, as before
        assert ours is None
        return
    assert ours is not None
    body, metadata = ours
    assert etree.tostring(body.body) == etree.tostring(reference.body)
    for field in ("title", "author", "date", "url", "sitename"):
        assert metadata[field] == getattr(reference, field), field


AUTHOR_PAGES = [
    '<p class="author-name">Ann Author</p>',
    '<span data-testid="AuthorCard">Ben Card</span>',
    "<author>Cat Tag</author>",
    "<p><rel>me</rel> Dan Rel</p>",
    '<a rel="author" href="/a">Eve Link</a>',
    '<h4 class="username">Fay User</h4>',
    '<div id="zuozhe">Gao Zuozhe</div>',
    '<em itemprop="author">Hal Item</em>',
    '<section class="Byline-main">Ida Byline</section>',
    '<li id="postAuthor">Jo Id</li>',
    '<div class="comments"><span class="author">Kim Commenter</span></div>',
    '<div class="sidebar-x"><p class="byline">Lee Sidebar</p></div><p class="writer">Max W</p>',
    '<figure><span class="byline">Ned Photo</span></figure>tail <i class="byline">Oz Tail</i>',
    '<div id="comments-list"><a class="author">Pat</a></div><span class="authorName">Q R</span>',
    '<div data-component="Figure"><b class="author">Rae</b></div><b class="author">Sam Ok</b>',
    '<p class="author">x</p><p class="author">Long enough name</p>',
]


@pytest.mark.parametrize("snippet", AUTHOR_PAGES)
def test_author_search_equals_trafilatura(snippet: str) -> None:
    assert _AUTHOR_SEARCH_KNOWN  # the pinned trafilatura: the restated search runs
    html = f"<html><body><article><p>Some text here.</p>{snippet}</article></body></html>"
    tree = load_html(html)
    _check_author_search(tree)


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=lambda p: p.name)
def test_author_search_equals_trafilatura_on_fixtures(path: Path) -> None:
    _check_author_search(load_html(_page(path)))


def _check_author_search(tree: Any) -> None:
    for k, expression in enumerate(AUTHOR_XPATHS):
        assert list(_author_candidates(tree, k)) == expression(tree)
    pruned = deepcopy(tree)
    _prune_author_noise(pruned)
    reference = deepcopy(tree)
    for expression in AUTHOR_DISCARD_XPATHS:
        for element in expression(reference):
            trafilatura.xml.delete_element(element)
    assert etree.tostring(pruned) == etree.tostring(reference)
    for k, expression in enumerate(AUTHOR_XPATHS):
        assert list(_author_candidates(pruned, k)) == expression(pruned)
    assert _page_author(deepcopy(tree)) == extract_author(tree)


def test_author_search_of_a_fragment_uses_trafilatura() -> None:
    tree = load_html("<div><p>Some text</p><p class='byline'>Tom Frag</p></div><p>and more</p>")
    assert tree is not None and tree.getparent() is not None
    assert _page_author(tree) == "Tom Frag"
