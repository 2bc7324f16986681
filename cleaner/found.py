"""Is there an article at all? An output of a few words, or of short lines with hardly a
sentence among them (a page whose main text trafilatura took to be its navigation, a menu or
a listing), is flagged instead of passing for an article: the warning says so and the batch
counts the file as empty. The text itself is written as it is: a flag, not a removal."""

from __future__ import annotations

from cleaner import settings
from cleaner.document import Document
from cleaner.text import CLOSERS, FULL_STOPS, word_count


def check_article(doc: Document) -> Document:
    """The document, with :data:`~cleaner.settings.NO_ARTICLE_WARNING` when it holds none."""
    lines = [line for block in doc.kept for line in block.text.splitlines() if line.strip()]
    counts = [word_count(line) for line in lines]
    words = sum(counts)
    if words < settings.ARTICLE_MIN_WORDS:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only {words} words)")
    prose = sum(n for line, n in zip(lines, counts, strict=True) if _is_prose(line, n))
    if prose < settings.ARTICLE_MIN_PROSE_SHARE * words:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only menu-like lines)")
    return doc


def _is_prose(line: str, words: int) -> bool:
    """A long line, or a sentence: a line of a few words that ends on a full stop."""
    if words >= settings.PROSE_LINE_MIN_WORDS:
        return True
    return words >= settings.SENTENCE_MIN_WORDS and line.rstrip().rstrip(CLOSERS)[-1:] in FULL_STOPS


def is_empty(warnings: list[str] | tuple[str, ...]) -> bool:
    """Did the document's warnings say that no article was found?"""
    return any(w.startswith(settings.NO_ARTICLE_WARNING) for w in warnings)
