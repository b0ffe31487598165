"""The wijk-werker dossier aggregate and its statuses."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date

from toeleiding.domain import regels
from toeleiding.domain.organisator import Organisator
from wijkwerk import vingerafdruk
from wijkwerk.fouten import OngeldigeInvoer


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

    def vingerafdrukken(self, sleutel: bytes | None) -> dict[str, str | None]:
        """The keyed fingerprints of the IBAN and the address for the events (ADR 0024),
        never the values; None without a key or an address."""
        return {
            "iban_vingerafdruk": vingerafdruk.iban_vingerafdruk(sleutel, self.iban),
            "adres_vingerafdruk": vingerafdruk.adres_vingerafdruk(
                sleutel, self.adres_straat, self.adres_huisnummer, self.adres_postcode),
        }
