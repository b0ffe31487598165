import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from toeleiding.domain import regels
from toeleiding.domain.wijkwerker import DossierStatus
from toeleiding.domain.wijziging import zichtbare_waarde
from toeleiding.entrypoints.deps import Instellingen, Uow
from toeleiding.entrypoints.regelboek import REGELS
from toeleiding.entrypoints.schemas import (
    Bankgegevens,
    UitkeringsstatusIn,
    WijkwerkerIn,
    WijkwerkerOut,
    WijzigingIn,
    WijzigingOut,
    ZoekIn,
)
from toeleiding.service_layer import commands, dossier, trajecten, wijkwerkers
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.auth import Principal, gegevensscope, require, sees_organisation
from wijkwerk.fouten import BestaatAl, NietGevonden
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/wijkwerkers", tags=["wijkwerkers"], responses=PROBLEM_RESPONSES)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Register a wijk-werker dossier",
    responses=REGELS.weigert(
        "organisator-onbekend", "insz-ongeldig", "iban-ongeldig", "gemeente-niet-in-vlaanderen",
        "niet-ingeschreven-bij-vdab", "onbeperkt-recht-zonder-pwa", "buiten-werkingsgebied", "insz-bestaat-al"
    ),
)
async def schrijf_in(
    body: WijkwerkerIn,
    uow: Uow,
    settings: Instellingen,
    principal: Annotated[Principal, Depends(require("toeleiding:write"))],
) -> WijkwerkerOut:
    # A referrer may register the person it refers (T-1); it does not read others' dossiers.
    if principal.org_type != "toeleider" and not sees_organisation(principal, body.organisator_id):
        raise NietGevonden("No such organiser.", rule="organisator-onbekend")
    velden = body.model_dump(exclude={"adres"})
    adres = (body.adres.straat, body.adres.huisnummer, body.adres.postcode) if body.adres else None
    cmd = commands.SchrijfWijkwerkerIn(**velden, adres=adres)
    try:
        return WijkwerkerOut.of(await wijkwerkers.schrijf_wijkwerker_in(cmd, uow, settings.vingerafdruk_sleutel_bytes()))
    except wijkwerkers.InszBestaatAl as exc:
        # The existing dossier's id, so the caller refers that dossier instead of
        # registering twice: for whoever may act on it (central callers, referrers, who
        # refer anyone (T-1), and its own organiser). Another organiser only learns the
        # conflict; the pseudonym would not open the dossier to it anyway.
        if principal.org_type == "toeleider" or sees_organisation(principal, exc.organisator_id):
            raise BestaatAl(exc.detail, rule=exc.rule, wijkwerker_id=str(exc.wijkwerker_id)) from None
        raise BestaatAl(exc.detail, rule=exc.rule) from None


@router.post(
    "/zoeken", summary="Find a dossier by INSZ (the INSZ in the body, never in a URL)",
    description="Answers the dossiers the caller may read: a list of zero or one. An organiser finds only its "
                "own area's dossiers; a referrer, which reads no dossiers, finds none and learns an existing "
                "dossier's id from the 409 `insz-bestaat-al` when it registers the person.",
    responses=REGELS.weigert("insz-ongeldig"),
)
async def zoek(
    body: ZoekIn,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
) -> list[WijkwerkerOut]:
    insz = regels.normaliseer_insz(body.insz)
    async with uow:
        w = await uow.wijkwerkers.met_insz(insz)
        gevonden = w if w is not None and sees_organisation(principal, w.organisator_id) else None
        # Every search by INSZ is in the audit trail, with the dossier it found (if any).
        uow.leg_inzage_vast("insz-gezocht", gevonden.id if gevonden else None)
        await uow.commit()
    return [WijkwerkerOut.of(gevonden)] if gevonden else []


