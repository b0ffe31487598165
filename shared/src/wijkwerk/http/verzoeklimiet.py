"""Rate limits per client: a token bucket per verified caller (issue #22, item 6).

The edge (the Gateway, deploy/k8s/edge) limits per client before a request reaches a pod;
this limit holds where there is no such edge (docker-compose, the embedded system) and
behind it per process. A caller is the verified token's issuer and subject — never a claim
read before the signature is checked, so nobody can spend another client's budget. A caller
past its rate is refused with 429, ``Retry-After`` (whole seconds until a token is back) and
the problem rule ``te-veel-verzoeken``, before the route does any work.

Internal callers (``org_type=service``: cheques asking toeleiding for bank details during a
payout run) are not limited: they are ours and their volume follows the work, not a partner.

Memory is bounded: at most ``max_clients`` buckets, the least recently seen evicted first. An
evicted caller comes back with a full bucket, which only matters when more than
``max_clients`` callers are active within the time one bucket takes to fill.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from wijkwerk.auth import Principal
from wijkwerk.observability import HTTP_RATE_LIMITED
from wijkwerk.problems import Problem

RULE = "te-veel-verzoeken"


@dataclass
class _Emmer:
    tokens: float
    bijgewerkt: float


class TokenBuckets:
    """``rate_per_s`` tokens a second up to ``burst`` per key, for at most ``max_clients`` keys."""

    def __init__(self, rate_per_s: float, burst: int, *, max_clients: int = 10_000,
                 klok: Callable[[], float] = time.monotonic) -> None:
        if rate_per_s <= 0 or burst < 1 or max_clients < 1:
            raise ValueError("rate_per_s > 0, burst >= 1 and max_clients >= 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self.max_clients = max_clients
        self._klok = klok
        self._emmers: OrderedDict[str, _Emmer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._emmers)

    def neem(self, key: str) -> float:
        """Takes one token of ``key``'s bucket: 0.0 when there was one, otherwise the
        seconds until there is (nothing is taken then)."""
        nu = self._klok()
        emmer = self._emmers.get(key)
        if emmer is None:
            emmer = self._emmers[key] = _Emmer(float(self.burst), nu)
            if len(self._emmers) > self.max_clients:
                self._emmers.popitem(last=False)
        else:
            self._emmers.move_to_end(key)
            emmer.tokens = min(float(self.burst), emmer.tokens + (nu - emmer.bijgewerkt) * self.rate_per_s)
            emmer.bijgewerkt = nu
        if emmer.tokens >= 1.0:
            emmer.tokens -= 1.0
            return 0.0
        return (1.0 - emmer.tokens) / self.rate_per_s


class Verzoeklimiet:
    """The per-caller limit of one service process (``request.app.state.verzoeklimiet``)."""

    def __init__(self, service: str, buckets: TokenBuckets) -> None:
        self.service = service
        self.buckets = buckets

    def controleer(self, principal: Principal) -> None:
        """Raises the 429 problem when ``principal`` is past its rate."""
        if principal.org_type == "service":  # not is_service: VDAB's central callers are partners here
            return
        wacht = self.buckets.neem(f"{principal.claims.get('iss', '')}|{principal.subject}")
        if wacht > 0:
            HTTP_RATE_LIMITED.labels(self.service).inc()
            retry_after = max(1, math.ceil(wacht))
            raise Problem(429, RULE, f"More than {self.buckets.rate_per_s:g} requests/s (burst "
                                     f"{self.buckets.burst}) from this client; retry after {retry_after} s.",
                          retry_after=retry_after)


def verzoeklimiet(service: str, rate_per_s: float, burst: int | None, max_clients: int) -> Verzoeklimiet | None:
    """The limit the settings ask for; None when it is off (``rate_per_s`` 0)."""
    if rate_per_s <= 0:
        return None
    burst = burst if burst is not None else max(1, math.ceil(2 * rate_per_s))
    return Verzoeklimiet(service, TokenBuckets(rate_per_s, burst, max_clients=max_clients))
