from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.config import Options
from cleaner.errors import ConfigError
from cleaner.profile import Profile, candidate_lines, learn, normalise_line


def test_normalise_line() -> None:
    assert normalise_line("  » Most Read — ") == "most read"


def test_candidate_lines_skip_sentences_and_long_lines() -> None:
    text = "Home\nHe said.\nSports and Weather\n" + "word " * 20
    assert candidate_lines(text, max_words=12) == {"home", "sports and weather"}


def test_learn_threshold() -> None:
    files = [{"menu", "a"}, {"menu", "b"}, {"menu"}, {"x"}]
    assert learn(files, min_files=3, min_share=0.0).lines == frozenset({"menu"})
    assert learn(files, min_files=4, min_share=0.0).lines == frozenset()
    assert learn(files, min_files=1, min_share=0.5).lines == frozenset({"menu"})


def test_membership_uses_normal_form() -> None:
    profile = Profile(frozenset({"site information"}), files=10, min_files=5)
    assert "Site Information:" in profile
    assert "Site" not in profile


def test_save_load_roundtrip(tmp_path: Path) -> None:
    profile = Profile(frozenset({"b", "a"}), files=7, min_files=5)
    profile.save(tmp_path / "p.json")
    assert Profile.load(tmp_path / "p.json") == profile
    assert json.loads((tmp_path / "p.json").read_text())["lines"] == ["a", "b"]


def test_bad_profile_file(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text('{"lines": []}')
    with pytest.raises(ConfigError):
        Profile.load(tmp_path / "p.json")


def test_profile_is_part_of_the_fingerprint() -> None:
    a = Options(profile=Profile(frozenset({"menu"})))
    b = Options(profile=Profile(frozenset({"other"})))
    assert a.fingerprint() != b.fingerprint() != Options().fingerprint()
