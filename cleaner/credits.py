"""Credit and copyright sentences glued to the end of an article paragraph (HTML).

A page often prints its wire credit or copyright line inside the last paragraph of the story
("... officials said. Copyright 2007 by Bay City News, Inc. Republication ... is prohibited.").
Dropping the block would lose the article's sentence, keeping it keeps the footer; so the block
is split: the article part stays a block of its own and the tail becomes a dropped block that
says why. The tail starts at a copyright notice ("Copyright 2007 by", "© 2019"), a rights
line ("All rights reserved.") or a reporting credit ("... contributed to this report."), runs
to the end of the paragraph, and is short (at most :data:`~cleaner.settings.PREFIX_MAX_WORDS`
words, the copyright prefix rule's own bound).

Following the ScrapingHub and WCXB golds, which leave these lines out of the article (some
other benchmarks keep agency lines).
"""

from __future__ import annotations

import re
from dataclasses import replace

from cleaner import patterns, settings
from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.noise import pattern_reason
from cleaner.text import word_count


def split_tail_credits(doc: Document, *, options: Options) -> Document:
    """Split every kept paragraph that ends on a credit into its article part and the credit,
    dropped; blocks are renumbered so that indices stay positions. Runs before the noise
    stage, whose reasons may name blocks by index."""
    if not options.remove_noise:
        return doc
    blocks: list[Block] = []
    for block in doc.blocks:
        blocks.extend(_split(block))
    if len(blocks) == len(doc.blocks):
        return doc
    return doc.with_blocks([replace(b, index=i) for i, b in enumerate(blocks)])


# Where a paragraph may be cut: after a sentence's end (and a closing quote), at a space. Not
# text.split_sentences, which needs a capital next: "said. © 2019 The Associated Press".
_CUT = re.compile(r"(?<=[.!?…])[\"”’»)]?\s+")
# A sentence that ends on a rights phrase ("The Associated Press. All rights reserved."), not
# one that only names it ("Copyright (all rights reserved) und dem Public Domain").
_RIGHTS_LINE = re.compile(rf"(?:{patterns.FOOTER_PHRASES.pattern})\W*$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# A cheap test first: most paragraphs hold none of the words a credit needs.
_MARKERS = re.compile(
    "|".join([r"©|\(c\)|copyright", r"contributed|reporting|editing|writing|compiled",
              patterns.FOOTER_PHRASES.pattern]),
    re.IGNORECASE,
)  # fmt: skip


def _split(block: Block) -> list[Block]:
    if not block.keep or block.kind != "p" or "\n" in block.text:
        return [block]
    if not _MARKERS.search(block.text) or _credit_reason(block.text) is not None:
        # no credit in it; or it opens on one: a footer as a whole, for the rules to judge
        return [block]
    # Only cuts whose tail is short enough to be a credit: the search is linear in the
    # paragraph, and an early "Copyright 2005 by ..." sentence does not hide the real credit.
    for match in _CUT.finditer(block.text, _tail_start(block.text)):
        reason = _credit_reason(block.text[match.end() :])
        if reason is not None:
            return _cut(block, match.end(), reason) or [block]
    return [block]


def _tail_start(text: str) -> int:
    """Where the last :data:`~cleaner.settings.PREFIX_MAX_WORDS` words of the text begin."""
    starts = [match.start() for match in _WORD.finditer(text)]
    return starts[-settings.PREFIX_MAX_WORDS] if len(starts) > settings.PREFIX_MAX_WORDS else 0


def _credit_reason(text: str) -> str | None:
    """Why a text would open a credit tail: a copyright notice, or a first sentence that ends
    on a rights phrase or is a reporting credit. Not the short labels of the pattern lists:
    "Help!" is a footer link when alone, and a sentence at the end of a paragraph."""
    if patterns.COPYRIGHT_NOTICE.match(text):
        return "copyright/footer"
    end = _CUT.search(text)
    first = text[: end.start()] if end else text
    if _RIGHTS_LINE.search(first):
        return "copyright/footer"
    if patterns.CONTRIBUTED_CREDIT.search(first) or patterns.REPORTING_CREDIT.match(first):
        return "reporting credit"
    return None


def _cut(block: Block, at: int, reason: str) -> list[Block] | None:
    """The article part and the dropped tail, or ``None`` when the tail is too long to be a
    credit or the article part is itself noise."""
    head, tail = block.text[:at].rstrip(), block.text[at:]
    if word_count(tail) > settings.PREFIX_MAX_WORDS or pattern_reason(head) is not None:
        return None
    credit = Block(index=block.index, text=tail, kind=block.kind, para=block.para, glue=" ")
    return [replace(block, text=head), credit.drop(f"{reason} (end of the paragraph)")]
