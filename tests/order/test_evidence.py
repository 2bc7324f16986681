"""Hard evidence: displaced introductions and wire datelines moved back, the seed's Kerry, and
late slips left alone."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.order.features import analyse
from tests.order.common import (
    ORDER_DATA,
    joined,
    paragraphs,
    seed_paragraphs,
)


@pytest.mark.parametrize("name", ["en-names-db6b", "en-names-8e3e", "en-names-bc13"])
def test_introduction_moved_below_the_bare_surname_is_moved_back(name: str) -> None:
    text = (ORDER_DATA / f"{name}.txt").read_text(encoding="utf-8")
    paras = paragraphs(text)
    units = analyse(paras, None)
    intro = next(k for k, u in enumerate(units) if u.full_names & units[k + 1].bare_names)
    scrambled = [*paras[:intro], paras[intro + 1], paras[intro], *paras[intro + 2 :]]
    result = clean(joined(scrambled), name="x.txt")
    assert result.text == text
    order = result.metadata["order"]
    assert order["changed"] is True
    assert sorted(order["permutation"]) == list(range(len(paras)))
    assert any("full name" in line for line in order["evidence"])


def test_seed_kerry_is_introduced_before_he_speaks() -> None:
    paras = seed_paragraphs()
    intro = next(k for k, p in enumerate(paras) if p.startswith("Secretary of State John Kerry"))
    speaking = [k for k, p in enumerate(paras) if "Kerry said" in p or "Kerry insisted" in p]
    assert len(speaking) == 3
    assert all(intro < k for k in speaking)


def test_seed_de_mistura_paragraph_is_not_first() -> None:
    assert "de Mistura said" not in seed_paragraphs()[0]


def test_wire_dateline_lede_is_moved_back_first() -> None:
    text = (ORDER_DATA / "en-names-db6b.txt").read_text(encoding="utf-8")
    paras = paragraphs(text)
    assert paras[0].startswith("HANOI, Vietnam (AP) —")
    result = clean(joined([*paras[1:4], paras[0], *paras[4:]]), name="x.txt")
    assert result.text == text
    assert any("wire dateline" in line for line in result.metadata["order"]["evidence"])


def _late_quote_article(bare_at: int) -> list[str]:
    paras = [f"Paragraph {k} of the council story reports budget item {k}." for k in range(8)]
    paras[bare_at] = '"We will see," Novak said in a call with reporters.'
    paras[bare_at + 2] = "The plan, said city treasurer Anna Novak, covers the next two years."
    return paras


def test_late_bare_surname_introduced_just_after_is_left_alone() -> None:
    # An updated story inserts a late quote before the paragraph that introduces its speaker.
    text = joined(_late_quote_article(bare_at=5))
    result = clean(text, name="x.txt")
    assert result.text == text
    assert result.metadata["order"]["changed"] is False


def test_early_bare_surname_is_still_repaired() -> None:
    result = clean(joined(_late_quote_article(bare_at=1)), name="x.txt")
    order = result.metadata["order"]
    assert order["changed"] is True
    paras = paragraphs(result.text)
    assert paras.index(next(p for p in paras if "Anna Novak" in p)) < paras.index(
        next(p for p in paras if "Novak said" in p)
    )
