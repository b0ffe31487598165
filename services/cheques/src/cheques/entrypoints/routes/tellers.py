"""A gebruiker's live cheque counters before entry (issue #23 item 1): per organiser and
carrier, the cheques still usable on a business date and their expiry."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from cheques.domain.tellers import DragerTeller, per_drager
from cheques.entrypoints.deps import get_uow
from cheques.entrypoints.regelboek import REGELS
from cheques.service_layer import tellers as handlers
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.auth import CENTRAL, Principal, require
from wijkwerk.fouten import NietGevonden
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["cheques"], responses=PROBLEM_RESPONSES)
# The organiser's dashboard (evaluatie) asks with the caller's own reporting token.
Reader = Annotated[Principal, Depends(require("cheques:read", "rapportering:read"))]
Uow = Annotated[ChequesUnitOfWork, Depends(get_uow)]
BINNENKORT_DAGEN = 30

_VOORBEELD: dict[str, Any] = {
    "gebruiker_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10", "op": "2026-06-30",
    "per_drager": {"papier": 5, "elektronisch": 2},
    "dragers": [
        {"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "drager": "papier", "over": 5,
         "eerste_vervaldag": "2026-07-14", "vervalt_binnen_30_dagen": 2,
         "vervaldagen": [{"geldig_tot": "2026-07-14", "aantal": 2}, {"geldig_tot": "2027-01-05", "aantal": 3}]},
        {"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "drager": "elektronisch", "over": 2,
         "eerste_vervaldag": "2027-02-01", "vervalt_binnen_30_dagen": 0,
         "vervaldagen": [{"geldig_tot": "2027-02-01", "aantal": 2}]},
    ],
}


class VervaldagOut(BaseModel):
    geldig_tot: date = Field(description="A-21: the last day these cheques pay a prestatie (issue date + validity "
                                         "months − 1 day)")
    aantal: int


class DragerTellerOut(BaseModel):
    organisator_id: uuid.UUID = Field(description="A cheque pays only prestaties at the organiser it was bought "
                                                  "for (A-14)")
    drager: str = Field(description="papier or elektronisch")
    over: int = Field(description="Issued by `op`, not validated, refunded or expired on `op`: a prestatie dated "
                                  "`op` can be paid with at most this many")
    eerste_vervaldag: date | None
    vervalt_binnen_30_dagen: int = Field(description="Of `over`, those whose last valid day is within 30 days")
    vervaldagen: list[VervaldagOut] = Field(description="The usable cheques by last valid day, earliest first")

    @classmethod
    def of(cls, t: DragerTeller, op: date) -> DragerTellerOut:
        return cls(organisator_id=t.organisator_id, drager=t.drager, over=t.over,
                   eerste_vervaldag=t.eerste_vervaldag, vervalt_binnen_30_dagen=t.vervalt_binnen(op, BINNENKORT_DAGEN),
                   vervaldagen=[VervaldagOut(geldig_tot=v.geldig_tot, aantal=v.aantal) for v in t.vervaldagen])


class GebruikerTellersOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_VOORBEELD]})

    gebruiker_id: uuid.UUID
    op: date
    per_drager: dict[str, int] = Field(description="Usable cheques per carrier over the organisers shown")
    dragers: list[DragerTellerOut]


def _scope(principal: Principal, gebruiker_id: uuid.UUID) -> uuid.UUID | None:
    """None: all of the gebruiker's cheques; an organiser: its own id. Anyone else: 404."""
    if principal.org_type in CENTRAL or (principal.org_type == "gebruiker" and principal.org == str(gebruiker_id)):
        return None
    if principal.org_type == "organisator":
        try:
            return uuid.UUID(principal.org or "")
        except ValueError:
            pass
    raise NietGevonden("No such gebruiker is known here.", rule="gebruiker-onbekend")


@router.get(
    "/gebruikers/{gebruiker_id}/tellers",
    summary="A gebruiker's cheque counters before entry: left per carrier, expiry",
    description=(
        "As of `op` (default today), using only facts dated on or before it: per organiser and carrier the cheques "
        "still usable (issued, not validated, refunded or past their validity, A-21) and their last valid days, "
        "so a prestatie is never left unpaid by surprise. An organiser sees the gebruiker's cheques at itself "
        "only; a gebruiker its own; VDAB and services all."
    ),
    responses=REGELS.weigert("gebruiker-onbekend"),
)
async def gebruiker(
    gebruiker_id: uuid.UUID, uow: Uow, principal: Reader, op: date | None = None
) -> GebruikerTellersOut:
    dag = op or date.today()
    tellers = await handlers.gebruiker(uow, gebruiker_id, dag, _scope(principal, gebruiker_id))
    return GebruikerTellersOut(gebruiker_id=gebruiker_id, op=dag, per_drager=per_drager(tellers),
                               dragers=[DragerTellerOut.of(t, dag) for t in tellers])
