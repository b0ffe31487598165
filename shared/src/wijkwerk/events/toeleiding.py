"""Events of the toeleiding (referral) service, topic ``wijkwerk.toeleiding.v1``.

They carry the pseudonymous ``wijkwerker_id``, never an INSZ, a name or an IBAN (an IBAN or
address only as a keyed fingerprint, :mod:`wijkwerk.vingerafdruk`).
"""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict

from wijkwerk.events import topics
from wijkwerk.events.envelope import Event
from wijkwerk.events.registry import registry


class Gemeente(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    nis_code: str
    naam: str


class _ToeleidingEvent(Event):
    topic = topics.TOELEIDING


@registry.register
class OrganisatorGeregistreerd(_ToeleidingEvent):
    event_type = "OrganisatorGeregistreerd"
    aggregate_field = "organisator_id"
    key_field = None

    organisator_id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    gemeenten: tuple[Gemeente, ...]


@registry.register
class TariefVastgelegd(_ToeleidingEvent):
    """The organiser's cheque price from a date on; history is never rewritten."""

    event_type = "TariefVastgelegd"
    aggregate_field = "organisator_id"
    key_field = None

    organisator_id: uuid.UUID
    prijs_cent: int
    geldig_vanaf: date


@registry.register
class WijkwerkerIngeschreven(_ToeleidingEvent):
    event_type = "WijkwerkerIngeschreven"
    aggregate_field = "wijkwerker_id"

    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    domicilie_nis_code: str
    uitkeringsstatus: str
    ex_pwa: bool
    onbeperkt_recht: bool
    ingeschreven_op: date
    # Keyed hashes (wijkwerk.vingerafdruk) of the IBAN and the address, never the values: cheques
    # compares them with the gebruiker's (ADR 0024). None: no key, no address, or an older event.
    iban_vingerafdruk: str | None = None
    adres_vingerafdruk: str | None = None


@registry.register
class WerkingsgebiedGewijzigd(_ToeleidingEvent):
    """The organiser's complete area from now on (replaces the previous set)."""

    event_type = "WerkingsgebiedGewijzigd"
    aggregate_field = "organisator_id"
    key_field = None

    organisator_id: uuid.UUID
    gemeenten: tuple[Gemeente, ...]


@registry.register
class UitkeringsstatusGewijzigd(_ToeleidingEvent):
    """PR-03: the benefit status is dated, so reports can split job seekers and leefloners."""

    event_type = "UitkeringsstatusGewijzigd"
    aggregate_field = "wijkwerker_id"

    wijkwerker_id: uuid.UUID
    uitkeringsstatus: str
    vanaf: date


@registry.register
class WijkwerkerGewijzigd(_ToeleidingEvent):
    """The dossier's personal data (IBAN, name, address) changed on ``gewijzigd_op``.

    Deliberately without the values (only the keyed fingerprints of IBAN and address, ADR 0024:
    comparing them with the previous ones tells whether those changed), nor which changed:
    personal data stays in toeleiding (ARCHITECTURE §2); a service that needs the new value
    asks toeleiding."""

    event_type = "WijkwerkerGewijzigd"
    aggregate_field = "wijkwerker_id"

    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    gewijzigd_op: date
    # Keyed hashes (wijkwerk.vingerafdruk) of the dossier's IBAN and address after the change,
    # never the values: cheques compares them with the gebruiker's (ADR 0024). None: no key,
    # no address, or an older event.
    iban_vingerafdruk: str | None = None
    adres_vingerafdruk: str | None = None


@registry.register
class ToeleidingOntvangen(_ToeleidingEvent):
    event_type = "ToeleidingOntvangen"
    aggregate_field = "toeleiding_id"

    toeleiding_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleider_type: str  # VDAB, OCMW, GTB, ANDERE, PWA (ex-PWA transfer)
    advies_maanden: int | None  # None: ex-PWA onbeperkt recht
    ontvangen_op: date
    uitkeringsstatus: str
    ex_pwa: bool
    onbeperkt_recht: bool
    hertoeleiding: bool = False
    # The referring organisation as its token names it (e.g. "ocmw-brugge"), so evaluatie
    # can show a referrer the outcomes of its own referrals; None when an organiser or VDAB
    # registered the referral itself. An organisation, not a person.
    toeleider_org: str | None = None


@registry.register
class TrajectGestart(_ToeleidingEvent):
    event_type = "TrajectGestart"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    toeleiding_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    start: date
    gepland_einde: date | None
    max_einde: date | None


@registry.register
class OvereenkomstGetekend(_ToeleidingEvent):
    event_type = "OvereenkomstGetekend"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    getekend_op: date


@registry.register
class TrajectVerlengd(_ToeleidingEvent):
    event_type = "TrajectVerlengd"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    gepland_einde: date
    max_einde: date | None


@registry.register
class TrajectGeschorst(_ToeleidingEvent):
    event_type = "TrajectGeschorst"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    van: date
    tot: date
    reden: str
    gepland_einde: date | None
    max_einde: date | None


@registry.register
class TrajectBeeindigd(_ToeleidingEvent):
    event_type = "TrajectBeeindigd"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    einde: date
    reden: str  # uitstroom_werk, ander_traject, gestopt, einde_advies, max_duur_bereikt
    vervolg: str | None = None  # e.g. IBO, TWE
