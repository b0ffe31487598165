"""Fraud and error flags before payout (issue #23 item 4, ADR 0024).

:func:`controleer` runs the rules when a prestatie reaches this service (registered or
corrected, in the prestaties consumer's transaction): overlapping hours of one worker, more
than N started hours of one worker on one day, one gebruiker with more than N workers on
one day, a worker and a gebruiker sharing an IBAN or address (their keyed fingerprints,
from toeleiding's and prestaties' events). Each fires on every prestatie of the pattern, once per prestatie and rule
(``SignaalGemeld``). The payout run holds a flagged prestatie's earnings
(:meth:`GrootboekRepository.vastgehouden`) until an ops user releases the flag
(``SignaalVrijgegeven``: the runs dated from then pay it) or rejects it
(``SignaalAfgewezen``: not paid; its validations are reversed by the reversal orders, as a
cancelled prestatie's, so a worker paid before has it netted from the next payout)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from cheques.adapters.terugdraaiingen import Opdracht
from cheques.domain.cheque import Prestatie
from cheques.domain.signaal import (
    Drempels,
    Regel,
    Signaal,
    Status,
    Vondst,
    gedeeld,
    gedeelde_rekeningen,
    overlappingen,
    rekening_signaal_id,
    te_veel_uren,
    veel_wijkwerkers,
)
from cheques.domain.tarieven import Soort
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.actor import huidige_actor
from wijkwerk.events.cheques import SignaalAfgewezen, SignaalGemeld, SignaalVrijgegeven
from wijkwerk.fouten import NietGevonden, OngeldigeInvoer
from wijkwerk.gegevensscope import Gegevensscope


async def controleer(prestatie: Prestatie, uow: ChequesUnitOfWork, drempels: Drempels) -> list[Signaal]:
    """Runs the rules on the day of ``prestatie`` and records the new flags; the flags raised."""
    van_wijkwerker = await uow.signalen.blokken(wijkwerker_id=prestatie.wijkwerker_id, datum=prestatie.datum)
    van_gebruiker = await uow.signalen.blokken(gebruiker_id=prestatie.gebruiker_id, datum=prestatie.datum)
    partijen = await uow.signalen.vingerafdrukken(prestatie.wijkwerker_id, prestatie.gebruiker_id)
    vondsten = [*overlappingen(van_wijkwerker), *te_veel_uren(van_wijkwerker, drempels),
                *veel_wijkwerkers(van_gebruiker, drempels),
                *gedeeld(prestatie.id, partijen.get(prestatie.wijkwerker_id), partijen.get(prestatie.gebruiker_id))]
    gemeld = []
    for vondst in vondsten:
        if (signaal := await _meld(vondst, uow)) is not None:
            gemeld.append(signaal)
    return gemeld


async def _meld(vondst: Vondst, uow: ChequesUnitOfWork) -> Signaal | None:
    p = await uow.prestaties.get(vondst.prestatie_id)
    assert p is not None  # a block is read from the references
    signaal = Signaal(
        id=vondst.signaal_id, prestatie_id=p.id, regel=vondst.regel, wijkwerker_id=p.wijkwerker_id,
        gebruiker_id=p.gebruiker_id, organisator_id=p.organisator_id, datum=p.datum, toelichting=vondst.toelichting,
        bedrag_cent=await _bedrag(p, uow),
    )
    if not await uow.signalen.meld(signaal):
        return None
    uow.emit(SignaalGemeld(**_velden(signaal), toelichting=signaal.toelichting))
    return signaal


async def _bedrag(p: Prestatie, uow: ChequesUnitOfWork) -> int:
    """What the prestatie earns the worker: started hours × pay on its date (A-06) + the
    day's travel allowance (the validations that pay it may still come)."""
    try:
        loon = (await uow.verdeeltarieven.alle()).op(Soort.LOON_PER_UUR, p.datum)
    except OngeldigeInvoer:  # no pay rate on that day: the validation would be refused too
        loon = 0
    return p.begonnen_uren * loon + p.verplaatsingsvergoeding_dag_cent


