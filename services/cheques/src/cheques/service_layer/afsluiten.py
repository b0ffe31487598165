"""The monthly period close (issue #17): close a month, verify the hash chain, read a
closed month's reconciliation (JSON, CSV).

A close takes the close lock exclusively, so every booking that saw the month open has
committed and none starts until the close has (:meth:`ChequesUnitOfWork.laatst_afgesloten`
takes it shared). Within that one transaction it computes the closing balances, the
organisers' reconciliations and the hash over the covered months' ledger rows, stores
them, and publishes ``PeriodeAfgesloten``. Holding the lock stalls bookings for as long
as the close reads its month (seconds at Flanders' volume): a monthly admin step.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cheques.adapters.afsluitingen import Afsluiting, AfsluitingRepository
from cheques.adapters.referentie import organisator_namen
from cheques.domain import afstemming
from cheques.domain.afsluiting import BEGIN_KETEN, Keten, Kop, controleer_afsluiting, slotsaldi, van_dag, volgende
from cheques.domain.uitbetaling import Periode
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.cheques import PeriodeAfgesloten
from wijkwerk.fouten import NietGevonden
from wijkwerk.money import format_euro


@dataclass(frozen=True)
class SluitPeriodeAf:
    periode: Periode
    afgesloten_op: date  # the request's business date
    door: str  # the caller (token subject)


async def sluit_af(cmd: SluitPeriodeAf, uow: ChequesUnitOfWork, vandaag: date, nu: datetime) -> Afsluiting:
    maand = cmd.periode.eerste_dag
    controleer_afsluiting(cmd.periode, None, cmd.afgesloten_op, vandaag)  # the dates, before stalling any booking
    async with uow:
        repo = uow.afsluitingen
        await repo.vergrendel_exclusief()
        vorige = await repo.laatste()
        controleer_afsluiting(cmd.periode, van_dag(vorige.maand) if vorige else None, cmd.afgesloten_op, vandaag)
        if vorige is None:  # the first close freezes all history before it
            van = min(await repo.eerste_boekmaand() or maand, maand)
            opening: dict[str, int] = {}
        else:
            van = volgende(van_dag(vorige.maand)).eerste_dag
            opening = await repo.saldi(vorige.maand)
        saldi = slotsaldi(opening, await repo.bewegingen(van, maand), van, maand)
        afstemmingen = await _afstemmingen(repo, cmd.periode)
        kop = Kop(maand, van, cmd.afgesloten_op, nu, vorige.hash if vorige else BEGIN_KETEN)
        keten = await _keten(repo, kop, vorige.maand if vorige else None, saldi, afstemmingen)
        volgnummer = vorige.volgnummer + 1 if vorige else 1
        envelope = uow.emit(PeriodeAfgesloten(
            periode=str(cmd.periode), maand=maand, van=van, volgnummer=volgnummer, afgesloten_op=cmd.afgesloten_op,
            geregistreerd_om=nu, transacties=keten.transacties, hash=keten.hexdigest(), vorige_hash=kop.vorige_hash,
        ))
        afsluiting = Afsluiting(
            maand=maand, van=van, volgnummer=volgnummer, afgesloten_op=cmd.afgesloten_op, geregistreerd_om=nu,
            door=cmd.door, vorige_hash=kop.vorige_hash, hash=keten.hexdigest(), transacties=keten.transacties,
            event_id=envelope.event_id,
        )
        await repo.bewaar(afsluiting, saldi, afstemmingen)
        await uow.commit()
    return afsluiting


async def _afstemmingen(repo: AfsluitingRepository, periode: Periode) -> list[dict[str, Any]]:
    maand, einde = periode.eerste_dag, periode.laatste_dag
    verkocht, stand, geld = await repo.verkocht(einde), await repo.stand(maand, einde), await repo.geld(maand)
    documenten = []
    for oid in sorted({*verkocht, *stand, *geld}, key=str):
        g = geld.get(oid, {})
        documenten.append(afstemming.document(
            maand, einde, str(oid), verkocht.get(oid, (0, 0)), stand.get(oid, {}), g.get("cheques", 0),
            g.get("geld_in", 0), {d: g.get(d, 0) for d in afstemming.DELEN},
        ))
    return documenten


async def _keten(
    repo: AfsluitingRepository, kop: Kop, na: date | None, saldi: list[dict[str, Any]], afstemmingen: list[dict[str, Any]]
) -> Keten:
    """The hash of a close: its header, the transactions booked after month ``na`` through
    its month, its closing balances and its reconciliations, in canonical order."""
    keten = Keten(kop)
    async for rij, lijnen in repo.transacties(na, kop.maand):
        keten.transactie(rij, lijnen)
    for saldo in sorted(saldi, key=lambda s: (s["maand"], s["rekening"])):
        keten.saldo(saldo)
    for document in sorted(afstemmingen, key=lambda d: d["organisator_id"]):
        keten.afstemming(document)
    return keten


async def verifieer(uow: ChequesUnitOfWork) -> dict[str, Any]:
    """Recomputes every close's hash from the rows as they are now and checks the chain;
    names the first month that no longer matches its close."""
    async with uow:
        repo = uow.afsluitingen
        await repo.momentopname()
        maanden, eerste_afwijkend = [], None
        vorige: Afsluiting | None = None
        for a in await repo.alle():
            kop = Kop(a.maand, a.van, a.afgesloten_op, a.geregistreerd_om, a.vorige_hash)
            saldi = await repo.opgeslagen_saldi(a.van, a.maand)
            keten = await _keten(repo, kop, vorige.maand if vorige else None, saldi, await repo.afstemmingen(a.maand))
            ketting_heel = a.vorige_hash == (vorige.hash if vorige else BEGIN_KETEN)
            in_orde = keten.hexdigest() == a.hash and ketting_heel
            maanden.append({
                "periode": f"{a.maand:%Y-%m}", "in_orde": in_orde, "hash": a.hash, "berekend": keten.hexdigest(),
                "vorige_hash_klopt": ketting_heel, "transacties": keten.transacties,
            })
            if not in_orde and eerste_afwijkend is None:
                eerste_afwijkend = f"{a.maand:%Y-%m}"
            vorige = a
    return {"in_orde": eerste_afwijkend is None, "eerste_afwijkende_periode": eerste_afwijkend,
            "afsluitingen": maanden}


async def afsluitingen(uow: ChequesUnitOfWork) -> list[Afsluiting]:
    async with uow:
        return await uow.afsluitingen.alle()


async def afstemming_van(
    periode: Periode, uow: ChequesUnitOfWork, organisator_id: uuid.UUID | None
) -> tuple[Afsluiting, list[dict[str, Any]]]:
    """The stored reconciliations of a closed month (``organisator_id``: only that one),
    each with the organiser's current name."""
    async with uow:
        afsluiting = await uow.afsluitingen.get(periode.eerste_dag)
        if afsluiting is None:
            raise NietGevonden(f"{periode} is not closed: it has no reconciliation yet.", rule="afsluiting-onbekend")
        documenten = await uow.afsluitingen.afstemmingen(periode.eerste_dag, organisator_id)
        namen = await organisator_namen(uow.session, [uuid.UUID(d["organisator_id"]) for d in documenten])
    return afsluiting, [{**d, "naam": namen.get(uuid.UUID(d["organisator_id"]))} for d in documenten]


