"""Mojibake repair, the step after extract: encoding damage only, the author's choices kept."""

from __future__ import annotations

from cleaner import clean
from cleaner.mojibake import fix_mojibake


def test_mojibake_is_repaired_and_reported() -> None:
    broken = "The café’s owner said “no“.".encode().decode("cp1252")
    assert broken == "The cafÃ©â€™s owner said â€œnoâ€œ."
    assert fix_mojibake(broken) == ("The café’s owner said “no“.", True)
    assert fix_mojibake("plain ascii") == ("plain ascii", False)
    assert fix_mojibake("Grüße, “quoted”") == ("Grüße, “quoted”", False)


def test_quotes_and_fullwidth_are_not_touched() -> None:
    text = "“Quoted” text with ＡＢＣ full-width and ﬁ ligature."
    assert fix_mojibake(text) == (text, False)


def test_the_pipeline_repairs_blocks_and_says_so() -> None:
    broken = "The café’s owner said “no“ to the plan for the new bridge.".encode().decode("cp1252")
    result = clean(broken, name="a.txt")
    assert "café’s" in result.text
    assert any(w.startswith("repaired mojibake") for w in result.metadata["warnings"])
