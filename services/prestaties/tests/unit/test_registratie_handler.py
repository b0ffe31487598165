"""The registration handler against hand-written fakes (no PostgreSQL): the placement read
with the worker's lock, the data scope before any rule, the caps over what was registered
before, the reference code, the event; a refusal keeps and emits nothing."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from prestaties.adapters.registratie import Gelezen
from prestaties.domain.koppeling import Koppeling
from prestaties.domain.prestatie import Partij, Prestatie
from prestaties.domain.tarieven import VerplaatsingsRegel
from prestaties.domain.uren import Plafonds, UrenStand
from prestaties.service_layer import commands
from prestaties.service_layer.prestaties import Regels, registreer
from wijkwerk.events.prestaties import PrestatieGeregistreerd
from wijkwerk.fouten import DomainError

VANDAAG = date(2026, 11, 23)


class FakeRegistratie:
    def __init__(self, wereld) -> None:
        self.w = wereld
        self.vergrendeld: list[uuid.UUID] = []

    async def lees_en_vergrendel(self, koppeling_id: uuid.UUID) -> Gelezen | None:
        w = self.w
        if koppeling_id != w.koppeling.id:
            return None
        self.vergrendeld.append(w.wijkwerker_id)
        return Gelezen(w.koppeling, w.gebruiker, w.activiteit, w.erkenning, [w.venster])


class FakePrestaties:
    """The worker's hours: ``eerder`` from before, plus what the handler added."""

    def __init__(self, eerder: UrenStand) -> None:
        self.eerder = eerder
        self.rijen: list[Prestatie] = []

    async def stand(self, wijkwerker_id: uuid.UUID, dag: date) -> UrenStand:
        eigen = [p for p in self.rijen if p.wijkwerker_id == wijkwerker_id and p.datum.year == dag.year]
        maand = sum(p.begonnen_uren for p in eigen if p.datum.month == dag.month)
        return UrenStand(self.eerder.maand + maand, self.eerder.jaar + sum(p.begonnen_uren for p in eigen))

    async def volgende_nummer(self) -> int:
        return len(self.rijen) + 1

    async def stand_en_nummer(self, wijkwerker_id: uuid.UUID, dag: date) -> tuple[UrenStand, int]:
        return await self.stand(wijkwerker_id, dag), await self.volgende_nummer()

    async def add(self, prestatie: Prestatie) -> None:
        self.rijen.append(prestatie)


class FakePrestatiesUnitOfWork:
    def __init__(self, wereld, eerder: UrenStand = UrenStand(0, 0)) -> None:
        self.registratie = FakeRegistratie(wereld)
        self.prestaties = FakePrestaties(eerder)
        self.events: list[object] = []
        self._events: list[object] = []
        self.commits = 0

    def ruw(self) -> FakePrestatiesUnitOfWork:
        return self

    async def __aenter__(self) -> FakePrestatiesUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._events = []

    def emit(self, event: object, **_: object) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        self.events += self._events
        self._events = []
        self.commits += 1


REGELS = Regels(plafonds=Plafonds(), verplaatsing=(VerplaatsingsRegel(date(2018, 1, 1)),))


def _cmd(w, datum: date = date(2026, 2, 4), minuten: int = 130, koppeling_id: uuid.UUID | None = None):
    return commands.RegistreerPrestatie(koppeling_id or w.koppeling.id, datum, time(9, 0), minuten, Partij.WIJKWERKER)


async def _regel(uow: FakePrestatiesUnitOfWork, cmd, **kw) -> str:
    aantal = len(uow.prestaties.rijen)
    with pytest.raises(DomainError) as exc:
        await registreer(cmd, uow, REGELS, VANDAAG, **kw)
    assert len(uow.prestaties.rijen) == aantal and uow._events == []
    return exc.value.rule


async def test_a_registration_is_kept_with_its_reference_and_announced_once(wereld):
    w = wereld
    uow = FakePrestatiesUnitOfWork(w)
    prestatie = await registreer(_cmd(w), uow, REGELS, VANDAAG)
    assert uow.prestaties.rijen == [prestatie] and uow.registratie.vergrendeld == [w.wijkwerker_id]
    assert prestatie.referentie is not None
    [event] = uow.events
    assert isinstance(event, PrestatieGeregistreerd) and uow.commits == 1
    assert (event.prestatie_id, event.referentie, event.begonnen_uren, event.traject_id) == (
        prestatie.id, prestatie.referentie, 3, w.venster.traject_id)
    assert (event.afstand_km, event.verplaatsingsvergoeding_dag_cent) == (8, 240)


async def test_the_monthly_cap_counts_what_was_registered_before(wereld):
    w = wereld
    uow = FakePrestatiesUnitOfWork(w, eerder=UrenStand(maand=56, jaar=56))
    await registreer(_cmd(w, minuten=130), uow, REGELS, VANDAAG)  # 3 started hours: 59
    assert await _regel(uow, _cmd(w, minuten=61)) == "max-60-uur-per-maand"  # 2 more would be 61
    await registreer(_cmd(w, minuten=60), uow, REGELS, VANDAAG)  # exactly 60
    await registreer(_cmd(w, datum=date(2026, 4, 7), minuten=60), uow, REGELS, VANDAAG)  # another month
    assert len(uow.events) == 3


async def test_an_unknown_placement_and_a_rule_refusal_keep_nothing(wereld):
    w = wereld
    uow = FakePrestatiesUnitOfWork(w)
    assert await _regel(uow, _cmd(w, koppeling_id=uuid.uuid4())) == "koppeling-onbekend"
    assert uow.registratie.vergrendeld == []
    assert await _regel(uow, _cmd(w, datum=date(2026, 11, 24))) == "datum-in-de-toekomst"
    assert await _regel(uow, _cmd(w, datum=date(2026, 3, 5))) == "traject-geschorst"
    assert uow.events == [] and uow.commits == 0


async def test_the_data_scope_is_checked_before_any_rule(wereld):
    w = wereld
    uow = FakePrestatiesUnitOfWork(w)
    gezien: list[Koppeling] = []

    def geen_toegang(koppeling: Koppeling) -> None:
        gezien.append(koppeling)
        raise DomainError("Not your placement.", rule="koppeling-onbekend")

    # A date in the future would be refused by a rule; the scope answers first.
    assert await _regel(uow, _cmd(w, datum=date(2026, 11, 24)), toegang=geen_toegang) == "koppeling-onbekend"
    assert gezien == [w.koppeling]
