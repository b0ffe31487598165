"""The issuer's webhook payloads: a union discriminated on ``type``; extra fields are
rejected. They are parsed from the raw body only after its signature was checked."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

Serienummer = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$", examples=["WW-2026-000001"])]


class _Webhook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BestellingBetaald(_Webhook):
    """An order was paid: it is priced with the organiser's tariff on ``besteld_op``."""

    type: Literal["bestelling.betaald"]
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    aantal: int = Field(ge=1, le=10_000)
    drager: Literal["papier", "elektronisch"]
    besteld_op: date


class ChequesUitgegeven(_Webhook):
    type: Literal["cheques.uitgegeven"]
    bestelling_id: uuid.UUID
    serienummers: list[Serienummer] = Field(min_length=1, max_length=10_000)
    uitgegeven_op: date


PrestatieReferentie = Annotated[str, Field(
    min_length=8, max_length=20, pattern=r"^[A-Za-z0-9 -]+$", examples=["P-0000Z8-H"],
    description="The prestatie reference the gebruiker sees (instead of prestatie_id): P-, six characters, a "
                "check character; case, spaces and hyphens do not matter")]


class ChequeGevalideerd(_Webhook):
    """The cheque was handed over or registered for one started hour of a prestatie, named
    by ``prestatie_id`` or by the reference the gebruiker sees (exactly one of them)."""

    type: Literal["cheque.gevalideerd"]
    serienummer: Serienummer
    prestatie_id: uuid.UUID | None = None
    prestatie_referentie: PrestatieReferentie | None = None
    gevalideerd_op: date


class ChequesGevalideerd(_Webhook):
    """Several cheques handed over or registered together for the started hours of one
    prestatie (an electronic registration, or a bundle of paper cheques). All or nothing:
    one refused cheque refuses the delivery and nothing is written."""

    type: Literal["cheques.gevalideerd"]
    serienummers: list[Serienummer] = Field(min_length=1, max_length=60)  # at most a month's hours
    prestatie_id: uuid.UUID | None = None
    prestatie_referentie: PrestatieReferentie | None = None
    gevalideerd_op: date


class ChequeTerugbetaald(_Webhook):
    type: Literal["cheque.terugbetaald"]
    serienummer: Serienummer
    terugbetaald_op: date


class ChequeVervallen(_Webhook):
    type: Literal["cheque.vervallen"]
    serienummer: Serienummer
    vervallen_op: date = Field(description="After the cheque's last valid day (A-21)")


Webhook = Annotated[
    BestellingBetaald | ChequesUitgegeven | ChequeGevalideerd | ChequesGevalideerd | ChequeTerugbetaald
    | ChequeVervallen,
    Field(discriminator="type"),
]
WEBHOOK = TypeAdapter(Webhook)

VOORBEELD = {
    "type": "cheque.gevalideerd",
    "serienummer": "WW-2026-000001",
    "prestatie_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10",
    "gevalideerd_op": "2026-03-05",
}
VOORBEELD_REFERENTIE = {
    "type": "cheques.gevalideerd",
    "serienummers": ["WW-2026-000004", "WW-2026-000005"],
    "prestatie_referentie": "P-0000Z8-H",
    "gevalideerd_op": "2026-03-05",
}
VOORBEELD_BUNDEL = {
    "type": "cheques.gevalideerd",
    "serienummers": ["WW-2026-000002", "WW-2026-000003"],
    "prestatie_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10",
    "gevalideerd_op": "2026-03-05",
}


class WebhookOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"uitgever": "vdab", "delivery_id": "msg_2Xh7Kq9LmN3pR8sT", "type": "cheque.gevalideerd", "verwerkt": True}]})

    uitgever: str
    delivery_id: str
    type: str
    verwerkt: bool = Field(description="False for a redelivery: acknowledged, no second effect")
