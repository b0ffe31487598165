"""Corrections of an evaluation or an outflow measurement: a registration error is put
right with a reason and a date, and every version is kept (the audit)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from evaluatie.domain.evaluatie import TrajectVenster, Uitkomst, controleer_evaluatie
from evaluatie.domain.uitstroom import controleer_meting
from wijkwerk.fouten import OngeldigeInvoer

# V-2: the outcomes after which toeleiding ends the trajectory (toeleiding.service_layer.consumenten.evaluaties).
BEEINDIGEND = frozenset({Uitkomst.UITSTROOM_WERK, Uitkomst.ANDER_TRAJECT, Uitkomst.STOPT})


@dataclass(frozen=True)
class EvaluatieStand:
    datum: date
    uitkomst: Uitkomst
    vervolg: str | None
    opmerkingen: str | None
    evaluator_organisatie: str | None

    def waarden(self) -> dict[str, Any]:
        return {"datum": self.datum.isoformat(), "uitkomst": self.uitkomst.value, "vervolg": self.vervolg,
                "opmerkingen": self.opmerkingen, "evaluator_organisatie": self.evaluator_organisatie}

    @classmethod
    def uit(cls, waarden: dict[str, Any]) -> EvaluatieStand:
        return cls(date.fromisoformat(waarden["datum"]), Uitkomst(waarden["uitkomst"]), waarden["vervolg"],
                   waarden["opmerkingen"], waarden["evaluator_organisatie"])


@dataclass(frozen=True)
class MetingStand:
    horizon_maanden: int
    gemeten_op: date
    categorieen: tuple[str, ...]
    subcategorieen: tuple[str, ...]

    def waarden(self) -> dict[str, Any]:
        return {"horizon_maanden": self.horizon_maanden, "gemeten_op": self.gemeten_op.isoformat(),
                "categorieen": list(self.categorieen), "subcategorieen": list(self.subcategorieen)}

    @classmethod
    def uit(cls, waarden: dict[str, Any]) -> MetingStand:
        return cls(waarden["horizon_maanden"], date.fromisoformat(waarden["gemeten_op"]),
                   tuple(waarden["categorieen"]), tuple(waarden["subcategorieen"]))


def _niet_voor(gecorrigeerd_op: date, geregistreerd: date) -> None:
    if gecorrigeerd_op < geregistreerd:
        raise OngeldigeInvoer(
            f"A correction is dated on or after what it corrects ({geregistreerd}).", rule="correctie-voor-registratie"
        )


def corrigeer_evaluatie(oud: EvaluatieStand, venster: TrajectVenster, gecorrigeerd_op: date, **nieuw: Any) -> EvaluatieStand:
    """The evaluation after the correction; ``nieuw`` holds only the fields that change."""
    _niet_voor(gecorrigeerd_op, oud.datum)
    stand = replace(oud, **nieuw)
    if stand == oud:
        raise OngeldigeInvoer("The correction changes nothing.", rule="correctie-zonder-wijziging")
    if stand.uitkomst != oud.uitkomst and BEEINDIGEND & {stand.uitkomst, oud.uitkomst}:
        # Toeleiding ended (or did not end) the trajectory on the registered outcome; a
        # correction here would leave the two services disagreeing.
        raise OngeldigeInvoer(
            "An outcome that ends the trajectory is not corrected to or from: end or continue the trajectory "
            "in toeleiding (POST /v1/trajecten/{id}/beeindiging) and register a new evaluation.",
            rule="uitkomst-beeindigt-traject",
        )
    controleer_evaluatie(venster, stand.datum, stand.uitkomst, stand.vervolg)
    return stand


def corrigeer_meting(oud: MetingStand, einde: date | None, gecorrigeerd_op: date, **nieuw: Any) -> MetingStand:
    _niet_voor(gecorrigeerd_op, oud.gemeten_op)
    stand = replace(oud, **nieuw)
    if stand == oud:
        raise OngeldigeInvoer("The correction changes nothing.", rule="correctie-zonder-wijziging")
    controleer_meting(einde, stand.horizon_maanden, stand.gemeten_op, list(stand.categorieen),
                      list(stand.subcategorieen))
    return stand
