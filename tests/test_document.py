from __future__ import annotations

from cleaner.document import Block, render_text


def test_render_joins_lines_of_a_paragraph_and_separates_paragraphs() -> None:
    blocks = [
        Block(0, "a1", "line", 0),
        Block(1, "a2", "line", 0),
        Block(2, "b", "line", 1),
    ]
    assert render_text(blocks) == "a1\na2\n\nb\n"


def test_render_empty() -> None:
    assert render_text([]) == ""


def test_drop_keeps_text_and_records_reason() -> None:
    block = Block(3, "Share", "line", 2).drop("share/social label")
    assert (block.keep, block.reason, block.text) == (False, "share/social label", "Share")
