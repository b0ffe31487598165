"""Hand-written fakes of the cheques unit of work and its repositories (STYLE habit 8):
the handlers run against them without PostgreSQL. Only what the handlers under test call."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from cheques.adapters.uitbetalingen import Ronde
from cheques.domain.afsluiting import boekdatum as boekdatum_na_afsluiting
from cheques.domain.cheque import Cheque, Prestatie, Status
from cheques.domain.grootboek import Transactie
from cheques.domain.tarieven import Tarieven
from cheques.domain.uitbetaling import Periode


class FakeCheques:
    def __init__(self, cheques: list[Cheque]) -> None:
        self.rijen = {c.serienummer: c for c in cheques}

    async def get(self, serienummer: str, for_update: bool = False) -> Cheque | None:
        cheque = self.rijen.get(serienummer)
        return replace(cheque) if cheque else None  # a copy, as a row read from the database

    async def gevalideerd_voor(self, prestatie_id: uuid.UUID) -> int:
        return sum(c.prestatie_id == prestatie_id and c.status is Status.GEVALIDEERD for c in self.rijen.values())

    async def save(self, cheque: Cheque) -> None:
        self.rijen[cheque.serienummer] = cheque


class FakePrestaties:
    def __init__(self, prestaties: list[Prestatie]) -> None:
        self.rijen = {p.id: p for p in prestaties}

    async def get(self, prestatie_id: uuid.UUID) -> Prestatie | None:
        return self.rijen.get(prestatie_id)


class FakeVerdeeltarieven:
    def __init__(self, tarieven: Tarieven) -> None:
        self.tarieven = tarieven

    async def alle(self) -> Tarieven:
        return self.tarieven


class FakeReisdagen:
    async def terugdraaiingen(self, koppeling_id: uuid.UUID, dag: date) -> int:
        return 0


class FakeGrootboek:
    """Balances as (earned up to a day, paid) per worker, from the booked transactions'
    worker accounts are not modelled: the payout tests set what the ledger answers."""

    def __init__(self, tegoeden: dict[uuid.UUID, tuple[int, int]] | None = None,
                 vast: dict[uuid.UUID, int] | None = None) -> None:
        self.saldi = dict(tegoeden or {})
        self.vast = dict(vast or {})  # held from payout (disputed prestaties), per worker
        self.vergrendeld: list[uuid.UUID] = []

    async def tegoeden(self, tot: date) -> dict[uuid.UUID, tuple[int, int]]:
        return dict(self.saldi)

    async def vastgehouden(self, tot_en_met: date, op: date) -> dict[uuid.UUID, int]:
        return dict(self.vast)

    async def vergrendel_wijkwerker(self, wijkwerker_id: uuid.UUID) -> None:
        self.vergrendeld.append(wijkwerker_id)


class FakeRondes:
    def __init__(self) -> None:
        self.rijen: dict[str, Ronde] = {}

    async def get(self, periode: str) -> Ronde | None:
        return self.rijen.get(periode)

    async def vergrendel(self, periode: str) -> None:
        return None

    async def add(self, ronde: Ronde) -> None:
        self.rijen[ronde.periode] = ronde


class FakeSignalen:
    """Flags: raised once per id; worker-level ones hold the whole payout until released."""

    def __init__(self) -> None:
        self.gemeld: dict[uuid.UUID, object] = {}
        self.organisator = uuid.uuid4()
        self.partijen: dict[uuid.UUID, object] = {}  # fingerprints (ADR 0024)

    async def blokken(self, **_: object) -> list:
        return []

    async def bewaar_vingerafdrukken(self, partij_id: uuid.UUID, soort: str, iban: str | None,
                                     adres: str | None) -> None:
        from cheques.domain.signaal import Vingerafdrukken

        self.partijen[partij_id] = Vingerafdrukken(iban, adres)

    async def vingerafdrukken(self, *partij_ids: uuid.UUID) -> dict:
        return {p: self.partijen[p] for p in partij_ids if p in self.partijen}

    async def meld(self, signaal) -> bool:
        if signaal.id in self.gemeld:
            return False
        self.gemeld[signaal.id] = signaal
        return True

    async def organisator_van(self, wijkwerker_id: uuid.UUID) -> uuid.UUID | None:
        return self.organisator

    async def wijkwerkers_vastgehouden(self, op: date) -> set[uuid.UUID]:
        return {s.wijkwerker_id for s in self.gemeld.values()
                if s.prestatie_id is None and s.datum <= op and s.status.value == "open"}


class FakeChequesUnitOfWork:
    """What a handler sees of :class:`cheques.service_layer.uow.ChequesUnitOfWork`: the
    repositories, bookings once per key, the closed months, emitted events and the commit.
    Nothing is kept without a commit, as in the real one."""

    def __init__(
        self,
        *,
        cheques: list[Cheque] = (),
        prestaties: list[Prestatie] = (),
        tarieven: Tarieven | None = None,
        grootboek: FakeGrootboek | None = None,
        laatst_afgesloten: Periode | None = None,
    ) -> None:
        self.cheques = FakeCheques(list(cheques))
        self.prestaties = FakePrestaties(list(prestaties))
        self.verdeeltarieven = FakeVerdeeltarieven(tarieven or Tarieven.van([]))
        self.reisdagen = FakeReisdagen()
        self.grootboek = grootboek or FakeGrootboek()
        self.rondes = FakeRondes()
        self.signalen = FakeSignalen()
        self.laatst_afgesloten = laatst_afgesloten
        self.geboekt: list[Transactie] = []  # committed
        self.events: list[object] = []  # committed
        self._geboekt: list[Transactie] = []
        self._events: list[object] = []
        self.commits = 0

    async def __aenter__(self) -> FakeChequesUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    async def tarieven_voor_splitsing(self) -> Tarieven:
        return await self.verdeeltarieven.alle()

    async def boekdatum(self, dag: date) -> date:
        return boekdatum_na_afsluiting(dag, self.laatst_afgesloten)

    async def boek(self, transactie: Transactie) -> bool:
        if any(t.sleutel == transactie.sleutel for t in [*self.geboekt, *self._geboekt]):
            return False
        self._geboekt.append(transactie)
        return True

    def emit(self, event: object, **_: object) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        self.geboekt += self._geboekt
        self.events += self._events
        self.commits += 1
        self._geboekt, self._events = [], []

    async def rollback(self) -> None:
        self._geboekt, self._events = [], []
