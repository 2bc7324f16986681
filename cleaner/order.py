"""Stage 3b: detect a scrambled article, repair its paragraph order, flag spliced paragraphs.

Runs after the noise stage, on the kept blocks. The unit is the paragraph (kept blocks sharing a
``Block.para``): it is what scrapers shuffle, and a paragraph is always rendered as it came in.

1. **Model.** A pairwise precedence model (logistic regression on the cheap cues of
   :mod:`cleaner.order_features`, weights and a learned word-position lexicon in
   ``cleaner/data/order_model.json``, trained by ``bench/order/train.py`` on ordered gold
   articles) gives for every pair of units the log-odds ``L[i][j]`` that unit *i* comes before
   unit *j*; ``L`` is antisymmetric. The score of an order is the sum of ``L`` over its pairs.
2. **Gate and repair by hard evidence.** A wire dateline ("HANOI, Vietnam (AP) —") opens a
   story and nothing else: a unit that starts with one and is not first is moved first. A
   person's bare surname ("Kerry said") used before any
   paragraph gives the full name ("Secretary of State John Kerry") is something a reader sees
   at once, and in-order news almost never does it. When it happens, the repair is the fewest
   and shortest single-paragraph moves (at most :data:`MAX_MOVES`) after which every surname
   is first met in full, the model breaking ties; if no such moves exist the article is left
   alone. Nothing else is moved.
3. **Gate and repair by the model.** Without hard evidence, the article counts as scrambled
   only when the model finds the given order far worse than chance: its score divided by the
   spread of a random order's score (a z-score) below a threshold set under every in-order
   training article. Then up to :data:`MAX_MOVES` greedy confident moves are compared with a
   global order (units sorted by total log-odds, then improved by single moves until none
   helps), and the global order is taken only when it gains :data:`GLOBAL_MARGIN` times more.
   The model is weak on its own (about 60% of pairs right), so this gate seldom fires.
   Softer cues (an acronym before its definition, a first unit opening with a pronoun or a
   connective) are shown as evidence but decide nothing: in-order articles show them too.
   An article judged in order keeps its blocks untouched, so its text is byte-identical.
4. **Splices.** Units whose content words and names barely occur in the title and the rest of
   the article are flagged as off-topic (``offtopic``: their positions in the output); with
   ``options.drop_offtopic`` they are dropped with the reason ``off-topic: ...``.

The unit is always the paragraph (``"unit": "paragraph"``): sentences are not re-ordered
across paragraphs, so a paragraph comes out exactly as it went in.

**Block order after the stage.** ``doc.blocks`` is rewritten so that the kept paragraphs appear
in output order; every dropped block travels with the kept paragraph it followed in the input
(blocks before the first kept paragraph stay first). ``Block.index`` keeps the input position,
so ``explain`` still tells where each block came from, and ``Block.para`` is unchanged, so
``render_text`` separates the paragraphs exactly as before.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from cleaner.config import Options
from cleaner.document import Block, Document
from cleaner.order_features import (
    CONNECTIVE_OPENERS,
    FEATURE_NAMES,
    PRONOUN_OPENERS,
    UNARY_NAMES,
    WIRE_DATELINE,
    WORD,
    Lexicon,
    Unit,
    analyse,
    pair_features,
    stems,
)

MODEL_FILE = "order_model.json"
MIN_UNITS = 3  # with two paragraphs there is no order worth repairing or judging
MAX_UNITS = 60  # beyond this, the quadratic pair matrix costs more than the stage is worth
MAX_MOVES = 3  # small moves: at most this many single-unit moves from the given order
MOVE_MIN_GAIN = 1.0  # log-odds a single move must gain to be taken
GLOBAL_MARGIN = 1.5  # the global order must gain this many times the small moves' gain
EVIDENCE_LIMIT = 8  # lines of evidence kept in the metadata


@dataclass(frozen=True, slots=True)
class Model:
    """The shipped model: feature weights and the thresholds calibrated with them."""

    unary: tuple[float, ...]
    pair: tuple[float, ...]
    gate: float  # z below which an article without hard evidence counts as scrambled
    offtopic_words: float  # share of content words found elsewhere, below which a unit drifts
    offtopic_entities: float  # same for names
    offtopic_min_stems: int  # units with fewer content words are too short to judge
    lexicon: Lexicon
    raw: dict[str, Any]


def model_from_json(data: dict[str, Any]) -> Model:
    """Build a :class:`Model` from the JSON written by the training script."""
    names = tuple(data["features"])
    if names != FEATURE_NAMES:
        raise ValueError("order model was trained with other features; run make train-order")
    weights = [float(data["weights"][name]) for name in names]
    thresholds = data["thresholds"]
    return Model(
        unary=tuple(weights[: len(UNARY_NAMES)]),
        pair=tuple(weights[len(UNARY_NAMES) :]),
        gate=float(thresholds["gate"]),
        offtopic_words=float(thresholds["offtopic_words"]),
        offtopic_entities=float(thresholds["offtopic_entities"]),
        offtopic_min_stems=int(thresholds["offtopic_min_stems"]),
        lexicon=Lexicon(
            {k: float(v) for k, v in data["lexicon"]["words"].items()},
            {k: float(v) for k, v in data["lexicon"]["openers"].items()},
        ),
        raw=data,
    )


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The packaged model (read once per process)."""
    text = resources.files("cleaner").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    return model_from_json(json.loads(text))


