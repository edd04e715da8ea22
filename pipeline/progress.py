"""A progress bar a person can trust: done/total, rate and time left, from the first second.

What belongs here: rendering extraction progress for a terminal (redrawn in place) or a log file
(a line every few seconds), and the process-wide slot through which the `sitrep` command lends a
display to the extraction asset running in the same process. What does not: counting the work
(``pipeline.extract`` reports done/total through its callback) or any Dagster object.

The rate counts only articles extracted in this run (store hits are free) and is measured from
the moment the first one finished, so model loading does not halve it; until then the bar says
it is starting rather than showing 0.0 articles/s.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

BAR_WIDTH = 24
REDRAW_SECONDS = 0.25
LOG_LINE_SECONDS = 10.0


def format_duration(seconds: float) -> str:
    """``42s``, ``3m 05s``, ``1h 02m``: short enough for one line."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class ProgressBar:
    """Extraction progress of one batch; ``update`` is the ``pipeline.extract`` progress callback."""

    def __init__(self, label: str, stream: TextIO | None = None, clock=time.monotonic,
                 interactive: bool | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.started = clock()
        self.first_done: tuple[float, int] | None = None  # (time, articles extracted) when the first one finished
        self.last_drawn = float("-inf")
        self.last_line = ""
        self.done = self.total = self.hits = 0

    def rate(self) -> float | None:
        """Articles extracted per second since the first one finished (None before two are done)."""
        if self.first_done is None:
            return None
        at, extracted = self.first_done
        elapsed, more = self.clock() - at, (self.done - self.hits) - extracted
        return more / elapsed if elapsed > 0 and more > 0 else None

    def line(self) -> str:
        """The bar as one line of text."""
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        parts = [f"{self.label} {bar} {self.done}/{self.total} articles"]
        if self.hits:
            parts.append(f"{self.hits} from the store")
        rate = self.rate()
        if self.done >= self.total:
            parts.append(f"done in {format_duration(self.clock() - self.started)}"
                         + (f", {rate:.1f} articles/s" if rate else ""))
        elif rate:
            parts.append(f"{rate:.1f} articles/s, {format_duration((self.total - self.done) / rate)} left")
        else:
            parts.append(f"starting (loading models), {format_duration(self.clock() - self.started)}")
        return " · ".join(parts)

    def update(self, done: int, total: int, elapsed: float = 0.0, hits: int = 0) -> None:
        self.done, self.total, self.hits = done, total, hits
        now = self.clock()
        if self.first_done is None and done > hits:
            self.first_done = (now, done - hits)
        finished = done >= total
        every = REDRAW_SECONDS if self.interactive else LOG_LINE_SECONDS
        if not finished and now - self.last_drawn < every and self.last_drawn != float("-inf"):
            return
        self.last_drawn = now
        text = self.line()
        if self.interactive:
            pad = max(0, len(self.last_line) - len(text))
            self.stream.write("\r" + text + " " * pad + ("\n" if finished else ""))
        else:
            self.stream.write(text + "\n")
        self.last_line = text
        self.stream.flush()


_active: dict[str, object] = {}


@contextmanager
def progress_display(stream: TextIO | None = None) -> Iterator[None]:
    """Within this block, extraction in this process draws a `ProgressBar` on ``stream`` (stderr)."""
    _active["stream"] = stream if stream is not None else sys.stderr
    try:
        yield
    finally:
        _active.clear()


def progress_bar(label: str) -> ProgressBar | None:
    """A bar for one batch when a `progress_display` is active in this process, else None."""
    stream = _active.get("stream")
    return ProgressBar(label, stream) if stream is not None else None
