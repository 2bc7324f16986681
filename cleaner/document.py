"""The data that flows through the pipeline: a document, its blocks and its metadata.

Every stage takes a :class:`Document` and returns a new one; no stage reaches back into an
earlier stage's input. Blocks are never deleted: a stage that removes one marks it with a
:class:`Decision` so that ``cleaner explain`` can show every input block with its fate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from cleaner.order.result import OrderResult

Kind = Literal["html", "text"]
BlockKind = Literal["p", "head", "list", "quote", "table", "code", "line"]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of text as the extractor saw it: a paragraph, heading, list or line.

    ``para`` groups blocks that were one paragraph of the input (lines of one text paragraph);
    the writer joins kept blocks of one paragraph with a newline and paragraphs with a blank line,
    so a kept paragraph comes out exactly as it went in. ``glue`` is set on a line that a
    scraper split off the sentence before it: the writer puts it on the previous line's end,
    after this string (a space, or nothing before a comma), instead of on a line of its own.
    ``comment`` marks a block of the page's reader comments (only with ``Options.comments``).
    """

    index: int
    text: str
    kind: BlockKind = "p"
    para: int = 0
    keep: bool = True
    reason: str | None = None
    glue: str | None = None
    comment: bool = False

    def drop(self, reason: str) -> Block:
        """Return this block marked as removed, with the reason ``explain`` will show."""
        return replace(self, keep=False, reason=reason)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The output of the read stage: text plus what we learned while decoding it."""

    text: str
    kind: Kind
    encoding: str
    sha256: str
    size: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A document on its way through the stages.

    ``blocks`` holds every input block, kept or not, in input order. Metadata fields start as
    whatever the extractor found and may be filled in by later stages (the noise stage moves a
    byline into ``author`` and the repeated headline into ``title``).
    """

    source: str
    decoded: Decoded
    blocks: tuple[Block, ...]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    sitename: str | None = None
    language: dict[str, object] | None = None
    order: OrderResult | None = None  # the order stage's decision (None: not run)
    with_comments: bool = False  # comments were asked for (Options.comments)
    warnings: tuple[str, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kept(self) -> list[Block]:
        """The blocks that survive, in output order."""
        return [b for b in self.blocks if b.keep]

    def with_blocks(self, blocks: tuple[Block, ...] | list[Block]) -> Document:
        return replace(self, blocks=tuple(blocks))

    def warn(self, message: str) -> Document:
        return replace(self, warnings=(*self.warnings, message))

    def note(self, message: str) -> Document:
        """Record a document-level decision (not a problem) that ``explain`` shows."""
        return replace(self, notes=(*self.notes, message))


def render_text(blocks: list[Block]) -> str:
    """Join kept blocks into the output text: lines of one paragraph by a newline, paragraphs by a
    blank line, one final newline (an empty document gives an empty string)."""
    parts: list[str] = []
    previous: int | None = None
    for block in blocks:
        if parts and block.glue is not None and block.para == previous:
            parts.append(block.glue)
        elif parts:
            parts.append("\n" if block.para == previous else "\n\n")
        parts.append(block.text)
        previous = block.para
    return "".join(parts) + "\n" if parts else ""
