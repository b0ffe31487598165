from sqlalchemy.ext.asyncio import AsyncSession

from cheques.adapters.cheques import BestellingRepository, ChequeRepository, WebhookInbox
from cheques.adapters.grootboek import GrootboekRepository
from cheques.adapters.referentie import PrestatieReferentie, TariefReferentie, VerdeeltariefRepository
from cheques.adapters.terugdraaiingen import OpdrachtRepository, ReisdagRepository
from cheques.adapters.uitbetalingen import RondeRepository
from cheques.domain.grootboek import Transactie, partij
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
        self._geboekt: list[Transactie] = []

    async def boek(self, transactie: Transactie) -> bool:
        """Posts ``transactie`` once (its key is the idempotency key)."""
        nieuw = await self.grootboek.boek(transactie)
        if nieuw:
            self._geboekt.append(transactie)
        return nieuw

    async def commit(self) -> None:
        await super().commit()
        # Counted once written; a joined unit of work counts when its batch is flushed.
        for transactie in self._geboekt:
            for boeking in transactie.boekingen:
                if boeking.credit:
                    MONEY.labels("cheques", partij(boeking.rekening)).inc(boeking.credit)
        self._geboekt = []

    async def rollback(self) -> None:
        self._geboekt = []
        await super().rollback()
