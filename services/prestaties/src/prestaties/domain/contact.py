"""PR-01, G-7: every contact between the organiser's bemiddelaar and a gebruiker is
recorded (the old platform could not say how many gebruikers were contacted, RPT-12)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from wijkwerk.fouten import OngeldigeInvoer


class ContactRol(enum.StrEnum):
    BEMIDDELAAR = "bemiddelaar"
    ORGANISATOR = "organisator"


class Kanaal(enum.StrEnum):
    TELEFOON = "telefoon"
    EMAIL = "email"
    BEZOEK = "bezoek"
    BRIEF = "brief"
    ANDERE = "andere"


class ContactReden(enum.StrEnum):
    GEEN_KOPPELING = "geen_koppeling"  # no meaningful match yet (G-7)
    GEEN_PRESTATIES = "geen_prestaties"  # active without prestaties (RPT-11)
    ERKENNING = "erkenning"  # signing, fee, renewal
    OPVOLGING = "opvolging"
    ANDERE = "andere"


@dataclass(frozen=True)
class Contact:
    id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    door: str  # the staff member's identifier at the organiser; it stays in this service
    door_rol: ContactRol
    kanaal: Kanaal
    reden: ContactReden
    notitie: str | None = None

    @classmethod
    def registreer(cls, *, vandaag: date, **velden: Any) -> Contact:
        contact = cls(id=uuid.uuid4(), **velden)
        if contact.datum > vandaag:
            raise OngeldigeInvoer("A contact is recorded after it took place.", rule="datum-in-de-toekomst")
        return contact
