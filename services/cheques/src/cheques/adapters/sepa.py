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


def schrijf_pain001(
    opdrachtgever: Opdrachtgever, uitvoering: date, overschrijvingen: list[Overschrijving], bericht_id: str | None = None
) -> bytes:
    """``bericht_id``: the file's MsgId (≤ 35 characters); the same for every copy of one
    run, so the bank refuses a second upload and its pain.002 names the run."""
    config = {"name": opdrachtgever.naam, "IBAN": opdrachtgever.iban, "batch": True, "currency": "EUR"}
    if opdrachtgever.bic:
        config["BIC"] = opdrachtgever.bic
    transfer = SepaTransfer(config, schema=SCHEMA, clean=True)
    if bericht_id is not None:
        # sepaxml 2.7 draws a random MsgId and writes the header in its constructor
        transfer.msg_id = bericht_id
        transfer._xml.find("CstmrCdtTrfInitn/GrpHdr/MsgId").text = bericht_id
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
