"""A gebruiker's cheque counters before entry (issue #23 item 1): per organiser and carrier,
the cheques still usable on a business date and when they expire.

Usable on D = outstanding in the stock as of D (:func:`cheques.domain.voorraad.toestand`):
issued by D, not validated nor refunded by then, and D not past its last valid day (A-21:
issue date + validity months − 1 day, :func:`cheques.domain.voorraad.vervallen_op`, the same
test that refuses a cheque for a prestatie dated after it in :meth:`Cheque.valideer`). So a
prestatie dated D can be paid with at most ``over`` of them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cheques.domain.voorraad import ChequeFeiten, Toestand, toestand

Sleutel = tuple[uuid.UUID, uuid.UUID, str]  # organiser, gebruiker, carrier


@dataclass(frozen=True)
class Vervaldag:
    geldig_tot: date  # the last day these cheques pay a prestatie
    aantal: int


@dataclass(frozen=True)
class DragerTeller:
    organisator_id: uuid.UUID
    drager: str  # papier | elektronisch
    over: int
    vervaldagen: tuple[Vervaldag, ...]  # the usable cheques by last valid day, earliest first

    @property
    def eerste_vervaldag(self) -> date | None:
        return self.vervaldagen[0].geldig_tot if self.vervaldagen else None

    def vervalt_binnen(self, op: date, dagen: int) -> int:
        """Usable cheques whose last valid day comes within ``dagen`` days after ``op``."""
        return sum(v.aantal for v in self.vervaldagen if (v.geldig_tot - op).days < dagen)


def drager_teller(organisator_id: uuid.UUID, drager: str, feiten: Sequence[ChequeFeiten], op: date) -> DragerTeller:
    bruikbaar = Counter(f.geldig_tot for f in feiten if toestand(f, op) is Toestand.OPENSTAAND)
    return DragerTeller(
        organisator_id=organisator_id, drager=drager, over=sum(bruikbaar.values()),
        vervaldagen=tuple(Vervaldag(d, n) for d, n in sorted(bruikbaar.items())),
    )


def tellers(per: Mapping[Sleutel, Sequence[ChequeFeiten]], op: date) -> list[DragerTeller]:
    """One counter per organiser and carrier the gebruiker has cheques of (as of ``op``),
    ordered by organiser and carrier."""
    return [drager_teller(o, d, feiten, op)
            for (o, _, d), feiten in sorted(per.items(), key=lambda kv: (str(kv[0][0]), kv[0][2]))]


def per_drager(tellers_: Sequence[DragerTeller]) -> dict[str, int]:
    """Usable cheques per carrier over the organisers."""
    totaal: Counter[str] = Counter()
    for t in tellers_:
        totaal[t.drager] += t.over
    return dict(totaal)
