"""The gebruiker (G-1, A-16) and its erkenningen: one per organiser (G-2, PR-04), each with
yearly validity periods and a registration fee (G-3, A-10), renewal and stop."""

from __future__ import annotations

import calendar
import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from prestaties.domain.tarieven import Inschrijvingsrecht, geldig_op
from wijkwerk import vingerafdruk
from wijkwerk.fouten import BestaatAl, OngeldigeInvoer


class GebruikerCategorie(enum.StrEnum):
    """G-1; 000 Q2d groups them as schools, local governments, agriculture, other."""

    PARTICULIER = "particulier"
    LOKAAL_BESTUUR = "lokaal_bestuur"
    SCHOOL = "school"
    VZW = "vzw"  # and other non-commercial organisations
    LAND_EN_TUINBOUW = "land_en_tuinbouw"  # incl. fruit growing
    POLITIE_BRANDWEER = "politie_brandweer"
    ANDERE = "andere"


class Geslacht(enum.StrEnum):
    """A-16: optional, for private persons only (the old platform had none, G-8)."""

    VROUW = "vrouw"
    MAN = "man"
    ANDER_OF_ONBEKEND = "ander_of_onbekend"


@dataclass
class Gebruiker:
    id: uuid.UUID
    categorie: GebruikerCategorie
    naam: str
    aangemeld_op: date
    aangemeld_bij: uuid.UUID  # the organiser where it signed up (RPT-13)
    geslacht: Geslacht | None = None
    version: int = 0
    # Optional personal data (ADR 0024): kept here only; events carry keyed fingerprints.
    iban: str | None = None  # normalised (schwifty: compact, upper case)
    adres: Adres | None = None

    @classmethod
    def registreer(
        cls,
        *,
        categorie: GebruikerCategorie,
        naam: str,
        aangemeld_op: date,
        aangemeld_bij: uuid.UUID,
        geslacht: Geslacht | None,
        iban: str | None = None,
        adres: Adres | None = None,
    ) -> Gebruiker:
        if geslacht is not None and categorie is not GebruikerCategorie.PARTICULIER:
            raise OngeldigeInvoer(
                "Only a private person has a gender (A-16).", rule="geslacht-alleen-voor-particulier"
            )
        return cls(uuid.uuid4(), categorie, naam.strip(), aangemeld_op, aangemeld_bij, geslacht, version=1,
                   iban=normaliseer_iban(iban) if iban is not None else None,
                   adres=Adres(adres.straat.strip(), adres.huisnummer.strip(), adres.postcode.strip()) if adres else None)

    def iban_vingerafdruk(self, sleutel: bytes | None) -> str | None:
        return vingerafdruk.iban_vingerafdruk(sleutel, self.iban)

    def adres_vingerafdruk(self, sleutel: bytes | None) -> str | None:
        a = self.adres
        return vingerafdruk.adres_vingerafdruk(sleutel, a.straat, a.huisnummer, a.postcode) if a else None


@dataclass(frozen=True)
class Adres:
    straat: str
    huisnummer: str
    postcode: str


def normaliseer_iban(iban: str) -> str:
    """Validated and compact (as toeleiding keeps a worker's), or refused naming the rule."""
    try:
        return IBAN(iban).compact
    except SchwiftyException as exc:
        raise OngeldigeInvoer(f"IBAN is not valid ({exc}).", rule="iban-ongeldig") from exc


@dataclass
class Geldigheid:
    """One validity period and its fee (A-10: start .. start + 1 year − 1 day)."""

    van: date
    tot: date
    inschrijvingsrecht_cent: int
    betaald_op: date | None = None

    def omvat(self, dag: date) -> bool:
        return self.van <= dag <= self.tot

    def betaald_op_of_voor(self, dag: date) -> bool:
        return self.betaald_op is not None and self.betaald_op <= dag


class ErkenningStatus(enum.StrEnum):
    ACTIEF = "actief"
    NIET_ONDERTEKEND = "niet_ondertekend"
    NIET_BETAALD = "niet_betaald"
    VERVALLEN = "vervallen"  # no validity period covers the day (not renewed, or not yet valid)
    STOPGEZET = "stopgezet"


@dataclass(frozen=True)
class ErkenningRegels:
    """Settings: the fee table and the length of a validity period."""

    inschrijvingsrecht: tuple[Inschrijvingsrecht, ...]
    geldigheid_maanden: int = 12

    def periode(self, van: date) -> Geldigheid:
        tot = van + relativedelta(months=self.geldigheid_maanden) - timedelta(days=1)
        recht = geldig_op(self.inschrijvingsrecht, van, wat="registration fee").cent
        # A zero fee (PR-21) leaves nothing to pay: the period counts as paid from its start.
        return Geldigheid(van, tot, recht, betaald_op=van if recht == 0 else None)