@router.get("", summary="List dossiers by organiser and status")
async def lijst(
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
    organisator_id: uuid.UUID | None = None,
    status: DossierStatus | None = None,
    op: Annotated[date | None, Query(description="The status as of this date (A-09; default today)")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[WijkwerkerOut]:
    scope = gegevensscope(principal)
    if not scope.alles and organisator_id is not None and organisator_id != scope.organisator_id:
        return []
    organisator_id = scope.beperk(organisator_id)
    async with uow:
        dossiers = await uow.wijkwerkers.list(
            organisator_id=organisator_id, status=status, limit=limit, offset=offset, op=op
        )
    return [WijkwerkerOut.of(w) for w in dossiers]


@router.get("/{wijkwerker_id}", summary="Read one dossier",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def lees(
    wijkwerker_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
    op: Annotated[date | None, Query(description="The status as of this date (A-09; default today)")] = None,
) -> WijkwerkerOut:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id, op=op)
        if w is None or not sees_organisation(principal, w.organisator_id):
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
        uow.leg_inzage_vast("dossier-gelezen", w.id)
        await uow.commit()
    return WijkwerkerOut.of(w)


async def _zichtbaar(uow: ToeleidingUnitOfWork, principal: Principal, wijkwerker_id: uuid.UUID) -> None:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
    if w is None or not sees_organisation(principal, w.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")


@router.post(
    "/{wijkwerker_id}/wijzigingen", status_code=status.HTTP_201_CREATED,
    summary="Change the IBAN, the name and/or the address from a date on (history kept)",
    description="Each change is kept with its business date. The dossier shows, per kind of data, the change with "
                "the latest date, whatever the order of arrival. The event `WijkwerkerGewijzigd` says only that "
                "the dossier changed; it carries none of the values. A new domicile must lie in the organiser's "
                "area (`buiten-werkingsgebied`); a move elsewhere is a referral to that area's organiser.",
    responses=REGELS.weigert(
        "wijkwerker-onbekend", "wijziging-leeg", "wijziging-voor-inschrijving", "naam-leeg", "iban-ongeldig",
        "buiten-werkingsgebied"
    ),
)
async def wijzig(
    wijkwerker_id: uuid.UUID,
    body: WijzigingIn,
    uow: Uow,
    settings: Instellingen,
    principal: Annotated[Principal, Depends(require("toeleiding:write"))],
) -> WijkwerkerOut:
    await _zichtbaar(uow, principal, wijkwerker_id)
    a = body.adres
    cmd = commands.WijzigDossier(
        wijkwerker_id=wijkwerker_id, gewijzigd_op=body.gewijzigd_op, iban=body.iban,
        naam=(body.naam.voornaam, body.naam.achternaam) if body.naam else None,
        adres=(a.straat, a.huisnummer, a.postcode, a.domicilie_nis_code) if a else None,
        reden=body.reden, door=principal.subject,
    )
    return WijkwerkerOut.of(await dossier.wijzig_dossier(cmd, uow, settings.vingerafdruk_sleutel_bytes()))


@router.get("/{wijkwerker_id}/wijzigingen", summary="The dossier's history of IBAN, name and address changes",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def wijzigingen(
    wijkwerker_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:read"))],
) -> list[WijzigingOut]:
    await _zichtbaar(uow, principal, wijkwerker_id)
    async with uow:
        historiek = await uow.wijzigingen.van(wijkwerker_id)
        uow.leg_inzage_vast("dossierhistoriek-gelezen", wijkwerker_id)
        await uow.commit()
    return [
        WijzigingOut(gegevens=h.gegevens.value, gewijzigd_op=h.gewijzigd_op, waarde=zichtbare_waarde(h),
                     reden=h.reden, door=h.door)
        for h in historiek
    ]


@router.post("/{wijkwerker_id}/uitkeringsstatus", summary="Record a dated change of benefit status (PR-03)",
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def wijzig_uitkeringsstatus(
    wijkwerker_id: uuid.UUID,
    body: UitkeringsstatusIn,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("toeleiding:write"))],
) -> WijkwerkerOut:
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
    if w is None or not sees_organisation(principal, w.organisator_id):
        raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
    await trajecten.wijzig_uitkeringsstatus(
        commands.WijzigUitkeringsstatus(wijkwerker_id, body.uitkeringsstatus, body.vanaf), uow
    )
    async with uow:
        return WijkwerkerOut.of(await uow.wijkwerkers.get(wijkwerker_id))


@router.get(
    "/{wijkwerker_id}/bankgegevens",
    summary="Bank details for the payout run (internal: cheques service only)",
    tags=["intern"],
    responses=REGELS.weigert("wijkwerker-onbekend"),
)
async def bankgegevens(
    wijkwerker_id: uuid.UUID,
    uow: Uow,
    principal: Annotated[Principal, Depends(require("cheques:payout"))],
    op: date | None = None,
) -> Bankgegevens:
    """``op``: the account in force on that business date (a later change does not
    reroute an earlier payout); without it, the current account."""
    async with uow:
        w = await uow.wijkwerkers.get(wijkwerker_id)
        iban = await uow.wijzigingen.iban_op(wijkwerker_id, op) if w is not None and op is not None else None
        if w is None or not sees_organisation(principal, w.organisator_id):
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
        uow.leg_inzage_vast("bankgegevens-gelezen", w.id)  # the audit trail: who read which account
        await uow.commit()
    return Bankgegevens(wijkwerker_id=w.id, naam=f"{w.voornaam} {w.achternaam}", iban=iban or w.iban, op=op)
