"""A payout run after it was drawn up (issue #18 item 2): approval by a second person,
the SEPA file generated on demand, the hand-over to the bank, and the bank's answers —
pain.002 (status report) and camt.054 (returns). A refused or returned transfer is booked
back in the ledger (a storno dated with the bank's business date), so the next run pays
the money again. Every step records its actor (the principal's subject)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from cheques.adapters.bankberichten import lees_camt054, lees_pain002
from cheques.adapters.sepa import Opdrachtgever, Overschrijving, schrijf_pain001
from cheques.adapters.toeleiding import BankgegevensBron
from cheques.adapters.uitbetalingen import Ronde, Uitbetaling
from cheques.domain import levenscyclus as lc
from cheques.domain.grootboek import storno_transactie
from cheques.domain.levenscyclus import Overschrijvingsstatus, Rondestatus
from cheques.domain.uitbetaling import Periode
from cheques.service_layer.uitbetalingen import opgeslagen_ronde
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.cheques import UitbetalingTeruggeboekt
from wijkwerk.fouten import BestaatAl, NietGevonden, OngeldigeInvoer

_BERICHT_PREFIX = "WIJKWERK-UITBETALING-"


async def _ronde(uow: ChequesUnitOfWork, periode: str) -> Ronde:
    await uow.rondes.vergrendel(periode)
    ronde = await uow.rondes.get(periode)
    if ronde is None:
        raise NietGevonden(f"No payout run for {periode}.", rule="uitbetaling-onbekend")
    return ronde


async def keur_goed(periode: Periode, uow: ChequesUnitOfWork, door: str) -> Ronde:
    async with uow:
        ronde = await _ronde(uow, str(periode))
        status = lc.keur_goed(ronde.status, ronde.opgesteld_door or "", door)
        await uow.rondes.zet_status(ronde.periode, status)
        await uow.rondes.stap(ronde.periode, str(status), door)
        await uow.commit()
        return await opgeslagen_ronde(uow, ronde.periode)


async def verzend(periode: Periode, uow: ChequesUnitOfWork, door: str) -> Ronde:
    """The file went to the bank: from now on only the bank's answers change the run."""
    async with uow:
        ronde = await _ronde(uow, str(periode))
        status = lc.verzend(ronde.status, len(ronde.uitbetalingen))
        await uow.rondes.zet_status(ronde.periode, status)
        await uow.rondes.stap(ronde.periode, str(status), door)
        await uow.commit()
        return await opgeslagen_ronde(uow, ronde.periode)


async def sepa_bestand(
    periode: Periode, uow: ChequesUnitOfWork, bron: BankgegevensBron, opdrachtgever: Opdrachtgever
) -> bytes:
    """The run's pain.001, written now from the ledger's payouts and toeleiding's current
    bank details (nothing of it is stored). Only for an approved run."""
    async with uow:
        ronde = await uow.rondes.get(str(periode))
        if ronde is None:
            raise NietGevonden(f"No payout run for {periode}.", rule="uitbetaling-onbekend")
        if not ronde.uitbetalingen:
            raise NietGevonden("The run paid nobody, so it has no SEPA file.", rule="geen-sepa-bestand")
        lc.bestand_beschikbaar(ronde.status)
        bedragen = await uow.grootboek.uitbetalingen(ronde.periode)
    if any(bedragen.get(u.wijkwerker_id) != u.bedrag_cent for u in ronde.uitbetalingen):
        raise BestaatAl("The run's transfers differ from the ledger's payouts.", rule="uitbetaling-grootboek-verschil")
    rekeningen = await bron.haal([u.wijkwerker_id for u in ronde.uitbetalingen])
    ontbreekt = [str(u.wijkwerker_id) for u in ronde.uitbetalingen if u.wijkwerker_id not in rekeningen]
    if ontbreekt:
        raise BestaatAl("toeleiding has no bank details any more for workers of this run.",
                        rule="bankgegevens-ontbreken", wijkwerkers=ontbreekt)
    return schrijf_pain001(
        opdrachtgever, ronde.uitvoeringsdatum,
        [Overschrijving(naam=rekeningen[u.wijkwerker_id].naam, iban=rekeningen[u.wijkwerker_id].iban,
                        bedrag_cent=u.bedrag_cent, omschrijving=f"Wijk-werken {ronde.periode}",
                        end_to_end_id=u.end_to_end_id)
         for u in ronde.uitbetalingen],
        bericht_id=ronde.bericht_id,
    )


async def _boek_terug(uow: ChequesUnitOfWork, u: Uitbetaling, reden: str | None, bankdatum: date, bron: str) -> None:
    """The storno of the transfer's payout, on the bank's date (or the first open month)."""
    origineel = await uow.grootboek.get(f"uitbetaling:{u.periode}:{u.wijkwerker_id}")
    if origineel is None:  # pragma: no cover - a run's transfers are booked with it
        raise BestaatAl(f"No payout booked for {u.end_to_end_id}.", rule="uitbetaling-grootboek-verschil")
    boekdatum = await uow.boekdatum(bankdatum)
    storno = storno_transactie(origineel, boekdatum, f"storno uitbetaling {u.periode} ({bron} {reden or ''})")
    if await uow.boek(storno):
        uow.emit(UitbetalingTeruggeboekt(
            wijkwerker_id=u.wijkwerker_id, periode=u.periode, bedrag_cent=origineel.debet, end_to_end_id=u.end_to_end_id,
            bron=bron, reden=reden, bankdatum=bankdatum, boekmaand=boekdatum.replace(day=1)))


