from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.afsluitingen import AfsluitingRepository
from cheques.adapters.cheques import BestellingRepository, ChequeRepository, WebhookInbox
from cheques.adapters.erkenningen import ErkenningReferentie
from cheques.adapters.grootboek import GrootboekRepository
from cheques.adapters.referentie import PrestatieReferentie, TariefReferentie, VerdeeltariefRepository
from cheques.adapters.signalen import SignaalRepository
from cheques.adapters.terugbetalingen import AanvraagRepository
from cheques.adapters.terugdraaiingen import OpdrachtRepository, ReisdagRepository
from cheques.adapters.uitbetalingen import RondeRepository
from cheques.adapters.voorraad import Voorraad
from cheques.domain.afsluiting import PeriodeAfgesloten, van_dag
from cheques.domain.afsluiting import boekdatum as boekdatum_na_afsluiting
from cheques.domain.grootboek import Transactie, partij
from cheques.domain.tarieven import Tarieven
from cheques.domain.uitbetaling import Periode
from wijkwerk.db import UnitOfWork
from wijkwerk.observability import MONEY


class ChequesUnitOfWork(UnitOfWork):
    producer = "cheques"

    def init_repositories(self, session: AsyncSession) -> None:
        self.tarieven = TariefReferentie(session)
        self.verdeeltarieven = VerdeeltariefRepository(session)
        self.prestaties = PrestatieReferentie(session)
        self.bestellingen = BestellingRepository(session)
        self.cheques = ChequeRepository(session)
        self.webhooks = WebhookInbox(session)
        self.grootboek = GrootboekRepository(session)
        self.rondes = RondeRepository(session)
        self.opdrachten = OpdrachtRepository(session)
        self.reisdagen = ReisdagRepository(session)
        self.afsluitingen = AfsluitingRepository(session)
        self.erkenningen = ErkenningReferentie(session)
        self.voorraad = Voorraad(session)
        self.aanvragen = AanvraagRepository(session)
        self.signalen = SignaalRepository(session)
        self._geboekt: list[Transactie] = []
        self._afgesloten: tuple[Periode | None] | None = None
        self._tarieven: Tarieven | None = None

    async def laatst_afgesloten(self) -> Periode | None:
        """The last closed month, under the close lock (shared): no close commits before this
        transaction does, so the answer holds until then."""
        if self._afgesloten is None:
            await self.afsluitingen.vergrendel_gedeeld()
            maand = await self.afsluitingen.laatste_maand()
            self._afgesloten = (van_dag(maand) if maand else None,)
        return self._afgesloten[0]

    async def tarieven_voor_splitsing(self) -> Tarieven:
        """The split rates to split a cheque with, under the rates' lock (shared): no new
        rate commits before this transaction does, so a rate laid down meanwhile either
        sees this split (and is refused as retroactive) or is seen by it."""
        if self._tarieven is None:
            await self.verdeeltarieven.vergrendel_gedeeld()
            self._tarieven = await self.verdeeltarieven.alle()
        return self._tarieven

    async def boekdatum(self, dag: date) -> date:
        """The date a fact dated ``dag`` is booked on: ``dag`` while its month is open, else
        the first day of the first open month (issue #17)."""
        return boekdatum_na_afsluiting(dag, await self.laatst_afgesloten())

    async def boek(self, transactie: Transactie) -> bool:
        """Posts ``transactie`` once (its key is the idempotency key); never into a closed
        month (the database refuses it too)."""
        laatst = await self.laatst_afgesloten()
        if laatst is not None and transactie.boekdatum <= laatst.laatste_dag:
            raise PeriodeAfgesloten(
                f"{transactie.sleutel}: {transactie.boekmaand:%Y-%m} is closed (closed up to {laatst}).",
                laatst_afgesloten=str(laatst),
            )
        nieuw = await self.grootboek.boek(transactie)
        if nieuw:
            self._geboekt.append(transactie)
        return nieuw

    async def commit(self) -> None:
        await super().commit()
        self._afgesloten = self._tarieven = None  # the locks ended with the transaction (a joined one: with its batch)
        # Counted once written; a joined unit of work counts when its batch is flushed.
        for transactie in self._geboekt:
            for boeking in transactie.boekingen:
                if boeking.credit:
                    MONEY.labels("cheques", partij(boeking.rekening)).inc(boeking.credit)
        self._geboekt = []

    async def rollback(self) -> None:
        self._geboekt = []
        self._afgesloten = self._tarieven = None
        await super().rollback()
