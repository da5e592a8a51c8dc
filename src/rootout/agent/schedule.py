"""``rootout agent --every 6h``: run, wait, run again; SIGTERM or SIGINT ends it cleanly.

A run that fails is reported and the schedule goes on: the next run sends a
fresh scan. A signal during a run lets the run finish (its scan is either
delivered or not, never half-sent twice); a signal while waiting ends the wait.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from rootout.errors import ConfigError, RootoutError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
MIN_INTERVAL = 60.0


def parse_interval(text: str, minimum: float = MIN_INTERVAL) -> float:
    """Seconds in ``30m``, ``6h``, ``1d``, ``90s``; at least ``minimum``."""
    match = _INTERVAL.match(text.lower())
    if match is None:
        raise ConfigError(f"--every {text!r}: give a number and a unit s, m, h or d (e.g. 6h)")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds < minimum:
        raise ConfigError(f"--every {text!r}: the shortest interval is {minimum:.0f} s")
    return seconds


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` on SIGTERM and SIGINT while inside the block (main thread only)."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_every(
    seconds: float,
    job: Callable[[], None],
    stop: threading.Event,
    report: Callable[[RootoutError], None],
) -> int:
    """Run ``job`` now and then every ``seconds`` until ``stop`` is set; return the runs made.

    A :class:`RootoutError` from one run goes to ``report`` and the schedule goes on.
    """
    runs = 0
    while not stop.is_set():
        try:
            job()
        except RootoutError as exc:
            report(exc)
        runs += 1
        stop.wait(seconds)
    return runs
