"""The progress feedback: a first-pass line, then a bar with failures, rate, elapsed time and
an estimate of the time left (only when stderr is a terminal; forced on here)."""

from __future__ import annotations

import pytest

from cleaner.progress import Feedback


def test_the_bar_counts_failures_and_says_the_time_left_is_an_estimate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Feedback(enabled=True) as feedback:
        feedback.phase("first pass: learning the batch profile from 3 files")
        feedback.start(3)
        feedback.advance()
        feedback.advance(failed=True)
        feedback.advance(failed=True)
        task = feedback._progress.tasks[0]
        assert task.completed == 3 and task.fields["failed"] == 2
        columns = " ".join(str(getattr(c, "text_format", "")) for c in feedback._progress.columns)
        assert "failed" in columns and "left (estimate)" in columns and "elapsed" in columns
    assert "first pass: learning the batch profile from 3 files" in capsys.readouterr().err


def test_disabled_feedback_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with Feedback(enabled=False) as feedback:
        feedback.phase("first pass")
        feedback.start(3)
        feedback.advance(failed=True)
    assert capsys.readouterr().err == ""
