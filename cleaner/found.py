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
    pieces = _pieces(doc)
    words = sum(n for _text, n, _longest in pieces)
    if words < settings.ARTICLE_MIN_WORDS:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only {words} words)")
    prose = sum(piece[1] for piece in pieces if _is_prose(*piece))
    if prose < settings.ARTICLE_MIN_PROSE_SHARE * words:
        return doc.warn(f"{settings.NO_ARTICLE_WARNING} (only menu-like lines)")
    return doc


def _pieces(doc: Document) -> list[tuple[str, int, int]]:
    """What the prose test reads: ``(text, words, words of its longest line)`` for every line
    of an HTML block and every paragraph of a plain text, its lines joined (a text wrapped at
    60 columns is prose in lines of 8 words)."""
    pieces: list[tuple[str, int, int]] = []
    para: int | None = None
    for block in doc.kept:
        if block.kind != "line":
            lines = [line for line in block.text.splitlines() if line.strip()]
            pieces += [(line, n, n) for line in lines for n in (word_count(line),)]
            para = None
            continue
        n = word_count(block.text)
        if block.para == para and pieces:
            text, words, longest = pieces[-1]
            pieces[-1] = (f"{text} {block.text}", words + n, max(longest, n))
        else:
            pieces.append((block.text, n, n))
            para = block.para
    return pieces


def _is_prose(text: str, words: int, longest_line: int) -> bool:
    """A long line, or a sentence (a few words that end on a full stop). A paragraph wrapped
    over short lines counts only as a sentence: a menu written one item per line is long too."""
    if longest_line >= settings.PROSE_LINE_MIN_WORDS:
        return True
    return words >= settings.SENTENCE_MIN_WORDS and text.rstrip().rstrip(CLOSERS)[-1:] in FULL_STOPS


def is_empty(warnings: list[str] | tuple[str, ...]) -> bool:
    """Did the document's warnings say that no article was found?"""
    return any(w.startswith(settings.NO_ARTICLE_WARNING) for w in warnings)
