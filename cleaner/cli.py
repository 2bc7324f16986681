"""The ``cleaner`` command line: argument parsing and printing only; the work lives elsewhere.

Exit codes: 0 every file cleaned (or up to date), or failures within ``--max-failures``; 1 some
files failed (the others are written); 2 usage or configuration error, or an output folder/file
that cannot be written (full, read-only, overlapping the inputs, locked by another run), in which
case nothing is half-written; 130 interrupted (Ctrl-C), with what was done recorded.

Heavy modules (the pipeline, trafilatura, rich) are imported only when a command needs them, so
a no-op incremental run costs little more than the interpreter and a ``stat`` per file.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand

from cleaner import batch, settings
from cleaner.config import Options
from cleaner.errors import CleanerError, InputError, Interrupted
from cleaner.flags import with_options
from cleaner.progress import Feedback
from cleaner.version import __version__

if TYPE_CHECKING:
    from cleaner.document import Decoded
    from cleaner.pipeline import CleanResult
    from cleaner.warc.records import Readable

EXIT_CODES_HELP = (
    "Exit codes: 0 all files cleaned or up to date (or failures within --max-failures); 1 some"
    " files failed (all others written);"
    " 2 usage or configuration error, or an output that cannot be written (full or read-only"
    " disk, OUT overlapping the inputs, OUT locked by another run; nothing half-written);"
    " 130 interrupted (what was done is recorded: re-run to resume)."
)

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    # Plain click help and errors: one style for every usage error (no rich box in a log), no
    # "<bool>" type column, and -h beside --help.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Turn scraped news files (HTML or text, optionally .gz, .bz2 or .xz) into clean text"
    " plus metadata. "
    + EXIT_CODES_HELP,
)

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MEGABYTE = 1024 * 1024
DEFAULT_JOBS = min(settings.DEFAULT_MAX_JOBS, os.cpu_count() or 1)
STDOUT = "-"


class _Command(TyperCommand):
    """typer prints an argument's Python type beside its metavar (``SRC... <list[str]>``);
    the metavar and the help say what to give."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                param.display_type_rich = _no_type  # type: ignore[method-assign]


def _no_type(ctx: object) -> None:
    return None


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
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """cleaner: scraped files in, clean article text and JSON metadata out."""


def _read_input(path: str, max_bytes: int) -> tuple[bytes | Decoded, str]:
    """One input given on the command line, read within the cap (a file through
    :func:`cleaner.read.read_file`, as a batch reads it). OSError with a one-line reason for a
    closed stdin or a FIFO or device (which would block or never end); InputError as
    ``read_file``."""
    if path == STDOUT:
        if sys.stdin is None:
            raise OSError("standard input is closed")
        return sys.stdin.buffer.read(max_bytes + 1), "<stdin>"
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError("not a regular file")
    from cleaner.read import read_file

    name = Path(path).name
    return read_file(Path(path), name=name, max_bytes=max_bytes), name


