"""Shared test helpers. Tests never touch the network or ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
DATA = TESTS / "data"
REPO = TESTS.parent
FIXTURES = REPO / "fixtures"


def read_cases(name: str) -> list[list[str]]:
    """Rows of a tab-separated case file in tests/data, skipping comments and blank lines."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


ARTICLE = (
    "Share\n\n"
    "Council approves new budget for city parks\n\n"
    "The city council on Tuesday approved a budget that doubles spending on parks and "
    "playgrounds over the next five years, after months of debate.\n\n"
    "Advertisement\n\n"
    "Mayor Ana Lopez said the plan would create hundreds of jobs and give every neighbourhood "
    "a green space within a ten-minute walk.\n\n"
    "Critics argued that the money should go to road repairs instead, but the measure passed "
    "by seven votes to two.\n\n"
    "Library hours to be extended in spring\n"
)


@pytest.fixture
def article_text() -> str:
    return ARTICLE
