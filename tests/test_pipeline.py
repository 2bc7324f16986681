from __future__ import annotations

import gzip
import json
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import InputError, Options, clean, explain
from cleaner import settings as cleaner_settings
from cleaner.pipeline import LIBRARY_WARNING_MAX_CHARS
from tests.test_extract import PAGE, PARAS

KEYS = {
    "source", "sha256", "bytes", "kind", "encoding", "title", "author", "date", "url",
    "sitename", "language", "counts", "removed", "warnings", "order", "comments", "cleaner_version",
}


def test_clean_html_end_to_end() -> None:
    result = clean(PAGE.encode(), name="page.html")
    assert result.text == "\n\n".join([*PARAS, "First point of a list\nSecond point of a list"]) + (
        "\n"
    )
    meta = result.metadata
    assert set(meta) == KEYS
    assert meta["kind"] == "html"
    assert meta["title"] == "Council approves new budget for city parks"
    assert meta["language"]["code"] == "en"
    assert meta["counts"]["output_paragraphs"] == 4
    assert any(r["reason"].startswith("headline") for r in meta["removed"])


def test_gzip_bytes_are_recognised_by_content() -> None:
    assert clean(gzip.compress(PAGE.encode()), name="x.html.gz").text == clean(
        PAGE.encode(), name="x.html"
    ).text


def test_text_end_to_end(article_text: str) -> None:
    result = clean(article_text, name="a.txt")
    assert result.metadata["title"] == "Council approves new budget for city parks"
    assert "Share" not in result.text and "Advertisement" not in result.text
    assert result.text.endswith(".\n") and "\n\n\n" not in result.text


def test_explain_lists_every_block(article_text: str) -> None:
    result = explain(article_text, name="a.txt")
    assert len(result.blocks) == result.metadata["counts"]["input_blocks"] == 7
    dropped = [b for b in result.blocks if not b.keep]
    assert all(b.reason for b in dropped)
    assert len(result.metadata["removed"]) == len(dropped)


def test_options_no_noise(article_text: str) -> None:
    result = clean(article_text, name="a.txt", options=Options(remove_noise=False))
    assert result.text.startswith("Share\n\n")


def test_deterministic(article_text: str) -> None:
    assert clean(article_text, name="a.txt").metadata == clean(article_text, name="a.txt").metadata


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"\x1f\x8b\x08\x00\x00"])
def test_bad_input(data: bytes) -> None:
    with pytest.raises(InputError):
        clean(data, name="bad.txt")


# Characters hypothesis's text() never draws by default (surrogates) or rarely: NUL, BOM, line
# and paragraph separators, NEL, controls, combining marks, a non-BMP character, U+FFFD.
EDGE_CHARS = (
    "\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85",
    "\ufeff", "\u2028", "\u2029", "\u0301", "\u0308\u0323", "\u200b", "\u200d", "\ufffd",
    "\U0001f600", "\r", "\n\n", "\t",
)
MARKUP = (
    "<p>", "</p>", "<div>", "</div>", "<html><body>", "</body></html>", "<!DOCTYPE html>",
    "<?xml version='1.0'?>", "<rss><item>", "<!--", "-->", "<script>", "</script>", "&amp;",
    "&#xd800;", "&#0;", "<meta charset='utf-8'>", "<title>", "</title>", "<br>",
    "Der Stadtrat hat den Haushalt beschlossen. ", "The council approved the budget today. ",
)
# Any code point, surrogates included (codec=None lifts text()'s default of UTF-8-encodable).
ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=300)
MIXED = st.lists(
    st.one_of(st.sampled_from(EDGE_CHARS), st.sampled_from(MARKUP), ANY_TEXT), max_size=40
).map("".join)


def _returns_or_raises_input_error(data: bytes | str, name: str) -> None:
    try:
        result = clean(data, name=name)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result.text, str)
        assert result.text == "" or result.text.endswith("\n")
        result.text.encode("utf-8")  # what the writer does: must not fail
        json.dumps(result.metadata, ensure_ascii=False).encode("utf-8")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=2000), ANY_TEXT))
