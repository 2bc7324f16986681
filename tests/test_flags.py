"""One list of options (cleaner.config.OPTIONS) drives Options, [tool.cleaner] and the flags of
every cleaning command; a flag overrides the file either way."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import OPTIONS, SPECS, Options, resolve
from cleaner.errors import ConfigError
from cleaner.profile import Profile
from tests.conftest import ARTICLE

README = Path(__file__).resolve().parent.parent / "README.md"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_project_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # resolve() reads ./pyproject.toml when there is one: run where there is none
    monkeypatch.chdir(tmp_path)


def test_every_option_is_in_the_list_once() -> None:
    assert [spec.name for spec in OPTIONS] == [f.name for f in fields(Options)]


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_every_command_takes_every_flag(command: str) -> None:
    result = runner.invoke(app, [command, "-h"])
    assert result.exit_code == 0
    for spec in OPTIONS:
        for flag in spec.flags:
            assert flag in result.stdout, (command, flag)
    assert not re.search(r"<[a-z\[\]]+>", result.stdout)  # no <bool>, <list[str]>


def test_readme_lists_every_flag_and_key() -> None:
    readme = README.read_text(encoding="utf-8")
    for spec in OPTIONS:
        for flag in spec.flags:
            assert f"`{flag}" in readme or f"/{flag}`" in readme, flag
        for key in spec.file_keys:
            assert f"`{key}`" in readme, key


NOT_GIVEN = dict.fromkeys(SPECS)


def test_nothing_given_is_the_defaults() -> None:
    assert resolve(None, NOT_GIVEN) == Options()


# (the [tool.cleaner] body, the flags given, the fields expected)
PRECEDENCE: list[tuple[str, dict[str, object], dict[str, object]]] = [
    ("reorder = false", {}, {"reorder": "never"}),
    ("reorder = false", {"reorder": "auto"}, {"reorder": "auto"}),
    ('reorder = "always"', {"reorder": "never"}, {"reorder": "never"}),
    ("comments = true", {"comments": False}, {"comments": False}),
    ("drop_offtopic = true", {"drop_offtopic": False}, {"drop_offtopic": False}),
    ("include_tables = false", {"include_tables": True}, {"include_tables": True}),
    ("", {"include_tables": False}, {"include_tables": False}),
    ("remove_noise = false", {"remove_noise": True}, {"remove_noise": True}),
    ('favor = "recall"', {"favor": "precision"}, {"favor": "precision"}),
    ('favor = "recall"', {}, {"favor": "recall"}),
    ("max_bytes = 1000", {"max_bytes": 2000}, {"max_bytes": 2000}),
    ("language_chars = 500", {}, {"language_chars": 500}),
    ('text_noise = "rules"', {"text_noise": "model"}, {"text_noise": "model"}),
]


@pytest.mark.parametrize(("body", "given", "expected"), PRECEDENCE)
def test_a_flag_beats_the_file(
    tmp_path: Path, body: str, given: dict[str, object], expected: dict[str, object]
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[tool.cleaner]\n{body}\n")
    options = resolve(config, {**NOT_GIVEN, **given})
    assert {key: getattr(options, key) for key in expected} == expected
    untouched = {f.name for f in fields(Options)} - set(expected)
    assert all(getattr(options, k) == getattr(Options(), k) for k in untouched)


def test_phrases_add_up_and_profile_comes_from_file_or_flag(tmp_path: Path) -> None:
    (tmp_path / "extra.txt").write_text("More from us\n")
    Profile(frozenset({"a recurring line"})).save(tmp_path / "p.json")
    Profile(frozenset({"another line"})).save(tmp_path / "q.json")
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.cleaner]\nnoise_phrases = ["Hot deals"]\nprofile = "p.json"\n')
    options = resolve(config, {**NOT_GIVEN, "noise_phrases": tmp_path / "extra.txt"})
    assert options.noise_phrases == ("Hot deals", "More from us")
    assert options.profile is not None and "a recurring line" in options.profile
    flagged = resolve(config, {**NOT_GIVEN, "profile": tmp_path / "q.json"})
    assert flagged.profile is not None and "another line" in flagged.profile


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("language_chars = 0", "tool.cleaner.language_chars must be a positive integer"),
        ("max_bytes = true", "tool.cleaner.max_bytes must be a positive integer"),
        ('profile = "missing.json"', "tool.cleaner.profile:"),
        ("profile = 3", "tool.cleaner.profile must be a file name"),
        ("comments = 1", "tool.cleaner.comments must be true or false"),
        ("turbo = true", "unknown key tool.cleaner.turbo"),
        ("fast = 1", "tool.cleaner.fast must be true or false"),
    ],
)
def test_bad_file_values(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(f"[tool.cleaner]\n{body}\n")
    with pytest.raises(ConfigError, match=message):
        resolve(config, NOT_GIVEN)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--favor", "fast"], "--favor must be balanced|precision|recall, not 'fast'"),
        (["--max-bytes", "0"], "Invalid value for '--max-bytes'"),
        (["--language-chars", "x"], "Invalid value for '--language-chars'"),
    ],
)
def test_bad_flags_are_usage_errors(flags: list[str], message: str) -> None:
    result = runner.invoke(app, ["explain", "-", *flags], input=ARTICLE)
    assert result.exit_code == 2
    assert message in result.stderr


def test_max_bytes_flag_caps_the_input(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(ARTICLE)
    result = runner.invoke(app, ["explain", str(page), "--max-bytes", "100"])
    assert result.exit_code == 1
    assert "exceeds the limit of 100 bytes" in result.stderr


def test_flags_reach_a_batch_and_its_fingerprint(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE)
    (tmp_path / "pyproject.toml").write_text("[tool.cleaner]\nreorder = false\n")
    out = tmp_path / "out"
    assert runner.invoke(app, ["clean", str(src), "-o", str(out), "-q"]).exit_code == 0
    assert json.loads((out / "a.json").read_text())["order"] is None
    args = ["clean", str(src), "-o", str(out), "--reorder", "auto"]
    again = runner.invoke(app, [*args, "--dry-run"])
    assert "would clean a.txt (options changed)" in again.stdout
    assert runner.invoke(app, args).exit_code == 0
    assert json.loads((out / "a.json").read_text())["order"] is not None
