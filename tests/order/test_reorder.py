"""``--reorder auto|always|never``: the flag, its alias, the file key and the API field (with the
booleans it took when it was a switch), a bad value, what each value does to a text, and the
default's fingerprint (the incremental manifest's key) unchanged."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from cleaner import Options, clean
from cleaner.config import resolve
from cleaner.errors import ConfigError
from cleaner.flags import with_options
from cleaner.order import analyse, describe
from cleaner.order.search import introductions, violations
from cleaner.order.stage import FORCED_EVIDENCE
from cleaner.settings import ORDER_OFF_NOTE
from tests.order.common import ORDER_DATA, joined, paragraphs

runner = CliRunner()
probe = typer.Typer()


@probe.command()
@with_options
def show(*, options: Options) -> None:
    """Print the resolved reorder value."""
    typer.echo(options.reorder)


@pytest.fixture(autouse=True)
def _no_project_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # resolve() reads ./pyproject.toml when there is one


def _run(tmp_path: Path, argv: list[str], body: str | None) -> Result:
    if body is not None:
        (tmp_path / "pyproject.toml").write_text(f"[tool.cleaner]\n{body}\n")
    return runner.invoke(probe, argv)


# (flags, [tool.cleaner] body or None, the value resolved)
CASES: list[tuple[list[str], str | None, str]] = [
    ([], None, "auto"),
    (["--reorder", "auto"], None, "auto"),
    (["--reorder", "always"], None, "always"),
    (["--reorder", "never"], None, "never"),
    (["--no-reorder"], None, "never"),
    (["--no-reorder", "--reorder", "never"], None, "never"),
    ([], "reorder = true", "auto"),
    ([], "reorder = false", "never"),
    ([], 'reorder = "auto"', "auto"),
    ([], 'reorder = "always"', "always"),
    ([], 'reorder = "never"', "never"),
    (["--reorder", "auto"], "reorder = false", "auto"),
    (["--reorder", "always"], 'reorder = "never"', "always"),
    (["--no-reorder"], 'reorder = "always"', "never"),
]


@pytest.mark.parametrize(("argv", "body", "expected"), CASES)
def test_flag_and_file(tmp_path: Path, argv: list[str], body: str | None, expected: str) -> None:
    result = _run(tmp_path, argv, body)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected + "\n"


# (flags, [tool.cleaner] body or None, the usage error's message)
BAD: list[tuple[list[str], str | None, str]] = [
    (["--reorder", "sometimes"], None, "--reorder must be auto|always|never, not 'sometimes'"),
    (["--reorder", "True"], None, "--reorder must be auto|always|never, not 'True'"),
    (
        ["--reorder", "always", "--no-reorder"],
        None,
        "--no-reorder is --reorder never: it contradicts --reorder always",
    ),
    ([], 'reorder = "sometimes"', "tool.cleaner.reorder must be auto|always|never"),
    ([], "reorder = 1", "tool.cleaner.reorder must be auto|always|never"),
    ([], 'reorder = "false"', "tool.cleaner.reorder must be auto|always|never"),
]


@pytest.mark.parametrize(("argv", "body", "message"), BAD)
def test_bad_values_are_usage_errors(
    tmp_path: Path, argv: list[str], body: str | None, message: str
) -> None:
    result = _run(tmp_path, argv, body)
    assert result.exit_code == 2
    assert message in result.stderr


# (Options(...) keyword arguments, the value it holds)
API: list[tuple[dict[str, object], str]] = [
    ({}, "auto"),
    ({"reorder": "auto"}, "auto"),
    ({"reorder": "always"}, "always"),
    ({"reorder": "never"}, "never"),
    ({"reorder": True}, "auto"),
    ({"reorder": False}, "never"),
]


@pytest.mark.parametrize(("kwargs", "expected"), API)
def test_api_field_and_old_booleans(kwargs: dict[str, object], expected: str) -> None:
    assert Options(**kwargs).reorder == expected  # type: ignore[arg-type]
    value = kwargs.get("reorder")
    if value is not None:
        assert replace(Options(), reorder=value).reorder == expected
        assert Options().merged(reorder=value).reorder == expected
        assert resolve(None, {"reorder": value}).reorder == expected
        assert Options(**kwargs) == Options(reorder=expected)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["sometimes", "Always", 1, None])
def test_api_bad_value(value: object) -> None:
    with pytest.raises(ConfigError, match=re.escape("Options.reorder must be auto|always|never")):
        Options(reorder=value)  # type: ignore[arg-type]


# Computed before reorder became a choice (Options() and Options(reorder=False) of the
# switch), with the models' digest fixed so that a retrained model does not move them.
FINGERPRINTS: list[tuple[dict[str, object], str]] = [
    ({}, "7818f073cb8b3585"),
    ({"reorder": "auto"}, "7818f073cb8b3585"),
    ({"reorder": True}, "7818f073cb8b3585"),
    ({"reorder": "never"}, "9be29f7d94205a11"),
    ({"reorder": False}, "9be29f7d94205a11"),
    ({"reorder": "never", "drop_offtopic": True, "fast": True}, "3d71954410c718c0"),
]


@pytest.mark.parametrize(("kwargs", "expected"), FINGERPRINTS)
def test_fingerprint_unchanged(
    kwargs: dict[str, object], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cleaner.config.models_digest", lambda **_: "models")
    assert Options(**kwargs).fingerprint() == expected  # type: ignore[arg-type]


def test_always_has_a_fingerprint_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cleaner.config.models_digest", lambda **_: "models")
    always = Options(reorder="always").fingerprint()
    assert always not in {fingerprint for _, fingerprint in FINGERPRINTS}


def _shuffled(name: str, seed: int) -> tuple[list[str], str]:
    text = (ORDER_DATA / f"{name}.txt").read_text(encoding="utf-8")
    paras = [p.strip("\n") for p in paragraphs(text)]
    order = list(range(len(paras)))
    random.Random(seed).shuffle(order)
    return paras, joined([paras[k] for k in order])


def test_always_reorders_a_shuffled_text_the_gate_leaves_alone() -> None:
    paras, text = _shuffled("en-0dd1", 5)
    auto = clean(text, name="x.txt")
    assert auto.text == text and auto.metadata["order"]["changed"] is False
    result = clean(text, name="x.txt", options=Options(reorder="always"))
    order = result.metadata["order"]
    assert order["changed"] is True and order["scrambled"] is True
    assert sorted(order["permutation"]) == list(range(len(paras)))
    assert order["permutation"] != list(range(len(paras)))
    assert result.text != text
    assert sorted(p.strip("\n") for p in paragraphs(result.text)) == sorted(paras)  # moved only
    assert order["evidence"][0] == FORCED_EVIDENCE
    assert result.document.order is not None and result.document.order.forced
    assert describe(result.document.order)[0].startswith("order: re-ordered by --reorder always")


@pytest.mark.parametrize(
    ("name", "seed"), [("en-names-db6b", 5), ("en-names-bc13", 5), ("en-names-8e3e", 2)]
)
def test_always_puts_introductions_first(name: str, seed: int) -> None:
    """The hard evidence is applied on top of the model's order: no surname is met bare
    before its full name (each of these shuffles puts one bare first)."""
    _paras, text = _shuffled(name, seed)
    given = analyse(paragraphs(text), None)
    assert violations(introductions(given), list(range(len(given))))
    result = clean(text, name="x.txt", options=Options(reorder="always"))
    out = analyse(paragraphs(result.text), None)
    assert violations(introductions(out), list(range(len(out)))) == 0


def test_always_leaves_a_two_paragraph_text_alone() -> None:
    text = "One paragraph here, and it says something.\n\nAnd a second one after it.\n"
    result = clean(text, name="x.txt", options=Options(reorder="always"))
    assert result.text == text
    order = result.metadata["order"]
    assert order["changed"] is False and order["permutation"] is None and order["units"] == 2
    assert "order not judged" in order["evidence"][0]


@pytest.mark.parametrize("options", [Options(reorder="never"), Options(reorder=False)])
def test_never_leaves_the_stage_off(options: Options) -> None:
    _paras, text = _shuffled("en-names-db6b", 5)
    result = clean(text, name="x.txt", options=options)
    assert result.metadata["order"] is None and result.document.order is None
    assert result.text == text
    assert ORDER_OFF_NOTE in result.document.notes
    assert "--reorder never" in ORDER_OFF_NOTE
