"""The scorers behind every figure in the README; `make check-metric` checks them against the
published ScrapingHub results, these tests pin their definitions on small cases."""

from __future__ import annotations

import pytest

from bench.metrics import repeats_a_paragraph, scrapinghub_scores, snippet_scores, wcxb_scores

GOLD = "one two three four five six. Seven eight nine ten"


def test_identical_text_scores_one_and_is_exact() -> None:
    score = scrapinghub_scores({"a": GOLD}, {"a": GOLD})
    assert score["f1"] == pytest.approx(1.0)
    assert score["accuracy"] == pytest.approx(1.0)


def test_punctuation_and_spacing_do_not_matter_but_case_does() -> None:
    spaced = "one, two\n\nthree four five six Seven eight nine ten"
    same = scrapinghub_scores({"a": spaced}, {"a": GOLD})
    assert same["accuracy"] == pytest.approx(1.0)
    lower = scrapinghub_scores({"a": GOLD.lower()}, {"a": GOLD})
    assert lower["accuracy"] == pytest.approx(0.0)


def test_extra_noise_lowers_precision_only() -> None:
    score = scrapinghub_scores({"a": "Share this now please " + GOLD}, {"a": GOLD})
    assert score["recall"] == pytest.approx(1.0)
    assert score["precision"] < 1.0
    assert score["accuracy"] == pytest.approx(0.0)


def test_missing_prediction_counts_as_empty() -> None:
    score = scrapinghub_scores({}, {"a": GOLD})
    assert score["recall"] == pytest.approx(0.0)


def test_wcxb_is_lowercase_bag_of_words() -> None:
    score = wcxb_scores({"a": "ten NINE eight seven six five four three two one"}, {"a": GOLD})
    assert score["f1"] == pytest.approx(1.0)


def test_snippets() -> None:
    evaldata = {"p": {"with": ["article sentence"], "without": ["Share this"]}}
    good = snippet_scores({"p": "An article sentence here."}, evaldata)
    bad = snippet_scores({"p": "Share this. Nothing else."}, evaldata)
    assert (good["tp"], good["fp"], good["fn"], good["tn"]) == (1, 0, 0, 1)
    assert (bad["tp"], bad["fp"], bad["fn"], bad["tn"]) == (0, 1, 1, 0)


_LONG = "the council approved the budget for the bridge on tuesday"
REPEATS = [
    pytest.param(f"{_LONG}\n\n{_LONG}\n\n{_LONG.upper()}", True, id="three copies"),
    pytest.param(f"{_LONG}\n{_LONG}\n{_LONG}", True, id="one line break apart"),
    pytest.param(f"{_LONG}\n\n{_LONG}", False, id="two copies"),
    pytest.param("Share\n\nShare\n\nShare", False, id="short line"),
]


@pytest.mark.parametrize(("text", "expected"), REPEATS)
def test_repeats_a_paragraph(text: str, expected: bool) -> None:
    assert repeats_a_paragraph(text) is expected