@dataclass
class Erkenning:
    id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    perioden: list[Geldigheid] = field(default_factory=list)
    overeenkomst_op: date | None = None
    einde: date | None = None  # stopped: the last valid day
    einde_reden: str | None = None
    version: int = 0

    @classmethod
    def verleen(
        cls,
        *,
        gebruiker_id: uuid.UUID,
        organisator_id: uuid.UUID,
        vanaf: date,
        overeenkomst_op: date | None,
        regels: ErkenningRegels,
    ) -> Erkenning:
        return cls(uuid.uuid4(), gebruiker_id, organisator_id, [regels.periode(vanaf)], overeenkomst_op, version=1)

    # --- queries -------------------------------------------------------------------

    def periode_op(self, dag: date) -> Geldigheid | None:
        return next((p for p in self.perioden if p.omvat(dag)), None)

    def status_op(self, dag: date) -> ErkenningStatus:
        """A-10: active on a day when signed, that period's fee paid and the day valid."""
        if self.einde is not None and dag > self.einde:
            return ErkenningStatus.STOPGEZET
        periode = self.periode_op(dag)
        if periode is None:
            return ErkenningStatus.VERVALLEN
        if self.overeenkomst_op is None or self.overeenkomst_op > dag:
            return ErkenningStatus.NIET_ONDERTEKEND
        if not periode.betaald_op_of_voor(dag):
            return ErkenningStatus.NIET_BETAALD
        return ErkenningStatus.ACTIEF

    def actief_op(self, dag: date) -> bool:
        return self.status_op(dag) is ErkenningStatus.ACTIEF

    def stand_op(self, dag: date) -> dict[str, str | None]:
        """What a partner needs when a prestatie on ``dag`` is refused for the erkenning:
        its status, the last valid day of the period that covers ``dag`` or ended before it
        (or the stop), and the start of the next period after ``dag`` (a renewal), if any."""
        eerdere = [p for p in self.perioden if p.van <= dag]
        einde = max((p.tot for p in eerdere), default=None)
        if self.einde is not None and (einde is None or self.einde < einde):
            einde = self.einde
        volgende = min((p.van for p in self.perioden if p.van > dag), default=None)
        return {
            "erkenning_status": self.status_op(dag).value,
            "erkenning_einde": einde.isoformat() if einde else None,
            "hernieuwing_start": volgende.isoformat() if volgende else None,
        }

    def actief_in_maand(self, jaar: int, maand: int) -> bool:
        """G-5 (reports): signed and paid by the end of month M, and the validity period
        running then ends after the end of M."""
        einde_maand = date(jaar, maand, calendar.monthrange(jaar, maand)[1])
        periode = self.periode_op(einde_maand)
        return (
            periode is not None
            and periode.tot > einde_maand
            and periode.betaald_op_of_voor(einde_maand)
            and self.overeenkomst_op is not None
            and self.overeenkomst_op <= einde_maand
            and (self.einde is None or self.einde > einde_maand)
        )

    # --- commands ------------------------------------------------------------------

    def _mag_wijzigen(self) -> None:
        if self.einde is not None:
            raise BestaatAl("The erkenning has been stopped.", rule="erkenning-stopgezet")

    def onderteken(self, op: date) -> None:
        self._mag_wijzigen()
        if self.overeenkomst_op is not None:
            raise BestaatAl("The agreement was already signed.", rule="erkenning-al-ondertekend")
        self.overeenkomst_op = op
        self.version += 1

    def betaal(self, op: date) -> Geldigheid:
        """The fee of the oldest unpaid period is paid (one payment per period, G-4)."""
        self._mag_wijzigen()
        open_ = next((p for p in self.perioden if p.betaald_op is None), None)
        if open_ is None:
            raise BestaatAl("There is no unpaid registration fee.", rule="inschrijvingsrecht-al-betaald")
        open_.betaald_op = op
        self.version += 1
        return open_

    def hernieuw(self, vanaf: date | None, regels: ErkenningRegels) -> Geldigheid:
        """A new yearly period with a new fee (A-10); after a gap it starts later."""
        self._mag_wijzigen()
        laatste = max(p.tot for p in self.perioden)
        vanaf = vanaf or laatste + timedelta(days=1)
        if vanaf <= laatste:
            raise OngeldigeInvoer(
                f"A renewal starts after the current validity (ends {laatste}).", rule="hernieuwing-overlapt"
            )
        periode = regels.periode(vanaf)
        self.perioden.append(periode)
        self.version += 1
        return periode

    def stop(self, einde: date, reden: str) -> None:
        self._mag_wijzigen()
        if einde < self.perioden[0].van - timedelta(days=1):
            raise OngeldigeInvoer("An erkenning cannot stop before it starts.", rule="einde-voor-start")
        self.einde = einde
        self.einde_reden = reden
        self.version += 1
