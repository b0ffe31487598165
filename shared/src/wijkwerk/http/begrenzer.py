"""The adaptive limit of requests in flight behind ``wijkwerk.http.overbelasting``.

A fixed limit is right for one CPU speed and one mix of requests only: 64 registrations
at ≈ 4 ms of CPU each keep a single-core process busy for a quarter of a second, and while
the event loop is that far behind, new requests wait in the kernel before anyone sees them
(bench figure 8 measured an accepted p99 of 2 s at twice the sustainable rate). So the
limit follows the time an accepted request takes, AIMD as TCP's window does:

- a request that took longer than ``doel_s`` is a congestion signal: the limit is
  multiplied by ``verlaging``, at most once per ``interval_s`` (one slow burst, a garbage
  collection, is one signal, not dozens);
- a request within ``doel_s`` raises the limit by 1 / limit (≈ +1 per limit's worth of
  fast requests), up to ``max_limiet``.

The limit never drops below ``min_limiet`` (the services pass their database pool's size:
that many requests can use the database at once anyway, and on a contended machine, where
even a lone request takes longer than the target, a lower floor would starve the process
of work it could do). The
clock is injected; the decisions are plain arithmetic (unit tests drive them).
"""

from __future__ import annotations

import time
from collections.abc import Callable

MIN_LIMIET = 4


class Begrenzer:
    def __init__(self, *, max_limiet: int, doel_s: float, min_limiet: int = MIN_LIMIET, interval_s: float = 0.1,
                 verlaging: float = 0.75, klok: Callable[[], float] = time.monotonic) -> None:
        self.max_limiet = max_limiet
        self.min_limiet = min(min_limiet, max_limiet)
        self.doel_s = doel_s
        self.interval_s = interval_s
        self.verlaging = verlaging
        self.klok = klok
        self._limiet = float(max_limiet)
        self._verlaagd_op = float("-inf")
        self.bezet = 0

    @property
    def limiet(self) -> int:
        return int(self._limiet)

    def vrij(self) -> bool:
        return self.bezet < self.limiet

    def neem(self) -> float | None:
        """A slot if one is free (its start time, for :meth:`geef_terug`), else None."""
        if not self.vrij():
            return None
        self.bezet += 1
        return self.klok()

    def geef_terug(self, gestart: float) -> None:
        """The request that took its slot at ``gestart`` is done: adapt the limit to its time."""
        self.bezet -= 1
        nu = self.klok()
        if nu - gestart > self.doel_s:
            if nu - self._verlaagd_op >= self.interval_s:
                self._limiet = max(float(self.min_limiet), self._limiet * self.verlaging)
                self._verlaagd_op = nu
        else:
            self._limiet = min(float(self.max_limiet), self._limiet + 1 / self._limiet)
