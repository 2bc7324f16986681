from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import config
from cleaner.config import Options, load_pyproject, read_noise_phrases
from cleaner.errors import ConfigError
from cleaner.profile import MAX_CONFIG_BYTES


def test_fingerprint_changes_with_options() -> None:
    assert Options().fingerprint() == Options().fingerprint()
    assert Options().fingerprint() != Options(favor="precision").fingerprint()
    assert Options().fingerprint() != Options(fast=True).fingerprint()


def test_an_option_added_at_its_default_keeps_the_fingerprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # fast came after outputs were written: at its default, their manifests stay valid.
    import cleaner.config as config_module

    real_dumps = config_module.json.dumps
    seen: list[str] = []

    def dumps(values: dict[str, object], **kwargs: object) -> str:
        seen.extend(values)
        return real_dumps(values, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(config_module.json, "dumps", dumps)
    Options().fingerprint()
    assert "fast" not in seen and "favor" in seen


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


# Valid files that must load exactly as they always did.
GOOD_PYPROJECTS: list[tuple[bytes, dict[str, object]]] = [
    (b"", {}),
    (b'[project]\nname = "x"\n', {}),
    (b"[tool.ruff]\nline-length = 100\n", {}),
    (b"[tool.cleaner]\n", {}),
    (
        b"[tool.cleaner]\r\ninclude_tables = false\r\nremove_noise = false\r\n",
        {"include_tables": False, "remove_noise": False},
    ),
    (b'[tool.cleaner]\nfavor = "recall"\nnoise_phrases = []\n', {"favor": "recall"}),
    (b'tool.cleaner.noise_phrases = ["A", "B"]\n', {"noise_phrases": ("A", "B")}),
    (
        b"[tool.cleaner]\nreorder = false\ndrop_offtopic = true\nmax_bytes = 1048576\n",
        {"reorder": "never", "drop_offtopic": True, "max_bytes": 1048576},
    ),
]


@pytest.mark.parametrize(("body", "expected"), GOOD_PYPROJECTS)
def test_good_pyproject(tmp_path: Path, body: bytes, expected: dict[str, object]) -> None:
    (tmp_path / "pyproject.toml").write_bytes(body)
    assert load_pyproject(tmp_path / "pyproject.toml") == expected


_DEEP_ARRAY = b"a = " + b"[" * 100_000
_NESTED_BALANCED = b"a = " + b"[" * 600 + b"]" * 600

# Crafted pyproject files: each is a ConfigError whose one-line message holds the substring.
BAD_PYPROJECTS: list[tuple[bytes, str]] = [
    (b"tool = 5\n", "[tool] must be a table"),
    (b'tool = "cleaner"\n', "[tool] must be a table"),
    (b"[tool]\ncleaner = 3\n", "[tool.cleaner] must be a table"),
    (b"[[tool.cleaner]]\n", "[tool.cleaner] must be a table"),
    (b"[tool.cleaner]\nnoise_phrases_file = 5\n", "noise_phrases_file must be a file name"),
    (b'[tool.cleaner]\nnoise_phrases_file = ""\n', "noise_phrases_file must be a file name"),
    (b"[tool.cleaner]\nnoise_phrases_file = [1]\n", "noise_phrases_file must be a file name"),
    (b'[tool.cleaner]\nnoise_phrases_file = "nope.txt"\n', "nope.txt: cannot read noise"),
    (b'[tool.cleaner]\nnoise_phrases_file = "."\n', "Is a directory"),
    (b'[tool.cleaner]\nnoise_phrases_file = "a\\u0000b"\n', "embedded null byte"),
    (b'[tool.cleaner]\nnoise_phrases = "x"\n', "noise_phrases must be a list of strings"),
    (b"[tool.cleaner]\nnoise_phrases = [1]\n", "noise_phrases must be a list of strings"),
    (b'[tool.cleaner]\ninclude_tables = "yes"\n', "include_tables must be true or false"),
    (b"[tool.cleaner]\nremove_noise = 1\n", "remove_noise must be true or false"),
    (b"[tool.cleaner]\nreorder = 0\n", "reorder must be auto|always|never"),
    (b"[tool.cleaner]\nmax_bytes = 0\n", "max_bytes must be a positive integer"),
    (b"[tool.cleaner]\nmax_bytes = true\n", "max_bytes must be a positive integer"),
    (b'[tool.cleaner]\nmax_bytes = "1 MB"\n', "max_bytes must be a positive integer"),
    (b'[tool.cleaner]\nfavor = "fast"\n', "favor must be balanced|precision|recall"),
    (b"[tool.cleaner]\nfavor = 5\n", "favor must be balanced|precision|recall"),
    (b'[tool.cleaner]\nfavor = ["recall"]\n', "favor must be balanced|precision|recall"),
    (b"[tool.cleaner]\nunknown = 1\n", "unknown key tool.cleaner.unknown"),
    (b'[tool.cleaner]\n"a\\nb" = 1\n', "unknown key tool.cleaner.a\\nb"),
    (b"not toml [", "cannot read configuration: "),
    (b"x = 1" + b"0" * 5000, "cannot read configuration: Exceeds the limit"),
    (b"\xff\xfe[tool]", "not UTF-8"),
    (b"a = 1\n\0", "binary file"),
    (_DEEP_ARRAY, "nested too deeply"),
    (_NESTED_BALANCED, "nested too deeply"),
    (b"#" * (MAX_CONFIG_BYTES + 1), f"larger than {MAX_CONFIG_BYTES} bytes"),
]


def _one_line_naming(exc: ConfigError, path: Path, expected: str) -> None:
    message = str(exc)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert expected in message


@pytest.mark.parametrize(("body", "expected"), BAD_PYPROJECTS)
def test_bad_pyproject(tmp_path: Path, body: bytes, expected: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(body)
    with pytest.raises(ConfigError) as caught:
        load_pyproject(tmp_path / "pyproject.toml")
    _one_line_naming(caught.value, tmp_path / "pyproject.toml", expected)


@pytest.mark.parametrize(("name", "expected"), [("missing", "No such file"), ("dir", "directory")])
def test_unreadable_pyproject(tmp_path: Path, name: str, expected: str) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(ConfigError) as caught:
        load_pyproject(tmp_path / name)
    _one_line_naming(caught.value, tmp_path / name, expected)


def test_a_newline_in_the_file_name_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "odd\nname.toml"
    path.write_text("tool = 5\n")
    with pytest.raises(ConfigError, match=r"odd\\nname\.toml: \[tool\] must be") as caught:
        load_pyproject(path)
    assert "\n" not in str(caught.value)


# Phrase files: (bytes or None for a directory, expected substring).
BAD_PHRASE_FILES: list[tuple[bytes | None, str]] = [
    (None, "cannot read noise phrases: Is a directory"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "cannot read noise phrases: a binary file"),
    (b"Caf\xe9\n", "cannot read noise phrases: not UTF-8"),
    (b"x" * (MAX_CONFIG_BYTES + 1), "larger than"),
]


@pytest.mark.parametrize(("body", "expected"), BAD_PHRASE_FILES)
def test_bad_phrase_file(tmp_path: Path, body: bytes | None, expected: str) -> None:
    path = tmp_path / "phrases.txt"
    if body is None:
        path.mkdir()
    else:
        path.write_bytes(body)
    with pytest.raises(ConfigError) as caught:
        read_noise_phrases(path)
    _one_line_naming(caught.value, path, expected)


def test_missing_phrase_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="No such file"):
        read_noise_phrases(tmp_path / "nope.txt")


def test_phrase_file_line_endings_are_as_before(tmp_path: Path) -> None:
    path = tmp_path / "phrases.txt"
    path.write_bytes(b"\xef\xbb\xbfFirst\r\n# note\r\nSecond\rThird\n  \n")
    assert read_noise_phrases(path) == ("\ufeffFirst", "Second", "Third")


def test_fingerprint_covers_the_shipped_models(monkeypatch: pytest.MonkeyPatch) -> None:
    before = Options().fingerprint()
    monkeypatch.setattr(config, "models_digest", lambda **_: "another-model")
    assert Options().fingerprint() != before


@pytest.mark.parametrize(("field", "value"), [("favor", "fast"), ("text_noise", "neural")])
def test_options_refuse_a_value_outside_their_choices(field: str, value: str) -> None:
    from cleaner.errors import ConfigError

    with pytest.raises(ConfigError, match=f"Options.{field} must be "):
        Options(**{field: value})
