"""The shipped line model on texts whose right answer is plain: cases as data, with
must-stay-unchanged negatives (a clean article, with or without its headline first)."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.config import Options
from cleaner.extract import extract
from cleaner.noise import remove_noise
from cleaner.read import read

ARTICLE = """The city council voted on Tuesday to approve the plan for a new bridge over the \
river, after a year of public hearings on its cost and its route through the old harbour district.

The plan puts the cost of the bridge at 40 million euros, which the council says it can borrow \
at a low rate because the city's debt has fallen for five years in a row.

Work is due to start next spring and to end in three years, the mayor said at a press conference \
after the vote, adding that the old ferry would keep running until the bridge opens.

Opponents of the plan said they would take the decision to court, arguing that the hearings had \
not considered the effect of the bridge on the fishing boats that use the harbour.
"""
HEADLINE = "City council approves new bridge over the river"

UNCHANGED = [
    pytest.param(ARTICLE, id="clean article"),
    pytest.param(
        ARTICLE.replace("\n\nWork is due", "\n\nWhat comes next\n\nWork is due"),
        id="clean article with a subheading",
    ),
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_a_clean_article_comes_out_as_it_went_in(text: str) -> None:
    result = clean(text, name="a.txt")
    assert result.text == text
    assert result.metadata["removed"] == []


def test_a_clean_article_under_its_headline_is_kept_whole_and_titled() -> None:
    text = f"{HEADLINE}\n\n{ARTICLE}"
    result = clean(text, name="a.txt")
    assert result.text == text
    assert result.metadata["title"] == HEADLINE
    assert result.metadata["removed"] == []


# Layouts of clean texts that look like a broken sentence to a careless joiner (seen in WCXB
# gold texts): a list under its colon, label and value, rule lines, a line ending in a domain.
CLEAN_LAYOUTS = [
    pytest.param("Use the tool to:\n\n- Create outlines for posts.", id="list under a colon"),
    pytest.param("Early on, focus on:\n\n1. Pin functions", id="numbered list"),
    pytest.param("Best For\n\nSide sleepers of all weights", id="label and value"),
    pytest.param("Vitamin A\n\nRated: Great", id="short line ending in a letter"),
    pytest.param("Ready? Let's get to it!\n\nReady? Here goes:", id="after a sentence end"),
    pytest.param("---\n\nFrequently Asked Questions", id="rule line"),
    pytest.param("Shop Men's at adidas.com\n\nAdidas Evo SL Review", id="domain at the end"),
]


@pytest.mark.parametrize("layout", CLEAN_LAYOUTS)
def test_a_clean_text_keeps_its_line_layout(layout: str) -> None:
    text = f"{ARTICLE}\n{layout}\n\n{ARTICLE}"
    assert clean(text, name="a.txt").text == text


SCRAPED = f"""Home

News

Sport

Share

{HEADLINE}

{ARTICLE.split(chr(10) * 2)[0]}

Advertisement

{chr(10).join(ARTICLE.split(chr(10) * 2)[1:])}
Related stories

Mayor opens new school in the north of the city

Police search for witnesses after harbour fire
"""


def test_scraped_text_loses_its_noise_and_keeps_the_article() -> None:
    result = clean(SCRAPED, name="a.txt")
    for noise in ("Home", "Share", "Advertisement", "Related stories", "Police search"):
        assert noise not in result.text
    for paragraph in ARTICLE.split("\n\n"):
        assert paragraph.strip() in result.text
    assert result.metadata["title"] == HEADLINE


SPLIT = """Leading the list is

Barnett Ghostwriting

, a standout company that has written books for more than two hundred authors in the last decade.
"""


def test_lines_split_inside_a_sentence_are_joined() -> None:
    text = f"{ARTICLE}\n{SPLIT}"
    result = clean(text, name="a.txt")
    assert (
        "Leading the list is Barnett Ghostwriting, a standout company that has written books"
        in result.text
    )


def test_rules_mode_is_the_rule_stage() -> None:
    options = Options(text_noise="rules")
    decoded = read(SCRAPED.encode(), name="a.txt", max_bytes=options.max_bytes)
    ruled = remove_noise(extract(decoded, source="a.txt", options=options), options=options)
    result = clean(SCRAPED, name="a.txt", options=options)
    assert [r["index"] for r in result.metadata["removed"]] == [
        b.index for b in ruled.blocks if not b.keep
    ]