# --- scoring -------------------------------------------------------------------------------


def logit_matrix(units: list[Unit], model: Model) -> list[list[float]]:
    """``L[i][j]``: log-odds that unit i precedes unit j (antisymmetric, zero diagonal)."""
    scores = [sum(w * x for w, x in zip(model.unary, u.unary, strict=True)) for u in units]
    n = len(units)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            pair = pair_features(units[i], units[j])
            value = (
                scores[i] - scores[j] + sum(w * x for w, x in zip(model.pair, pair, strict=True))
            )
            matrix[i][j] = value
            matrix[j][i] = -value
    return matrix


def order_score(order: list[int], matrix: list[list[float]]) -> float:
    """Sum of the log-odds of every ordered pair of ``order``."""
    total = 0.0
    for p, a in enumerate(order):
        row = matrix[a]
        for b in order[p + 1 :]:
            total += row[b]
    return total


def moves(order: list[int], matrix: list[list[float]]) -> Iterator[tuple[float, list[int]]]:
    """Every single-unit move (take one unit out, put it elsewhere) with its gain in score."""
    n = len(order)
    for p in range(n):
        x = order[p]
        row = matrix[x]
        gain = 0.0
        for q in range(p - 1, -1, -1):  # move x to position q, before order[q..p-1]
            gain += 2 * row[order[q]]
            yield gain, [*order[:q], x, *order[q:p], *order[p + 1 :]]
        gain = 0.0
        for q in range(p + 1, n):  # move x to just after order[q]
            gain -= 2 * row[order[q]]
            yield gain, order[:p] + order[p + 1 : q + 1] + [x] + order[q + 1 :]


def best_move(order: list[int], matrix: list[list[float]]) -> tuple[float, list[int]]:
    """The single-unit move that gains most (the order itself when none gains)."""
    best_gain, best = 0.0, order
    for gain, moved in moves(order, matrix):
        if gain > best_gain + 1e-12:
            best_gain, best = gain, moved
    return best_gain, best


def small_moves(n: int, matrix: list[list[float]]) -> tuple[float, list[int], int]:
    """Greedy confident single-unit moves from the given order: (gain, order, moves)."""
    order = list(range(n))
    total = 0.0
    moves = 0
    while moves < MAX_MOVES:
        gain, moved = best_move(order, matrix)
        if gain < MOVE_MIN_GAIN:
            break
        total, order, moves = total + gain, moved, moves + 1
    return total, order, moves


def global_order(n: int, matrix: list[list[float]]) -> tuple[float, list[int]]:
    """Sort by total log-odds (a Borda count), then apply improving moves to a local optimum."""
    totals = [sum(row) for row in matrix]
    order = sorted(range(n), key=lambda i: (-totals[i], i))
    for _ in range(n * n):
        gain, moved = best_move(order, matrix)
        if gain <= 1e-9:
            break
        order = moved
    return order_score(order, matrix) - order_score(list(range(n)), matrix), order


# --- evidence ------------------------------------------------------------------------------


def hard_evidence(units: list[Unit]) -> list[str]:
    """Reasons a reader would see at once that the given order is wrong: a person's bare
    surname ("Kerry said") used before any paragraph gives the full name. This drives the
    gate; see :func:`soft_evidence` for weaker cues."""
    found: list[str] = []
    for surname in sorted({n for u in units for n in u.full_names}):
        for k, unit in enumerate(units):
            if surname in unit.full_names:
                break
            if surname in unit.bare_names:
                intro = next(j for j, u in enumerate(units) if surname in u.full_names)
                found.append(
                    f"'{surname.title()}' is used bare in unit {k} before unit {intro} "
                    "gives the full name"
                )
                break
    return found


def soft_evidence(units: list[Unit]) -> list[str]:
    """Cues shown by ``explain`` that do not decide alone (in-order articles show them too):
    an acronym used before its definition, how the first unit opens."""
    found = [
        f"acronym {acro} is used in unit {i} before unit {j} defines it"
        for j, later in enumerate(units)
        for i in range(j)
        for acro in sorted(later.defined & (units[i].acronyms - units[i].defined))
    ]
    match = WORD.search(units[0].text)
    first = match.group(0).lower() if match else ""
    if first in PRONOUN_OPENERS:
        found.append(f"the first unit opens with the pronoun '{first}'")
    elif first in CONNECTIVE_OPENERS:
        found.append(f"the first unit opens with the connective '{first}'")
    elif units[0].text[:1].islower():
        found.append("the first unit opens in lower case (a continuation)")
    return found


