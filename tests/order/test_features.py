"""Order features: sentence splitting, the position regressor's cues, who counts as a person."""

from __future__ import annotations

import pytest

from cleaner.order.features import FEATURE_NAMES, Lexicon, analyse, predict_position, unit_cues
from cleaner.text import split_sentences


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Mr. Smith met Dr. Jones on Friday. They spoke for an hour. U.S. officials left."
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones on Friday.",
        "They spoke for an hour.",
        "U.S. officials left.",
    ]


def test_position_cues_and_regressor() -> None:
    found = unit_cues(["WASHINGTON (AP) — The Senate voted on Friday.", "It passed."], None)[0]
    names = {name for name, _ in found}
    assert {"o:washington", "o:washington ap", "f:dateline", "f:weekday"} <= names
    assert predict_position(found, {"f:dateline": -0.4, "o:washington": -0.1}) == pytest.approx(
        -0.5
    )
    lexicon = Lexicon({}, {}, {"f:dateline": -0.4})
    first, second = analyse(
        ["WASHINGTON (AP) — The Senate voted.", "It passed."], None, lexicon=lexicon
    )
    index = FEATURE_NAMES.index("position")
    assert first.unary[index] == pytest.approx(-0.4) and second.unary[index] == 0.0


def test_street_abbreviation_before_a_number_is_not_a_person() -> None:
    # "Dr." reads like an honorific, but "Suite 108" is an address: no bare surname "suite".
    units = analyse(
        ["The clinic is at 801 Portola Dr. Suite 108 in the city.", "Visit Bush St. Suite 5."],
        None,
    )
    assert all("suite" not in u.bare_names for u in units)
    assert "kerry" in analyse(["Mr. Kerry said no."], None)[0].bare_names
