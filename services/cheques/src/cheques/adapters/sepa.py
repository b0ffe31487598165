"""The SEPA credit transfer file (pain.001.001.09) of a payout run, written with sepaxml
and validated against the ISO 20022 schema it ships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sepaxml
from sepaxml import SepaTransfer

SCHEMA = "pain.001.001.09"
XSD = Path(sepaxml.__file__).parent / "schemas" / f"{SCHEMA}.xsd"


@dataclass(frozen=True)
class Opdrachtgever:
    naam: str
    iban: str
    bic: str | None = None


@dataclass(frozen=True)
class Overschrijving:
    naam: str
    iban: str
    bedrag_cent: int
    omschrijving: str
    end_to_end_id: str


def schrijf_pain001(opdrachtgever: Opdrachtgever, uitvoering: date, overschrijvingen: list[Overschrijving]) -> bytes:
    config = {"name": opdrachtgever.naam, "IBAN": opdrachtgever.iban, "batch": True, "currency": "EUR"}
    if opdrachtgever.bic:
        config["BIC"] = opdrachtgever.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    for o in overschrijvingen:
        transfer.add_payment({
            "name": o.naam,
            "IBAN": o.iban.replace(" ", ""),
            "amount": o.bedrag_cent,
            "execution_date": uitvoering,
            "description": o.omschrijving,
            "endtoend_id": o.end_to_end_id,
        })
    return transfer.export(validate=True, pretty_print=True)
