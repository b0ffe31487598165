"""The confirmation window's handlers (issue #23 item 3): resolving a dispute, and the job
that records reminders and confirmations by silence.

The job's facts carry their own dates (the reminder's date, the deadline), never the day
it runs: a run that is late, missed or repeated records the same facts with the same
dates, once (the prestatie's row under ``FOR UPDATE SKIP LOCKED`` is the record)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from prestaties.domain.bevestiging import Uitkomst
from prestaties.domain.prestatie import Partij, Prestatie
from prestaties.service_layer import commands
from prestaties.service_layer.prestaties import _kern, _prestatie
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events.prestaties import (
    PrestatieBetwistingBeslecht,
    PrestatieBevestigd,
    PrestatieBevestigingHerinnerd,
    PrestatieGeannuleerd,
)


async def beslecht(cmd: commands.BeslechtBetwisting, uow: PrestatiesUnitOfWork, vandaag: date) -> Prestatie:
    """Upheld: the prestatie is confirmed and payable. Rejected: it is cancelled on the
    resolution's date, and the ``PrestatieGeannuleerd`` that follows releases its validated
    cheques with a storno in the ledger (A-20), so the recompute still agrees."""
    op = cmd.op or vandaag
    async with uow:
        p = await _prestatie(uow, cmd.prestatie_id)
        betwist_op = p.beoordeeld_op
        p.beslecht(cmd.uitkomst, op, vandaag)
        actie = f"betwisting-{cmd.uitkomst.value}"
        await uow.prestaties.save(p, actie=actie, door=Partij.ORGANISATOR, reden=cmd.toelichting)
        kern = _kern(p, Partij.ORGANISATOR)
        uow.emit(PrestatieBetwistingBeslecht(**kern, uitkomst=cmd.uitkomst.value, beslecht_op=op,
                                             toelichting=cmd.toelichting, betwist_op=betwist_op),
                 aggregate_version=p.version)
        if cmd.uitkomst is Uitkomst.AFGEWEZEN:
            uow.emit(PrestatieGeannuleerd(**kern, begonnen_uren=p.begonnen_uren,
                                          reden=f"betwisting afgewezen: {cmd.toelichting}", geannuleerd_op=op),
                     aggregate_version=p.version)
        await uow.commit()
    return p


async def verwerk_termijnen(nieuwe_uow: Callable[[], PrestatiesUnitOfWork], vandaag: date, limiet: int = 500) -> int:
    """Records every reminder and confirmation by silence due by ``vandaag``, a page of
    ``limiet`` prestaties per transaction until none is left; returns the events recorded."""
    totaal = 0
    while True:
        voor = totaal
        async with nieuwe_uow() as uow:
            pagina = await uow.prestaties.met_termijn_voor(vandaag, limiet)
            for p in pagina:
                herinnerd = _herinner(uow, p, vandaag)  # first: a late run records both, in date order
                stil = _bevestig_door_stilte(uow, p, vandaag)
                if stil:
                    await uow.prestaties.save(p, actie="bevestigd-door-stilte", door=p.ingevoerd_door, reden=None)
                elif herinnerd:
                    await uow.prestaties.herinnerd(p)
                totaal += herinnerd + stil
            await uow.commit()
        if len(pagina) < limiet or totaal == voor:  # the last page, or one with nothing to do
            return totaal


def _herinner(uow: PrestatiesUnitOfWork, p: Prestatie, vandaag: date) -> int:
    if not p.herinnering_nodig(vandaag) or p.termijn is None:
        return 0
    p.herinnerd_tot = p.termijn.tot
    uow.emit(PrestatieBevestigingHerinnerd(**_kern(p, p.ingevoerd_door), herinnering_op=p.termijn.herinnering_op,
                                           bevestigen_tot=p.termijn.tot), aggregate_version=p.version)
    return 1


def _bevestig_door_stilte(uow: PrestatiesUnitOfWork, p: Prestatie, vandaag: date) -> int:
    if not p.bevestig_door_stilte(vandaag):
        return 0
    # ``door`` is the party that registered it: nobody answered.
    uow.emit(PrestatieBevestigd(**_kern(p, p.ingevoerd_door), begonnen_uren=p.begonnen_uren,
                                bevestigd_op=p.beoordeeld_op, automatisch=True), aggregate_version=p.version)
    return 1
