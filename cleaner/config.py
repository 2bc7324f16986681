"""All options of a cleaning run in one typed, documented, immutable object.

The CLI builds an :class:`Options` from its flags and from ``[tool.cleaner]`` of a
``pyproject.toml``; the API takes one directly. Every field that can change the output is part of
:meth:`Options.fingerprint`, which incremental runs use to know when outputs are stale.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from cleaner.errors import ConfigError
from cleaner.profile import Profile, config_error, read_config_text, shown

T = TypeVar("T")

Favor = Literal["balanced", "precision", "recall"]
FAVORS: tuple[Favor, ...] = ("balanced", "precision", "recall")
TextNoise = Literal["model+rules", "model", "rules"]
TEXT_NOISE: tuple[TextNoise, ...] = ("model+rules", "model", "rules")
Reorder = Literal["auto", "always", "never"]
REORDER: tuple[Reorder, ...] = ("auto", "always", "never")
# The options that take one of a few words: checked here for the API's callers, the
# [tool.cleaner] table and the command line alike (which also shows them in its help).
CHOICES: dict[str, tuple[str, ...]] = {
    "favor": FAVORS, "text_noise": TEXT_NOISE, "reorder": REORDER,
}  # fmt: skip
# reorder was a switch before it was a choice: its booleans are still read, from
# [tool.cleaner] and Options(...) alike (true was the gated stage, false no stage).
OLD_BOOLEANS: dict[str, dict[bool, str]] = {"reorder": {True: "auto", False: "never"}}
# What the fingerprint records for each reorder value: auto and never keep the booleans the
# switch recorded, so outputs made before the change are not stale.
REORDER_FINGERPRINT: dict[str, bool | str] = {"auto": True, "never": False, "always": "always"}


def old_boolean(key: str, value: object) -> object:
    """``value``, or the choice an old boolean of option ``key`` stands for."""
    booleans = OLD_BOOLEANS.get(key)
    return booleans[value] if booleans is not None and isinstance(value, bool) else value


def choice_error(key: str, value: object) -> str | None:
    """``None`` when ``value`` is one of the choices of option ``key``, else the end of the
    message: ``"must be balanced|precision|recall"``."""
    choices = CHOICES[key]
    return None if isinstance(value, str) and value in choices else f"must be {'|'.join(choices)}"


# Model files only --embed reads: left out of the digest of runs without it.
EMBED_MODELS = frozenset({"splice_model_embed.json"})


@cache
def models_digest(*, embed: bool = False) -> str:
    """A hash of the files in the package's ``data`` folder (the shipped models) that a run
    reads, read once per process: the embedding model's only with ``embed``."""
    digest = hashlib.sha256()
    folder = resources.files("cleaner") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and (embed or entry.name not in EMBED_MODELS):
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
        reorder: the order stage (:mod:`cleaner.order`) on plain-text inputs. ``auto``:
            detect a scrambled article and repair its order on evidence; an article in order is
            never changed. ``always``: re-order every text of 3 or more paragraphs to the
            model's best order (then put introductions first), with no gate: for texts known to
            be shuffled. ``never``: no order stage. ``True``/``False`` (the switch it was) are
            read as ``auto``/``never``. HTML pages keep their published (DOM) order.
        drop_offtopic: drop paragraphs the order stage flags as spliced in from another story
            (by default they are only flagged in the metadata).
        embed: score splices with the model that adds static word vectors (the optional
            extra ``cleaner-news[embed]``; without it this option is an error). It catches
            more paragraphs of another story, at the same rate of false flags (``make
            eval-order``).
        text_noise: how plain-text inputs are cleaned: ``model`` scores every line with the
            shipped line model (:mod:`cleaner.textmode`), ``rules`` uses the hand-written rules
            alone, ``model+rules`` lets the model decide and the pattern lists veto.
        fast: trafilatura's fast mode for HTML (no second opinion from its readability and
            jusText fallbacks), with the full mode run instead where the fast text is under
            :data:`~cleaner.settings.FAST_MIN_CHARS` characters: on article pages about a
            sixth less extraction time for a few thousandths of F1 (``make eval``).
    """

    favor: Favor = "balanced"
    include_tables: bool = True
    comments: bool = False
    remove_noise: bool = True
    noise_phrases: tuple[str, ...] = ()
    max_bytes: int = 64 * 1024 * 1024
    language_chars: int = 2_000
    profile: Profile | None = None
    reorder: Reorder = "auto"
    drop_offtopic: bool = False
    embed: bool = False
    text_noise: TextNoise = "model+rules"
    fast: bool = False

    def __post_init__(self) -> None:
        for key in OLD_BOOLEANS:  # frozen: normalised in place, before it is checked
            object.__setattr__(self, key, old_boolean(key, getattr(self, key)))
        for key in CHOICES:
            value = getattr(self, key)
            error = choice_error(key, value)
            if error is not None:
                raise ConfigError(f"Options.{key} {error}, not {value!r}")
        if self.embed:
            _check_embed()

    def fingerprint(self) -> str:
        """A short stable hash of every option, and of the models shipped in ``cleaner/data``
        (a retrained model changes outputs as much as an option does); equal options with the
        same models give equal fingerprints."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "profile"}
        for late in ("fast", "embed"):  # added later: default outputs keep their fingerprint
            if not values[late]:
                del values[late]
        if self.embed:
            values["embed"] = _embed_version()
        values["reorder"] = REORDER_FINGERPRINT[self.reorder]
        values["profile"] = self.profile.digest() if self.profile else None
        values["models"] = models_digest(embed=self.embed)
        blob = json.dumps(values, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def merged(self, **overrides: Any) -> Options:
        """Return a copy with the given fields replaced, ignoring ``None`` values."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **clean)


def _check_embed() -> None:
    from cleaner.order import embed  # the extra's loader imports nothing until it is used

    if not embed.available():
        raise ConfigError(embed.MISSING)


def _embed_version() -> str:
    from cleaner.order import embed

    return f"{embed.DISTRIBUTION} {embed.version()}"


def read_noise_phrases(path: Path) -> tuple[str, ...]:
    """Read a phrase file: one phrase per line, ``#`` starts a comment line, blanks ignored."""
    lines = read_config_text(path, "cannot read noise phrases").splitlines()
    return tuple(
        line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


OptionKind = Literal["choice", "switch", "count", "phrases", "profile"]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """How one field of :class:`Options` is set from ``[tool.cleaner]`` and the command line.

    The table key is the field's name. The flag is the name with dashes (or ``flag``); a
    ``switch`` also has its negative (``--no-<flag>``, or ``off``), so a flag can undo what the
    file set, either way. A ``choice`` may have ``aliases``: flags that stand for one of its
    values (``--no-reorder`` is ``--reorder never``).
    """

    name: str
    kind: OptionKind
    help: str
    flag: str = ""
    off: str = ""
    metavar: str = ""
    aliases: tuple[tuple[str, str], ...] = ()  # (flag, the choice it stands for)

    @property
    def flags(self) -> tuple[str, ...]:
        """The flag names: ``("--comments", "--no-comments")`` for a switch, the flag and its
        aliases otherwise."""
        on = self.flag or "--" + self.name.replace("_", "-")
        if self.kind != "switch":
            return (on, *(flag for flag, _ in self.aliases))
        return (on, self.off or "--no-" + on.removeprefix("--"))

    @property
    def file_keys(self) -> tuple[str, ...]:
        """Its keys in ``[tool.cleaner]``: a phrase list also takes a file of phrases."""
        return (self.name, f"{self.name}_file") if self.kind == "phrases" else (self.name,)


# Every field of Options, in the order the help lists them; tests check that none is missing,
# and the README's tables list each flag and key.
OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("favor", "choice", "HTML extraction trade-off."),
    OptionSpec("include_tables", "switch", "Keep tables found inside an HTML article.", "--tables"),
    OptionSpec(
        "comments", "switch", "Keep readers' comments of HTML pages, after the article."
    ),
    OptionSpec(
        "remove_noise", "switch", "Run the noise stage (off: the extractor's output as it is).",
        "--noise",
    ),
    OptionSpec(
        "noise_phrases", "phrases",
        "File of extra noise phrases, one per line (a block equal to one is dropped); adds"
        " to the phrases of [tool.cleaner].",
        metavar="FILE",
    ),
    OptionSpec(
        "max_bytes", "count", "Largest input, in bytes after decompression; a larger one fails.",
        metavar="BYTES",
    ),
    OptionSpec(
        "language_chars", "count", "Characters of the clean text language detection reads.",
        metavar="N",
    ),
    OptionSpec(
        "profile", "profile",
        "A saved batch profile (recurring boilerplate lines) to use instead of learning one.",
        metavar="FILE",
    ),
    OptionSpec(
        "reorder", "choice",
        "The order stage on plain text: auto repairs a scrambled order on evidence, always"
        " re-orders every text of 3+ paragraphs to the model's order (no gate), never is off.",
        aliases=(("--no-reorder", "never"),),
    ),
    OptionSpec(
        "drop_offtopic", "switch",
        "Drop the paragraphs the order stage flags as spliced in from another story.",
        off="--keep-offtopic",
    ),
    OptionSpec(
        "embed", "switch",
        "Score splices with static word vectors too (the optional extra cleaner-news[embed]).",
    ),
    OptionSpec("text_noise", "choice", "How plain text is cleaned."),
    OptionSpec(
        "fast", "switch",
        "HTML: trafilatura's fast mode, the full mode where its text is short (less time, a"
        " little less F1).",
    ),
)
SPECS: dict[str, OptionSpec] = {spec.name: spec for spec in OPTIONS}
FILE_KEYS: dict[str, OptionSpec] = {key: spec for spec in OPTIONS for key in spec.file_keys}


def default_text(spec: OptionSpec) -> str:
    """The default as the help shows it: the flag that is on by default for a switch
    (``--no-comments``), none for a file."""
    value = getattr(Options(), spec.name)
    if spec.kind == "switch":
        return spec.flags[0 if value else 1]
    return "" if spec.kind in ("phrases", "profile") else str(value)


def resolve(config: Path | None, flags: dict[str, Any]) -> Options:
    """Options from, in rising priority: the defaults, ``[tool.cleaner]`` of ``config`` (or of
    ``./pyproject.toml`` when there is one) and the flags given (``None``: not given)."""
    pyproject = config or Path("pyproject.toml")
    if config is not None and not config.is_file():
        raise ConfigError(f"{shown(config)}: no such configuration file")
    values = load_pyproject(pyproject) if pyproject.is_file() else {}
    for name, value in flags.items():
        if value is not None:
            _set_flag(values, SPECS[name], value)
    return Options().merged(**values)


def _set_flag(values: dict[str, Any], spec: OptionSpec, value: Any) -> None:
    """One flag given on the command line, checked and read into ``values``."""
    value = old_boolean(spec.name, value)
    if spec.kind == "choice":
        error = choice_error(spec.name, value)
        if error is not None:
            raise ConfigError(f"{spec.flags[0]} {error}, not {value!r}")
    if spec.kind == "phrases":
        value = tuple(values.get(spec.name, ())) + read_noise_phrases(Path(value))
    elif spec.kind == "profile":
        value = Profile.load(Path(value))
    values[spec.name] = value


def load_pyproject(path: Path) -> dict[str, Any]:
    """Return the ``[tool.cleaner]`` table of a pyproject file, checked and read ({} when
    absent): a key per option of :data:`OPTIONS`, and ``noise_phrases_file`` (a file of
    phrases) and ``profile`` (a saved profile) as paths relative to the pyproject. Anything
    wrong is a ConfigError of one line naming the file.
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
    return _relative_file(path, "noise_phrases_file", value, read_noise_phrases)


def _relative_file(path: Path, key: str, value: object, load: Callable[[Path], T]) -> T:
    """A file named by a key of the table, relative to the pyproject, read by ``load``."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{shown(path)}: tool.cleaner.{key} must be a file name")
    try:
        return load(path.parent / value)
    except ConfigError as exc:
        # name the pyproject too: that is where the wrong file name is written
        raise ConfigError(f"{shown(path)}: tool.cleaner.{key}: {exc}") from exc


def _option(path: Path, key: str, value: object) -> object:
    """One of the plain keys of [tool.cleaner], checked."""
    spec = FILE_KEYS.get(key)
    if spec is None:
        raise ConfigError(f"{shown(path)}: unknown key tool.cleaner.{shown(key)}")
    if spec.kind == "profile":
        return _relative_file(path, key, value, Profile.load)
    value = old_boolean(spec.name, value)
    error = _file_value_error(spec, value)
    if error is not None:
        raise ConfigError(f"{shown(path)}: tool.cleaner.{key} {error}")
    return value


def _file_value_error(spec: OptionSpec, value: object) -> str | None:
    if spec.kind == "choice":
        return choice_error(spec.name, value)
    if spec.kind == "switch":
        return None if isinstance(value, bool) else "must be true or false"
    positive = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if positive else "must be a positive integer"
