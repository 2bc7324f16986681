from __future__ import annotations

import gzip

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import InputError, Options, clean, explain
from cleaner import settings as cleaner_settings
from tests.test_extract import PAGE, PARAS

KEYS = {
    "source", "sha256", "bytes", "kind", "encoding", "title", "author", "date", "url",
    "sitename", "language", "counts", "removed", "warnings", "order", "cleaner_version",
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


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=2000), st.text(max_size=2000)))
def test_random_input_returns_or_raises_input_error(data: bytes | str) -> None:
    try:
        result = clean(data, name="random.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(result.text, str)
        assert result.text == "" or result.text.endswith("\n")


@settings(max_examples=30, deadline=None)
@given(st.text(alphabet=st.sampled_from("<>/ pdivabhtml=\"'!-\n&;é"), max_size=500))
def test_random_markup_as_html(data: str) -> None:
    try:
        result = clean(data, name="random.html")
    except InputError:
        return
    assert isinstance(result.text, str)


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
