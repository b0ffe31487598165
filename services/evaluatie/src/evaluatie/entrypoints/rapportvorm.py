"""The shape every table report shares: JSON (``TabelRapport``) or CSV with
``format=csv``, amounts as euro strings ("4.10"), the caller's data scope, months as
``YYYY-MM`` and the moment the report was computed (late facts change earlier months, P-4)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from dateutil.relativedelta import relativedelta
from fastapi import Depends, Query
from pydantic import BaseModel

from evaluatie.entrypoints.csv import csv_response
from wijkwerk.auth import Principal, gegevensscope, require
from wijkwerk.fouten import OngeldigeInvoer
from wijkwerk.money import format_euro

CSV = {200: {"content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}},
             "description": "The report; CSV with format=csv"}}
Reader = Annotated[Principal, Depends(require("rapportering:read"))]
Maand = Annotated[str, Query(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", examples=["2026-03"])]
Formaat = Literal["json", "csv"]
MAX_MAANDEN = 36


class TabelRapport(BaseModel):
    rapport: str
    parameters: dict[str, Any]
    berekend_op: datetime
    rijen: list[dict[str, Any]]
    totalen: dict[str, Any] = {}


def euro(row: dict) -> dict:
    return {
        (k.removesuffix("_cent") if k.endswith("_cent") else k): (format_euro(int(v)) if k.endswith("_cent") else v)
        for k, v in row.items()
    }


def scope(principal: Principal, organisator_id: uuid.UUID | None) -> uuid.UUID | None:
    """The organiser a report is limited to: the caller's own for an organiser, none (an
    all-zero id) for referrers and gebruikers, the asked one for central callers."""
    return gegevensscope(principal).beperk(organisator_id)


def maanden(van: str, tot: str) -> list[tuple[str, date, date]]:
    """``(YYYY-MM, first day, last day)`` for every month from ``van`` to ``tot``."""
    begin, laatste = date.fromisoformat(van + "-01"), date.fromisoformat(tot + "-01")
    if laatste < begin:
        raise OngeldigeInvoer("'tot' lies before 'van'.", rule="periode-ongeldig")
    result = []
    while begin <= laatste:
        result.append((begin.strftime("%Y-%m"), begin, begin + relativedelta(months=1, days=-1)))
        begin += relativedelta(months=1)
    if len(result) > MAX_MAANDEN:
        raise OngeldigeInvoer(f"A report spans at most {MAX_MAANDEN} months.", rule="periode-te-lang")
    return result


def aandeel(deel: int, geheel: int) -> float | None:
    return round(deel / geheel, 4) if geheel else None


def antwoord(rapport: str, parameters: dict, rijen: list[dict], formaat: Formaat, totalen: dict | None = None,
             model: type[TabelRapport] = TabelRapport):
    rijen = [euro(r) for r in rijen]
    if formaat == "csv":
        return csv_response(rijen, f"{rapport.lower()}.csv")
    return model(rapport=rapport, parameters=parameters, berekend_op=datetime.now(UTC), rijen=rijen,
                 totalen=totalen or {})
