"""Outbound webhooks for partners (ADR 0018): subscriptions, their delivery log and
redelivery. A subscription belongs to the caller's organisation; another's answers 404."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import AnyUrl, BaseModel, ConfigDict, Field

from evaluatie.domain.webhooks import CATALOGUS, Eigenaar
from evaluatie.entrypoints.deps import Instellingen, Uow
from evaluatie.entrypoints.regelboek import REGELS
from evaluatie.service_layer import webhooks
from wijkwerk.auth import Principal, require
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1", tags=["webhooks"], responses=PROBLEM_RESPONSES)
Beheerder = Annotated[Principal, Depends(require("webhooks:beheer"))]
_ID = "5d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
_ORG = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def _eigenaar(principal: Principal) -> Eigenaar:
    return Eigenaar(principal.org_type or "", principal.org or "")


class AbonnementIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "url": "https://backoffice.example.be/wijkwerk/webhooks", "types": ["prestatie.geregistreerd", "prestatie.betwist"]}]})

    url: AnyUrl = Field(description="https; plain http only to 127.0.0.1/localhost outside production")
    types: list[str] = Field(min_length=1, max_length=len(CATALOGUS), description="Types from `GET /v1/webhooks/catalogus`")
    organisator_id: uuid.UUID | None = Field(
        None, description="Central callers: limit to one organiser (default: all). An organiser's subscription is "
                          "always limited to its own; naming another is 403 `abonnement-buiten-scope`.")


class Abonnement(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": _ID, "url": "https://backoffice.example.be/wijkwerk/webhooks", "types": ["prestatie.geregistreerd"],
        "organisator_id": _ORG, "aangemaakt_om": "2026-12-03T10:00:00Z", "vorig_geheim_geldig_tot": None}]})

    id: uuid.UUID
    url: str
    types: list[str]
    organisator_id: uuid.UUID | None
    aangemaakt_om: datetime
    vorig_geheim_geldig_tot: datetime | None = Field(None, description="After a rotation: until when deliveries "
                                                                       "also carry a signature with the old secret")


class NieuwAbonnement(Abonnement):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": _ID, "url": "https://backoffice.example.be/wijkwerk/webhooks", "types": ["prestatie.geregistreerd"],
        "organisator_id": _ORG, "aangemaakt_om": "2026-12-03T10:00:00Z", "vorig_geheim_geldig_tot": None,
        "geheim": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]})

    geheim: str = Field(description="The signing secret (Standard Webhooks `whsec_…`); shown only now")


class NieuwGeheim(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "geheim": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "vorig_geheim_geldig_tot": "2026-12-04T10:00:00Z"}]})

    geheim: str
    vorig_geheim_geldig_tot: datetime


class Poging(BaseModel):
    poging: int
    om: datetime
    http_status: int | None
    fout: str | None
    wacht_s: float | None = Field(description="The back-off chosen after this failed attempt (none: delivered or given up)")


class Levering(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b6c8e1a-2d3f-4a5b-9c8d-7e6f5a4b3c2d", "event_id": "9b2d7c1e-4f3a-4e8b-a6d5-1c2b3a4d5e6f",
        "type": "prestatie.geregistreerd", "status": "wachtend", "pogingen": 2,
        "volgende_poging": "2026-12-03T10:02:10Z", "laatste_http_status": 500, "laatste_fout": "HTTP 500",
        "aangemaakt_om": "2026-12-03T10:00:00Z", "laatste_poging_om": "2026-12-03T10:01:05Z", "geleverd_om": None,
        "historiek": [{"poging": 1, "om": "2026-12-03T10:00:01Z", "http_status": None, "fout": "timeout", "wacht_s": 21.4},
                      {"poging": 2, "om": "2026-12-03T10:01:05Z", "http_status": 500, "fout": "HTTP 500", "wacht_s": 48.9}]}]})

    id: uuid.UUID = Field(description="The `webhook-id` header of every attempt")
    event_id: uuid.UUID
    type: str
    status: Literal["wachtend", "geleverd", "mislukt"]
    pogingen: int
    volgende_poging: datetime | None
    laatste_http_status: int | None
    laatste_fout: str | None
    aangemaakt_om: datetime
    laatste_poging_om: datetime | None
    geleverd_om: datetime | None
    historiek: list[Poging] = []


class Soort(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "prestatie.betwist", "event": "PrestatieBetwist", "beschrijving": "The other party disputed a prestatie (prestaties).",
        "velden": ["prestatie_id", "wijkwerker_id", "gebruiker_id", "organisator_id", "koppeling_id", "datum", "door", "reden"],
        "alleen_centraal": False}]})

    type: str
    event: str
    beschrijving: str
    velden: list[str]
    alleen_centraal: bool


def _abonnement(r) -> Abonnement:
    return Abonnement(id=r.id, url=r.url, types=list(r.types), organisator_id=r.organisator_id,
                      aangemaakt_om=r.aangemaakt_om, vorig_geheim_geldig_tot=r.vorig_geldig_tot)


def _levering(r, pogingen=()) -> Levering:
    return Levering(
        id=r.id, event_id=r.event_id, type=r.type, status=r.status, pogingen=r.pogingen,
        volgende_poging=r.volgende_poging if r.status == "wachtend" else None, laatste_http_status=r.laatste_http_status,
        laatste_fout=r.laatste_fout, aangemaakt_om=r.aangemaakt_om, laatste_poging_om=r.laatste_poging_om,
        geleverd_om=r.geleverd_om,
        historiek=[Poging(poging=p.poging, om=p.om, http_status=p.http_status, fout=p.fout, wacht_s=p.wacht_s)
                   for p in pogingen],
    )


@router.get("/webhooks/catalogus", summary="The event types a partner may subscribe to, and what each carries")
async def catalogus(_: Beheerder) -> list[Soort]:
    return [Soort(type=t, event=s.event, beschrijving=s.beschrijving, velden=list(s.velden), alleen_centraal=s.centraal)
            for t, s in CATALOGUS.items()]


@router.post("/abonnementen", status_code=status.HTTP_201_CREATED, summary="Subscribe to webhooks",
             description="The answer holds the signing secret, once. VDAB and services may subscribe to any type, "
                         "for every organiser or one; an organiser to its own organiser's events, not to central-only "
                         "types; other callers not at all.",
             responses=REGELS.weigert("type-onbekend", "url-ongeldig", "abonnement-buiten-scope", "type-buiten-scope",
                                      "abonnement-niet-toegestaan"))
async def neem(body: AbonnementIn, settings: Instellingen, uow: Uow, principal: Beheerder) -> NieuwAbonnement:
    cmd = webhooks.NeemAbonnement(_eigenaar(principal), principal.subject, str(body.url), tuple(body.types),
                                  body.organisator_id)
    productie = settings.environment == "production"
    id, geheim = await webhooks.neem_abonnement(cmd, uow, productie=productie)
    async with uow:
        rij = await uow.abonnementen.get(id, cmd.eigenaar)
    return NieuwAbonnement(**_abonnement(rij).model_dump(), geheim=geheim)


@router.get("/abonnementen", summary="The caller's organisation's subscriptions")
async def lijst(uow: Uow, principal: Beheerder) -> list[Abonnement]:
    async with uow:
        return [_abonnement(r) for r in await uow.abonnementen.lijst(_eigenaar(principal))]


@router.delete("/abonnementen/{abonnement_id}", status_code=status.HTTP_204_NO_CONTENT, summary="End a subscription",
               description="Nothing more is sent; its pending deliveries end as `mislukt`.",
               responses=REGELS.weigert("abonnement-onbekend"))
async def zeg_op(abonnement_id: uuid.UUID, uow: Uow, principal: Beheerder) -> Response:
    await webhooks.zeg_op(abonnement_id, _eigenaar(principal), uow)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/abonnementen/{abonnement_id}/geheim", summary="Rotate the signing secret",
             description="Returns the new secret once. Until `vorig_geheim_geldig_tot` every delivery carries two "
                         "signatures (new and old secret), so the receiver can switch without losing any.",
             responses=REGELS.weigert("abonnement-onbekend"))
async def roteer(abonnement_id: uuid.UUID, settings: Instellingen, uow: Uow, principal: Beheerder) -> NieuwGeheim:
    overlap = settings.webhook_rotatie_overlap_s
    geheim, tot = await webhooks.roteer(abonnement_id, _eigenaar(principal), uow, overlap)
    return NieuwGeheim(geheim=geheim, vorig_geheim_geldig_tot=tot)


@router.get("/abonnementen/{abonnement_id}/leveringen", summary="Delivery log: status, attempts, last HTTP status or error",
            responses=REGELS.weigert("abonnement-onbekend"))
async def leveringen(abonnement_id: uuid.UUID, uow: Uow, principal: Beheerder,
                     toestand: Annotated[Literal["wachtend", "geleverd", "mislukt"] | None,
                                         Query(alias="status")] = None,
                     limit: Limit = 100, offset: Offset = 0) -> list[Levering]:
    rijen = await webhooks.leveringen(abonnement_id, _eigenaar(principal), uow, toestand, limit, offset)
    return [_levering(r, p) for r, p in rijen]


@router.post("/abonnementen/{abonnement_id}/leveringen/{levering_id}/opnieuw", status_code=status.HTTP_202_ACCEPTED,
             summary="Deliver again", description="Sends the delivery again now with the same `webhook-id` (the "
             "receiver deduplicates by it), with a fresh round of attempts; also after `geleverd` or `mislukt`.",
             responses=REGELS.weigert("abonnement-onbekend", "levering-onbekend"))
async def opnieuw(abonnement_id: uuid.UUID, levering_id: uuid.UUID, uow: Uow, principal: Beheerder) -> Levering:
    return _levering(await webhooks.opnieuw(abonnement_id, levering_id, _eigenaar(principal), uow))
