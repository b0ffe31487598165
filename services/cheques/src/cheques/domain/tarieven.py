"""Effective-dated rates (DOMAIN §4, A-15): a value per kind, valid from a date until the
next row of the same kind. Never constants: a rate change is a new row."""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from wijkwerk.fouten import OngeldigeInvoer


class Soort(enum.StrEnum):
    LOON_PER_UUR = "loon_per_uur"  # P-1: the worker's pay per started hour
    VERZEKERING = "verzekering"  # C-4, C-5: insurance share per cheque
    REISFONDS = "reisfonds"  # C-4: VDAB's travel-fund share per cheque
    UITGEVERKOST_PAPIER = "uitgeverkost_papier"  # issuer fee per paper cheque
    UITGEVERKOST_ELEKTRONISCH = "uitgeverkost_elektronisch"  # per electronic cheque
    GELDIGHEID_MAANDEN = "geldigheid_maanden"  # validity of a cheque from issue

    @classmethod
    def uitgeverkost(cls, drager: str) -> Soort:
        """The issuer fee's kind for a carrier; a new carrier (PR-22) is a new kind."""
        try:
            return cls(f"uitgeverkost_{drager}")
        except ValueError:
            raise OngeldigeInvoer(f"No issuer fee is known for carrier {drager!r}.", rule="drager-onbekend") from None


@dataclass(frozen=True)
class Tarieven:
    """All rate rows, for lookups on a date."""

    rijen: dict[Soort, tuple[tuple[date, int], ...]] = field(default_factory=dict)

    @classmethod
    def van(cls, rijen: Iterable[tuple[str, date, int]]) -> Tarieven:
        per_soort: dict[Soort, list[tuple[date, int]]] = {}
        for soort, vanaf, waarde in rijen:
            per_soort.setdefault(Soort(soort), []).append((vanaf, waarde))
        return cls({s: tuple(sorted(r)) for s, r in per_soort.items()})

    def op(self, soort: Soort, dag: date) -> int:
        rijen = self.rijen.get(soort, ())
        index = bisect.bisect_right(rijen, (dag, float("inf"))) - 1
        if index < 0:
            raise OngeldigeInvoer(f"No {soort.value} rate is valid on {dag}.", rule="tarief-onbekend")
        return rijen[index][1]
