"""Stage 3, noise: mark the blocks that are scraping noise, each with the reason it went.

Every step is a ``Document -> Document`` function that only ever turns ``keep`` off (with a
reason) or fills an empty metadata field; none rewrites text. Steps, in order:

1. ``drop_patterns``: whole-block labels ("Share", "Advertisement", "Anzeige"...), short prefixed
   blocks (photo credits, cookie notices, "Read more: ..."), user phrases.
   ``drop_recurring``: lines a batch profile found in many files of the batch.
2. ``drop_bylines`` / ``drop_datelines``: author and date lines; their content goes to metadata.
3. Text mode (no tags to go by): ``drop_outside_main_run`` finds the article as the
   maximum-sum run of prose units and drops what lies outside it (menus, related headlines,
   footers); the headline just before the run becomes the title; ``drop_inline_labels`` drops
   short one-line labels inserted between paragraphs.
4. HTML mode: ``drop_bare_links`` drops blocks that are only URLs, e-mails or handles;
   ``drop_headline`` drops the headline repeated in the body (it becomes the title)
   and ``drop_trailing_headlines`` removes related-article headlines after the story.

Before 2-4, a plain text that opens with prose and matches no pattern is left untouched
(``looks_clean``): it shows no sign of scraping, and text mode's structural trims would only risk
cutting real subheadings from it.

When unsure, a block stays: every rule needs positive evidence of noise.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from operator import attrgetter
from typing import Any

from cleaner import patterns, settings
from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.text import (
    STOPWORDS,
    WordFacts,
    ends_complete_sentence,
    ends_sentence,
    line_memo,
    normalise_line,
    similarity,
    stopword_ratio,
    token_count,
    word_count,
    word_facts,
    words,
)

_NOT_HEADLINE = re.compile(r"@|https?://|www\.|[\[\]{}|]|\.(?:com|org|net)\b")
_NUMBERED = re.compile(r"^\s*(?:\d{1,3}|[IVX]{1,5}|[a-z])[.):]\s")


def is_prose(text: str) -> bool:
    """Does this read like article prose (a sentence), as opposed to a label, menu or title?"""
    return _prose(text, word_facts(text))


def _prose(text: str, facts: WordFacts) -> bool:
    """:func:`is_prose`, given the text's facts (callers that hold them skip a lookup)."""
    n = facts.word_count
    if n >= settings.PROSE_LONG_WORDS:
        # the cheap test first: the stopword share needs the words themselves
        return facts.sentence_end or (
            stopword_ratio(words(text)) >= settings.PROSE_MIN_STOPWORD_RATIO
        )
    return n >= settings.PROSE_MIN_WORDS and facts.sentence_end


def is_short_sentence(text: str) -> bool:
    """A complete short sentence ('"That's correct," Volker said.'): capital or quote first,
    a sentence ending last, at least a few words. Articles end on these; menus rarely do."""
    stripped = text.strip()
    return (
        word_facts(stripped).word_count >= settings.SHORT_SENTENCE_MIN_WORDS
        and (stripped[:1].isupper() or stripped[:1] in "\"'“‘«„")
        and ends_complete_sentence(stripped)
    )


def is_title_like(text: str) -> bool:
    """A headline: a few words on one line, not ending like a sentence (? and ! allowed)."""
    n = word_facts(text).tokens
    if not settings.TITLE_MIN_WORDS <= n <= settings.TITLE_MAX_WORDS or "\n" in text:
        return False
    stripped = text.rstrip()
    return not stripped.endswith((".", ":", ";", ",")) or stripped.endswith("...")


def is_headline_like(text: str) -> bool:
    """Title-like and shaped like a headline: starts with a letter, digit or quote, and carries
    no handle, address or bracket (those mark credits and embeds, which articles do end with)."""
    return (
        is_title_like(text)
        and (text[:1].isalnum() or text[:1] in "\"'“‘«")
        and not _NOT_HEADLINE.search(text)
    )


