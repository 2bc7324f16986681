"""Apply the line model to a plain-text document: drop noise, re-join split lines, take
the headline and byline.

Order of work, each a plain function over the immutable document:

1. the user's phrases and the batch profile (always: the user asked for them);
2. the "already clean" gate: when no line's noise probability reaches the calibrated bound
   (and, with ``model+rules``, no pattern matches), the text is returned exactly as it came;
3. the decoded keep/drop of every line; with ``model+rules`` a line the pattern lists name
   ("Share", "Advertisement") goes whatever the model says;
4. the headline among the dropped lines before the article, the byline among the dropped
   lines (also "By" / "Jane Doe" split over two lines);
5. lines of the article that a scraper broke inside a sentence are glued back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cleaner import noise, settings, text
from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.text import normalise_line
from cleaner.textmode import features as F
from cleaner.textmode.model import LineModel, probability, shipped

# The rules run as a feature: without the user's phrases or profile (those already went).
RULES_ONLY = Options()
STATE_REASON = {
    "before": "outside the main article (before it)",
    "inside": "label inside the article",
    "after": "outside the main article (after it)",
}
_CLOSING = ",.;:!?)]}»”’%"


def remove_text_noise(doc: Document, *, options: Options) -> Document:
    """Text mode's noise stage (see the module docstring); the rules when asked or when the
    model is missing."""
    model = shipped()
    if not options.remove_noise or model is None or options.text_noise == "rules":
        return noise.remove_noise(doc, options=options)
    original = doc
    doc = _user_drops(doc, options=options)
    kept = doc.kept
    lines = [F.facts(b.text) for b in kept]
    paras = [b.para for b in kept]
    rules, rules_title = _ruled(doc)
    feats = F.features_of(lines, paras, rules)
    logits = [model.logit(f) for f in feats]
    vetoed = options.text_noise == "model+rules"
    probabilities = [probability(x) for x in logits]
    known = {b.index: f for b, f in zip(kept, lines, strict=True)}
    if len(kept) == len(original.blocks):
        gate = _Gate(model, lines, paras, rules, probabilities)
        if not original.title and gate.headline_then_clean():
            titled = replace(original, title=original.blocks[0].text)
            return _glue_clean(titled, model, known, settings.MODEL_TITLED_CLEAN_NOTE)
        if gate.clean(0):
            return _glue_clean(original, model, known)
    if vetoed:
        doc = _combine(doc, kept, rules, probabilities, feats, model)
        doc = _rules_title(doc, rules_title)
    else:
        doc = _apply(doc, kept, feats, model.decode(logits), model)
    doc = _take_title(doc, model, known)
    doc = _take_byline(doc)
    return _glue(doc, model, known)


def _glue_clean(
    original: Document,
    model: LineModel,
    known: dict[int, F.LineFacts],
    note: str = settings.MODEL_CLEAN_NOTE,
) -> Document:
    """A text that looks clean keeps every line, its headline included (byte for byte as it
    came in); only lines whose break shows it cut a sentence are put back together."""
    glued = _glue(original, model, known, edges_only=True)
    if glued is original:
        return original.note(note)
    joined = glued.note(settings.MODEL_CLEAN_JOINED_NOTE)
    return joined if note == settings.MODEL_CLEAN_NOTE else joined.note(note)


def _facts(block: Block, known: dict[int, F.LineFacts]) -> F.LineFacts:
    found = known.get(block.index)
    return found if found is not None else F.facts(block.text)


def rule_reasons(doc: Document) -> list[str | None]:
    """The hand-written rules' reason for each kept line (None: they keep it), as evidence."""
    return _ruled(doc)[0]


def _ruled(doc: Document) -> tuple[list[str | None], str | None]:
    """The rules' reason for each kept line, and the headline they chose."""
    ruled = noise.remove_noise(doc, options=RULES_ONLY)
    if settings.CLEAN_TEXT_NOTE in ruled.notes:
        return [F.CLEAN] * len(doc.kept), None
    reasons = {b.index: b.reason for b in ruled.blocks}
    return [reasons[b.index] for b in doc.kept], ruled.title


def _user_drops(doc: Document, *, options: Options) -> Document:
    user = frozenset(normalise_line(p) for p in options.noise_phrases)
    changes = {b.index: "user phrase" for b in doc.kept if user and normalise_line(b.text) in user}
    doc = noise.mark_dropped(doc, changes)
    return noise.drop_recurring(doc, options=options)


@dataclass(frozen=True, slots=True)
class _Gate:
    """The "already clean" decision over a document's scored lines."""

    model: LineModel
    lines: list[F.LineFacts]
    paras: list[int]
    rules: list[str | None]
    probabilities: list[float]

    def clean(self, skip: int) -> bool:
        """Does the text from line ``skip`` on look already clean?"""
        if len(self.lines) <= skip:
            return False
        feats = F.clean_features(
            [f.prose for f in self.lines[skip:]],
            self.paras[skip:],
            self.probabilities[skip:],
            self.rules[skip:],
        )
        return self.model.looks_clean(feats)

    def headline_then_clean(self) -> bool:
        """A clean article under its headline (what a scraper that saves title and body
        writes): the first line is a paragraph of its own that the headline model takes, and
        the rest passes the gate."""
        first = self.lines[0]
        if len(self.lines) < 2 or self.paras[0] == self.paras[1] or first.prose:
            return False
        if not self.clean(1):
            return False
        article = frozenset(w for f in self.lines[1:] for w in f.content)
        feats = F.title_features(first, 1, article, False)
        return self.model.title_logit(feats) > 0