async def meld_gedeelde_rekeningen(rekeningen: dict[uuid.UUID, str], bedragen: dict[uuid.UUID, int], op: date,
                                   uow: ChequesUnitOfWork, drempels: Drempels) -> None:
    """In the payout run, dated on its business date: a worker-level flag for each worker
    whose account more than the maximum of the run's workers share (the IBAN itself stays
    out of the flag and its event). The run then pays them nothing until released."""
    for w, anderen in gedeelde_rekeningen(rekeningen, drempels).items():
        organisator_id = await uow.signalen.organisator_van(w)
        if organisator_id is None:  # paid without a prestatie known here: nothing to scope it by
            continue
        signaal = Signaal(
            id=rekening_signaal_id(w, anderen), prestatie_id=None, regel=Regel.GEDEELDE_REKENING, wijkwerker_id=w,
            gebruiker_id=None, organisator_id=organisator_id, datum=op, bedrag_cent=bedragen.get(w, 0),
            toelichting=f"the payout account is also that of {len(anderen)} other workers in this run: "
                        + ", ".join(map(str, anderen)),
        )
        if await uow.signalen.meld(signaal):
            uow.emit(SignaalGemeld(**_velden(signaal), toelichting=signaal.toelichting))


def _velden(s: Signaal) -> dict[str, Any]:
    return {"signaal_id": s.id, "prestatie_id": s.prestatie_id, "regel": s.regel.value,
            "wijkwerker_id": s.wijkwerker_id, "gebruiker_id": s.gebruiker_id, "organisator_id": s.organisator_id,
            "datum": s.datum, "bedrag_cent": s.bedrag_cent}


@dataclass(frozen=True)
class BeslisSignaal:
    signaal_id: uuid.UUID
    beslissing: Status  # vrijgegeven or afgewezen
    besloten_op: date
    reden: str
    door: str


async def beslis(cmd: BeslisSignaal, uow: ChequesUnitOfWork, scope: Gegevensscope, vandaag: date) -> Signaal:
    """Releases or rejects an open flag, once, dated on or after the flag and not after
    today; an organiser decides its own flags only (another's are unknown to it)."""
    if cmd.besloten_op > vandaag:
        raise OngeldigeInvoer(f"The decision's date {cmd.besloten_op} is after today ({vandaag}).",
                              rule="datum-in-de-toekomst")
    async with uow:
        signaal = await uow.signalen.get(cmd.signaal_id, vergrendel=True)
        if signaal is None or scope.beperk(signaal.organisator_id) != signaal.organisator_id:
            raise NietGevonden("No such flag.", rule="signaal-onbekend")
        signaal.beslis(cmd.beslissing, cmd.besloten_op, cmd.door, cmd.reden)
        await uow.signalen.beslis(signaal)
        velden = {**_velden(signaal), "besloten_op": cmd.besloten_op, "door": cmd.door, "reden": cmd.reden}
        if signaal.status is Status.VRIJGEGEVEN:
            uow.emit(SignaalVrijgegeven(**velden))
        else:
            await _wijs_af(signaal, cmd.besloten_op, uow)
            uow.emit(SignaalAfgewezen(**velden))
        await uow.commit()
    return signaal


async def _wijs_af(signaal: Signaal, op: date, uow: ChequesUnitOfWork) -> None:
    """Not paid: the prestatie takes no cheques any more, and a reversal order (applied under
    the worker's lock by the reversal job, booked on ``op``) reverses what it took."""
    assert signaal.prestatie_id is not None  # a worker-level flag is only released (Signaal.beslis)
    prestatie = await uow.prestaties.get(signaal.prestatie_id)
    assert prestatie is not None
    if prestatie.afgewezen_op is None:
        await uow.prestaties.wijzig(prestatie.id, afgewezen_op=op)
    actor = huidige_actor()
    await uow.opdrachten.add(Opdracht(
        id=uuid.uuid5(signaal.id, "afgewezen"), prestatie_id=prestatie.id, wijkwerker_id=prestatie.wijkwerker_id,
        datum=op, reden="signaal-afgewezen", actor=actor.model_dump(mode="json") if actor else None,
    ))


async def lijst(uow: ChequesUnitOfWork, scope: Gegevensscope, status: Status | None, organisator_id: uuid.UUID | None,
                *, limit: int, offset: int = 0) -> list[Signaal]:
    async with uow:
        return await uow.signalen.lijst(scope.beperk(organisator_id), status, limit=limit, offset=offset)