async def importeer_statusrapport(inhoud: bytes, uow: ChequesUnitOfWork, door: str) -> Ronde:
    rapport = lees_pain002(inhoud)
    periode = rapport.origineel_bericht_id.removeprefix(_BERICHT_PREFIX)
    if not rapport.origineel_bericht_id.startswith(_BERICHT_PREFIX):
        raise OngeldigeInvoer(f"OrgnlMsgId {rapport.origineel_bericht_id!r} is no payout run of this platform.",
                              rule="statusrapport-onbekende-ronde")
    Periode.parse(periode)
    async with uow:
        ronde = await _ronde(uow, periode)
        if await uow.rondes.bericht_verwerkt("statusrapport", rapport.bericht_id):
            return ronde  # the same report again: it changed the run once
        per_id = {u.end_to_end_id: u for u in ronde.uitbetalingen}
        status, wijzigingen = lc.verwerk_statusrapport(
            ronde.status, {e2e: u.status for e2e, u in per_id.items()}, rapport)
        for w in sorted(wijzigingen, key=lambda w: per_id[w.end_to_end_id].wijkwerker_id):  # lock order
            await uow.grootboek.vergrendel_wijkwerker(per_id[w.end_to_end_id].wijkwerker_id)
            await uow.rondes.zet_overschrijving(w.end_to_end_id, w.status, w.reden, rapport.bankdatum)
            if w.status == Overschrijvingsstatus.GEWEIGERD:
                await _boek_terug(uow, per_id[w.end_to_end_id], w.reden, rapport.bankdatum, "pain.002")
        await uow.rondes.zet_status(periode, status)
        await uow.rondes.stap(periode, "statusrapport", door, bericht_id=rapport.bericht_id, details={
            "groepstatus": rapport.groepstatus, "bankdatum": rapport.bankdatum.isoformat(), "status": str(status),
            "geweigerd": sum(w.status == Overschrijvingsstatus.GEWEIGERD for w in wijzigingen),
            "betaald": sum(w.status == Overschrijvingsstatus.BETAALD for w in wijzigingen)})
        await uow.commit()
        return await opgeslagen_ronde(uow, periode)


@dataclass(frozen=True)
class Verwerking:
    bericht_id: str
    teruggeboekt: list[str]  # end-to-end ids booked back now
    al_verwerkt: list[str]  # returns reported before (or refused by pain.002 already)
    onbekend: list[str]  # returns of transfers that are not this platform's


async def importeer_debetmelding(inhoud: bytes, uow: ChequesUnitOfWork, door: str) -> Verwerking:
    melding = lees_camt054(inhoud)
    ids = [t.end_to_end_id for t in melding.terugstortingen]
    async with uow:
        bekend = await uow.rondes.per_end_to_end_id(ids)
        periodes = sorted({u.periode for u in bekend.values() if u.periode is not None})  # a paid transfer has one
        for periode in periodes:
            await uow.rondes.vergrendel(periode)
        if await uow.rondes.bericht_verwerkt("terugstorting", melding.bericht_id):
            return Verwerking(melding.bericht_id, [], [i for i in ids if i in bekend], [i for i in ids if i not in bekend])
        bekend = await uow.rondes.per_end_to_end_id(ids)  # as of holding the locks
        statussen = await uow.rondes.statussen(periodes)
        nu, eerder = [], []
        for t in sorted((t for t in melding.terugstortingen if t.end_to_end_id in bekend),
                        key=lambda t: bekend[t.end_to_end_id].wijkwerker_id):
            u = bekend[t.end_to_end_id]
            assert u.periode is not None
            if t.bedrag_cent != u.bedrag_cent:
                raise OngeldigeInvoer(f"{t.end_to_end_id}: returned {t.bedrag_cent} cents, paid {u.bedrag_cent}.",
                                      rule="terugstorting-bedrag-wijkt-af")
            if not lc.verwerk_terugstorting(statussen[u.periode], u.status):
                eerder.append(t.end_to_end_id)
                continue
            await uow.grootboek.vergrendel_wijkwerker(u.wijkwerker_id)
            await uow.rondes.zet_overschrijving(t.end_to_end_id, Overschrijvingsstatus.TERUGGESTORT, t.reden, t.bankdatum)
            await _boek_terug(uow, u, t.reden, t.bankdatum, "camt.054")
            nu.append(t.end_to_end_id)
        for periode in periodes:
            await uow.rondes.stap(periode, "terugstorting", door, bericht_id=melding.bericht_id, details={
                "teruggeboekt": [e for e in nu if bekend[e].periode == periode]})
        await uow.commit()
    return Verwerking(melding.bericht_id, sorted(nu), sorted(eerder), sorted(i for i in ids if i not in bekend))


async def historiek(wijkwerker_id: uuid.UUID, uow: ChequesUnitOfWork) -> list[tuple[Uitbetaling, Rondestatus]]:
    async with uow:
        return await uow.rondes.van_wijkwerker(wijkwerker_id)
