"""Repeated paragraphs within one HTML page: a print copy, a mobile copy or tabs that carry
the story again. The first full copy stays; each later copy goes, saying which it repeats.

Only paragraphs of :data:`~cleaner.settings.REPEAT_MIN_WORDS` words or more count: shorter
ones repeat legitimately (a refrain, a table cell, an interview's recurring question) in the
gold texts of the benchmarks, and trafilatura's own deduplication is off because its cache
spans documents (the output would depend on the order of the batch).
"""

from __future__ import annotations

from cleaner import settings
from cleaner.config import Options
from cleaner.document import Document
from cleaner.noise import _mark
from cleaner.text import normalise_line, word_count


def drop_repeats(doc: Document, *, options: Options) -> Document:
    """Drop every later copy of a long paragraph, naming the block index of the first."""
    if not options.remove_noise:
        return doc
    first: dict[str, int] = {}
    changes: dict[int, str] = {}
    for block in doc.kept:
        if word_count(block.text) < settings.REPEAT_MIN_WORDS:
            continue
        key = normalise_line(block.text)
        if key in first:
            changes[block.index] = f"repeated: same as paragraph {first[key]}"
        else:
            first[key] = block.index
    return _mark(doc, changes)
