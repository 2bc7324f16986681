"""What the order stage concluded for one document: :class:`OrderResult`.

``Document.order`` holds it (``None`` when the stage did not run); the metadata sidecar's
``order`` is its :meth:`OrderResult.to_json`. Kept apart from :mod:`cleaner.order.stage` so
that :mod:`cleaner.document` can name the type without importing the stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class OrderResult:
    """The order stage's decision on one document.

    ``scrambled``/``changed`` (the same: an article judged scrambled is always changed),
    ``score`` (the model's z-score for the given order: about 0 for a random order, higher the
    more the model agrees with it), ``permutation`` (input paragraph index for each output
    paragraph, ``None`` when unchanged), ``unit`` (``"paragraph"``), ``units`` (paragraphs
    judged), ``offtopic`` (output positions of flagged paragraphs), ``offtopic_sentences``
    (flagged sentences inside a paragraph: its output position and the sentence's number in it,
    both from 0) and ``evidence`` (lines for
    ``explain``, see :func:`cleaner.order.stage.describe`). ``forced``: made by ``--reorder
    always`` (not a key of the JSON, whose keys stay fixed: its evidence says so first).
    """

    scrambled: bool
    score: float
    changed: bool
    permutation: tuple[int, ...] | None
    unit: Literal["paragraph"]
    units: int
    offtopic: tuple[int, ...]
    evidence: tuple[str, ...]
    forced: bool = False
    offtopic_sentences: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, object]:
        """The metadata's ``order`` object: these keys, lists for the tuples."""
        return {
            "scrambled": self.scrambled,
            "score": self.score,
            "changed": self.changed,
            "permutation": list(self.permutation) if self.permutation is not None else None,
            "unit": self.unit,
            "units": self.units,
            "offtopic": list(self.offtopic),
            "offtopic_sentences": [list(pair) for pair in self.offtopic_sentences],
            "evidence": list(self.evidence),
        }
