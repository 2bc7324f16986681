from __future__ import annotations

from bench.fast_threshold import Page, choose, with_bound


def _page(fast_len: int, fast_f1: float, full_f1: float) -> Page:
    return {"fast_len": fast_len, "fast_f1": fast_f1, "full_f1": full_f1,
            "fast_s": 0.010, "full_s": 0.020, "tuning": True}


def test_with_bound_takes_the_full_mode_below_the_bound() -> None:
    pages = [_page(100, 0.2, 0.9), _page(5_000, 0.95, 0.96)]
    assert with_bound(pages, 0) == (0.575, 10.0, 0)
    f1, ms, falls = with_bound(pages, 1_000)
    assert (round(f1, 3), round(ms, 1), falls) == (0.925, 20.0, 1)  # 30 ms + 10 ms over two


def test_choose_prices_f1_against_time() -> None:
    # Falling back on the short page pays; on every page it would cost the full mode's time.
    pages = [_page(100, 0.2, 0.9)] + [_page(2_000 + i, 0.9, 0.95) for i in range(20)]
    assert choose(pages) == 250
    assert choose([_page(5_000, 0.9, 0.9)] * 3) == 0  # nothing to gain: the smallest bound