@app.command(cls=_Command, epilog=EXIT_CODES_HELP)
@with_options
def clean(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="SRC",
            help="Folders (walked recursively) and files; '-' reads one from stdin.",
        ),
    ],
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="OUT",
            help="Output folder (mirrors the input tree); with --format jsonl a file, '-' for"
            " stdout.",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, metavar="N", help="Worker processes (default min(4, CPUs))."
        ),
    ] = DEFAULT_JOBS,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0,
            metavar="SECONDS",
            help="Seconds per file before it is stopped and reported failed (0: no limit).",
        ),
    ] = settings.DEFAULT_TIMEOUT_SECONDS,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="[files|jsonl]",
            help="files: a .txt + .json pair per input; jsonl: one JSON object per document.",
        ),
    ] = "files",
    force: Annotated[
        bool, typer.Option("--force", help="Clean every input, even those up to date.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option("--prune", help="Delete the outputs of inputs that no longer exist."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="List what would be cleaned and why; write nothing."),
    ] = False,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="Stop at the first file that fails.")
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            metavar="GLOB",
            help="Clean only files matching GLOB (repeatable): a pattern with '/' is matched"
            " against the relative path, one without against the file name.",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", metavar="GLOB", help="Skip files matching GLOB (repeatable; as --include)."
        ),
    ] = None,
    max_failures: Annotated[
        str,
        typer.Option(
            "--max-failures",
            metavar="N|N%",
            help="Exit 0 while at most N files (or N% of the files covered) fail: real scrapes"
            " hold a few empty or truncated files. Failures are still printed and reported.",
        ),
    ] = "0",
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS|FILE",
            help="Send the per-file work to a Dask cluster: a scheduler address"
            " (tcp://HOST:8786) or scheduler file. SRC and OUT must be on a file system the"
            " workers share. Needs the dask extra: pip install 'cleaner-news[dask]'.",
        ),
    ] = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="I/N",
            help="Clean only shard I of N (1 <= I <= N; by a hash of each relative path), for"
            " job arrays; each shard keeps its own manifest and report in OUT.",
        ),
    ] = None,
    no_batch_profile: Annotated[
        bool,
        typer.Option(
            "--no-batch-profile",
            help="Do not learn recurring boilerplate lines from the batch in a first pass.",
        ),
    ] = False,
    save_profile: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Write the batch profile used to this JSON file (for --profile)."
        ),
    ] = None,
    max_memory: Annotated[
        int,
        typer.Option(
            "--max-memory",
            metavar="MB",
            min=0,
            help="Memory (address space) a worker process may use, in MB; a file that needs"
            " more fails alone with 'exceeds the memory limit' (0: no limit).",
        ),
    ] = settings.DEFAULT_MAX_MEMORY_BYTES // MEGABYTE,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait", help="When another run is writing into OUT, wait for it instead of exit 2."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Print each file as it is done, and each skip."),
    ] = False,
    *,
    options: Options,
) -> None:
    """Clean files or folders into OUT (.txt + .json per input), or stdin to stdout.

    Runs are incremental: inputs unchanged since the last run into OUT (same size and mtime, or
    same sha256) with the same options and version are skipped; --force re-cleans them.
    """
    if quiet and verbose:
        _err("error: --quiet and --verbose cannot be used together")
        raise typer.Exit(EXIT_USAGE)
    if output_format not in ("files", "jsonl"):
        _err(f"error: --format must be files or jsonl, not {output_format!r}")
        raise typer.Exit(EXIT_USAGE)
    if inputs == [STDOUT]:
        if out not in (None, STDOUT):
            _err("error: '-' writes to stdout; --out is not used with it (or give --out -)")
            raise typer.Exit(EXIT_USAGE)
        _clean_stdin(options, jsonl=output_format == "jsonl")
        return
    if STDOUT in inputs:
        _err("error: '-' (stdin) cannot be mixed with files")
        raise typer.Exit(EXIT_USAGE)
    if out is None:
        _err("error: --out is required when cleaning files or folders")
        raise typer.Exit(EXIT_USAGE)
    if out == STDOUT and output_format != "jsonl":
        _err("error: --out - (stdout) needs --format jsonl")
        raise typer.Exit(EXIT_USAGE)
    the_shard = _shard_or_exit(shard)
    bound = _bound_or_exit(max_failures)
    if dask is not None:
        _check_dask(dask)
    how = batch.RunOptions(
        jobs=jobs,
        timeout=timeout or None,
        force=force,
        prune=prune,
        dry_run=dry_run,
        fail_fast=fail_fast,
        batch_profile=not no_batch_profile,
        save_profile=save_profile,
        dask=dask,
        shard=the_shard,
        max_memory=max_memory * MEGABYTE or None,
        wait=wait,
        only=batch.Selection(tuple(include or ()), tuple(exclude or ())),
    )
    paths = [Path(p) for p in inputs]
    with Feedback(enabled=Feedback.wanted(quiet=quiet) and not dry_run) as feedback:
        shown = batch.as_typed(paths)
        hooks = _hooks(feedback, verbose=verbose, quiet=quiet, shown=shown)
        try:
            if output_format == "jsonl":
                dest = None if out == STDOUT else Path(out)
                report = batch.run_jsonl(paths, dest, options=options, run_options=how, hooks=hooks)
            else:
                report = batch.run(paths, Path(out), options=options, run_options=how, hooks=hooks)
        except Interrupted as exc:
            feedback.print(f"cleaner: {exc}")
            raise typer.Exit(EXIT_INTERRUPTED) from exc
        except KeyboardInterrupt as exc:
            feedback.print("cleaner: interrupted before any file was cleaned, re-run to resume")
            raise typer.Exit(EXIT_INTERRUPTED) from exc
        except CleanerError as exc:
            feedback.print(f"cleaner: error: {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
    if verbose:
        for source, reason in report.skipped:
            _err(f"skipped {shown(source)} ({reason})")
    # A run stopped by --fail-fast did not clean the rest: never a success.
    tolerated = bool(report.failed) and not report.stopped_early and bound.allows(report)
    _summary(
        report, out, quiet=quiet, dry_run=dry_run, output_format=output_format, shard=the_shard,
        tolerated=bound if tolerated else None,
    )  # fmt: skip
    raise typer.Exit(EXIT_FAILURES if report.failed and not tolerated else EXIT_OK)


def _bound_or_exit(text: str) -> batch.FailureBound:
    try:
        return batch.FailureBound.parse(text)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _shard_or_exit(text: str | None) -> batch.Shard | None:
    if text is None:
        return None
    try:
        return batch.Shard.parse(text)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from exc


def _check_dask(target: str) -> None:
    """Fail early, before any walking, when the Dask extra is missing or --dask is empty (the
    connection itself is made only when there is work, so a no-op run never needs it)."""
    from cleaner.batch import dask as distributed

    if not target.strip():
        _err("error: --dask needs a scheduler address (tcp://HOST:8786) or scheduler file")
        raise typer.Exit(EXIT_USAGE)
    if not distributed.available():
        _err(f"error: --dask needs the Dask extra, not installed: {distributed.INSTALL_HINT}")
        raise typer.Exit(EXIT_USAGE)


def _hooks(
    feedback: Feedback,
    *,
    verbose: bool,
    quiet: bool = False,
    shown: Callable[[str], str] = batch.display,
) -> batch.Hooks:
    """Per-file printing: each failure always, each cleaned file with --verbose, warnings about
    the run itself unless --quiet; files are shown as ``shown`` gives them (under the input
    paths as typed). A dry run lists the sources themselves, as the report names them."""

    def on_error(source: str, reason: str) -> None:
        feedback.print(f"cleaner: error: {shown(source)}: {reason}")

    def on_progress(outcome: batch.Outcome) -> None:
        feedback.advance(failed=outcome.status == "failed")
        if verbose and outcome.status == "cleaned":
            feedback.print(f"cleaned {_cleaned_name(outcome, shown)}")

    def on_planned(source: str, reason: str) -> None:
        typer.echo(f"would clean {batch.display(source)} ({reason})")

    def on_notice(message: str) -> None:
        if not quiet:
            feedback.print(f"cleaner: warning: {message}")

    def on_doomed(output: str) -> None:
        typer.echo(f"would delete {batch.display(output)} (its input is gone: --prune)")

    return batch.Hooks(
        error=on_error,
        total=feedback.start,
        progress=on_progress,
        planned=on_planned,
        notice=on_notice,
        doomed=on_doomed,
        phase=feedback.phase,
    )


def _cleaned_name(outcome: batch.Outcome, shown: Callable[[str], str]) -> str:
    """A cleaned file as typed; a page of an archive by its output name, and the archive."""
    if outcome.archive is None:
        return shown(outcome.source)
    return f"{batch.display(outcome.source)} (from {shown(outcome.archive)})"


def _summary(
    report: batch.RunReport,
    out: str,
    *,
    quiet: bool,
    dry_run: bool,
    output_format: str,
    shard: batch.Shard | None = None,
    tolerated: batch.FailureBound | None = None,
) -> None:
    if quiet:  # errors only: each failure has had its own line
        return
    if dry_run:
        pruned = f", {report.pruned} to prune" if report.pruned else ""
        _err(
            f"dry run: {len(report.planned)} to clean, {report.up_to_date} up to date,"
            f" {len(report.skipped)} skipped, {len(report.failed)} failed{pruned};"
            " nothing written"
        )
        return
    empty = f" ({report.empty} empty: no article found)" if report.empty else ""
    records = sum(report.records_skipped.values())
    passed = f" (and {records} archive records that are not pages)" if records else ""
    line = (
        f"{report.cleaned} cleaned{empty}, {len(report.skipped)} skipped{passed},"
        f" {len(report.failed)} failed, {report.up_to_date} up to date"
    )
    if report.pruned:
        line += f", {report.pruned} pruned"
    if report.stopped_early:
        line += " (stopped at the first failure)"
    if tolerated is not None:
        line += f" (within --max-failures {tolerated}: exit 0)"
    if output_format == "files":
        name = shard.report_name if shard else batch.REPORT_NAME
        line += f" (report: {Path(out) / name})"
    elif out != STDOUT:
        line += f" (report: {batch.report_path(Path(out))})"
    _err(line)


def _clean_stdin(options: Options, *, jsonl: bool = False) -> None:
    """One document from stdin to stdout: its text, or with ``--format jsonl`` one JSON
    object with ``source``, ``text`` and ``metadata`` (as each line of a batch's stream)."""
    from cleaner.pipeline import clean as clean_one
    from cleaner.warc.stream import Rejoined, head_of, is_archive

    try:
        if sys.stdin is None:
            raise OSError("standard input is closed")
        head = head_of(sys.stdin.buffer)
        if is_archive(head):
            _clean_stdin_archive(Rejoined(head, sys.stdin.buffer), options)
            return
        data, name = head + sys.stdin.buffer.read(options.max_bytes + 1 - len(head)), "<stdin>"
        result = clean_one(data, name=name, options=options)
    except OSError as exc:
        _err(f"error: <stdin>: cannot read: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    except InputError as exc:
        _err(f"error: <stdin>: {exc.reason}")
        raise typer.Exit(EXIT_FAILURES) from exc
    if jsonl:
        sys.stdout.write(_json_line(name, result))
    else:
        sys.stdout.write(result.text)
    sys.stdout.flush()


def _json_line(source: str, result: CleanResult) -> str:
    """A document as one line of a JSONL stream (as each line of a batch's)."""
    record = {"source": source, "text": result.text, "metadata": result.metadata}
    return json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n"


def _clean_stdin_archive(stream: Readable, options: Options) -> None:
    """A WARC archive on stdin: one JSON line per page to stdout, in archive order, one
    error line per bad record (exit 1 when there was one)."""
    from cleaner.batch.archives import NO_EXTRA, available
    from cleaner.warc.records import at_offset
    from cleaner.warc.stream import clean_stream

    if not available():
        _err(f"error: <stdin>: {NO_EXTRA}")
        raise typer.Exit(EXIT_FAILURES)
    failed = False
    for item in clean_stream(stream, options=options):
        if item.result is not None:
            sys.stdout.write(_json_line(item.stem or "", item.result))
        elif item.error is not None:
            _err(f"error: <stdin>: {at_offset(item.record.offset, item.error)}")
            failed = True
    sys.stdout.flush()
    if failed:
        raise typer.Exit(EXIT_FAILURES)


def format_explanation(result: CleanResult) -> str:
    """Every input block with KEEP/DROP and the reason; the document-level decisions (a text
    left as it is, the order stage's evidence); then the metadata (without 'removed')."""
    lines = []
    for block in result.blocks:
        decision = "KEEP" if block.keep else "DROP"
        reason = block.reason or ("joined to the line before" if block.glue is not None else "")
        first, *more = block.text.split("\n")
        text = first if len(first) <= 100 else first[:99] + "…"
        if more:
            text += f"  (+{len(more)} lines)"
        lines.append(f"{block.index:>4}  {decision}  {reason:<36}  {text}")
    from cleaner.order import describe

    lines.append("")
    lines.extend(f"note: {note}" for note in result.document.notes)
    if result.document.order is not None:
        lines.extend(describe(result.document.order))
    meta = {k: v for k, v in result.metadata.items() if k != "removed"}
    lines.append("")
    lines.append(json.dumps(meta, sort_keys=True, indent=2, ensure_ascii=False))
    return "\n".join(lines) + "\n"


EXPLAIN_EXIT_CODES_HELP = (
    "Exit codes: 0 explained; 1 the input cannot be cleaned (the reason on stderr); 2 usage or"
    " configuration error, or the file cannot be read."
)


@app.command("explain", cls=_Command, epilog=EXPLAIN_EXIT_CODES_HELP)
@with_options
def explain_command(
    path: Annotated[str, typer.Argument(metavar="FILE", help="One file, or '-' for stdin.")],
    *,
    options: Options,
) -> None:
    """Show every input block with KEEP/DROP and the reason, then the metadata."""
    from cleaner.names import is_warc
    from cleaner.pipeline import explain

    if is_warc(path):
        _err(f"error: {path}: a WARC archive holds many pages and explain takes one;"
             " clean the archive (cleaner clean), or explain a page saved from it")  # fmt: skip
        raise typer.Exit(EXIT_USAGE)
    try:
        data, name = _read_input(path, options.max_bytes)
        result = explain(data, name=name, options=options)
    except OSError as exc:
        _err(f"error: {path}: cannot read: {exc.strerror or exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    except InputError as exc:
        _err(f"error: {path}: {exc.reason}")
        raise typer.Exit(EXIT_FAILURES) from exc
    typer.echo(format_explanation(result), nl=False)


def _warning_line(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """A library warning as one line on stderr (never a multi-line block between the error
    lines a Makefile log is read for)."""
    _err(f"warning: {category.__name__}: {' '.join(str(message).split())}")


def main() -> None:
    """Console-script entry point."""
    warnings.showwarning = _warning_line
    app()