def _apply(
    doc: Document,
    kept: list[Block],
    feats: list[list[str]],
    keep: list[bool],
    model: LineModel,
) -> Document:
    """The model alone: every line as decoded, each drop with its strongest evidence."""
    first = next((i for i, k in enumerate(keep) if k), len(keep))
    last = max((i for i, k in enumerate(keep) if k), default=-1)
    changes: dict[int, str] = {}
    for i, block in enumerate(kept):
        if not keep[i]:
            where = "before" if i < first else "after" if i > last else "inside"
            changes[block.index] = _model_reason(STATE_REASON[where], model, feats[i])
    return noise.mark_dropped(doc, changes)


def _model_reason(where: str, model: LineModel, feats: list[str]) -> str:
    evidence = ", ".join(model.strongest(feats, noise=True))
    return f"{where} (line model: {evidence})" if evidence else f"{where} (line model)"


def _combine(
    doc: Document,
    kept: list[Block],
    rules: list[str | None],
    probabilities: list[float],
    feats: list[list[str]],
    model: LineModel,
) -> Document:
    """Model and rules: the rules decide, except where the model is sure they are wrong. A
    line the rules drop stays when the model's noise probability is under
    :data:`~cleaner.settings.TEXT_RESCUE_POSITIONAL_BELOW` for the rules that go by position
    and length (a subheading the inline-label rule would take), under
    :data:`~cleaner.settings.TEXT_RESCUE_BELOW` for the phrase lists; a line they keep goes
    when it is over :data:`~cleaner.settings.TEXT_DROP_ABOVE`."""
    changes: dict[int, str] = {}
    for block, reason, p, f in zip(kept, rules, probabilities, feats, strict=True):
        if combined_keeps(reason, p):
            continue
        if reason is None or reason == F.CLEAN:
            changes[block.index] = _model_reason("noise", model, f)
        else:
            changes[block.index] = _rule_reason(reason)
    return noise.mark_dropped(doc, changes)


def combined_keeps(
    reason: str | None,
    p: float,
    *,
    positional_below: float = settings.TEXT_RESCUE_POSITIONAL_BELOW,
) -> bool:
    """Does ``model+rules`` keep a line the rules judged ``reason`` (None or CLEAN: they keep
    it) and the model gives noise probability ``p``? ``positional_below`` is the rescue bound
    of the rules that go by position and length (swept by ``bench.textmode.sweep``)."""
    if reason is None or reason == F.CLEAN:
        return p <= settings.TEXT_DROP_ABOVE
    if reason.startswith(settings.POSITIONAL_REASONS):
        return p < positional_below
    return p < settings.TEXT_RESCUE_BELOW


def _rules_title(doc: Document, title: str | None) -> Document:
    """The rules' headline, when the line they took is still dropped."""
    if title is None or doc.title:
        return doc
    for block in doc.blocks:
        if block.text == title and not block.keep:
            doc = _relabel(doc, block.index, "headline (moved to title)")
            return replace(doc, title=title)
    return doc


def _rule_reason(reason: str) -> str:
    """The rules' reason, except the headline's: the headline model picks the title."""
    return STATE_REASON["before"] if reason.startswith("headline") else reason


def _take_title(doc: Document, model: LineModel, known: dict[int, F.LineFacts]) -> Document:
    """The headline: of the dropped lines just above the article, the one the headline
    model likes best; failing that, the article's own first line when it is not prose and
    the model takes it for the headline of the lines below (a scraped headline the noise
    decision kept)."""
    if doc.title or not model.title:
        return doc
    blocks = doc.blocks
    kept = [k for k, b in enumerate(blocks) if b.keep]
    if not kept:
        return doc
    counts = Counter(normalise_line(b.text) for b in blocks)
    best = _best_headline(blocks, kept[0], model, known, counts)
    if best is not None:
        block = blocks[best]
        return replace(_relabel(doc, block.index, "headline (moved to title)"), title=block.text)
    if len(kept) > 1 and _headline_first(blocks, kept, model, known, counts):
        block = blocks[kept[0]]
        doc = noise.mark_dropped(doc, {block.index: "headline (moved to title)"})
        return replace(doc, title=block.text)
    return doc


def _article_words(blocks: Sequence[Block], known: dict[int, F.LineFacts]) -> frozenset[str]:
    return frozenset(w for b in blocks if b.keep for w in _facts(b, known).content)