def pattern_reason(text: str, *, user_phrases: frozenset[str] = frozenset()) -> str | None:
    """The reason a block is noise by the pattern lists alone, or None."""
    if user_phrases and normalise_line(text) in user_phrases:
        return "user phrase"
    return _pattern_reason(text)


@line_memo
def _pattern_reason(text: str) -> str | None:
    """:func:`pattern_reason` without user phrases: a function of the text alone."""
    if "\n" in text:
        return None
    if patterns.ANY_LABEL.match(text):
        for reason, regex in patterns.LABEL_PATTERNS:
            if regex.match(text):
                return reason
    n = word_facts(text).tokens
    if (
        patterns.FOOTER_MIN_WORDS <= n <= settings.FOOTER_MAX_WORDS
        and _has_footer_phrase(text)
    ):
        return "copyright/footer"
    if n <= settings.CREDIT_MAX_WORDS and (
        patterns.CONTRIBUTED_CREDIT.search(text)
        or (patterns.REPORTING_CREDIT.match(text) and not is_prose(text))
    ):
        return "reporting credit"
    if n <= settings.PREFIX_MAX_WORDS and patterns.ANY_PREFIX.match(text):
        prose = is_prose(text)
        for reason, regex in patterns.PREFIX_PATTERNS:
            if reason == "byline" or (prose and reason not in patterns.PREFIX_EVEN_IF_PROSE):
                continue
            if regex.match(text):
                return reason
    return None


def _has_footer_phrase(text: str) -> bool:
    """Does a footer phrase stand anywhere in the text ("... All Rights Reserved.")?

    Most lines are ASCII, and for those a case-insensitive match is a substring of the
    lowercased text (the regex engine's extra case equivalences, such as "s" and "ſ", pair an
    ASCII letter only with non-ASCII ones): several times cheaper than the search, which tries
    the pattern at every position. A test checks that both agree.
    """
    if text.isascii():
        lowered = text.lower()
        return any(phrase in lowered for phrase in patterns.ASCII_FOOTER_PHRASES)
    return bool(patterns.FOOTER_PHRASES.search(text))


def byline_author(text: str) -> str | None:
    """If the block is a byline ("By Jane Doe", "Von Max Muster"), return the name part."""
    if "\n" in text:
        return None
    match = patterns.PREFIX_PATTERNS_BY_REASON["byline"].match(text)
    if not match:
        return None
    rest = text[match.end():].strip(" :|-–—,")
    name_words = words(rest)
    if not 1 <= len(name_words) <= settings.BYLINE_MAX_WORDS or ends_sentence(rest.rstrip(")")):
        return None
    capitalised = sum(1 for w in name_words if w[:1].isupper())
    joiners = sum(1 for w in name_words if w.lower() in patterns.BYLINE_JOINERS)
    if capitalised + joiners < len(name_words) or capitalised == 0:
        return None
    return rest


def is_dateline(text: str) -> bool:
    """A line that only carries a date or time ("Nov 19, 2019, 10:31 pm", "Updated 2 hours ago")."""
    facts = word_facts(text)
    # Both tests of _dated need a number among the words (a date's digits are words of their
    # own: the regexes bound them with \b), and most lines have none.
    return (
        "\n" not in text
        and 0 < facts.tokens <= settings.DATELINE_MAX_WORDS
        and facts.number
        and _dated(text)
    )


@line_memo
def _dated(text: str) -> bool:
    """The date tests of :func:`is_dateline` (its slow part: month and marker searches)."""
    tokens = words(text)
    has_date = bool(patterns.DATE_NUMERIC.search(text)) and bool(
        patterns.MONTH_PATTERN.search(text) or re.search(r"\d[./-]\d|\d:\d", text)
    )
    if not has_date and not (
        patterns.DATELINE_PATTERN.search(text) and any(t.isdigit() for t in tokens)
    ):
        return False
    # Everything else on the line must be date vocabulary, numbers or short glue words.
    other = [
        t for t in tokens
        if not t.isdigit()
        and not patterns.MONTH_PATTERN.fullmatch(t)
        and not patterns.DATELINE_PATTERN.fullmatch(t)
        and t.lower() not in patterns.DATE_GLUE
    ]
    return len(other) <= 2


