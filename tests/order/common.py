"""What the order tests share: the gold examples, the seed, a spliced text, helpers."""

from __future__ import annotations

from cleaner import Options, clean
from tests.conftest import DATA, FIXTURES

ORDER_DATA = DATA / "order"
GOLD = sorted(ORDER_DATA.glob("*.txt"))
SEED = FIXTURES / "inputs" / "text" / "seed-syria.txt"
OFF = Options(reorder="never")


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def joined(paras: list[str]) -> str:
    return "\n\n".join(paras) + "\n"


def seed_paragraphs() -> list[str]:
    return paragraphs(clean(SEED.read_bytes(), name="seed.txt").text)


SPLICED = joined(
    [
        "The city council of Springfield approved the new budget for parks on Tuesday, after "
        "months of debate about playgrounds and public gardens.",
        "The budget for parks doubles spending on playgrounds and gardens over five years, "
        "the council said after the debate.",
        "Quarterly semiconductor revenues at Hynix rebounded sharply as memory prices climbed "
        "across Asian foundries and wafer shipments accelerated.",
        "Council members said the parks budget would also pay for new gardens and for repairs "
        "to playgrounds damaged last winter.",
    ]
)
