"""``--every``: intervals, the run loop, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from rootout.agent.schedule import parse_interval, run_every, stop_on_signals
from rootout.errors import ConfigError, RootoutError


@pytest.mark.parametrize(
    ("text", "seconds"), [("6h", 21600.0), ("30m", 1800.0), ("1d", 86400.0), ("90 s", 90.0)]
)
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["6", "h", "-1h", "6 hours", "10s"])
def test_bad_or_too_short_intervals_are_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="--every"):
        parse_interval(text)


def test_runs_until_stopped_and_a_failed_run_does_not_end_the_schedule() -> None:
    stop = threading.Event()
    runs: list[int] = []
    reported: list[str] = []

    def job() -> None:
        runs.append(1)
        if len(runs) == 2:
            raise RootoutError("server down")
        if len(runs) == 3:
            stop.set()

    made = run_every(0.001, job, stop, lambda exc: reported.append(str(exc)))
    assert made == 3 == len(runs)
    assert reported == ["server down"]


def test_sigterm_ends_the_wait_between_runs() -> None:
    stop = threading.Event()
    previous = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(stop):
        timer = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        runs = run_every(30.0, lambda: None, stop, lambda _exc: None)
        timer.join()
    assert runs == 1
    assert stop.is_set()
    assert signal.getsignal(signal.SIGTERM) is previous
