"""Repair mojibake (UTF-8 text that was decoded as cp1252 somewhere upstream) in the extracted
blocks and metadata: the pipeline step after extract. No decoder can undo it; ftfy can.

Run on the extracted blocks rather than on the whole page: the page is ten times larger and
ftfy's badness search was the slowest step of the pipeline.
"""

from __future__ import annotations

from dataclasses import replace

import ftfy

from cleaner.document import Document

# ftfy settings: repair encoding damage only. Quote style, full-width forms and ligatures are
# the author's choice, not damage, and HTML entities are the HTML parser's job.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=True,
    normalization="NFC",
    explain=True,
)


def fix_mojibake(text: str) -> tuple[str, bool]:
    """Repair mojibake in extracted text; return the text and whether an encoding fix applied.

    Run on extracted blocks rather than on the whole page: the page is ten times larger and
    ftfy's badness search was the slowest step of the pipeline. ASCII text cannot be mojibake.
    """
    if text.isascii():
        return text, False
    fixed, explanation = ftfy.fix_and_explain(text, config=_FTFY)
    repaired = any(step[0] in ("encode", "decode") for step in explanation or ())
    return fixed, repaired


def repair_mojibake(doc: Document) -> Document:
    """The document with mojibake repaired in its blocks, title, author and sitename; a
    warning says so when an encoding fix applied to a block."""
    repaired = False
    blocks = []
    for block in doc.blocks:
        text, fixed = fix_mojibake(block.text)
        repaired |= fixed
        blocks.append(replace(block, text=text) if text != block.text else block)
    doc = replace(
        doc,
        blocks=tuple(blocks),
        title=_fixed(doc.title),
        author=_fixed(doc.author),
        sitename=_fixed(doc.sitename),
    )
    if repaired:
        doc = doc.warn("repaired mojibake (text had been decoded with the wrong charset)")
    return doc


def _fixed(value: str | None) -> str | None:
    return fix_mojibake(value)[0] if value else value
