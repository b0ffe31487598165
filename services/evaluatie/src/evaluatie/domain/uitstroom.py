"""Outflow measured 3/6/9/12 months after the end (DOMAIN V-3, V-4, A-12, PR-17)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from evaluatie.domain.fouten import OngeldigeInvoer

HORIZONTEN = (3, 6, 9, 12)

# V-4: VDAB's category tree. Top rows: what a person does at the measurement point;
# sub-rows are not exclusive (a person can be in training and workplace learning).
CATEGORIEEN: dict[str, frozenset[str]] = {
    "werk_werknemer": frozenset({"NEC", "NEC_in_SEC", "SEC"}),  # RSZ
    "werk_zelfstandige": frozenset(),  # RSVZ
    "begeleidingsservice": frozenset({"TWE"}),
    "twe_ocmw": frozenset(),
    "competentieversterking": frozenset({"opleiding", "werkplekleren", "BVS", "IBO", "BIS"}),
    "welzijnsbegeleiding": frozenset(),
    "mentorbegeleiding": frozenset(),
    "amc_anderstaligen": frozenset(),
    "gob": frozenset(),
    "diplomagelijkschakeling": frozenset(),
    "traject_ondernemerschap": frozenset(),
    "werkzoekend": frozenset(),
    "onbekend": frozenset(),
}
AAN_HET_WERK = frozenset({"werk_werknemer", "werk_zelfstandige"})
DOORSTROOM = frozenset({"begeleidingsservice", "twe_ocmw", "competentieversterking", "gob"})


def meetmoment(einde: date, horizon: int) -> date:
    """A-12: measurement point N = actual end + N months."""
    return einde + relativedelta(months=horizon)


def controleer_meting(
    einde: date | None, horizon: int, gemeten_op: date, categorieen: list[str], subcategorieen: list[str]
) -> None:
    if horizon not in HORIZONTEN:
        raise OngeldigeInvoer("Outflow is measured at 3, 6, 9 or 12 months.", rule="horizon-ongeldig")
    if einde is None:
        raise OngeldigeInvoer("Outflow is measured after the trajectory ended.", rule="traject-niet-beeindigd")
    if gemeten_op < meetmoment(einde, horizon):
        raise OngeldigeInvoer(
            f"The {horizon}-month point is {meetmoment(einde, horizon)}; it cannot be measured earlier.",
            rule="meetmoment-niet-bereikt",
        )
    if not categorieen:
        raise OngeldigeInvoer("A measurement has at least one category.", rule="categorie-ontbreekt")
    onbekend = [c for c in categorieen if c not in CATEGORIEEN]
    if onbekend:
        raise OngeldigeInvoer(f"Unknown outflow categories: {', '.join(onbekend)}.", rule="categorie-onbekend")
    toegelaten = set().union(*(CATEGORIEEN[c] for c in categorieen))
    los = [s for s in subcategorieen if s not in toegelaten]
    if los:
        raise OngeldigeInvoer(
            f"Sub-categories {', '.join(los)} do not belong to the chosen categories.", rule="subcategorie-ongeldig"
        )
