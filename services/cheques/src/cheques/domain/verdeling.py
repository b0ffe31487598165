"""The split of one cheque's price over the parties (DOMAIN C-5, §3.7, A-04 – A-06).

The price was fixed at purchase. Worker pay, insurance and travel-fund shares are read
on the prestatie date; the issuer fee on the order date; the organiser gets the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cheques.domain.tarieven import Soort, Tarieven
from wijkwerk.fouten import OngeldigeInvoer


@dataclass(frozen=True)
class Verdeling:
    wijkwerker: int
    verzekering: int
    reisfonds: int
    uitgever: int
    organisator: int

    @property
    def prijs(self) -> int:
        return self.wijkwerker + self.verzekering + self.reisfonds + self.uitgever + self.organisator


def verdeel(prijs: int, drager: str, besteld_op: date, prestatie_datum: date, tarieven: Tarieven) -> Verdeling:
    wijkwerker = tarieven.op(Soort.LOON_PER_UUR, prestatie_datum)
    verzekering = tarieven.op(Soort.VERZEKERING, prestatie_datum)
    reisfonds = tarieven.op(Soort.REISFONDS, prestatie_datum)
    uitgever = tarieven.op(Soort.uitgeverkost(drager), besteld_op)
    restant = prijs - wijkwerker - verzekering - reisfonds - uitgever
    if restant < 0:
        raise OngeldigeInvoer(
            f"The price {prijs} does not cover the shares ({prijs - restant}): the organiser's remainder "
            "would be negative.",
            rule="restant-negatief",
        )
    return Verdeling(wijkwerker, verzekering, reisfonds, uitgever, restant)
