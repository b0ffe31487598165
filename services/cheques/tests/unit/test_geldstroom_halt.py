"""cheques' consumer of prestaties is a money stream: it halts per worker on a parked event
(a worker's later prestaties wait); the other consumers only park."""

from __future__ import annotations

from types import SimpleNamespace

from cheques.bootstrap import consumers
from cheques.config import Settings


def test_only_the_consumer_of_prestaties_halts_per_worker():
    runtime = SimpleNamespace(name="cheques", settings=Settings(), sessions=None)
    halts = {c.name: c.halt_per_key for c in consumers(runtime)}  # type: ignore[arg-type]
    assert halts == {"referentie": False, "prestaties": True}
