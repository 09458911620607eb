"""Per-client rate limit (token bucket per client address) and the request-size limits."""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_BODY = 4096          # bytes of a JSON request body
MAX_TEXT = 500           # characters of a question (the matcher reads fewer)
MAX_CLIENTS = 50_000     # buckets kept in memory; full ones are dropped first


class RateLimiter:
    """`rate` requests per second per client, with bursts up to `burst`."""

    def __init__(self, rate: float = 1.0, burst: int = 20, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        tokens, last = self.buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate
        self.buckets[client] = (tokens - 1, now)
        if len(self.buckets) > MAX_CLIENTS:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        full = [c for c, (t, last) in self.buckets.items() if t + (now - last) * self.rate >= self.burst]
        for client in full:
            del self.buckets[client]
        while len(self.buckets) > MAX_CLIENTS:        # everyone is busy: drop the oldest
            self.buckets.pop(next(iter(self.buckets)))
