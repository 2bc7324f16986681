"""bench.speed's pure parts (rotation, paired ratios, medians, targets, tables, the big-page
generator and growth) and its measuring wrapper, on made-up runs: no ../shared data needed."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from bench.loop_trafilatura import files
from bench.speed import big, inputs, report, runner, throughput
from bench.speed.report import Target
from bench.speed.runner import Measured, Run


def _m(label: str, docs: int, walls: list[float], cpus: list[float], rss: float = 100) -> Measured:
    runs = [Run(w, c, rss, 0) for w, c in zip(walls, cpus, strict=True)]
    return Measured(label, docs, runs)


def _found() -> dict[str, Measured]:
    return {
        "loop": _m("loop", 100, [10, 12, 30], [10, 11, 12]),
        "jobs1": _m("jobs1", 100, [11, 20, 33], [11, 12, 13]),
        "jobs2": _m("jobs2", 100, [6, 7, 18], [12, 13, 14], rss=200),
        "traf2": _m("traf2", 100, [7, 8, 20], [11, 12, 13], rss=150),
        "wcxb-naive": _m("naive", 600, [3, 3, 3], [1.5, 2, 2.5]),
        "wcxb-seed": _m("seed", 600, [3, 3, 3], [2, 3, 4]),
    }


def test_rotated_starts_each_repeat_one_further_on() -> None:
    assert runner.rotated("abc", 0) == ["a", "b", "c"]
    assert runner.rotated("abc", 1) == ["b", "c", "a"]
    assert runner.rotated("abc", 4) == ["b", "c", "a"]
    assert runner.rotated([], 3) == []


def test_every_system_leads_one_repeat_when_repeats_match_systems() -> None:
    firsts = {runner.rotated("abcd", r)[0] for r in range(4)}
    assert firsts == set("abcd")


def test_measured_takes_medians_of_wall_cpu_and_rss() -> None:
    m = Measured("x", 10, [Run(3, 1, 50, 0), Run(1, 9, 70, 0), Run(2, 5, 60, 0)])
    assert (m.wall, m.cpu, m.rss_mb) == (2, 5, 60)


def test_paired_ratios_are_baseline_over_system_per_repeat() -> None:
    found = _found()
    rel = throughput.relative(found["jobs1"], found["loop"])
    assert rel["cpu_runs"] == [10 / 11, 11 / 12, 12 / 13]
    assert rel["cpu"] == 11 / 12
    assert rel["wall_runs"] == [10 / 11, 12 / 20, 30 / 33]
    assert rel["wall"] == 30 / 33  # the median of the pairs, not a ratio of the medians


def test_relatives_leave_out_systems_not_measured() -> None:
    rel = throughput.relatives(_found())
    assert "fast/loop" not in rel
    assert {"jobs1/loop", "jobs2/loop", "jobs2/jobs1", "jobs2/traf2"} <= set(rel)


def test_ratio_of_zero_is_nan() -> None:
    assert math.isnan(report.ratio(1, 0))


def _targets() -> list[Target]:
    found = _found()
    return throughput.throughput_targets(found, throughput.relatives(found))


def _target(start: str) -> Target:
    return next(t for t in _targets() if t.what.startswith(start))


def test_throughput_targets_give_verdicts_and_a_missing_fast_row() -> None:
    jobs1 = _target("cleaner clean --jobs 1 / trafilatura")
    assert jobs1.met is True and jobs1.measured == "0.92x CPU, 0.91x wall"
    assert _target("cleaner clean --jobs 1 --fast /").met is None
    assert _target("cleaner clean --jobs 2 / --jobs 1").measured == "1.83x"  # 11/6, 20/7, 33/18
    assert _target("peak RSS of").met is True  # 200 MB / 150 MB <= 1.5x
    assert _target("text mode, wcxb-naive").met is True  # 600 docs / 2 CPU-s = 300 docs/s


def test_text_target_is_docs_per_cpu_second() -> None:
    seed = next(t for t in _targets() if "wcxb-seed" in t.what)
    assert seed.measured == "200 docs/s" and seed.met is False


def test_parallel_wall_target_is_met_when_cleaner_is_faster() -> None:
    wall = next(t for t in _targets() if t.what.startswith("wall of"))
    assert wall.met is True and "7.0 s vs 8.0 s" in wall.measured


def test_targets_table_marks_misses_and_unmeasured() -> None:
    table = report.targets_table([Target("a", "1", ">= 2", False), Target("b", "-", "x", None)])
    assert table.splitlines()[2:] == ["| a | 1 | >= 2 | **no** |", "| b | - | x | not measured |"]


def test_throughput_table_lists_runs_and_unavailable_rows() -> None:
    table = throughput.throughput_table(
        {"loop": _found()["loop"]}, ["cleaner clean --jobs 1 --fast"]
    )
    lines = table.splitlines()
    runs = "10.00/10.00, 12.00/11.00, 30.00/12.00"
    assert lines[2] == f"| loop | 100 | 12.00 | 11.00 | 8.3 | 9.1 | 100 MB | {runs} |"
    assert lines[3].startswith("| cleaner clean --jobs 1 --fast | not available |")


def test_ratios_table_names_both_systems() -> None:
    rel = throughput.relatives(_found())
    line = next(
        x
        for x in throughput.ratios_table(rel).splitlines()
        if x.startswith("| cleaner clean --jobs 1 |")
    )
    assert "trafilatura.extract loop" in line and "0.92x" in line


def test_markup_page_is_half_markup_and_keeps_the_prose() -> None:
    size = 60_000
    page = inputs.markup_page(size).decode()
    assert abs(len(page) - size) < size * 0.05
    for tag in ("<style>", "<svg ", "<script>", "<article>", "<p>"):
        assert tag in page
    blocks = [m.group() for m in re.finditer(r"<(style|svg|script)\b.*?</\1>", page, flags=re.S)]
    assert len(blocks) == 3
    assert 0.45 < sum(map(len, blocks)) / len(page) < 0.55


def test_growth_exponent_tells_linear_from_quadratic() -> None:
    linear = big.growth_exponent([1, 4, 10, 25], [0.5, 2, 5, 12.5])
    quadratic = big.growth_exponent([1, 4, 10, 25], [1, 16, 100, 625])
    assert linear == pytest.approx(1.0) and quadratic == pytest.approx(2.0)
    assert big.growth_exponent([10], [3.0]) is None


def _big(kind: str, mb: int, wall: float, outcome: str) -> dict[str, object]:
    ours = {"wall": wall, "cpu": wall, "rss_mb": 100.0, "returncode": 0, "outcome": outcome}
    theirs = {"wall": 1.0, "cpu": 1.0, "rss_mb": 90.0, "returncode": 0, "outcome": "done"}
    return {"page": kind, "mb": mb, "bytes": mb * big.MB, "cleaner": ours, "trafilatura": theirs}


def test_big_targets_need_the_page_cleaned_in_time() -> None:
    rows = [_big("prose", 10, 4.0, "cleaned"), _big("markup-heavy", 10, 4.0, "failed: memory")]
    assert [t.met for t in big.big_targets(rows)] == [True, False]
    assert [t.met for t in big.big_targets([_big("prose", 1, 1.0, "cleaned")])] == [None, None]


def test_big_growth_skips_runs_that_did_not_finish() -> None:
    rows = [_big("prose", 1, 1.0, "cleaned"), _big("prose", 4, 4.0, "cleaned"),
            _big("prose", 25, 1.0, "failed: timeout")]  # fmt: skip
    growth = big.big_growth(rows)
    assert growth["prose/cleaner"]["all"] == pytest.approx(1.0)
    assert growth["prose/cleaner"]["largest"] == pytest.approx(1.0)
    assert growth["markup-heavy/cleaner"] == {"all": None, "largest": None}


def test_the_wrapper_reports_a_child_process_cpu_and_memory() -> None:
    work = "x = bytearray(80 * 1024 * 1024); sum(range(3_000_000))"
    run = runner.measured([sys.executable, "-c", work])
    assert run.returncode == 0 and run.rss_mb >= 80
    assert run.cpu > 0 and run.wall > 0


def test_the_wrapper_stops_a_process_past_its_limit() -> None:
    run = runner.measured([sys.executable, "-c", "import time; time.sleep(30)"], limit=0.5)
    assert run.returncode is None and run.wall < 10


def test_the_loop_reads_a_folder_in_name_order_and_named_files(tmp_path: Path) -> None:
    for name in ("b.html", "a.html"):
        (tmp_path / name).write_text("<p>x</p>")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in files([tmp_path])] == ["a.html", "b.html"]
    assert files([tmp_path / "b.html"]) == [tmp_path / "b.html"]
