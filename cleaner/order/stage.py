"""The order stage (stage 4): judge the kept paragraphs' order, repair it, flag splices.

Runs after the noise stage, on the kept blocks of plain-text inputs (the pipeline does not run
it on HTML, whose DOM order is the published order). The unit is the paragraph (kept blocks
sharing a ``Block.para``): it is what scrapers shuffle, and a paragraph is always rendered as it
came in; sentences are not re-ordered across paragraphs (``"unit": "paragraph"``).

**Gate.** With hard evidence (:mod:`cleaner.order.evidence`) the evidence alone decides.
Without it, the article counts as scrambled only when the model finds the given order far
worse than chance: its score divided by the spread of a random order's score (a z-score,
:func:`cleaner.order.search.z_score`) below a threshold set under every in-order training
article. Then up to :data:`~cleaner.order.search.MAX_MOVES` greedy confident moves are
compared with a global order (:mod:`cleaner.order.search`), and the global order is taken
only when it gains :data:`GLOBAL_MARGIN` times more. The model is weak on its own (55-60% of
held-out pairs right), so this gate seldom fires: in-order web articles whose paragraphs carry
no order cues score like shuffled ones, and they must stay untouched. An article judged in
order keeps its blocks untouched, so its text is byte-identical. Off-topic paragraphs are
flagged (or dropped) by :mod:`cleaner.order.splices`, off-topic sentences inside a paragraph by
:mod:`cleaner.order.sentences` (a dropped sentence's block is split in pieces: the sentence is a
dropped block of its own, the rest stays on its line).

**Block order after the stage.** ``doc.blocks`` is rewritten so that the kept paragraphs appear
in output order; every dropped block travels with the kept paragraph it followed in the input
(blocks before the first kept paragraph stay first). ``Block.index`` keeps the input position,
so ``explain`` still tells where each block came from, and ``Block.para`` is unchanged, so
``render_text`` separates the paragraphs exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.order.evidence import hard_evidence, soft_evidence, wire_dateline
from cleaner.order.features import Unit, analyse
from cleaner.order.model import Model, load_model, logit_matrix
from cleaner.order.result import OrderResult
from cleaner.order.search import (
    Scorer,
    cohesion_matrix,
    constraints,
    global_order,
    resolve,
    small_moves,
    violations,
    z_score,
)
from cleaner.order.sentences import Flagged, flag_sentence, split_out
from cleaner.order.splices import SpliceModel, load_splice_model, offtopic_units

MIN_UNITS = 3  # with two paragraphs there is no order worth repairing or judging
# Articles are judged only in the length range the stage is evaluated on (make eval-order: 4-25
# paragraphs). Longer texts (live blogs, round-ups, long reads) carry datelines and late
# introductions of their own: with a limit of 60 (and "Epstein's" read as a name of its own),
# 5 of 181 ScrapingHub and 3 of 627 WCXB tuning gold articles fed back in were re-ordered; with
# 25 (and possessives stripped), 1 and 1.
MAX_UNITS = 25
# With --reorder always the range is 3 and up, to a bound on the search's cost (it grows as
# the cube of the paragraphs and more): a global order took 0.05 s for 100 paragraphs, 4 s for
# 300 and 53 s for 600 (past the batch's 30 s per-file timeout) on this machine.
ALWAYS_MAX_UNITS = 200
FORCED_EVIDENCE = "reordered: --reorder always (the model's global order, no gate)"
GLOBAL_MARGIN = 1.5  # the global order must gain this many times the small moves' gain
EVIDENCE_LIMIT = 8  # lines of evidence kept in the metadata


@dataclass(frozen=True, slots=True)
class Decision:
    """What the search and the gate concluded for one list of units."""

    scrambled: bool
    score: float
    order: list[int]
    evidence: list[str]


def _judged(units: list[Unit], model: Model) -> tuple[list[list[float]], float, list[str]]:
    """The model's log-odds matrix, its z-score for the given order, and the evidence lines
    every decision starts from."""
    matrix = logit_matrix(units, model)
    z = round(z_score(matrix), 3)
    evidence = hard_evidence(units) + soft_evidence(units)
    evidence.append(f"model agreement with the given order z = {z:.2f} (gate {model.gate:.2f})")
    return matrix, z, evidence


def decide(units: list[Unit], model: Model) -> Decision:
    """Gate and search on analysed units; ``order`` is the identity when not scrambled.

    With hard evidence -- a wire dateline that does not open the article (it is moved first),
    a surname before its introduction or a numbered list out of sequence (the fewest
    single-paragraph moves that leave no violation, the model choosing among them) -- the
    evidence alone decides;
    without it, the order is repaired only when the model finds the given order far worse than
    chance (``z`` below the calibrated gate).
    """
    identity = list(range(len(units)))
    matrix, z, evidence = _judged(units, model)
    order = identity
    wire = wire_dateline(units)
    if wire:
        order = [wire, *(k for k in identity if k != wire)]
        evidence.append(f"unit {wire} opens with a wire dateline: moved first")
    pairs = constraints(units)
    if violations(pairs, order):
        repaired = resolve(pairs, order, matrix)
        if not violations(pairs, repaired):
            evidence.append("moving the fewest paragraphs puts every introduction first")
            return Decision(True, z, repaired, evidence)
        evidence.append("no small move puts every introduction first: left as it is")
    if order != identity:
        return Decision(True, z, order, evidence)
    if violations(pairs, identity):
        return Decision(False, z, identity, evidence)
    if z >= model.gate:
        return Decision(False, z, identity, evidence)
    scorer = Scorer(matrix, cohesion_matrix(units), model.cohesion)
    local_gain, local, moves = small_moves(scorer)
    global_gain, global_ = global_order(scorer)
    if local_gain > 0 and global_gain < GLOBAL_MARGIN * local_gain:
        evidence.append(f"{moves} small move(s) chosen (gain {local_gain:.1f} log-odds)")
        return Decision(local != identity, z, local, evidence)
    evidence.append(f"global re-order chosen (gain {global_gain:.1f} log-odds)")
    return Decision(global_ != identity, z, global_, evidence)


def force(units: list[Unit], model: Model) -> Decision:
    """``--reorder always``: no gate. The model's best global order (:func:`global_order`),
    then the fewest single-paragraph moves towards every introduction first
    (:func:`resolve`, the hard evidence); ``scrambled`` when that differs from the input."""
    matrix, z, evidence = _judged(units, model)
    evidence.insert(0, FORCED_EVIDENCE)
    gain, order = global_order(Scorer(matrix, cohesion_matrix(units), model.cohesion))
    evidence.append(f"global re-order (gain {gain:.1f} log-odds)")
    pairs = constraints(units)
    if violations(pairs, order):
        order = resolve(pairs, order, matrix)
        evidence.append("then the fewest moves towards every introduction first")
    return Decision(order != list(range(len(units))), z, order, evidence)


def paragraphs(blocks: tuple[Block, ...]) -> list[list[Block]]:
    """Kept blocks grouped by paragraph, in the current order."""
    groups: list[list[Block]] = []
    last: int | None = None
    for block in blocks:
        if not block.keep:
            continue
        if block.para != last:
            groups.append([])
            last = block.para
        groups[-1].append(block)
    return groups


def _segments(blocks: tuple[Block, ...]) -> tuple[list[Block], list[list[Block]]]:
    """The blocks before the first kept paragraph, then one segment per kept paragraph: its
    blocks followed by the dropped blocks up to the next kept paragraph."""
    head: list[Block] = []
    segments: list[list[Block]] = []
    last: int | None = None
    for block in blocks:
        if block.keep and block.para != last:
            segments.append([])
            last = block.para
        (segments[-1] if segments else head).append(block)
    return head, segments


def _reordered(doc: Document, order: list[int]) -> tuple[Block, ...]:
    head, segments = _segments(doc.blocks)
    return tuple(head + [b for i in order for b in segments[i]])


@dataclass(frozen=True, slots=True)
class Splices:
    """What the splice scorers flagged in the output order: whole paragraphs, at most one
    sentence inside another paragraph, and their evidence lines."""

    paragraphs: list[int]
    sentence: Flagged | None
    evidence: list[str]


def find_splices(
    groups: list[list[Block]],
    units: list[Unit],
    title: str | None,
    *,
    model: SpliceModel | None = None,
    sentence_model: SpliceModel | None = None,
) -> Splices:
    """Run both scorers on the paragraphs in output order (``groups`` and ``units`` are in it)."""
    flagged = offtopic_units(units, title, model)
    paras = [k for k, _ in flagged]
    lines = [f"paragraph {k} reads like another story (splice score {v:.2f})" for k, v in flagged]
    found = flag_sentence(groups, title, skip=paras, model=sentence_model)
    if found is not None:
        where = found.sentence
        lines.append(
            f"sentence {where.number} of paragraph {where.para} reads like another story "
            f"(splice score {found.score:.2f})"
            + ("" if found.block else "; it runs over lines a scraper split, so it is kept")
        )
    return Splices(paras, found, lines)


def _result(
    decision: Decision | None,
    *,
    n: int,
    splices: Splices | None = None,
    evidence: list[str],
    forced: bool = False,
) -> OrderResult:
    changed = decision is not None and decision.scrambled
    found = splices or Splices([], None, [])
    sentence = found.sentence.sentence if found.sentence else None
    return OrderResult(
        scrambled=changed,
        score=decision.score if decision else 0.0,
        changed=changed,
        permutation=tuple(decision.order) if decision and changed else None,
        unit="paragraph",
        units=n,
        offtopic=tuple(found.paragraphs),
        # the splice lines come after the cut, so a long list of order evidence cannot hide them
        evidence=(*evidence[:EVIDENCE_LIMIT], *found.evidence),
        forced=forced,
        offtopic_sentences=((sentence.para, sentence.number),) if sentence else (),
    )


def repair_order(
    doc: Document,
    *,
    options: Options,
    model: Model | None = None,
    splice_model: SpliceModel | None = None,
    sentence_model: SpliceModel | None = None,
) -> Document:
    """Judge the kept paragraphs' order, repair it when scrambled, flag off-topic paragraphs
    and sentences.

    When the article is judged in order and nothing is dropped, ``doc.blocks`` is returned
    as it is (only ``doc.order`` is set), so an ordered article's output is byte-identical.
    ``doc.order`` is the decision, an :class:`~cleaner.order.result.OrderResult` (the
    metadata's ``order`` is its JSON). ``model``, ``splice_model`` and ``sentence_model``
    default to the packaged ones (tests pass their own). With ``options.reorder == "always"``
    there is no gate (:func:`force`).
    """
    forced = options.reorder == "always"
    groups = paragraphs(doc.blocks)
    n = len(groups)
    top = ALWAYS_MAX_UNITS if forced else MAX_UNITS
    if n < MIN_UNITS or n > top:
        reason = f"{n} paragraph(s): order not judged (needs {MIN_UNITS}-{top})"
        return replace(doc, order=_result(None, n=n, evidence=[reason], forced=forced))
    model = model or load_model()
    texts = ["\n".join(b.text for b in g) for g in groups]
    units = analyse(texts, doc.title, lexicon=model.lexicon)
    decision = force(units, model) if forced else decide(units, model)
    splices = find_splices(
        [groups[i] for i in decision.order],
        [units[i] for i in decision.order],
        doc.title,
        model=splice_model or load_splice_model(embed=options.embed),
        sentence_model=sentence_model,
    )
    result = _result(
        decision, n=n, splices=splices, evidence=list(decision.evidence), forced=forced
    )
    drop = options.drop_offtopic and bool(splices.paragraphs or splices.sentence)
    if not decision.scrambled and not drop:
        return replace(doc, order=result)
    blocks = _reordered(doc, decision.order) if decision.scrambled else doc.blocks
    if drop:
        blocks = _drop_splices(blocks, splices)
    return replace(doc, blocks=blocks, order=result)


def _drop_splices(blocks: tuple[Block, ...], splices: Splices) -> tuple[Block, ...]:
    """Drop the flagged sentence (first: the paragraph positions do not move) and paragraphs."""
    found = splices.sentence
    if found is not None and found.block is not None and found.span is not None:
        target, span = found.block, found.span
        blocks = tuple(p for b in blocks for p in (split_out(b, span) if b == target else [b]))
    return _drop_paragraphs(blocks, splices.paragraphs) if splices.paragraphs else blocks


def _drop_paragraphs(blocks: tuple[Block, ...], targets: list[int]) -> tuple[Block, ...]:
    """Drop the kept paragraphs at the given output positions, with the off-topic reason."""
    paras = [g[0].para for g in paragraphs(blocks)]
    doomed = {paras[k] for k in targets}
    return tuple(
        b.drop("off-topic: shares few words and names with the article")
        if b.keep and b.para in doomed
        else b
        for b in blocks
    )


def describe(order: OrderResult | None) -> list[str]:
    """Lines for ``cleaner explain``: the decision, the move and the evidence behind it."""
    if order is None:
        return ["order: not checked (--reorder never)"]
    if order.forced:
        head = f"{'re-ordered' if order.changed else 'untouched'} by --reorder always"
    else:
        head = "scrambled, repaired" if order.changed else "in order, untouched"
    lines = [f"order: {head} (score {order.score}, unit {order.unit})"]
    if order.permutation:
        lines.append(
            "  new order of input paragraphs: " + " ".join(str(i) for i in order.permutation)
        )
    if order.offtopic:
        lines.append(
            "  off-topic paragraphs (output positions): "
            + " ".join(str(i) for i in order.offtopic)
        )
    if order.offtopic_sentences:
        lines.append(
            "  off-topic sentences (paragraph.sentence): "
            + " ".join(f"{p}.{k}" for p, k in order.offtopic_sentences)
        )
    lines.extend(f"  - {line}" for line in order.evidence)
    return lines