def _best_headline(
    blocks: Sequence[Block],
    first: int,
    model: LineModel,
    known: dict[int, F.LineFacts],
    counts: Counter[str],
) -> int | None:
    """The dropped line above line ``first`` with the best positive headline score."""
    article = _article_words(blocks, known)
    best: tuple[float, int] | None = None
    for k in range(max(0, first - F.TITLE_WINDOW), first):
        facts = _facts(blocks[k], known)
        feats = F.title_features(facts, first - k, article, counts[facts.normal] > 1)
        score = model.title_logit(feats)
        if score > 0 and not blocks[k].keep and (best is None or score > best[0]):
            best = (score, k)
    return None if best is None else best[1]


def _headline_first(
    blocks: Sequence[Block],
    kept: list[int],
    model: LineModel,
    known: dict[int, F.LineFacts],
    counts: Counter[str],
) -> bool:
    facts = _facts(blocks[kept[0]], known)
    if facts.prose:
        return False
    article = _article_words(blocks[kept[1] :], known)
    feats = F.title_features(facts, 1, article, counts[facts.normal] > 1)
    return model.title_logit(feats) > 0


def _relabel(doc: Document, index: int, reason: str) -> Document:
    blocks = [replace(b, reason=reason) if b.index == index else b for b in doc.blocks]
    return doc.with_blocks(blocks)


def _take_byline(doc: Document) -> Document:
    """A dropped byline gives the author: "By Jane Doe" on one line, or "By" then the name."""
    if doc.author:
        return doc
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.keep:
            continue
        name = noise.byline_author(block.text)
        if name is None and i + 1 < len(blocks) and not blocks[i + 1].keep:
            name = noise.byline_author(f"{block.text} {blocks[i + 1].text}")
            if name and normalise_line(block.text) not in _BY_WORDS:
                name = None
        if name:
            return replace(doc, author=name)
    return doc


_BY_WORDS = frozenset({"by", "von", "par", "por", "di", "door", "av", "af"})


def _glue(
    doc: Document, model: LineModel, known: dict[int, F.LineFacts], *, edges_only: bool = False
) -> Document:
    """Join article lines that continue the sentence of the kept line before them; the rest of
    a joined line's paragraph follows it into the paragraph it joined. ``edges_only`` (a text
    left as it is otherwise) joins only where the break itself shows: the line opens with a
    comma or a closing mark, or the one before ends on a function word or an open bracket; a
    lower-case start alone could be a label before a paragraph ("Rapperswil" / "eZ Systems
    ist...")."""
    kept = doc.kept
    if len(kept) < 2 or not model.join:
        return doc
    layout = F.document_layout([b.para for b in doc.blocks])
    moved: dict[int, int] = {}
    changed: dict[int, Block] = {}
    previous, prev_facts = kept[0], _facts(kept[0], known)
    for block in kept[1:]:
        facts = _facts(block, known)
        para = moved.get(block.para, block.para)
        glue = None
        if (
            para != previous.para
            and _joins(model, prev_facts, facts, layout)
            and (not edges_only or _broken_edge(prev_facts, facts))
        ):
            moved[block.para] = para = previous.para
            glue = "" if block.text[:1] in _CLOSING else " "
        if para != block.para or glue is not None:
            block = replace(block, para=para, glue=glue)
            changed[block.index] = block
        previous, prev_facts = block, facts
    if not changed:
        return doc
    return doc.with_blocks([changed.get(b.index, b) for b in doc.blocks])


def _broken_edge(previous: F.LineFacts, line: F.LineFacts) -> bool:
    """The break itself shows that a sentence goes on: the line opens with a comma or a
    closing bracket, or the line before ends on an open bracket or a lower-case word that no
    sentence ends on (:data:`~cleaner.text.DANGLING`).
    Never after a sentence end or a colon (a list or a heading follows), never before a list
    item or a rule line: in clean texts those are how paragraphs are laid out."""
    before, after = previous.text.rstrip(), line.text.lstrip()
    if before[-1:] in _NO_JOIN_AFTER or _LIST_ITEM.match(after) or not _has_word(before):
        return False
    if after[:1] in _OPENS_INSIDE or before[-1:] in _OPEN_BRACKETS:
        return True
    words = before.split()
    return len(words) >= _JOIN_MIN_WORDS and words[-1] in text.DANGLING


_NO_JOIN_AFTER = frozenset(text.TERMINAL + "\"”’»")
_OPENS_INSIDE = frozenset(",;)]}")
# "Best For" / "Couples", "Vitamin A" / "Rated: Great" are label and value; a title-case
# heading capitalises its last word ("What It Is"), a sentence cut short does not.
_JOIN_MIN_WORDS = 3
_OPEN_BRACKETS = frozenset("([{“‘«„")
_LIST_ITEM = re.compile(r"(?:[-*•·–—]|\d{1,3}[.)]|[a-zA-Z][.)])(?:\s|$)")


def _has_word(line: str) -> bool:
    return any(c.isalnum() for c in line)


def _joins(model: LineModel, previous: F.LineFacts, line: F.LineFacts, layout: str) -> bool:
    return model.join_logit(F.join_features(previous, line, layout)) > 0
