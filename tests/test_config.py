from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import config
from cleaner.config import Options, load_pyproject, read_noise_phrases
from cleaner.errors import ConfigError


def test_fingerprint_changes_with_options() -> None:
    assert Options().fingerprint() == Options().fingerprint()
    assert Options().fingerprint() != Options(favor="precision").fingerprint()


def test_pyproject_table(tmp_path: Path) -> None:
    (tmp_path / "phrases.txt").write_text("# comment\nOur Sponsors\n\nMore from us\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleaner]\nfavor = "precision"\nnoise_phrases = ["Hot deals"]\n'
        'noise_phrases_file = "phrases.txt"\n'
    )
    table = load_pyproject(tmp_path / "pyproject.toml")
    assert table == {
        "favor": "precision",
        "noise_phrases": ("Hot deals", "Our Sponsors", "More from us"),
    }
    assert Options().merged(**table).favor == "precision"


@pytest.mark.parametrize(
    "body", ['[tool.cleaner]\nfavor = "fast"\n', "[tool.cleaner]\nunknown = 1\n", "not toml ["]
)
def test_bad_pyproject(tmp_path: Path, body: str) -> None:
    (tmp_path / "pyproject.toml").write_text(body)
    with pytest.raises(ConfigError):
        load_pyproject(tmp_path / "pyproject.toml")


def test_missing_phrase_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        read_noise_phrases(tmp_path / "nope.txt")


def test_fingerprint_covers_the_shipped_models(monkeypatch: pytest.MonkeyPatch) -> None:
    before = Options().fingerprint()
    monkeypatch.setattr(config, "models_digest", lambda: "another-model")
    assert Options().fingerprint() != before
