"""Fraud and error flags before payout (issue #23 item 4, ADR 0024): the review queue of ops
and the decision on a flag (release or reject, with a reason)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from cheques.domain.signaal import Signaal, Status
from cheques.entrypoints.deps import Uow
from cheques.entrypoints.regelboek import REGELS
from cheques.service_layer import signalen
from wijkwerk.auth import Principal, gegevensscope, require
from wijkwerk.gegevensscope import Gegevensscope
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.money import Euro
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/v1/signalen", tags=["signalen"], responses=PROBLEM_RESPONSES)
SignaalPad = Annotated[uuid.UUID, Path(examples=["5d0f6a0e-93c1-5b8e-a2b4-7f1e0c9d2a11"])]

_SIGNAAL: dict[str, Any] = {
    "id": "5d0f6a0e-93c1-5b8e-a2b4-7f1e0c9d2a11", "prestatie_id": "0b7e2a52-8a7e-4f7e-9b1e-2f7c1c1d9a10",
    "regel": "overlappende-uren", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "gebruiker_id": "b2c4d6e8-1a3c-4e5f-8a7b-9c0d1e2f3a4b", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "datum": "2026-03-05", "bedrag": "12.30",
    "toelichting": "overlaps prestatie 1f0c… at gebruiker 9a2b… (09:30, 120 min)", "status": "open",
    "besloten_op": None, "besloten_door": None, "reden": None,
    "te_doen": "Check both gebruikers' registrations of 2026-03-05 with the worker; release the right one, "
               "reject the other (it is then not paid).",
}

_TE_DOEN = {
    "overlappende-uren": "Check both registrations with the worker and the gebruikers; release the right one, "
                         "reject the one that was not worked (it is then not paid).",
    "te-veel-uren-op-een-dag": "Ask the worker and the gebruikers for the day's hours; release what was worked, "
                               "reject what was not.",
    "gebruiker-veel-wijkwerkers": "Ask the gebruiker what the workers did that day; release the real prestaties, "
                                  "reject cheques used for someone else's work.",
    "gedeelde-rekening": "Check whose account it is with the workers; correct the bank details in toeleiding, "
                         "then release (the whole payout waits until then).",
    "gedeelde-iban-of-adres": "The worker shares the gebruiker's IBAN or address (named in the explanation): check "
                              "with the organiser whether the worker works for their own household; release or reject.",
}


class SignaalOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SIGNAAL]})

    id: uuid.UUID
    prestatie_id: uuid.UUID | None = Field(description="None for a worker-level flag (gedeelde-rekening)")
    regel: str = Field(description="The rule that fired: overlappende-uren, te-veel-uren-op-een-dag, "
                                   "gebruiker-veel-wijkwerkers, gedeelde-rekening, "
                                   "gedeelde-iban-of-adres")
    wijkwerker_id: uuid.UUID
    gebruiker_id: uuid.UUID | None
    organisator_id: uuid.UUID
    datum: date = Field(description="The prestatie's business date (gedeelde-rekening: the payout run's): the "
                                    "flag's date")
    bedrag: Euro = Field(description="What the prestatie earns the worker, held from payout while the flag is open")
    toelichting: str
    status: str = Field(description="open, vrijgegeven or afgewezen")
    besloten_op: date | None
    besloten_door: str | None
    reden: str | None
    te_doen: str = Field(description="What the reviewer does")

    @classmethod
    def of(cls, s: Signaal) -> "SignaalOut":
        return cls(
            id=s.id, prestatie_id=s.prestatie_id, regel=s.regel.value, wijkwerker_id=s.wijkwerker_id,
            gebruiker_id=s.gebruiker_id, organisator_id=s.organisator_id, datum=s.datum, bedrag=s.bedrag_cent,
            toelichting=s.toelichting, status=s.status.value, besloten_op=s.besloten_op,
            besloten_door=s.besloten_door, reden=s.reden, te_doen=_TE_DOEN[s.regel.value],
        )


class BeslissingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"beslissing": "vrijgegeven", "besloten_op": "2026-04-02", "reden": "Gebruiker confirmed: two shifts"},
        {"beslissing": "afgewezen", "besloten_op": "2026-04-02", "reden": "Not worked: double registration"},
    ]})

    beslissing: Literal["vrijgegeven", "afgewezen"]
    besloten_op: date = Field(description="The decision's business date: on or after the flag's date, not after "
                                          "today; a release pays from the runs dated on or after it, a rejection's "
                                          "reversal is booked on it")
    reden: str = Field(min_length=1, max_length=500, description="Why (the audit trail)")


def _ops(principal: Principal) -> Gegevensscope:
    scope = gegevensscope(principal)
    if scope.niets:
        raise Problem(403, "alleen-ops", "Only central ops (VDAB) or the flag's organiser review flags.")
    return scope


@router.get(
    "", summary="Fraud and error flags (the review queue)",
    description="Flags raised by the platform on prestaties (overlapping hours of one worker, more than N started "
                "hours on one day, one gebruiker with more than N workers on one day; in a payout run, more than N workers "
                "paid to one account), oldest first, a page at a time (`limit`, `offset`). Central ops see "
                "every organiser's (optionally one, `organisator_id`), an organiser its own; anyone else is "
                "refused. `status=open` (default) is the queue; an open flag's amount is held from payout.",
    responses=REGELS.weigert("alleen-ops"),
)
async def lijst(
    uow: Uow, principal: Annotated[Principal, Depends(require("cheques:read", "cheques:signalen"))],
    status: Annotated[Literal["open", "vrijgegeven", "afgewezen", "alle"], Query()] = "open",
    organisator_id: Annotated[uuid.UUID | None, Query()] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[SignaalOut]:
    gekozen = None if status == "alle" else Status(status)
    return [SignaalOut.of(s) for s in await signalen.lijst(uow, _ops(principal), gekozen, organisator_id,
                                                           limit=limit, offset=offset)]


@router.post(
    "/{signaal_id}/beslissing", summary="Release or reject a flag",
    description="Once, with a reason, dated on or after the flag and not after today. `vrijgegeven`: the payout runs "
                "dated from `besloten_op` pay the prestatie (publishes `SignaalVrijgegeven`). `afgewezen`: the "
                "prestatie is not paid — it takes no cheques any more and what it took is reversed (storno booked on "
                "`besloten_op`, netted from the next payout when paid before; publishes `SignaalAfgewezen` and "
                "`ChequeValidatieTeruggedraaid` with reden signaal-afgewezen). Central ops decide any flag, an "
                "organiser its own (another organiser's flag is unknown to it). A worker-level flag (gedeelde-rekening) "
                "is only released, after the bank details were corrected in toeleiding.",
    responses=REGELS.weigert("alleen-ops", "signaal-onbekend", "signaal-al-beslist", "beslissing-voor-signaal",
                             "datum-in-de-toekomst", "reden-ontbreekt", "signaal-alleen-vrijgeven"),
)
async def beslis(
    signaal_id: SignaalPad, body: BeslissingIn, uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:signalen"))],
) -> SignaalOut:
    vandaag = datetime.now(ZoneInfo("Europe/Brussels")).date()  # a guard only: the decision is dated by the body
    cmd = signalen.BeslisSignaal(signaal_id, Status(body.beslissing), body.besloten_op, body.reden, principal.subject)
    return SignaalOut.of(await signalen.beslis(cmd, uow, _ops(principal), vandaag))
