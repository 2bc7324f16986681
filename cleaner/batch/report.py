"""The run report: counts, failures and skips of one run, written to ``OUT/cleaner-report.json``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.config import Options
from cleaner.errors import OutputError
from cleaner.manifest import Reason
from cleaner.version import __version__
from cleaner.write import atomic_write, metadata_json

REPORT_NAME = "cleaner-report.json"
# Per-shard run files (see inputs.Shard): ".cleaner-manifest.shard-2-of-8.json", ...
SHARD_FILE = re.compile(r"(\.cleaner-manifest|cleaner-report)\.shard-[0-9]+-of-[0-9]+\.json")


@dataclass(slots=True)
class RunReport:
    """Counts, failures and real skips of a run; up-to-date files are only counted."""

    cleaned: int = 0
    empty: int = 0  # of the cleaned files, those in which no article was found
    up_to_date: int = 0
    pruned: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, Reason]] = field(default_factory=list)
    profile_lines: int | None = None
    stopped_early: bool = False
    shard: str | None = None  # "I/N" of a sharded run: its counts and lists are its share
    # The records of WARC archives that are no pages (requests, redirects, images), by reason.
    records_skipped: Counter[str] = field(default_factory=Counter)

    def count_cleaned(self, empty: bool) -> None:
        self.cleaned += 1
        self.empty += empty

    def as_json(self, options: Options) -> dict[str, Any]:
        shard = {} if self.shard is None else {"shard": self.shard}
        return {
            **shard,
            "cleaner_version": __version__,
            "options": options.fingerprint(),
            "profile_lines": self.profile_lines,
            "counts": {
                "cleaned": self.cleaned,
                "empty": self.empty,
                "up_to_date": self.up_to_date,
                "skipped": len(self.skipped),
                "failed": len(self.failed),
                "pruned": self.pruned,
            },
            "stopped_early": self.stopped_early,
            "failed": [{"source": s, "error": e} for s, e in sorted(self.failed)],
            "skipped": [{"source": s, "reason": r} for s, r in sorted(self.skipped)],
            "records_skipped": dict(sorted(self.records_skipped.items())),
        }


@dataclass(frozen=True, slots=True)
class FailureBound:
    """``--max-failures``: how many failed files a run may have and still exit 0, as a count
    ("5") or a share of the files the run covers ("2%": cleaned, up to date and failed). The
    failures are printed and reported all the same; only the exit code follows the bound."""

    count: int | None = None
    percent: float | None = None

    @classmethod
    def parse(cls, text: str) -> FailureBound:
        """``"N"`` or ``"N%"``; ``ValueError`` with a one-line message otherwise."""
        value = text.strip()
        try:
            if value.endswith("%"):
                percent = float(value[:-1])
                if 0 <= percent <= 100:
                    return cls(percent=percent)
            elif int(value) >= 0:
                return cls(count=int(value))
        except ValueError:
            pass
        raise ValueError(f"--max-failures must be a count (5) or a percentage (2%), not {text!r}")

    def allows(self, report: RunReport) -> bool:
        """Are the run's failures within the bound?"""
        failed = len(report.failed)
        if self.count is not None:
            return failed <= self.count
        covered = report.cleaned + report.up_to_date + failed
        return failed * 100 <= (self.percent or 0.0) * covered  # no 0.29 * 100 = 28.999...

    def __str__(self) -> str:
        return f"{self.percent:g}%" if self.percent is not None else str(self.count or 0)


def write_report(path: Path, report: RunReport, options: Options) -> None:
    try:
        atomic_write(path, metadata_json(report.as_json(options)).encode("utf-8"))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the run report: {exc.strerror or exc}") from exc
