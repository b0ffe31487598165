"""Examples of the answers and request bodies that are not JSON, for the OpenAPI document:
the CSV of a settlement and of a reconciliation (written by the same functions as the real
CSV) and the bank files of a payout run — our pain.001.001.09 and the bank's pain.002.001.10
and camt.054.001.08 in answer to it, in this folder; ``tests/unit/test_openapi.py``
validates each against its ISO 20022 XSD and reads the bank's files as the import does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cheques.service_layer import afrekeningen, afsluiten

MAP = Path(__file__).parent
MIDWEST = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def xml(naam: str) -> str:
    """The example file ``<naam>.xml`` (e.g. ``pain.001.001.09``)."""
    return (MAP / f"{naam}.xml").read_text(encoding="utf-8")


def xml_inhoud(naam: str) -> dict[str, Any]:
    """The ``application/xml`` content of an answer or request body, with its example."""
    return {"application/xml": {"schema": {"type": "string"}, "example": xml(naam)}}


AFREKENING_CSV = afrekeningen.als_csv([
    {"partij": "organisator", "rekening": f"organisator:{MIDWEST}", "organisator_id": MIDWEST,
     "naam": "Wijk-werken Midwest", "cheques": 412, "debet": 0, "credit": 31270, "saldo": 31270,
     "uit_cheques": 25960, "uit_inschrijvingen": 5310},
    {"partij": "verzekering", "rekening": "verzekering", "organisator_id": None, "naam": None, "cheques": 412,
     "debet": 0, "credit": 17304, "saldo": 17304, "uit_cheques": 17304, "uit_inschrijvingen": 0},
])
"""``GET /v1/afrekeningen/{periode}?format=csv``: an organiser's row and a party's."""

AFSTEMMING_CSV = afsluiten.als_csv([{
    "periode": "2026-01", "peildatum": "2026-01-31", "organisator_id": MIDWEST, "naam": "Wijk-werken Midwest",
    "cheques": {"verkocht": {"aantal": 8, "cent": 5560}, "gevalideerd": {"aantal": 3, "cent": 2085},
                "terugbetaald": {"aantal": 1, "cent": 695}, "vervallen": {"aantal": 1, "cent": 695},
                "openstaand": {"aantal": 3, "cent": 2085}, "verschil": {"aantal": 0, "cent": 0}},
    "geld": {"cheques": 3, "geld_in_cent": 2085, "wijkwerker_cent": 1230, "verzekering_cent": 126,
             "reisfonds_cent": 30, "uitgever_cent": 174, "organisator_cent": 525, "verschil_cent": 0},
}])
"""``GET /v1/periodes/{periode}/afstemming?format=csv``: one organiser's row."""