def mark_dropped(doc: Document, changes: dict[int, str]) -> Document:
    """Drop the blocks named in ``changes`` (block index -> reason); the others stay as they are."""
    if not changes:
        return doc
    return doc.with_blocks(
        [_dropped(b, changes[b.index]) if b.index in changes else b for b in doc.blocks]
    )


_BLOCK_FIELDS = tuple(f.name for f in fields(Block))
_block_values = attrgetter(*_BLOCK_FIELDS)
_KEEP, _REASON = _BLOCK_FIELDS.index("keep"), _BLOCK_FIELDS.index("reason")


def _dropped(block: Block, reason: str) -> Block:
    """``block.drop(reason)`` at half the cost: ``dataclasses.replace`` inspects the fields on
    every call, and text mode drops most lines of a page (a test checks that both agree)."""
    values: list[Any] = list(_block_values(block))
    values[_KEEP], values[_REASON] = False, reason
    return Block(*values)


def drop_patterns(doc: Document, *, options: Options) -> Document:
    user = frozenset(normalise_line(p) for p in options.noise_phrases)
    changes: dict[int, str] = {}
    for block in doc.kept:
        reason = pattern_reason(block.text, user_phrases=user)
        if reason:
            changes[block.index] = reason
    return mark_dropped(doc, changes)


def drop_recurring(doc: Document, *, options: Options) -> Document:
    """Blocks that recur across the batch (menus, share rows, footers of one site)."""
    profile = options.profile
    if not profile or not profile.lines:
        return doc
    reason = f"recurring boilerplate (in {profile.min_files}+ files of the batch)"
    return mark_dropped(doc, {b.index: reason for b in doc.kept if b.text in profile})


def drop_bylines(doc: Document) -> Document:
    changes: dict[int, str] = {}
    author = doc.author
    for block in doc.kept:
        if block.kind == "head":  # "Von Risiken und Nebenwirkungen" is a subheading
            continue
        name = byline_author(block.text)
        if name:
            changes[block.index] = "byline (author moved to metadata)"
            author = author or name
    doc = mark_dropped(doc, changes)
    return doc if author == doc.author else replace(doc, author=author)


def drop_bare_links(doc: Document) -> Document:
    """HTML mode: blocks that are nothing but URLs, e-mail addresses or handles.

    Links are tags in HTML, so a block whose visible text is only an address is a contact line
    or link residue (+.011 exact accuracy on ScrapingHub HTML). Not in text mode: there such
    lines are as often the article's own product or source links (-.002 F1 on seed-style text).
    """
    reason = "bare link/contact line"
    changes = {b.index: reason for b in doc.kept if patterns.BARE_LINKS.match(b.text)}
    return mark_dropped(doc, changes)


def drop_datelines(doc: Document) -> Document:
    changes = {b.index: "dateline/timestamp" for b in doc.kept if is_dateline(b.text)}
    return mark_dropped(doc, changes)


def strip_site_name(title: str, sitename: str | None) -> str:
    """Remove the site name a page title carries ("Headline - Bondy Blog" -> "Headline")."""
    if not sitename:
        return title
    lowered, site = title.lower(), sitename.lower()
    for separator in patterns.TITLE_SEPARATORS:
        if lowered.endswith(separator + site) and len(title) > len(separator + site):
            return title[: -len(separator + site)].rstrip()
        if lowered.startswith(site + separator) and len(title) > len(site + separator):
            return title[len(site + separator) :].lstrip()
    return title


def drop_headline(doc: Document) -> Document:
    """HTML mode: drop the headline repeated at the top of the body; it becomes the title.

    Any of the first blocks similar to the page's title goes. The block's own text replaces the
    metadata title, which often carries a site suffix ("... - Bondy Blog") or a section prefix.
    """
    if not doc.title:
        return doc
    title = strip_site_name(doc.title, doc.sitename)
    if title != doc.title:
        doc = replace(doc, title=title)
    head = doc.kept[: settings.TITLE_SEARCH_BLOCKS]
    matches = [b for b in head if _repeats_title(b.text, title)]
    if not matches:
        return doc
    doc = mark_dropped(doc, {b.index: "headline repeated (kept as title)" for b in matches})
    return replace(doc, title=matches[0].text)


