"""No article found: outputs of a few words or of menu lines are flagged, language null under
a minimum of words; the batch counts such files as empty. Cases as data, with negatives."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import clean
from cleaner.cli import app
from tests.conftest import ARTICLE

NAV_PAGE = "<html><body><nav>Home | About</nav></body></html>"
MENU_TEXT = "\n\n".join(
    ["Home", "World news", "Sport", "Business and money", "Culture", "Weather", "Contact us"] * 2
)


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        pytest.param(NAV_PAGE, "a.html", "no article found (only 2 words)", id="nav-only page"),
        pytest.param("Home\n\nAbout us", "a.txt", "no article found (only", id="two labels"),
    ],
)
def test_no_article_is_said_and_has_no_language(data: str, name: str, reason: str) -> None:
    result = clean(data, name=name)
    assert any(w.startswith(reason) for w in result.metadata["warnings"])
    assert result.metadata["language"] is None


def test_menu_lines_are_no_article() -> None:
    warnings = clean(MENU_TEXT, name="a.txt").metadata["warnings"]
    assert any(w.startswith("no article found") for w in warnings), warnings


MEGA_MENU = "".join(
    f"<li><a href='/s{i}'>Section {i} news</a></li>" for i in range(60)
) + "<li><a href='/t'>Here they go again: new power outages are set for parts of the state</a></li>"


def test_a_big_menu_with_one_teaser_is_no_article() -> None:
    # 200 words of menu items and one headline teaser: too little prose to be an article.
    page = f"<html><body><nav><ul>{MEGA_MENU}</ul></nav></body></html>"
    warnings = clean(page, name="a.html").metadata["warnings"]
    assert "no article found (only menu-like lines)" in warnings, warnings


def test_an_article_is_not_flagged() -> None:
    result = clean(ARTICLE, name="a.txt")
    assert not any(w.startswith("no article found") for w in result.metadata["warnings"])
    assert result.metadata["language"]["code"] == "en"


def test_the_batch_counts_empty_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "nav.html").write_text(NAV_PAGE, encoding="utf-8")
    (src / "story.txt").write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "2 cleaned (1 empty: no article found)" in result.stderr
    report = json.loads((tmp_path / "out" / "cleaner-report.json").read_text(encoding="utf-8"))
    assert report["counts"]["empty"] == 1


WRAPPED = "\n\n".join(
    textwrap.fill(
        "The council approved the budget for the new bridge on Tuesday evening after a long"
        " debate about its cost and its route through the old harbour district of the city."
        f" Paragraph {i} adds that the work is due to start next spring.",
        width=50,
    )
    for i in range(6)
)


def test_a_text_wrapped_in_short_lines_is_an_article() -> None:
    warnings = clean(WRAPPED, name="a.txt").metadata["warnings"]
    assert not any(w.startswith("no article found") for w in warnings), warnings


def test_a_menu_one_item_per_line_in_one_paragraph_is_no_article() -> None:
    menu = "\n".join(["Home", "World news", "Sport", "Business and money", "Culture"] * 6)
    warnings = clean(menu, name="a.txt").metadata["warnings"]
    assert "no article found (only menu-like lines)" in warnings, warnings
