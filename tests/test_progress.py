"""The build's progress bar: honest counts, a rate that ignores model loading, a time left."""

from __future__ import annotations

import io

from pipeline.progress import ProgressBar, format_duration, progress_bar, progress_display


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_before_the_first_article_it_says_it_is_starting_not_zero_per_second():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar("batch b", out, clock=clock, interactive=False)
    bar.update(0, 10)
    assert "0/10 articles" in out.getvalue() and "starting" in out.getvalue()
    assert "0.0 articles/s" not in out.getvalue()


def test_rate_and_time_left_are_measured_after_the_first_article_so_loading_does_not_halve_them():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar("batch b", out, clock=clock, interactive=False)
    bar.update(0, 41)
    clock.now += 20  # model loading and the first article
    bar.update(1, 41)
    clock.now += 10  # then 20 articles in 10 s: 2 per second
    bar.update(21, 41)
    assert bar.rate() == 2.0
    assert "21/41 articles · 2.0 articles/s, 10s left" in out.getvalue().splitlines()[-1]


def test_store_hits_are_shown_and_not_counted_in_the_rate():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar("batch b", out, clock=clock, interactive=False)
    bar.update(8, 10, hits=8)
    clock.now += 5
    bar.update(9, 10, hits=8)
    clock.now += 1
    bar.update(10, 10, hits=8)
    last = out.getvalue().splitlines()[-1]
    assert "10/10 articles · 8 from the store · done in 6s, 1.0 articles/s" in last


def test_a_terminal_redraws_one_line_and_ends_it_when_done():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar("batch b", out, clock=clock, interactive=True)
    bar.update(0, 2)
    clock.now += 1
    bar.update(1, 2)
    clock.now += 1
    bar.update(2, 2)
    text = out.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1


def test_a_log_gets_a_line_every_few_seconds_not_every_article():
    out, clock = io.StringIO(), Clock()
    bar = ProgressBar("batch b", out, clock=clock, interactive=False)
    for done in range(1, 101):
        clock.now += 0.2
        bar.update(done, 100)
    assert len(out.getvalue().splitlines()) == 3  # the first, one ten seconds later, the last


def test_a_bar_exists_only_inside_a_display():
    assert progress_bar("x") is None
    out = io.StringIO()
    with progress_display(out):
        assert progress_bar("x").stream is out
    assert progress_bar("x") is None


def test_durations_read_like_a_person_writes_them():
    assert [format_duration(s) for s in (4.4, 185, 3720)] == ["4s", "3m 05s", "1h 02m"]
