from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.config import Options
from cleaner.errors import ConfigError
from cleaner.profile import (
    MAX_CONFIG_BYTES,
    PROFILE_FORMAT,
    Profile,
    candidate_lines,
    learn,
)


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


def _profile_json(**fields: object) -> bytes:
    data: dict[str, object] = {"format": PROFILE_FORMAT, "lines": ["menu"], "files": 3}
    data.update(fields)
    return json.dumps(data).encode()


# Valid profile files that must load exactly as they always did.
GOOD_PROFILES: list[tuple[bytes, Profile]] = [
    (_profile_json(min_files=2), Profile(frozenset({"menu"}), 3, 2)),
    (b'{"format": "cleaner-profile/1", "lines": []}', Profile(frozenset())),
    (_profile_json(lines=["b", "a", "a"], other=1), Profile(frozenset({"a", "b"}), 3)),
]


@pytest.mark.parametrize(("body", "expected"), GOOD_PROFILES)
def test_good_profile_file(tmp_path: Path, body: bytes, expected: Profile) -> None:
    (tmp_path / "p.json").write_bytes(body)
    assert Profile.load(tmp_path / "p.json") == expected


# Crafted profile files: each is a ConfigError whose one-line message holds the substring.
BAD_PROFILES: list[tuple[bytes, str]] = [
    (b'{"lines": []}', "not a cleaner profile (cleaner-profile/1)"),
    (b'{"format": "cleaner-profile/2", "lines": []}', "not a cleaner profile"),
    (b"null", "not a cleaner profile"),
    (b"[]", "not a cleaner profile"),
    (b'"cleaner-profile/1"', "not a cleaner profile"),
    (_profile_json(files="x"), "profile 'files' must be a whole number >= 0"),
    (_profile_json(files=None), "profile 'files' must be a whole number >= 0"),
    (_profile_json(files=-1), "profile 'files' must be a whole number >= 0"),
    (_profile_json(files=True), "profile 'files' must be a whole number >= 0"),
    (_profile_json(files=2.5), "profile 'files' must be a whole number >= 0"),
    (_profile_json(min_files=[1]), "profile 'min_files' must be a whole number >= 0"),
    (_profile_json().replace(b'"files": 3', b'"files": 1e400'), "'files' must be a whole"),
    (_profile_json(lines=[1, 2]), "profile 'lines' must be a list of strings"),
    (_profile_json(lines="menu"), "profile 'lines' must be a list of strings"),
    (_profile_json(lines=None), "profile 'lines' must be a list of strings"),
    (b"[" * 100_000, "cannot read profile: nested too deeply"),
    (b'{"format": "cleaner-profile/1", "lines": [', "cannot read profile: Expecting value"),
    (b"\xff\xfe{}", "cannot read profile: not UTF-8"),
    (b"{}\0", "cannot read profile: a binary file"),
    (b" " * (MAX_CONFIG_BYTES + 1), f"larger than {MAX_CONFIG_BYTES} bytes"),
]


def _raises_one_line(path: Path, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Profile.load(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and expected in message


@pytest.mark.parametrize(("body", "expected"), BAD_PROFILES)
def test_bad_profile_file(tmp_path: Path, body: bytes, expected: str) -> None:
    (tmp_path / "p.json").write_bytes(body)
    _raises_one_line(tmp_path / "p.json", expected)


def test_unreadable_profile_file(tmp_path: Path) -> None:
    _raises_one_line(tmp_path / "missing.json", "cannot read profile: No such file")
    _raises_one_line(tmp_path, "cannot read profile: Is a directory")


def test_profile_is_part_of_the_fingerprint() -> None:
    a = Options(profile=Profile(frozenset({"menu"})))
    b = Options(profile=Profile(frozenset({"other"})))
    assert a.fingerprint() != b.fingerprint() != Options().fingerprint()
