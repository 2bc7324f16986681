"""All options of a cleaning run in one typed, documented, immutable object.

The CLI builds an :class:`Options` from its flags and from ``[tool.cleaner]`` of a
``pyproject.toml``; the API takes one directly. Every field that can change the output is part of
:meth:`Options.fingerprint`, which incremental runs use to know when outputs are stale.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from cleaner.errors import ConfigError
from cleaner.profile import Profile, config_error, read_config_text, shown

Favor = Literal["balanced", "precision", "recall"]
FAVORS: tuple[Favor, ...] = ("balanced", "precision", "recall")
TextNoise = Literal["model+rules", "model", "rules"]
TEXT_NOISE: tuple[TextNoise, ...] = ("model+rules", "model", "rules")
# The options that take one of a few words: checked here for the API's callers, the
# [tool.cleaner] table and the command line alike (which also shows them in its help).
CHOICES: dict[str, tuple[str, ...]] = {"favor": FAVORS, "text_noise": TEXT_NOISE}


def choice_error(key: str, value: object) -> str | None:
    """``None`` when ``value`` is one of the choices of option ``key``, else the end of the
    message: ``"must be balanced|precision|recall"``."""
    choices = CHOICES[key]
    return None if isinstance(value, str) and value in choices else f"must be {'|'.join(choices)}"


@cache
def models_digest() -> str:
    """A hash of every file in the package's ``data`` folder (the shipped models), read once
    per process."""
    digest = hashlib.sha256()
    folder = resources.files("cleaner") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Options:
    """Options that change what ``clean()`` produces.

    Attributes:
        favor: trafilatura's trade-off for HTML: ``precision`` drops more borderline blocks,
            ``recall`` keeps more. ``balanced`` is trafilatura's default.
        include_tables: keep tables found inside the article (HTML).
        comments: keep the readers' comments of an HTML page (as trafilatura finds them),
            after the article; the metadata's ``comments`` says how many and where they start.
        remove_noise: run the noise stage; off gives the extractor's output as it is.
        noise_phrases: extra phrases; a block equal to one of them (case-insensitive, ignoring
            surrounding punctuation) is dropped as ``user phrase``.
        max_bytes: cap on the (decompressed) input size; larger inputs are an error, which keeps a
            gzip bomb or a runaway file from exhausting memory.
        language_chars: how much of the clean text language detection reads. langdetect is
            sure of the language long before 2,000 characters (it agreed with a 10,000-character
            read on all 808 gold articles of the tuning data) and costs 4x less.
        profile: boilerplate lines learned over a batch (see :mod:`cleaner.profile`); blocks
            equal to one of them are dropped as ``recurring boilerplate``.
        reorder: run the order stage (:mod:`cleaner.order`) on plain-text inputs: detect a
            scrambled article and repair its order; an article in order is never changed.
            HTML pages keep their published (DOM) order.
        drop_offtopic: drop paragraphs the order stage flags as spliced in from another story
            (by default they are only flagged in the metadata).
        text_noise: how plain-text inputs are cleaned: ``model`` scores every line with the
            shipped line model (:mod:`cleaner.textmode`), ``rules`` uses the hand-written rules
            alone, ``model+rules`` lets the model decide and the pattern lists veto.
    """

    favor: Favor = "balanced"
    include_tables: bool = True
    comments: bool = False
    remove_noise: bool = True
    noise_phrases: tuple[str, ...] = ()
    max_bytes: int = 64 * 1024 * 1024
    language_chars: int = 2_000
    profile: Profile | None = None
    reorder: bool = True
    drop_offtopic: bool = False
    text_noise: TextNoise = "model+rules"

    def __post_init__(self) -> None:
        for key in CHOICES:
            value = getattr(self, key)
            error = choice_error(key, value)
            if error is not None:
                raise ConfigError(f"Options.{key} {error}, not {value!r}")

    def fingerprint(self) -> str:
        """A short stable hash of every option, and of the models shipped in ``cleaner/data``
        (a retrained model changes outputs as much as an option does); equal options with the
        same models give equal fingerprints."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "profile"}
        values["profile"] = self.profile.digest() if self.profile else None
        values["models"] = models_digest()
        blob = json.dumps(values, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def merged(self, **overrides: Any) -> Options:
        """Return a copy with the given fields replaced, ignoring ``None`` values."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **clean)


def read_noise_phrases(path: Path) -> tuple[str, ...]:
    """Read a phrase file: one phrase per line, ``#`` starts a comment line, blanks ignored."""
    lines = read_config_text(path, "cannot read noise phrases").splitlines()
    return tuple(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


def load_pyproject(path: Path) -> dict[str, Any]:
    """Return the ``[tool.cleaner]`` table of a pyproject file ({} when absent).

    Recognised keys: ``favor``, ``include_tables``, ``comments``, ``remove_noise``,
    ``reorder``, ``drop_offtopic``, ``max_bytes``, ``text_noise``, ``noise_phrases`` (a list of
    strings) and ``noise_phrases_file`` (a path relative to the pyproject). Anything wrong is a
    ConfigError of one line naming the file.
    """
    text = read_config_text(path, "cannot read configuration")
    try:
        data = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also an int of 5,000 digits
        raise config_error(path, "cannot read configuration", exc) from exc
    return _cleaner_options(path, _cleaner_table(path, data))


def _cleaner_table(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{shown(path)}: [tool] must be a table")
    table = tool.get("cleaner", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{shown(path)}: [tool.cleaner] must be a table")
    return table


def _cleaner_options(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    phrases: list[str] = []
    for key, value in table.items():
        if key == "noise_phrases":
            phrases.extend(_phrase_list(path, value))
        elif key == "noise_phrases_file":
            phrases.extend(_phrase_file(path, value))
        else:
            result[key] = _option(path, key, value)
    if phrases:
        result["noise_phrases"] = tuple(phrases)
    return result


def _phrase_list(path: Path, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{shown(path)}: tool.cleaner.noise_phrases must be a list of strings")
    return value


def _phrase_file(path: Path, value: object) -> tuple[str, ...]:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{shown(path)}: tool.cleaner.noise_phrases_file must be a file name")
    try:
        return read_noise_phrases(path.parent / value)
    except ConfigError as exc:
        # name the pyproject too: that is where the wrong file name is written
        raise ConfigError(f"{shown(path)}: tool.cleaner.noise_phrases_file: {exc}") from exc


def _option(path: Path, key: str, value: object) -> object:
    """One of the plain keys of [tool.cleaner], checked."""
    if key in CHOICES:
        error = choice_error(key, value)
        if error is not None:
            raise ConfigError(f"{shown(path)}: tool.cleaner.{key} {error}")
        return value
    if key in ("include_tables", "comments", "remove_noise", "reorder", "drop_offtopic"):
        if not isinstance(value, bool):
            raise ConfigError(f"{shown(path)}: tool.cleaner.{key} must be true or false")
        return value
    if key == "max_bytes":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{shown(path)}: tool.cleaner.max_bytes must be a positive integer")
        return value
    raise ConfigError(f"{shown(path)}: unknown key tool.cleaner.{shown(key)}")
