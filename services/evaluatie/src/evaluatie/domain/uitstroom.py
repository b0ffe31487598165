"""Outflow measured 3/6/9/12 months after the end (DOMAIN V-3, V-4, A-12, PR-17)."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from wijkwerk.fouten import OngeldigeInvoer

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


# RPT-21 (V-5): outflow to work *within* six months after the end = at work at a
# measurement of horizon 3 or 6. "NEC" is the regular circuit (ladder step 6): a regular
# job, also at a social-economy company (*NEC in SEC-bedrijf*), or self-employed (RSVZ);
# the social economy (step 5) is *SEC*. With these the 000 tables give about 9 % SEC of
# those at work, V-5's "about 10 %".
UITSTROOM_BINNEN_MAANDEN = 6
REGULIER_SUB = frozenset({"NEC", "NEC_in_SEC"})
REGULIER_CAT = frozenset({"werk_zelfstandige"})
SOCIALE_ECONOMIE_SUB = frozenset({"SEC"})

# RPT-22 (V-6, PR-16, PR-17): the defaults of two settings. "Sustainable" is at work at
# both the 6- and 12-month measurement (PR-17); "still followed with a view to further
# steps to work" is, at the 3-month measurement, a guidance or training category of V-4
# (not at work, not merely a registered job seeker, not unknown).
DUURZAAM_HORIZONTEN = (6, 12)
OPVOLGING_HORIZON = 3
OPVOLGING_CATEGORIEEN = tuple(sorted(set(CATEGORIEEN) - AAN_HET_WERK - {"werkzoekend", "onbekend"}))


def controleer_horizonten(horizonten: tuple[int, ...]) -> tuple[int, ...]:
    if not horizonten or any(h not in HORIZONTEN for h in horizonten):
        raise ValueError(f"horizons are some of {HORIZONTEN}")
    return tuple(sorted(set(horizonten)))


def controleer_categorieen(categorieen: tuple[str, ...]) -> tuple[str, ...]:
    onbekend = [c for c in categorieen if c not in CATEGORIEEN]
    if not categorieen or onbekend:
        raise ValueError(f"unknown outflow categories: {onbekend}")
    return tuple(categorieen)
