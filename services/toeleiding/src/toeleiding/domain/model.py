"""Aggregates of toeleiding: the organiser and the wijk-werker dossier."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date

from toeleiding.domain import regels
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


class Uitkeringsstatus(enum.StrEnum):
    """DOMAIN E-1: the statuses that make a person eligible."""

    VOLLEDIG_WERKZOEKEND = "volledig_werkzoekend"
    LEEFLOON = "leefloon"
    ZIEKTEUITKERING = "ziekteuitkering"
    GEEN_UITKERING = "geen_uitkering"


class DossierStatus(enum.StrEnum):
    VOORLOPIG = "voorlopig"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


@dataclass
class Organisator:
    id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    gemeenten: dict[str, str]  # NIS code → name
    tarieven: list[tuple[date, int]] = field(default_factory=list)
    version: int = 0

    @classmethod
    def registreer(
        cls,
        *,
        naam: str,
        samenwerkingsverband: str,
        gemeenten: dict[str, str],
        tarief_cent: int,
        tarief_vanaf: date,
        toegelaten_tarieven: tuple[int, ...],
    ) -> Organisator:
        if not gemeenten:
            raise OngeldigeInvoer("An organiser needs at least one municipality.", rule="werkingsgebied-leeg")
        for nis in gemeenten:
            regels.controleer_vlaamse_gemeente(nis)
        organisator = cls(uuid.uuid4(), naam.strip(), samenwerkingsverband.strip(), dict(gemeenten))
        organisator.leg_tarief_vast(tarief_cent, tarief_vanaf, toegelaten_tarieven)
        return organisator

    def leg_tarief_vast(self, prijs_cent: int, vanaf: date, toegelaten: tuple[int, ...]) -> None:
        regels.controleer_tarief(prijs_cent, toegelaten)
        if any(bestaand == vanaf for bestaand, _ in self.tarieven):
            raise BestaatAl(f"A tariff from {vanaf} already exists.", rule="tarief-bestaat-al")
        self.tarieven.append((vanaf, prijs_cent))
        self.version += 1

    def controleer_zelfde_tarief(self, andere: list[Organisator], vanaf: date = date.min) -> None:
        """A-18: one tariff across the organisers of a samenwerkingsverband (C-2) on any date
        (from ``vanaf``: what a new tariff row changes)."""
        for ander in andere:
            dag = regels.eerste_verschil(self.tarieven, ander.tarieven, vanaf)
            if dag is not None:
                raise BestaatAl(
                    f"From {dag} this tariff differs from {ander.naam}'s in samenwerkingsverband "
                    f"{self.samenwerkingsverband}: one tariff holds across it (C-2). Set it for the whole "
                    "samenwerkingsverband instead.",
                    rule="tarief-verschilt-in-samenwerkingsverband",
                    organisator_id=str(ander.id), datum=dag.isoformat(),
                )

    def wijzig_werkingsgebied(self, gemeenten: dict[str, str]) -> None:
        if not gemeenten:
            raise OngeldigeInvoer("An organiser needs at least one municipality.", rule="werkingsgebied-leeg")
        for nis in gemeenten:
            regels.controleer_vlaamse_gemeente(nis)
        self.gemeenten = dict(gemeenten)
        self.version += 1

    def tarief_op(self, dag: date) -> int | None:
        return regels.tarief_op(self.tarieven, dag)

    def bedient(self, nis_code: str) -> bool:
        return nis_code in self.gemeenten


@dataclass
class Wijkwerker:
    """The dossier. ``id`` is the pseudonym every other service sees."""

    id: uuid.UUID
    insz: str
    voornaam: str
    achternaam: str
    domicilie_nis_code: str
    organisator_id: uuid.UUID
    uitkeringsstatus: Uitkeringsstatus
    vdab_ingeschreven: bool
    ex_pwa: bool
    onbeperkt_recht: bool
    iban: str
    ingeschreven_op: date
    status: DossierStatus = DossierStatus.VOORLOPIG
    version: int = 0
    adres_straat: str | None = None
    adres_huisnummer: str | None = None
    adres_postcode: str | None = None

    @classmethod
    def schrijf_in(
        cls,
        *,
        insz: str,
        voornaam: str,
        achternaam: str,
        domicilie_nis_code: str,
        organisator: Organisator,
        uitkeringsstatus: Uitkeringsstatus,
        vdab_ingeschreven: bool,
        ex_pwa: bool,
        onbeperkt_recht: bool,
        iban: str,
        ingeschreven_op: date,
        adres: tuple[str, str, str] | None = None,
    ) -> Wijkwerker:
        regels.controleer_vlaamse_gemeente(domicilie_nis_code)
        if not vdab_ingeschreven:
            # E-1, E-3: also leefloners must register with VDAB before they start.
            raise OngeldigeInvoer("A wijk-werker must be registered with VDAB.", rule="niet-ingeschreven-bij-vdab")
        if onbeperkt_recht and not ex_pwa:
            raise OngeldigeInvoer(
                "Only former PWA workers can hold the unlimited right (T-4).", rule="onbeperkt-recht-zonder-pwa"
            )
        if not organisator.bedient(domicilie_nis_code):
            raise OngeldigeInvoer(
                "The domicile is outside the organiser's area.", rule="buiten-werkingsgebied"
            )
        return cls(
            id=uuid.uuid4(),
            insz=regels.normaliseer_insz(insz),
            voornaam=voornaam.strip(),
            achternaam=achternaam.strip(),
            domicilie_nis_code=domicilie_nis_code,
            organisator_id=organisator.id,
            uitkeringsstatus=uitkeringsstatus,
            vdab_ingeschreven=vdab_ingeschreven,
            ex_pwa=ex_pwa,
            onbeperkt_recht=onbeperkt_recht,
            iban=regels.normaliseer_iban(iban),
            ingeschreven_op=ingeschreven_op,
            version=1,
            adres_straat=adres[0].strip() if adres else None,
            adres_huisnummer=adres[1].strip() if adres else None,
            adres_postcode=adres[2].strip() if adres else None,
        )
