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


def test_a_glued_line_continues_the_line_before() -> None:
    blocks = [
        Block(0, "Leading the list is", para=0),
        Block(1, "Barnett Ghostwriting", para=0, glue=" "),
        Block(2, ", a standout company.", para=0, glue=""),
        Block(3, "Next paragraph.", para=3),
    ]
    assert render_text(blocks) == (
        "Leading the list is Barnett Ghostwriting, a standout company.\n\nNext paragraph.\n"
    )


def test_glue_on_the_first_line_of_a_paragraph_is_ignored() -> None:
    # the line it would join went (dropped later, or the text starts here)
    blocks = [Block(1, "Barnett Ghostwriting", para=1, glue=" "), Block(2, "x", para=2, glue=" ")]
    assert render_text(blocks) == "Barnett Ghostwriting\n\nx\n"
