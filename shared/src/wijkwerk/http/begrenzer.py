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

The event loop's own lateness is the other signal (:meth:`achterstand`, measured by
:func:`meet_lusvertraging`): a loop more than ``doel_s`` late is behind on work it has not
even parsed yet (requests waiting in the kernel), whatever the accepted requests' own
times say; the limit then falls like for a slow request, down to 1 if need be — on a
machine where the process gets a fraction of a core, refusing costs CPU too (≈ 0.5 ms a
request) and the work admitted must leave room for it.

Otherwise the limit never drops below ``min_limiet`` (the services pass their database pool's size:
that many requests can use the database at once anyway, and on a contended machine, where
even a lone request takes longer than the target, a lower floor would starve the process
of work it could do). The
clock is injected; the decisions are plain arithmetic (unit tests drive them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from wijkwerk.aio import sleep_or_stop

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

    def achterstand(self, te_laat_s: float) -> None:
        """The event loop ran ``te_laat_s`` late: past ``doel_s`` the limit falls (at most
        once per interval), below ``min_limiet`` if need be, never below 1."""
        nu = self.klok()
        if te_laat_s > self.doel_s and nu - self._verlaagd_op >= self.interval_s:
            self._limiet = max(1.0, self._limiet * self.verlaging)
            self._verlaagd_op = nu


async def meet_lusvertraging(begrenzer: Begrenzer, stop: asyncio.Event, interval_s: float = 0.05) -> None:
    """Until ``stop``: how late the event loop wakes this task, told to ``begrenzer``."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        verwacht = loop.time() + interval_s
        await sleep_or_stop(stop, interval_s)
        begrenzer.achterstand(loop.time() - verwacht)

