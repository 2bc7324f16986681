"""Fixture tests: real inputs in ``fixtures/inputs``, hand-checked specs in ``fixtures/expected``.

Every input file has a spec ``fixtures/expected/<relative path without .gz and extension>.json``
(see ``fixtures/README.md`` for the format and where each fixture comes from). Each check of a
spec is its own test, so a spec's ``known_failures`` can xfail exactly the checks the cleaner gets
wrong today; they are strict, so a fix makes them fail loudly until the entry is removed.
Optionally ``<stem>.txt`` holds the full expected output, saved only after reading it line by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cleaner import CleanResult, clean

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
INPUTS = FIXTURES / "inputs"
EXPECTED = FIXTURES / "expected"
WORD = re.compile(r"\w+")

# Checks whose spec value is a list: one test per item.
LIST_CHECKS = ("must_keep", "must_drop", "warnings_include", "warnings_exclude")
# Checks whose spec value is a single value.
SCALAR_CHECKS = (
    "kind",
    "title",
    "language",
    "starts_with",
    "ends_with",
    "min_paragraphs",
    "tokens_equal_input",
)
REQUIRED_KEYS = ("source", "licence", "kind", "must_keep", "must_drop", "note")


def stem_of(path: Path) -> str:
    """``html/page.html.gz`` -> ``html/page``: the spec name of an input file."""
    rel = path.relative_to(INPUTS).as_posix().removesuffix(".gz")
    folder, _, name = rel.rpartition("/")
    name = name.rsplit(".", 1)[0]
    return f"{folder}/{name}" if folder else name


INPUT_FILES: dict[str, Path] = {
    stem_of(p): p for p in sorted(INPUTS.rglob("*")) if p.is_file() and p.name != ".gitkeep"
}


@cache
def load_spec(stem: str) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))
    return spec


@cache
def cleaned(stem: str) -> CleanResult:
    path = INPUT_FILES[stem]
    return clean(path.read_bytes(), name=path.relative_to(INPUTS).as_posix())


def lines_of(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


def known_failure(spec: dict[str, Any], check: str, item: Any = None) -> str | None:
    """The reason of the spec's known failure for this check (and item), if there is one."""
    for failure in spec.get("known_failures", []):
        if failure["check"] == check and ("item" not in failure or failure["item"] == item):
            return str(failure["reason"])
    return None


def check_cases() -> Iterator[Any]:
    """One pytest.param per (fixture, check[, item]); known failures are strict xfails."""
    for stem in INPUT_FILES:
        if not (EXPECTED / f"{stem}.json").exists():
            continue  # reported by test_every_input_has_a_spec
        spec = load_spec(stem)
        cases: list[tuple[str, Any, str]] = []
        for check in SCALAR_CHECKS:
            if check in spec:
                cases.append((check, None, check))
        for check in LIST_CHECKS:
            for i, item in enumerate(spec.get(check, [])):
                cases.append((check, item, f"{check}[{i}]"))
        if (EXPECTED / f"{stem}.txt").exists():
            cases.append(("expected_txt", None, "expected_txt"))
        for check, item, label in cases:
            reason = known_failure(spec, check, item)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(stem, check, item, id=f"{stem}:{label}", marks=marks)


def test_every_input_has_a_spec() -> None:
    missing = [stem for stem in INPUT_FILES if not (EXPECTED / f"{stem}.json").exists()]
    assert not missing, f"inputs without fixtures/expected/<stem>.json: {missing}"


def test_every_spec_has_an_input() -> None:
    orphans = [
        p.relative_to(EXPECTED).as_posix()
        for p in sorted(EXPECTED.rglob("*"))
        if p.suffix in (".json", ".txt")
        and p.with_suffix("").relative_to(EXPECTED).as_posix() not in INPUT_FILES
    ]
    assert not orphans, f"expected files without an input: {orphans}"


@pytest.mark.parametrize("stem", list(INPUT_FILES))
def test_spec_is_well_formed(stem: str) -> None:
    spec = load_spec(stem)
    assert all(key in spec for key in REQUIRED_KEYS), f"missing keys: {REQUIRED_KEYS}"
    assert len(spec["must_keep"]) >= 5, "at least 5 must_keep phrases from the gold"
    assert len(set(spec["must_keep"])) == len(spec["must_keep"])
    assert len(set(spec["must_drop"])) == len(spec["must_drop"])
    for failure in spec.get("known_failures", []):
        check = failure["check"]
        assert failure.get("reason"), f"known failure without a reason: {failure}"
        if check == "expected_txt":
            raise AssertionError("a fixture with a known failure must not have an expected .txt")
        assert check in spec, f"known failure for a check the spec does not have: {failure}"
        if "item" in failure:
            assert failure["item"] in spec[check], f"known failure for an unknown item: {failure}"
    if spec.get("known_failures"):
        assert not (EXPECTED / f"{stem}.txt").exists(), "no expected .txt while checks fail"


@pytest.mark.parametrize("stem", list(INPUT_FILES))
def test_clean_does_not_raise(stem: str) -> None:
    result = cleaned(stem)
    assert isinstance(result.text, str)
    assert result.text == "" or result.text.endswith("\n")


@pytest.mark.parametrize(("stem", "check", "item"), list(check_cases()))
def test_fixture_check(stem: str, check: str, item: Any) -> None:
    spec = load_spec(stem)
    result = cleaned(stem)
    text, meta = result.text, result.metadata
    if check == "must_keep":
        assert item in text, f"article text missing: {item!r}"
    elif check == "must_drop":
        assert item.strip() not in lines_of(text), f"noise line kept: {item!r}"
    elif check == "kind":
        assert meta["kind"] == spec["kind"]
    elif check == "title":
        assert meta["title"] == spec["title"]
    elif check == "language":
        assert (meta["language"] or {}).get("code") == spec["language"]
    elif check == "starts_with":
        assert text.startswith(spec["starts_with"]), f"text starts {text[:120]!r}"
    elif check == "ends_with":
        assert text.rstrip("\n").endswith(spec["ends_with"]), f"text ends {text[-120:]!r}"
    elif check == "min_paragraphs":
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        assert len(paragraphs) >= spec["min_paragraphs"]
    elif check == "tokens_equal_input":
        source = INPUT_FILES[stem].read_bytes().decode("utf-8")
        assert WORD.findall(text) == WORD.findall(source)
    elif check == "warnings_include":
        assert any(item in warning for warning in meta["warnings"]), meta["warnings"]
    elif check == "warnings_exclude":
        assert not any(item in warning for warning in meta["warnings"]), meta["warnings"]
    elif check == "expected_txt":
        expected = (EXPECTED / f"{stem}.txt").read_text(encoding="utf-8")
        assert text == expected
    else:
        raise AssertionError(f"unknown check {check}")


def test_fixture_set_coverage() -> None:
    kinds = {load_spec(stem)["kind"] for stem in INPUT_FILES}
    languages = {load_spec(stem).get("language") for stem in INPUT_FILES} - {None}
    assert {"html", "text"} <= kinds
    assert any(p.name.endswith(".gz") for p in INPUT_FILES.values()), "no .gz input"
    assert len(languages) >= 3, f"only {sorted(languages)}"
    assert len(INPUT_FILES) >= 13
    for stem in INPUT_FILES:
        assert cleaned(stem).metadata["kind"] in kinds
