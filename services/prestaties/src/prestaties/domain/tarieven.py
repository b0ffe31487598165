"""Effective-dated rates (ARCHITECTURE §4, DOMAIN A-15): rows with a start date, never
constants. The row valid on a day is the latest whose start is not after it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from wijkwerk.fouten import OngeldigeInvoer


class Gedateerd(Protocol):
    @property
    def vanaf(self) -> date: ...


T = TypeVar("T", bound=Gedateerd)


@dataclass(frozen=True)
class Inschrijvingsrecht:
    """G-3: the yearly registration fee per erkenning, in cents (PR-21: 0 must work)."""

    vanaf: date
    cent: int


@dataclass(frozen=True)
class VerplaatsingsRegel:
    """A-03 / P-2: travel allowance when the one-way distance is *more than* ``drempel_km``:
    ``factor`` (return trip) × km × ``cent_per_km``, once per day and placement."""

    vanaf: date
    drempel_km: int = 5
    cent_per_km: int = 15
    factor: int = 2

    def recht_op_vergoeding(self, afstand_km: int) -> bool:
        return afstand_km > self.drempel_km

    def dagvergoeding_cent(self, afstand_km: int) -> int:
        return self.factor * afstand_km * self.cent_per_km if self.recht_op_vergoeding(afstand_km) else 0


def geldig_op(rijen: Sequence[T], dag: date, *, wat: str) -> T:
    geldig = [r for r in sorted(rijen, key=lambda r: r.vanaf) if r.vanaf <= dag]
    if not geldig:
        raise OngeldigeInvoer(f"No {wat} is set for {dag}.", rule="geen-tarief")
    return geldig[-1]
