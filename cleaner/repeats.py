"""Repeated paragraphs within one HTML page: a print copy, a mobile copy or tabs that carry
the story again. The first full copy stays; each later copy goes, saying which it repeats.

Two paragraphs are copies when they read the same apart from case, spacing, punctuation at
their edges and the style of their quotes (a mobile copy often has straight quotes where the
page has curly ones). A paragraph of :data:`~cleaner.settings.REPEAT_MIN_WORDS` words or more
goes on its own. A shorter one goes only inside a copied run: an unbroken stretch of kept
copies that holds :data:`~cleaner.settings.REPEAT_RUN_MIN_LONG` long ones, such as the
captions, datelines and subheadings of a second copy of the story. Short paragraphs alone
repeat legitimately (a refrain, a table cell, an interview's recurring question) in the gold
texts of the benchmarks. trafilatura's own deduplication is off because its cache spans
documents (the output would depend on the order of the batch).
"""

from __future__ import annotations

from cleaner import settings
from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.noise import mark_dropped
from cleaner.text import normalise_line, word_count


def drop_repeats(doc: Document, *, options: Options) -> Document:
    """Drop every later copy of a long paragraph, and every copy in a run of long copies,
    naming the block index of the first copy."""
    if not options.remove_noise:
        return doc
    changes: dict[int, str] = {}
    for run in _copied_runs(doc.blocks):
        long = [(b, first) for b, first in run if word_count(b.text) >= settings.REPEAT_MIN_WORDS]
        gone = run if len(long) >= settings.REPEAT_RUN_MIN_LONG else long
        changes.update((b.index, f"repeated: same as paragraph {first}") for b, first in gone)
    return mark_dropped(doc, changes)


def _copied_runs(blocks: tuple[Block, ...]) -> list[list[tuple[Block, int]]]:
    """Maximal runs of consecutive kept blocks that each copy an earlier kept block, each with
    the index of the block it copies; dropped blocks do not break a run."""
    first: dict[str, int] = {}
    runs: list[list[tuple[Block, int]]] = [[]]
    for block in (b for b in blocks if b.keep):
        key = _key(block.text)
        if key in first:
            runs[-1].append((block, first[key]))
        elif runs[-1]:
            runs.append([])
        first.setdefault(key, block.index)
    return [run for run in runs if run]


# Curly and straight quotes are one character for comparison (a mobile copy often has the
# straight ones); other punctuation is not folded: on the tuning pages, copies that differ by a
# comma are kept twice by the gold.
_QUOTES = str.maketrans("\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f", "''''\"\"\"\"")


def _key(text: str) -> str:
    return normalise_line(text.translate(_QUOTES))
