"""The monthly payout run's handler against hand-written fakes (no PostgreSQL): who is
paid what, who waits for bank details, a re-run, a run dated in the future."""

import uuid
from datetime import date

import pytest

from cheques.adapters.toeleiding import Bankrekening
from cheques.domain.levenscyclus import Rondestatus
from cheques.domain.uitbetaling import Periode
from cheques.service_layer.uitbetalingen import voer_uit
from wijkwerk.events.cheques import UitbetalingUitgevoerd
from wijkwerk.fouten import DomainError

from .fakes import FakeChequesUnitOfWork, FakeGrootboek

MAART = Periode(2026, 3)
BETAALD, DEELS, ZONDER_REKENING, NIETS = sorted(uuid.uuid4() for _ in range(4))


class FakeBank:
    """toeleiding's bank details, for the workers it knows."""

    def __init__(self, *bekend: uuid.UUID) -> None:
        self.bekend = bekend
        self.gevraagd: list[list[uuid.UUID]] = []

    async def haal(self, wijkwerker_ids: list[uuid.UUID]) -> dict[uuid.UUID, Bankrekening]:
        self.gevraagd.append(list(wijkwerker_ids))
        return {w: Bankrekening("naam", "BE68539007547034") for w in wijkwerker_ids if w in self.bekend}


def _uow(**kw) -> FakeChequesUnitOfWork:
    grootboek = FakeGrootboek({BETAALD: (1230, 0), DEELS: (2000, 820), ZONDER_REKENING: (410, 0), NIETS: (820, 820)})
    return FakeChequesUnitOfWork(grootboek=grootboek, **kw)


async def test_a_run_pays_what_is_due_to_every_worker_with_bank_details():
    uow, bank = _uow(), FakeBank(BETAALD, DEELS, NIETS)
    ronde = await voer_uit(MAART, lambda: uow, bank, vandaag=date(2026, 4, 2), door="boekhouder")
    assert [(u.wijkwerker_id, u.bedrag_cent) for u in ronde.uitbetalingen] == [(BETAALD, 1230), (DEELS, 1180)]
    assert ronde.zonder_bankgegevens == (str(ZONDER_REKENING),)
    assert (ronde.status, ronde.opgesteld_door, ronde.uitvoeringsdatum) == (Rondestatus.OPGESTELD, "boekhouder",
                                                                           date(2026, 4, 1))
    assert bank.gevraagd == [sorted([BETAALD, DEELS, ZONDER_REKENING])]  # only workers with money due
    assert [t.boekdatum for t in uow.geboekt] == [date(2026, 3, 31)] * 2
    assert sum(t.debet for t in uow.geboekt) == 2410
    assert [(e.wijkwerker_id, e.bedrag_cent, e.uitgevoerd_op) for e in uow.events
            if isinstance(e, UitbetalingUitgevoerd)] == [(BETAALD, 1230, date(2026, 4, 1)), (DEELS, 1180, date(2026, 4, 1))]
    assert uow.commits == 1


async def test_what_a_disputed_prestatie_earned_is_held_back_and_recorded_on_the_payout():
    grootboek = FakeGrootboek({BETAALD: (1230, 0), DEELS: (2000, 820)}, vast={BETAALD: 410, DEELS: 2000})
    uow = FakeChequesUnitOfWork(grootboek=grootboek)
    ronde = await voer_uit(MAART, lambda: uow, FakeBank(BETAALD, DEELS), vandaag=date(2026, 4, 2), door="boekhouder")
    # BETAALD: 1230 earned, 410 held; DEELS: all of its 1180 due is held, so it is not paid at all
    assert [(u.wijkwerker_id, u.bedrag_cent) for u in ronde.uitbetalingen] == [(BETAALD, 820)]
    assert [(e.wijkwerker_id, e.bedrag_cent, e.vastgehouden_cent) for e in uow.events
            if isinstance(e, UitbetalingUitgevoerd)] == [(BETAALD, 820, 410)]


async def test_a_closed_month_is_paid_in_the_first_open_one():
    uow = _uow(laatst_afgesloten=MAART)
    await voer_uit(MAART, lambda: uow, FakeBank(BETAALD), vandaag=date(2026, 4, 2), door="boekhouder")
    assert [(t.boekdatum, e.boekmaand) for t, e in zip(uow.geboekt, uow.events, strict=True)] == [
        (date(2026, 4, 1), date(2026, 4, 1))]


async def test_a_rerun_of_the_month_returns_the_same_run_and_books_nothing_more():
    uow, bank = _uow(), FakeBank(BETAALD)
    eerste = await voer_uit(MAART, lambda: uow, bank, vandaag=date(2026, 4, 2), door="boekhouder")
    tweede = await voer_uit(MAART, lambda: uow, bank, vandaag=date(2026, 4, 3), door="iemand anders")
    assert tweede == eerste and len(uow.geboekt) == 1 and uow.commits == 1


async def test_a_run_dated_after_today_is_refused_before_anything_is_read():
    uow, bank = _uow(), FakeBank(BETAALD)
    with pytest.raises(DomainError) as exc:
        await voer_uit(MAART, lambda: uow, bank, vandaag=date(2026, 3, 31), door="boekhouder")
    assert exc.value.rule == "periode-in-de-toekomst" and bank.gevraagd == [] and uow.geboekt == []
