"""Commands: what a caller (the issuer's webhooks, an admin, the payout job) asks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Levering:
    """One signed webhook delivery, as received."""

    uitgever: str
    delivery_id: str
    ondertekend_op: int
    body: bytes
    soort: str


@dataclass(frozen=True)
class RegistreerBestelling:
    bestelling_id: uuid.UUID
    gebruiker_id: uuid.UUID
    organisator_id: uuid.UUID
    aantal: int
    drager: str
    besteld_op: date


@dataclass(frozen=True)
class GeefChequesUit:
    bestelling_id: uuid.UUID
    serienummers: tuple[str, ...]
    uitgegeven_op: date


@dataclass(frozen=True)
class ValideerCheque:
    serienummer: str
    prestatie_id: uuid.UUID | None  # or the reference the gebruiker sees
    gevalideerd_op: date
    prestatie_referentie: str | None = None


@dataclass(frozen=True)
class ValideerCheques:
    """Several cheques for one prestatie, in one delivery: all or nothing."""

    serienummers: tuple[str, ...]
    prestatie_id: uuid.UUID | None  # or the reference the gebruiker sees
    gevalideerd_op: date
    prestatie_referentie: str | None = None


@dataclass(frozen=True)
class BetaalChequeTerug:
    serienummer: str
    terugbetaald_op: date


@dataclass(frozen=True)
class LaatChequeVervallen:
    serienummer: str
    vervallen_op: date


@dataclass(frozen=True)
class LegVerdeeltariefVast:
    soort: str
    waarde: int
    geldig_vanaf: date
