"""The monthly payout run (A-07): pay every worker what was booked up to the month's end
and not paid before, in one SEPA file; a re-run of the month returns the same run. The run
is drawn up here (``opgesteld``, by ``door``); its approval, the file and the bank's
answers are in :mod:`cheques.service_layer.uitbetalingsstatus` (issue #18)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from cheques.adapters.toeleiding import BankgegevensBron
from cheques.adapters.uitbetalingen import Ronde, Uitbetaling
from cheques.domain.grootboek import uitbetaling_transactie
from cheques.domain.signaal import Drempels
from cheques.domain.uitbetaling import Periode, controleer_periode, end_to_end_id, rundata, te_betalen
from cheques.service_layer.signalen import meld_gedeelde_rekeningen
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.events.cheques import UitbetalingUitgevoerd

STANDAARD = Drempels()  # the flags' thresholds when the caller gives none (the settings' defaults)


async def voer_uit(
    periode: Periode,
    nieuwe_uow: Callable[[], ChequesUnitOfWork],
    bron: BankgegevensBron,
    vandaag: date,
    door: str,
    uitgevoerd_op: date | None = None,
    uitvoeringsdatum: date | None = None,
    drempels: Drempels = STANDAARD,
) -> Ronde:
    """``uitgevoerd_op`` (the run's business date) and ``uitvoeringsdatum`` (the SEPA
    requested execution date) come from the request, by default the day after the period;
    ``vandaag`` only guards against a run dated in the future (issue #21, defect 6)."""
    uitgevoerd_op, uitvoeringsdatum = rundata(periode, uitgevoerd_op, uitvoeringsdatum)
    controleer_periode(periode, uitgevoerd_op, uitvoeringsdatum, vandaag)
    async with nieuwe_uow() as uow:
        if (ronde := await uow.rondes.get(str(periode))) is not None:
            return ronde
        tegoeden = await uow.grootboek.tegoeden(periode.laatste_dag)
        vast = await uow.grootboek.vastgehouden(periode.laatste_dag, uitgevoerd_op)
        kandidaten = sorted(w for w, (verdiend, betaald) in tegoeden.items()
                            if te_betalen(verdiend, betaald, vast.get(w, 0)))
    # Bank details are asked outside any transaction, and only for workers with money due.
    rekeningen = await bron.haal(kandidaten)
    async with nieuwe_uow() as uow:
        await uow.rondes.vergrendel(str(periode))
        if (ronde := await uow.rondes.get(str(periode))) is not None:
            return ronde
        for wijkwerker_id in kandidaten:  # sorted: two runs never wait on each other in a cycle
            await uow.grootboek.vergrendel_wijkwerker(wijkwerker_id)
        tegoeden = await uow.grootboek.tegoeden(periode.laatste_dag)
        # Disputed prestaties are held (issue #23 item 3), judged on the run's business date.
        vast = await uow.grootboek.vastgehouden(periode.laatste_dag, uitgevoerd_op)
        bedragen = {w: te_betalen(*tegoeden[w], vast.get(w, 0)) for w in kandidaten}
        # A payout account shared by more workers than allowed holds their whole payout (item 4).
        await meld_gedeelde_rekeningen({w: r.iban for w, r in rekeningen.items() if w in bedragen}, bedragen,
                                       uitgevoerd_op, uow, drempels)
        for w in await uow.signalen.wijkwerkers_vastgehouden(uitgevoerd_op) & set(bedragen):
            bedragen[w] = 0
        lijnen = [
            Uitbetaling(w, bedragen[w], end_to_end_id(periode, w))
            for w in kandidaten
            if w in rekeningen and bedragen[w] > 0
        ]
        ronde = Ronde(
            periode=str(periode),
            uitgevoerd_op=None,
            uitbetalingen=tuple(lijnen),
            zonder_bankgegevens=tuple(str(w) for w in kandidaten if w not in rekeningen),
            uitvoeringsdatum=uitvoeringsdatum,
            opgesteld_door=door,
        )
        await uow.rondes.add(ronde)
        # Booked in the month it settles, so that month's balance of the worker is zero; when
        # that month is closed already, in the first open month (issue #17).
        boekdatum = await uow.boekdatum(periode.laatste_dag)
        for lijn in lijnen:
            transactie = uitbetaling_transactie(str(periode), lijn.wijkwerker_id, lijn.bedrag_cent, boekdatum)
            await uow.boek(transactie)
            uow.emit(
                UitbetalingUitgevoerd(
                    wijkwerker_id=lijn.wijkwerker_id, periode=str(periode), bedrag_cent=lijn.bedrag_cent,
                    uitgevoerd_op=uitgevoerd_op, end_to_end_id=lijn.end_to_end_id, boekmaand=boekdatum.replace(day=1),
                    vastgehouden_cent=vast.get(lijn.wijkwerker_id, 0),
                )
            )
        await uow.commit()
        return await opgeslagen_ronde(uow, str(periode))


async def lees(periode: Periode, uow: ChequesUnitOfWork) -> Ronde | None:
    async with uow:
        return await uow.rondes.get(str(periode))


async def opgeslagen_ronde(uow: ChequesUnitOfWork, periode: str) -> Ronde:
    """The run just written (inside the same unit of work): it is there."""
    ronde = await uow.rondes.get(periode)
    assert ronde is not None, periode
    return ronde