# --- off-topic splices ---------------------------------------------------------------------


def drift(units: list[Unit], title: str | None) -> list[tuple[float, float, int]]:
    """Per unit: share of its content words, and of its names, found in the title or the other
    units; and how many content words it has."""
    title_stems = set(stems(title or ""))
    # A word is "elsewhere" when the title has it or another unit does: count units per word.
    word_units = Counter(s for u in units for s in u.stems)
    name_units = Counter(e for u in units for e in u.entities)
    result: list[tuple[float, float, int]] = []
    for unit in units:
        own = unit.stems
        shared_words = sum(1 for s in own if s in title_stems or word_units[s] > 1)
        shared_names = sum(1 for e in unit.entities if e in title_stems or name_units[e] > 1)
        word_share = shared_words / len(own) if own else 1.0
        name_share = shared_names / len(unit.entities) if unit.entities else 1.0
        result.append((word_share, name_share, len(own)))
    return result


def offtopic_units(units: list[Unit], title: str | None, model: Model) -> list[int]:
    """Units whose vocabulary and names drift from the rest of the article and the title."""
    return [
        i
        for i, (words_share, names_share, size) in enumerate(drift(units, title))
        if size >= model.offtopic_min_stems
        and words_share < model.offtopic_words
        and names_share < model.offtopic_entities
    ]


# --- the stage -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """What the search and the gate concluded for one list of units."""

    scrambled: bool
    score: float
    order: list[int]
    evidence: list[str]


Names = list[tuple[frozenset[int], frozenset[int]]]


def introductions(units: list[Unit]) -> Names:
    """Per surname that some unit gives in full: (units that introduce it, units that use it
    bare). Surnames never used bare are left out."""
    names: Names = []
    for surname in sorted({n for u in units for n in u.full_names}):
        bare = frozenset(k for k, u in enumerate(units) if surname in u.bare_names)
        if bare:
            full = frozenset(k for k, u in enumerate(units) if surname in u.full_names)
            names.append((full, bare))
    return names


def violations(names: Names, order: list[int]) -> int:
    """How many surnames are first mentioned bare in ``order`` (before any full mention)."""
    count = 0
    for full, bare in names:
        first = next(k for k in order if k in full or k in bare)
        count += first not in full
    return count


def resolve(names: Names, start: list[int], matrix: list[list[float]]) -> list[int]:
    """Fewest, shortest single-unit moves from ``start`` that put introductions first: each
    move must remove a violation; among those, the one that moves a unit over the fewest
    others (a scraper that displaced one paragraph is undone by the shortest move), the model
    breaking ties. Moves nothing else."""
    order = list(start)
    for _ in range(MAX_MOVES):
        current = violations(names, order)
        if current == 0:
            break
        best: tuple[int, int, float] | None = None
        chosen = order
        for gain, moved in moves(order, matrix):
            left = violations(names, moved)
            if left >= current:
                continue
            key = (left, displacement(order, moved), -gain)
            if best is None or key < best:
                best, chosen = key, moved
        order = chosen
    return order


def displacement(before: list[int], after: list[int]) -> int:
    """How many units a single move jumped over (positions that changed, minus one)."""
    return sum(1 for x, y in zip(before, after, strict=True) if x != y) - 1


def z_score(matrix: list[list[float]]) -> float:
    """How much better than chance the model finds the given order: its score over the
    standard deviation of the score of a random order (0 for a random order, high when the
    model agrees with the given order)."""
    n = len(matrix)
    spread = math.sqrt(sum(matrix[i][j] ** 2 for i in range(n) for j in range(i + 1, n)))
    return order_score(list(range(n)), matrix) / spread if spread else 0.0


def wire_dateline(units: list[Unit]) -> int:
    """The one unit, if not the first, that opens with a wire dateline ("HANOI (AP) —"); 0
    when there is none, several, or it is already first. A dateline only opens an article."""
    found = [k for k, unit in enumerate(units) if WIRE_DATELINE.match(unit.text)]
    return found[0] if len(found) == 1 else 0