def test_random_input_returns_or_raises_input_error(data: bytes | str) -> None:
    _returns_or_raises_input_error(data, "random.txt")


@settings(max_examples=300, deadline=None)
@given(MIXED, st.sampled_from(["random.html", "random.txt"]))
def test_edge_characters_mixed_with_markup(data: str, name: str) -> None:
    _returns_or_raises_input_error(data, name)
    _returns_or_raises_input_error(data.encode("utf-8", "surrogatepass"), name)


@pytest.mark.parametrize(
    "data", ["<p>a</p>\ud800", "\udcff" * 50, "<html><body><p>x\udfff</p>" + "\ud800" * 3]
)
def test_lone_surrogates_are_cleaned_with_a_warning(data: str) -> None:
    result = clean(data, name="a.html")
    assert "\ud800" not in result.text and "\udfff" not in result.text
    assert any("lone surrogate" in w for w in result.metadata["warnings"])


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/ pdivabhtml=\"'!-\n&;é"), max_size=500))
def test_random_markup_as_html(data: str) -> None:
    try:
        result = clean(data, name="random.html")
    except InputError:
        return
    assert isinstance(result.text, str)


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News feed</title><link>https://example.com/</link>
<item><title>Council approves budget</title><description>The council approved the new budget
for city parks on Monday, after a long debate about trees.</description></item>
<item><title>Second story</title><description>Residents gathered at the town hall to hear the
mayor explain her plan for the new playgrounds.</description></item></channel></rss>
"""


def test_library_warnings_go_to_the_metadata_not_stderr(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        first = clean(FEED, name="feed.html")
        second = clean(FEED, name="feed.html")  # recorded again, not only the first time
    assert escaped == []
    assert capfd.readouterr().err == ""
    lines = [w for w in first.metadata["warnings"] if w.startswith("XMLParsedAsHTMLWarning: ")]
    assert len(lines) == 1
    assert "\n" not in lines[0] and len(lines[0]) <= LIBRARY_WARNING_MAX_CHARS
    assert second.metadata == first.metadata
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the caller's filters do not change the result
        assert clean(FEED, name="feed.html").metadata == first.metadata


def test_ordinary_input_records_no_library_warning(article_text: str) -> None:
    assert clean(PAGE.encode(), name="page.html").metadata["warnings"] == []
    assert clean(article_text, name="a.txt").metadata["warnings"] == []


def test_mojibake_text_is_repaired_with_warning() -> None:
    text = "The café’s owner said the new menu would be ready by Friday, “as promised”."
    result = clean(text.encode().decode("cp1252", errors="replace").encode(), name="m.txt")
    assert result.text.startswith("The café’s owner said")
    assert any("mojibake" in w for w in result.metadata["warnings"])


def test_order_stage_runs_on_text_only() -> None:
    page = (
        "<html><head><title>A story</title></head><body><article>"
        + "".join(f"<p>Paragraph {i} of the story says something long enough to count.</p>"
                  for i in range(6))
        + "</article></body></html>"
    )
    html = clean(page.encode(), name="page.html")
    assert html.metadata["order"] is None
    assert cleaner_settings.ORDER_HTML_NOTE in html.document.notes
    paragraphs = (f"Paragraph {i} of the story says something long enough." for i in range(6))
    text = clean("\n\n".join(paragraphs), name="story.txt")
    assert text.metadata["order"] is not None and text.metadata["order"]["changed"] is False
    off = clean(page.encode(), name="page.html", options=Options(reorder=False))
    assert off.metadata["order"] is None
    assert cleaner_settings.ORDER_OFF_NOTE in off.document.notes


def test_a_resource_warning_from_the_garbage_collector_is_not_the_documents(
    article_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the caller left open may be finalised while a document is cleaned; its
    ResourceWarning says nothing about that document and would make metadata depend on timing."""
    import cleaner.pipeline as pipeline

    real = pipeline._stages

    def stages_with_a_collected_file(*args: object, **kwargs: object) -> object:
        warnings.warn("unclosed file <_io.BufferedReader name=3>", ResourceWarning, stacklevel=1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_stages", stages_with_a_collected_file)
    assert clean(article_text, name="a.txt").metadata["warnings"] == []
