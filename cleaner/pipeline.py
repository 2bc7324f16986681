"""The pure API: ``clean()`` and ``explain()``. Bytes or text in, text and metadata out, no I/O.

The stages run in one direction: read -> extract -> mojibake -> noise (for HTML: credits split
off paragraph ends first, repeats after) -> order -> article check -> language. Each returns a new
:class:`~cleaner.document.Document`; ``explain()`` returns the same result together with every
input block and the decision taken on it, so what ``explain`` shows is exactly what ``clean``
did.

Python warnings that a library raises during the stages (bs4's ``XMLParsedAsHTMLWarning`` on an
RSS feed, say) are recorded as one line each in the document's warnings instead of being printed:
they are about that document, and their multi-line text would garble a batch's stderr.
"""

from __future__ import annotations

import os
import threading
import warnings
from dataclasses import dataclass, replace
from typing import Any

from cleaner import settings
from cleaner.config import Options
from cleaner.credits import split_tail_credits
from cleaner.document import Block, Decoded, Document, render_text
from cleaner.errors import InputError
from cleaner.extract import extract
from cleaner.found import check_article
from cleaner.language import add_language
from cleaner.mojibake import repair_mojibake
from cleaner.noise import remove_noise
from cleaner.order import repair_order
from cleaner.read import read
from cleaner.repeats import drop_repeats
from cleaner.text import words
from cleaner.textmode.stage import remove_text_noise
from cleaner.version import __version__

DEFAULT_OPTIONS = Options()
# A library warning is cut to this many characters in the metadata: bs4's run to 600 and more,
# mostly advice to the programmer; the first sentence says what happened.
LIBRARY_WARNING_MAX_CHARS = 160
# The warnings filters are process-wide (until Python 3.14), so two threads recording at once
# would restore each other's state; cleaning is CPU-bound Python, so threads gain little anyway.
_WARNINGS_LOCK = threading.Lock()


def _fresh_lock_after_fork() -> None:
    """A worker forked while another thread of its parent held the lock would wait forever."""
    global _WARNINGS_LOCK
    _WARNINGS_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_after_fork)


@dataclass(frozen=True, slots=True)
class CleanResult:
    """What ``clean()`` returns: the clean text (as written to ``.txt``) and its metadata."""

    text: str
    metadata: dict[str, Any]
    document: Document

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every input block with its decision (``keep``, ``reason``): the explanation."""
        return self.document.blocks


def run_stages(data: bytes | str | Decoded, *, name: str, options: Options) -> Document:
    """Every stage on one input, given as raw data or as the read stage's output."""
    with _WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        # "always", whatever the caller's filters: an "error" filter (pytest -W error) would
        # turn a library's remark into an exception mid-stage, an "ignore" one would make a
        # document's metadata depend on the process it ran in.
        warnings.simplefilter("always")
        doc = _stages(data, name=name, options=options)
    # A ResourceWarning comes from the garbage collector finalising some object of the process
    # (a pipe the caller left open), at whatever moment it runs: not about this document, and
    # recording it would make the metadata depend on timing.
    lines = dict.fromkeys(
        _warning_line(w.category, w.message)
        for w in caught
        if not issubclass(w.category, ResourceWarning)
    )
    return replace(doc, warnings=(*doc.warnings, *lines)) if lines else doc


def _stages(data: bytes | str | Decoded, *, name: str, options: Options) -> Document:
    if isinstance(data, Decoded):
        decoded = data
    else:
        decoded = read(data, name=name, max_bytes=options.max_bytes)
    doc = repair_mojibake(extract(decoded, source=name, options=options))
    if doc.decoded.kind == "text":
        doc = remove_text_noise(doc, options=options)
    else:
        doc = split_tail_credits(doc, options=options)
        doc = drop_repeats(remove_noise(doc, options=options), options=options)
    if options.reorder == "never":
        doc = doc.note(settings.ORDER_OFF_NOTE)
    elif doc.decoded.kind == "html":
        doc = doc.note(settings.ORDER_HTML_NOTE)
    else:
        doc = repair_order(doc, options=options)
    return add_language(check_article(doc), max_chars=options.language_chars)


def _warning_line(category: type[Warning], message: Warning | str) -> str:
    """One line naming the warning's class and the start of its message."""
    text = f"{category.__name__}: {' '.join(str(message).split())}"
    if len(text) > LIBRARY_WARNING_MAX_CHARS:
        text = text[: LIBRARY_WARNING_MAX_CHARS - 1] + "…"
    return text


def metadata(doc: Document, text: str) -> dict[str, Any]:
    """The metadata sidecar; keys are fixed so downstream code can rely on them."""
    kept = doc.kept
    paragraphs = len({b.para for b in kept})
    return {
        "source": doc.source,
        "sha256": doc.decoded.sha256,
        "bytes": doc.decoded.size,
        "kind": doc.decoded.kind,
        "encoding": doc.decoded.encoding,
        "title": doc.title,
        "author": doc.author,
        "date": doc.date,
        "url": doc.url,
        "sitename": doc.sitename,
        "language": doc.language,
        "counts": {
            "input_blocks": len(doc.blocks),
            "output_paragraphs": paragraphs,
            "words": len(words(text)),
        },
        "removed": [
            {"index": b.index, "reason": b.reason, "text": b.text}
            for b in doc.blocks
            if not b.keep
        ],
        "warnings": list(doc.decoded.warnings + doc.warnings),
        "order": doc.order.to_json() if doc.order is not None else None,
        "comments": comments(doc) if doc.with_comments else None,
        "cleaner_version": __version__,
    }


def comments(doc: Document) -> dict[str, int | None]:
    """How many reader comments the output keeps, and the output paragraph (1-based) where
    they start (None when none is kept)."""
    paras: list[int] = []
    first: int | None = None
    for block in doc.kept:
        if not paras or paras[-1] != block.para:
            paras.append(block.para)
        if block.comment and first is None:
            first = len(paras)
    count = sum(1 for b in doc.kept if b.comment)
    return {"count": count, "start": first}


def clean(
    data: bytes | str | Decoded, *, name: str = "<input>", options: Options | None = None
) -> CleanResult:
    """Clean one document.

    Args:
        data: the file's bytes (gzip is recognised by its magic number), already decoded text,
            or the read stage's output (:func:`cleaner.read.read_file`, which a batch worker
            uses to read a file within the size cap without holding it twice).
        name: the file name or relative path; used to break html/text ties and as ``source``.
        options: see :class:`~cleaner.config.Options`; defaults when omitted.

    Raises:
        InputError: the input cannot be cleaned; the message says why in one line.
    """
    try:
        doc = run_stages(data, name=name, options=options or DEFAULT_OPTIONS)
    except InputError:
        raise
    except RecursionError as exc:
        raise InputError("document too deeply nested to parse") from exc
    except MemoryError as exc:
        raise InputError("document too large to process in memory") from exc
    text = render_text(doc.kept)
    if not text:
        doc = doc.warn("no article text found: the output is empty")
    return CleanResult(text, metadata(doc, text), doc)


def explain(
    data: bytes | str | Decoded, *, name: str = "<input>", options: Options | None = None
) -> CleanResult:
    """Clean one document and keep the plan: ``result.blocks`` lists every input block with
    KEEP/DROP and the reason. The same computation as :func:`clean` (it *is* clean)."""
    return clean(data, name=name, options=options)