def decide(units: list[Unit], model: Model) -> Decision:
    """Gate and search on analysed units; ``order`` is the identity when not scrambled.

    With hard evidence -- a wire dateline that does not open the article (it is moved first),
    a surname before its introduction (the fewest single-paragraph moves that leave no
    violation, the model choosing among them) -- the evidence alone decides;
    without it, the order is repaired only when the model finds the given order far worse than
    chance (``z`` below the calibrated gate).
    """
    n = len(units)
    identity = list(range(n))
    matrix = logit_matrix(units, model)
    z = round(z_score(matrix), 3)
    evidence = hard_evidence(units) + soft_evidence(units)
    evidence.append(f"model agreement with the given order z = {z:.2f} (gate {model.gate:.2f})")
    order = identity
    wire = wire_dateline(units)
    if wire:
        order = [wire, *(k for k in identity if k != wire)]
        evidence.append(f"unit {wire} opens with a wire dateline: moved first")
    pairs = introductions(units)
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
    local_gain, local, moves = small_moves(n, matrix)
    global_gain, global_ = global_order(n, matrix)
    if local_gain > 0 and global_gain < GLOBAL_MARGIN * local_gain:
        evidence.append(f"{moves} small move(s) chosen (gain {local_gain:.1f} log-odds)")
        return Decision(local != identity, z, local, evidence)
    evidence.append(f"global re-order chosen (gain {global_gain:.1f} log-odds)")
    return Decision(global_ != identity, z, global_, evidence)


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


def _metadata(
    decision: Decision | None, *, n: int, offtopic: list[int], evidence: list[str]
) -> dict[str, object]:
    changed = decision is not None and decision.scrambled
    return {
        "scrambled": changed,
        "score": decision.score if decision else 0.0,
        "changed": changed,
        "permutation": list(decision.order) if decision and changed else None,
        "unit": "paragraph",
        "units": n,
        "offtopic": offtopic,
        "evidence": evidence[:EVIDENCE_LIMIT],
    }


def repair_order(doc: Document, *, options: Options, model: Model | None = None) -> Document:
    """Judge the kept paragraphs' order, repair it when scrambled, flag off-topic paragraphs.

    When the article is judged in order and nothing is dropped, ``doc.blocks`` is returned
    as it is (only ``doc.order`` is set), so an ordered article's output is byte-identical.
    ``doc.order`` is the metadata: ``scrambled``/``changed`` (the same here: an article judged
    scrambled is always changed), ``score`` (the model's z-score for the given order: about 0
    for a random order, higher the more the model agrees with it), ``permutation`` (input
    paragraph index for each output paragraph, ``None`` when unchanged), ``unit``
    (``"paragraph"``), ``units`` (paragraphs judged), ``offtopic`` (output positions of
    flagged paragraphs) and ``evidence`` (lines for ``explain``, see :func:`describe`).
    ``model`` defaults to the packaged one (tests pass their own).
    """
    groups = paragraphs(doc.blocks)
    n = len(groups)
    if n < MIN_UNITS or n > MAX_UNITS:
        reason = f"{n} paragraph(s): order not judged (needs {MIN_UNITS}-{MAX_UNITS})"
        return replace(doc, order=_metadata(None, n=n, offtopic=[], evidence=[reason]))
    model = model or load_model()
    texts = ["\n".join(b.text for b in g) for g in groups]
    units = analyse(texts, doc.title, lexicon=model.lexicon)
    decision = decide(units, model)
    ordered = [units[i] for i in decision.order]
    offtopic = offtopic_units(ordered, doc.title, model)
    evidence = list(decision.evidence)
    for k in offtopic:
        evidence.append(f"paragraph {k} shares few words and names with the article and title")
    meta = _metadata(decision, n=n, offtopic=offtopic, evidence=evidence)
    if not decision.scrambled and not (offtopic and options.drop_offtopic):
        return replace(doc, order=meta)
    blocks = _reordered(doc, decision.order) if decision.scrambled else doc.blocks
    if offtopic and options.drop_offtopic:
        blocks = _drop_paragraphs(blocks, offtopic)
    return replace(doc, blocks=blocks, order=meta)


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


def describe(order: dict[str, Any] | None) -> list[str]:
    """Lines for ``cleaner explain``: the decision, the move and the evidence behind it."""
    if order is None:
        return ["order: not checked (--no-reorder)"]
    lines = [
        f"order: {'scrambled, repaired' if order.get('changed') else 'in order, untouched'}"
        f" (score {order.get('score', 0.0)}, unit {order.get('unit')})"
    ]
    permutation = order.get("permutation")
    if permutation:
        lines.append("  new order of input paragraphs: " + " ".join(str(i) for i in permutation))
    if order.get("offtopic"):
        lines.append(
            "  off-topic paragraphs (output positions): "
            + " ".join(str(i) for i in order["offtopic"])
        )
    lines.extend(f"  - {line}" for line in order.get("evidence", []))
    return lines


def kendall_tau(order: list[int]) -> float:
    """Kendall's tau of a permutation against the identity (1 = in order, -1 = reversed)."""
    n = len(order)
    if n < 2:
        return 1.0
    concordant = sum(1 for p in range(n) for q in range(p + 1, n) if order[p] < order[q])
    pairs = n * (n - 1) // 2
    return (2 * concordant - pairs) / pairs
