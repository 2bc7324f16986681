"""The command-line flags of :class:`cleaner.config.Options`, made from its one list of options.

Every command that cleans takes the same flags (``clean`` and ``explain``), declared once here from
:data:`cleaner.config.OPTIONS`, so a new option gets its flag, its ``[tool.cleaner]`` key and its
place in ``Options`` together. :func:`with_options` hands the command one resolved ``Options``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.config import CHOICES, OPTIONS, Options, OptionSpec, default_text, resolve
from cleaner.errors import ConfigError

EXIT_USAGE = 2
CONFIG = "config"
_TYPES: dict[str, type] = {
    "choice": str, "switch": bool, "count": int, "phrases": Path, "profile": Path,
}  # fmt: skip


def _help(spec: OptionSpec) -> str:
    # as click shows a default (its own would be in parentheses: the parameter's is None,
    # so that a flag not given leaves the file's value)
    default = default_text(spec)
    return f"{spec.help}  [default: {default}]" if default else spec.help


def _option(spec: OptionSpec) -> Any:
    """The typer declaration of one option's flag(s)."""
    if spec.kind == "switch":
        return typer.Option("/".join(spec.flags), help=_help(spec), show_default=False)
    metavar = f"[{'|'.join(CHOICES[spec.name])}]" if spec.kind == "choice" else spec.metavar
    return typer.Option(
        spec.flags[0],
        metavar=metavar,
        help=_help(spec),
        show_default=False,
        min=1 if spec.kind == "count" else None,
    )


def _alias_name(flag: str) -> str:
    """The keyword parameter of an alias flag: ``--no-reorder`` -> ``no_reorder``."""
    return flag.removeprefix("--").replace("-", "_")


def _aliases(spec: OptionSpec) -> list[inspect.Parameter]:
    """One on-only flag per alias of a choice (``--no-reorder``: ``--reorder never``)."""
    return [
        _parameter(
            _alias_name(flag),
            bool,
            typer.Option(flag, help=f"Same as {spec.flags[0]} {value}.", show_default=False),
        )
        for flag, value in spec.aliases
    ]


def with_aliases(given: dict[str, Any], aliases: dict[str, Any]) -> dict[str, Any]:
    """``given`` with the alias flags given (``aliases``: parameter name -> True or None)
    folded into their option; an alias and its option's flag naming two values is an error."""
    folded = dict(given)
    for spec in OPTIONS:
        for flag, value in spec.aliases:
            if not aliases.get(_alias_name(flag)):
                continue
            if folded[spec.name] not in (None, value):
                raise ConfigError(
                    f"{flag} is {spec.flags[0]} {value}: it contradicts"
                    f" {spec.flags[0]} {folded[spec.name]}"
                )
            folded[spec.name] = value
    return folded


def _parameter(name: str, kind: type, option: Any) -> inspect.Parameter:
    annotation = Annotated[kind | None, option]  # type: ignore[valid-type]
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Parameter(name, keyword, default=None, annotation=annotation)


def parameters() -> list[inspect.Parameter]:
    """One keyword parameter per option (and per alias flag), then ``--config``."""
    config = typer.Option(
        "--config",
        metavar="FILE",
        help="pyproject.toml with a [tool.cleaner] table (default: ./pyproject.toml).",
    )
    params = [
        param
        for spec in OPTIONS
        for param in (_parameter(spec.name, _TYPES[spec.kind], _option(spec)), *_aliases(spec))
    ]
    return [*params, _parameter(CONFIG, Path, config)]


def options_or_exit(
    config: Path | None, given: dict[str, Any], aliases: dict[str, Any] | None = None
) -> Options:
    """The resolved options, or a one-line usage error and exit 2."""
    try:
        return resolve(config, with_aliases(given, aliases or {}))
    except ConfigError as exc:
        typer.echo(f"cleaner: error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from exc


def with_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command(..., options)`` every option flag instead of its ``options`` parameter:
    typer reads the new signature, and the wrapper resolves the flags into one Options."""
    own = inspect.signature(command, eval_str=True)
    kept = [p for p in own.parameters.values() if p.name != "options"]

    def wrapper(**kwargs: Any) -> None:
        given = {spec.name: kwargs.pop(spec.name) for spec in OPTIONS}
        aliases = {
            _alias_name(flag): kwargs.pop(_alias_name(flag))
            for spec in OPTIONS
            for flag, _ in spec.aliases
        }
        options = options_or_exit(kwargs.pop(CONFIG), given, aliases)
        command(**kwargs, options=options)

    wrapper.__name__ = command.__name__
    wrapper.__doc__ = command.__doc__
    wrapper.__signature__ = own.replace(parameters=[*kept, *parameters()])  # type: ignore[attr-defined]
    return wrapper
