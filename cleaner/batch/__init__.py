"""Batch runs: a folder (or files) in, a ``.txt`` + ``.json`` per input in OUT, incrementally.

Split by role, as the run flows: :mod:`~cleaner.batch.inputs` walks SRC, maps inputs to outputs
and splits them into shards; :mod:`~cleaner.batch.work` is what a worker does for one file;
:mod:`~cleaner.batch.engines` runs that work on the local pool (:mod:`~cleaner.batch.pool`) or
on Dask (:mod:`~cleaner.batch.dask`); :mod:`~cleaner.batch.driver` drives a run (manifest,
profile, recording in input order) into a folder, :mod:`~cleaner.batch.jsonl` into one JSONL
file; :mod:`~cleaner.batch.report` is the run report.
"""

from __future__ import annotations

from cleaner.batch.driver import Hooks, RunOptions, run
from cleaner.batch.inputs import Job, Plan, Shard, as_typed, display, output_stem, plan
from cleaner.batch.jsonl import report_path, run_jsonl
from cleaner.batch.report import REPORT_NAME, FailureBound, RunReport
from cleaner.batch.selection import Selection
from cleaner.batch.work import Outcome
from cleaner.errors import OutputError
from cleaner.manifest import MANIFEST_NAME

__all__ = [
    "MANIFEST_NAME",
    "REPORT_NAME",
    "FailureBound",
    "Hooks",
    "Job",
    "Outcome",
    "OutputError",
    "Plan",
    "RunOptions",
    "RunReport",
    "Selection",
    "Shard",
    "as_typed",
    "display",
    "output_stem",
    "plan",
    "report_path",
    "run",
    "run_jsonl",
]
