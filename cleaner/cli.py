"""The ``cleaner`` command line: argument parsing and printing only; the work lives elsewhere.

Exit codes: 0 every file cleaned; 1 some files failed (the others are written); 2 usage or
configuration error (including an output folder that cannot be written).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner import batch
from cleaner.config import Options, load_pyproject, read_noise_phrases
from cleaner.errors import CleanerError, ConfigError, InputError
from cleaner.pipeline import CleanResult, explain
from cleaner.pipeline import clean as clean_one
from cleaner.profile import Profile
from cleaner.version import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn scraped news files (HTML or text, optionally .gz) into clean text plus metadata.",
)

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    typer.echo(f"cleaner: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """cleaner: scraped files in, clean article text and JSON metadata out."""


FavorOption = Annotated[
    str | None,
    typer.Option(help="HTML extraction trade-off: balanced | precision | recall."),
]
PhrasesOption = Annotated[
    Path | None,
    typer.Option(
        "--noise-phrases",
        help="File of extra noise phrases, one per line (a block equal to one is dropped).",
    ),
]
NoNoiseOption = Annotated[
    bool, typer.Option("--no-noise", help="Skip the noise stage (extractor output as it is).")
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="Use a saved batch profile (recurring boilerplate lines) instead of learning one.",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(help="pyproject.toml with a [tool.cleaner] table (default: ./pyproject.toml)."),
]


def build_options(
    favor: str | None,
    phrases: Path | None,
    no_noise: bool,
    config: Path | None,
    profile: Path | None = None,
) -> Options:
    """Options from, in rising priority: defaults, [tool.cleaner] of a pyproject, flags."""
    settings: dict[str, Any] = {}
    pyproject = config or Path("pyproject.toml")
    if config is not None and not config.is_file():
        raise ConfigError(f"{config}: no such configuration file")
    if pyproject.is_file():
        settings.update(load_pyproject(pyproject))
    if favor is not None:
        if favor not in ("balanced", "precision", "recall"):
            raise ConfigError(f"--favor must be balanced, precision or recall, not {favor!r}")
        settings["favor"] = favor
    if phrases is not None:
        settings["noise_phrases"] = tuple(settings.get("noise_phrases", ())) + read_noise_phrases(
            phrases
        )
    if no_noise:
        settings["remove_noise"] = False
    if profile is not None:
        settings["profile"] = Profile.load(profile)
    return Options().merged(**settings)


def _read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    return Path(path).read_bytes(), Path(path).name


@app.command()
def clean(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Folders (walked recursively) and files; '-' reads one from stdin."),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (mirrors the input tree).")
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")
    ] = min(4, os.cpu_count() or 1),
    favor: FavorOption = None,
    noise_phrases: PhrasesOption = None,
    no_noise: NoNoiseOption = False,
    config: ConfigOption = None,
    profile: ProfileOption = None,
    no_batch_profile: Annotated[
        bool,
        typer.Option(
            "--no-batch-profile",
            help="Do not learn recurring boilerplate lines from the batch in a first pass.",
        ),
    ] = False,
    save_profile: Annotated[
        Path | None,
        typer.Option(help="Write the batch profile used to this JSON file (for --profile)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print each file as it is done.")
    ] = False,
) -> None:
    """Clean files or folders into OUT (.txt + .json per input), or stdin to stdout."""
    try:
        options = build_options(favor, noise_phrases, no_noise, config, profile)
    except ConfigError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    if inputs == ["-"]:
        if out is not None:
            _err("error: '-' writes to stdout; --out is not used with it")
            raise typer.Exit(EXIT_USAGE)
        _clean_stdin(options)
        return
    if "-" in inputs:
        _err("error: '-' (stdin) cannot be mixed with files")
        raise typer.Exit(EXIT_USAGE)
    if out is None:
        _err("error: --out is required when cleaning files or folders")
        raise typer.Exit(EXIT_USAGE)

    def on_error(source: str, reason: str) -> None:
        _err(f"error: {batch.display(source)}: {reason}")

    def on_progress(outcome: batch.Outcome) -> None:
        if verbose and outcome.status == "cleaned":
            typer.echo(f"cleaned {batch.display(outcome.source)}", err=True)

    try:
        report = batch.run(
            [Path(p) for p in inputs],
            out,
            options=options,
            jobs=jobs,
            batch_profile=not no_batch_profile,
            save_profile=save_profile,
            on_error=on_error,
            on_progress=on_progress,
        )
    except CleanerError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    if not quiet or report.failed:
        _err(
            f"{report.cleaned} cleaned, {len(report.skipped)} skipped, {len(report.failed)} failed"
            f" (report: {out / batch.REPORT_NAME})"
        )
    raise typer.Exit(EXIT_FAILURES if report.failed else EXIT_OK)


def _clean_stdin(options: Options) -> None:
    data, name = _read_input("-")
    try:
        result = clean_one(data, name=name, options=options)
    except InputError as exc:
        _err(f"error: {name}: {exc.reason}")
        raise typer.Exit(EXIT_FAILURES) from exc
    sys.stdout.write(result.text)
    sys.stdout.flush()


def format_explanation(result: CleanResult) -> str:
    """Every input block with KEEP/DROP and the reason, then the metadata (without 'removed')."""
    lines = []
    for block in result.blocks:
        decision = "KEEP" if block.keep else "DROP"
        reason = block.reason or ""
        first, *more = block.text.split("\n")
        text = first if len(first) <= 100 else first[:99] + "…"
        if more:
            text += f"  (+{len(more)} lines)"
        lines.append(f"{block.index:>4}  {decision}  {reason:<36}  {text}")
    meta = {k: v for k, v in result.metadata.items() if k != "removed"}
    lines.append("")
    lines.append(json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False))
    return "\n".join(lines) + "\n"


@app.command("explain")
def explain_command(
    path: Annotated[str, typer.Argument(help="One file, or '-' for stdin.")],
    favor: FavorOption = None,
    noise_phrases: PhrasesOption = None,
    no_noise: NoNoiseOption = False,
    config: ConfigOption = None,
    profile: ProfileOption = None,
) -> None:
    """Show every input block with KEEP/DROP and the reason, then the metadata."""
    try:
        options = build_options(favor, noise_phrases, no_noise, config, profile)
        data, name = _read_input(path)
    except ConfigError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    except OSError as exc:
        _err(f"error: {path}: cannot read: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    try:
        result = explain(data, name=name, options=options)
    except InputError as exc:
        _err(f"error: {path}: {exc.reason}")
        raise typer.Exit(EXIT_FAILURES) from exc
    typer.echo(format_explanation(result), nl=False)


def main() -> None:
    """Console-script entry point."""
    app()