KOLOMMEN = (
    "periode", "peildatum", "organisator_id", "naam",
    *(f"{k}_{x}" for k in ("verkocht", *afstemming.STAND, "verschil") for x in ("aantal", "bedrag")),
    "geld_cheques", "geld_in", *afstemming.DELEN, "geld_verschil",
)


def als_csv(documenten: list[dict[str, Any]]) -> str:
    """One row per organiser; amounts in euros as in the JSON."""
    uit = io.StringIO()
    writer = csv.DictWriter(uit, fieldnames=KOLOMMEN, lineterminator="\n")
    writer.writeheader()
    for d in documenten:
        c, g = d["cheques"], d["geld"]
        writer.writerow({
            "periode": d["periode"], "peildatum": d["peildatum"], "organisator_id": d["organisator_id"],
            "naam": d["naam"] or "",
            **{f"{k}_aantal": c[k]["aantal"] for k in ("verkocht", *afstemming.STAND, "verschil")},
            **{f"{k}_bedrag": format_euro(c[k]["cent"]) for k in ("verkocht", *afstemming.STAND, "verschil")},
            "geld_cheques": g["cheques"], "geld_in": format_euro(g["geld_in_cent"]),
            **{k: format_euro(g[f"{k}_cent"]) for k in afstemming.DELEN},
            "geld_verschil": format_euro(g["verschil_cent"]),
        })
    return uit.getvalue()
