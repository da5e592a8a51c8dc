"""Login rate limiting: N failures for one (user name, client address) within a window → 429.

Counted in the server process's memory: a restart forgets, and several worker
processes count apart (docs/server.md says so). The clock is injectable for tests.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class LoginLimiter:
    def __init__(
        self, max_failures: int, window_seconds: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> list[float]:
        kept = [at for at in self._failures.get(key, []) if now - at < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def retry_after(self, username: str, address: str) -> int:
        """Seconds until a login may be tried again; 0 when it may be tried now."""
        with self._lock:
            now = self.clock()
            recent = self._recent((username, address), now)
            if len(recent) < self.max_failures:
                return 0
            return max(1, math.ceil(recent[-self.max_failures] + self.window - now))

    MAX_KEYS = 100_000

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            now = self.clock()
            if len(self._failures) >= self.MAX_KEYS:
                for key in list(self._failures):
                    self._recent(key, now)
            self._failures.setdefault((username, address), []).append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop((username, address), None)