def _repeats_title(text: str, title: str) -> bool:
    """Is this block the page title again? Similar and title-like, or the same words outright
    (a headline may end in a period: "... Why You Shouldn't Worry.")."""
    score = similarity(text, title)
    if score >= settings.TITLE_SAME and token_count(text) <= settings.TITLE_MAX_WORDS:
        return True
    return score >= settings.TITLE_SIMILARITY and is_title_like(text)


def take_headline(doc: Document, run_start: int) -> Document:
    """Text mode: the headline is the headline-like line nearest before the article's run
    (menus and labels in between are skipped); it becomes the title.

    Only lines already dropped as being before the article qualify, so no article text is lost.
    """
    if doc.title:
        return drop_headline(doc)
    before = [b for b in doc.blocks if b.index < run_start]
    for block in reversed(before[-settings.TITLE_SEARCH_BLOCKS :]):
        if block.reason != "outside the main article (before it)":
            continue
        if is_headline_like(block.text) and word_count(block.text) >= 3:
            doc = mark_dropped(doc, {block.index: "headline (moved to title)"})
            return replace(doc, title=block.text)
    return doc


def continues(previous: str, text: str) -> bool:
    """Is ``text`` the rest of a sentence that ``previous`` left open?

    Naive scrapers break a sentence wherever a link or emphasis was ("...the design of the" /
    "electric Gran Turismo" / "is arguably the most striking yet."). The previous line must not
    end a sentence, and either this line starts in lowercase or the previous one ends on a
    function word ("the", "of", "und"...).
    """
    facts = word_facts(previous)
    if facts.sentence_end or not text:
        return False
    return text[:1].islower() or facts.function_end


def units(blocks: list[Block]) -> list[list[Block]]:
    """Group blocks into units: a paragraph (lines without a blank line between them), joined
    with the following paragraphs while a sentence runs on across them."""
    groups: list[list[Block]] = []
    for block in blocks:
        if groups and (
            groups[-1][0].para == block.para or continues(groups[-1][-1].text, block.text)
        ):
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _unit_value(group: list[Block]) -> float:
    """How much a unit says 'this is the article' (+) or 'this is page chrome' (-)."""
    kept = [b for b in group if b.keep]
    if not kept:
        return -settings.RUN_LABEL_PENALTY
    if len(kept) == 1:  # most units are one line
        text = kept[0].text
        facts = word_facts(text)
        prose = _prose(text, facts)
    else:
        text = " ".join([b.text for b in kept])
        facts = word_facts(text)
        prose = _prose(text, facts) or any(is_prose(b.text) for b in kept)
    n = facts.word_count
    if prose:
        return float(n)
    if n >= settings.SHORT_SENTENCE_MIN_WORDS and is_short_sentence(text):
        return settings.RUN_SHORT_SENTENCE_WEIGHT * n
    if len(kept) > 1:
        return settings.RUN_LIST_WEIGHT * n
    return -(settings.RUN_SHORT_PENALTY + settings.RUN_SHORT_WORD_PENALTY * n)


def main_run(groups: list[list[Block]]) -> tuple[int, int] | None:
    """Indices [start, end) of the units forming the maximum-sum run (Kadane's algorithm)."""
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    for i, group in enumerate(groups):
        value = _unit_value(group)
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > 0 and (best is None or total > best[0]):
            best = (total, start, i + 1)
    return None if best is None else (best[1], best[2])


