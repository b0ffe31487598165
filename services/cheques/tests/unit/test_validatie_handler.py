"""The cheque validation handler against hand-written fakes (no PostgreSQL): each of its
branches, what it books, emits and refuses."""

import uuid
from dataclasses import replace
from datetime import date

import pytest

from cheques.domain.cheque import Bestelling, Cheque, Prestatie, Status, geldig_tot
from cheques.domain.tarieven import Tarieven
from cheques.domain.uitbetaling import Periode
from cheques.service_layer import commands
from cheques.service_layer.webhooks import valideer_cheque, valideer_cheques
from wijkwerk.events.cheques import ChequeGevalideerd, VerplaatsingsvergoedingToegekend
from wijkwerk.fouten import DomainError

from .fakes import FakeChequesUnitOfWork

START = date(2018, 1, 1)
TARIEVEN = Tarieven.van([
    ("loon_per_uur", START, 410), ("verzekering", START, 42), ("reisfonds", START, 10),
    ("uitgeverkost_papier", START, 58), ("uitgeverkost_elektronisch", START, 48), ("geldigheid_maanden", START, 12),
])
GEBRUIKER, ORGANISATOR = uuid.uuid4(), uuid.uuid4()
BESTELLING = Bestelling(uuid.uuid4(), "uitgever", GEBRUIKER, ORGANISATOR, 10, "papier", date(2026, 1, 5), 745)
PRESTATIE = Prestatie(uuid.uuid4(), uuid.uuid4(), GEBRUIKER, ORGANISATOR, uuid.uuid4(), date(2026, 3, 2), 2, 0)


def _cheque(serienummer: str = "S1") -> Cheque:
    return Cheque(serienummer, BESTELLING, date(2026, 1, 6), geldig_tot(date(2026, 1, 6), 12))


def _uow(*cheques: Cheque, prestatie: Prestatie = PRESTATIE, **kw) -> FakeChequesUnitOfWork:
    return FakeChequesUnitOfWork(cheques=list(cheques) or [_cheque()], prestaties=[prestatie], tarieven=TARIEVEN, **kw)


async def _valideer(uow: FakeChequesUnitOfWork, serienummer: str = "S1", op: date = date(2026, 3, 5),
                    prestatie_id: uuid.UUID = PRESTATIE.id) -> None:
    await valideer_cheque(commands.ValideerCheque(serienummer, prestatie_id, op), uow, "uitgever")
    await uow.commit()


async def _regel(uow: FakeChequesUnitOfWork, **kw) -> str:
    with pytest.raises(DomainError) as exc:
        await _valideer(uow, **kw)
    await uow.rollback()
    return exc.value.rule


async def test_a_valid_cheque_books_its_split_once_and_emits_it():
    uow = _uow()
    await _valideer(uow)
    [transactie] = uow.geboekt
    assert transactie.debet == transactie.credit == 745
    assert transactie.boekdatum == date(2026, 3, 5)  # the validation date, not the prestatie's
    [event] = uow.events
    assert isinstance(event, ChequeGevalideerd)
    assert (event.serienummer, event.prestatie_id, event.boekmaand) == ("S1", PRESTATIE.id, date(2026, 3, 1))
    aandelen = (event.wijkwerker_cent, event.verzekering_cent, event.reisfonds_cent, event.uitgever_cent,
                event.organisator_cent)
    assert aandelen == (410, 42, 10, 58, 225) and sum(aandelen) == 745
    assert uow.cheques.rijen["S1"].status is Status.GEVALIDEERD


async def test_a_validation_in_a_closed_month_is_booked_in_the_first_open_one():
    uow = _uow(laatst_afgesloten=Periode(2026, 3))
    await _valideer(uow, op=date(2026, 3, 20))
    assert uow.geboekt[0].boekdatum == date(2026, 4, 1)
    assert uow.events[0].boekmaand == date(2026, 4, 1)


async def test_the_travel_allowance_is_granted_with_the_days_first_cheque_only():
    prestatie = replace(PRESTATIE, verplaatsingsvergoeding_dag_cent=150)
    uow = _uow(_cheque("S1"), _cheque("S2"), prestatie=prestatie)
    await _valideer(uow, "S1")
    await _valideer(uow, "S2")
    reis = [e for e in uow.events if isinstance(e, VerplaatsingsvergoedingToegekend)]
    assert [(e.serienummer, e.bedrag_cent) for e in reis] == [("S1", 150)]
    assert len(uow.geboekt) == 3  # two cheques, one allowance


async def test_refusals_book_and_emit_nothing():
    assert await _regel(_uow(), serienummer="ONBEKEND") == "cheque-onbekend"
    ander_uitgever = Cheque("S1", replace(BESTELLING, uitgever="ander"), date(2026, 1, 6), date(2027, 1, 5))
    assert await _regel(_uow(ander_uitgever)) == "cheque-onbekend"
    assert await _regel(_uow(), prestatie_id=uuid.uuid4()) == "prestatie-nog-onbekend"
    assert await _regel(_uow(), op=date(2026, 3, 1)) == "validatie-voor-prestatie"
    gebruikt = replace(_cheque(), status=Status.GEVALIDEERD)
    assert await _regel(_uow(gebruikt)) == "cheque-al-gebruikt"
    uow = _uow(_cheque("S1"), _cheque("S2"), _cheque("S3"))
    await _valideer(uow, "S1")
    await _valideer(uow, "S2")
    assert await _regel(uow, serienummer="S3") == "meer-cheques-dan-uren"  # 2 started hours
    assert len(uow.geboekt) == 2 and len(uow.events) == 2


async def test_a_delivery_of_several_cheques_is_all_or_nothing():
    uow = _uow(_cheque("S1"), _cheque("S2"), _cheque("S3"))
    with pytest.raises(DomainError) as exc:
        await valideer_cheques(commands.ValideerCheques(("S1", "S2", "S3"), PRESTATIE.id, date(2026, 3, 5)),
                               uow, "uitgever")
    await uow.rollback()
    assert exc.value.rule == "meer-cheques-dan-uren" and uow.geboekt == [] and uow.events == []
    with pytest.raises(DomainError) as exc:
        await valideer_cheques(commands.ValideerCheques(("S1", "S1"), PRESTATIE.id, date(2026, 3, 5)),
                               uow, "uitgever")
    assert exc.value.rule == "serienummer-dubbel"
