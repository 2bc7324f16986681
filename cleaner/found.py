"""Is there an article at all? An output of a few words, or only of menu-like lines (a page
whose main text trafilatura took to be its navigation), is flagged instead of passing for an
article: the warning says so and the batch counts the file as empty."""

from __future__ import annotations

from cleaner import settings
from cleaner.document import Document
from cleaner.text import word_count


def check_article(doc: Document) -> Document:
    """The document, with :data:`~cleaner.settings.NO_ARTICLE_WARNING` when it holds none."""
    counts = [word_count(b.text) for b in doc.kept]
    words = sum(counts)
    if words < settings.ARTICLE_MIN_WORDS:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only {words} words)")
    if words < settings.MENU_MAX_WORDS and max(counts) <= settings.MENU_LINE_MAX_WORDS:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only menu-like lines)")
    return doc


def is_empty(warnings: list[str] | tuple[str, ...]) -> bool:
    """Did the document's warnings say that no article was found?"""
    return any(w.startswith(settings.NO_ARTICLE_WARNING) for w in warnings)
