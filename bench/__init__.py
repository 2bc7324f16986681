"""Evaluation harness for ``cleaner``: metrics, the published-figure check and the benchmark run.

Nothing here is imported by the ``cleaner`` package; it only reads the shared evaluation data
(``../shared/data`` beside the repository, or ``$CLEANER_BENCH_DATA``) and writes results
under ``bench/results``.
"""