def drop_outside_main_run(doc: Document) -> Document:
    """Text mode: keep the article's run of prose, drop the page chrome before and after it;
    the headline-like line nearest before the run becomes the title."""
    groups = units(list(doc.blocks))
    run = main_run(groups)
    if run is None:
        return doc
    start, end = run
    changes: dict[int, str] = {}
    for i, group in enumerate(groups):
        if start <= i < end:
            continue
        for block in group:
            if not block.keep:
                continue
            if i >= end and is_headline_like(block.text):
                changes[block.index] = "related headline after the article"
            else:
                where = "before" if i < start else "after"
                changes[block.index] = f"outside the main article ({where} it)"
    return take_headline(mark_dropped(doc, changes), groups[start][0].index)


def drop_inline_labels(doc: Document) -> Document:
    """Text mode: drop one-line, few-word labels sitting between units of the article."""
    changes: dict[int, str] = {}
    groups = units(doc.kept)
    for gi in range(1, len(groups) - 1):
        group = groups[gi]
        if len(group) != 1:
            continue
        text = group[0].text
        facts = word_facts(text)
        if (
            facts.tokens <= settings.INLINE_LABEL_MAX_WORDS
            and not facts.sentence_end
            and not looks_like_subheading(text, " ".join(b.text for b in groups[gi + 1]))
        ):
            changes[group[0].index] = "short label inside the article"
    return mark_dropped(doc, changes)


def looks_like_subheading(text: str, following: str) -> bool:
    """A short line that introduces what follows: numbered ("2. Authenticity"), ending in a
    colon or question mark, a common section heading ("Conclusion", "Pros"), or sharing a
    content word with the next paragraph ("Public cloud" / "A public cloud is..."). Such lines
    are kept even when short."""
    if _NUMBERED.match(text) or text.rstrip().endswith((":", "?")):
        return True
    if " ".join(text.lower().split()).strip(".:!-–— ") in patterns.SUBHEADINGS:
        return True
    content = {
        w.lower() for w in words(text) if len(w) > 3 and w.lower() not in STOPWORDS
    }
    # stops at the first shared word (a paragraph can be long)
    return bool(content) and any(w.lower() in content for w in words(following))


def drop_trailing_headlines(doc: Document) -> Document:
    """HTML mode: headings and title-like lines after the last prose block are related links."""
    kept = doc.kept
    last_prose = max((i for i, b in enumerate(kept) if is_prose(b.text)), default=None)
    if last_prose is None:
        return doc
    tail = kept[last_prose + 1 :]
    if not tail or not all(is_headline_like(b.text) or b.kind == "head" for b in tail):
        return doc
    if len(tail) < 2 and tail[0].kind != "head":
        return doc
    return mark_dropped(doc, {b.index: "related headline after the article" for b in tail})


def looks_clean(original: Document, after_patterns: Document) -> bool:
    """Text mode: does this text show no sign of scraping at all?

    Scraped text dumps carry their noise at the edges: a label, menu or headline before the
    first paragraph, and labels the pattern lists know. A text that opens with a prose
    paragraph and has no block any pattern, user phrase or batch profile matches is taken as
    already clean and left exactly as it is: the structural trims of text mode (main run,
    inline labels) cannot tell a real subheading or a closing short line from noise, and
    on such a text they could only do harm.
    """
    if any(not b.keep for b in after_patterns.blocks):
        return False
    kept = original.kept
    return bool(kept) and is_prose(kept[0].text)


def remove_noise(doc: Document, *, options: Options) -> Document:
    """Run every noise step in order; see the module docstring."""
    if not options.remove_noise:
        return doc
    original = doc
    doc = drop_patterns(doc, options=options)
    doc = drop_recurring(doc, options=options)
    text_mode = all(b.kind == "line" for b in doc.blocks)
    if text_mode and looks_clean(original, doc):
        return original.note(settings.CLEAN_TEXT_NOTE)
    doc = drop_bylines(doc)
    doc = drop_datelines(doc)
    if text_mode:
        doc = drop_outside_main_run(doc)
        doc = drop_inline_labels(doc)
    else:
        doc = drop_bare_links(doc)
        doc = drop_headline(doc)
        doc = drop_trailing_headlines(doc)
    return doc
