from sqlalchemy.ext.asyncio import AsyncSession

from prestaties.adapters.catalogus import ActiviteitRepository, KoppelingRepository
from prestaties.adapters.evaluaties import EvaluatieReferentie
from prestaties.adapters.gebruikers import ContactRepository, ErkenningRepository, GebruikerRepository
from prestaties.adapters.prestaties import PrestatieRepository
from prestaties.adapters.referentie import OrganisatorReferentie, VensterRepository
from prestaties.adapters.registratie import RegistratieLezer
from wijkwerk.db import UnitOfWork


class PrestatiesUnitOfWork(UnitOfWork):
    producer = "prestaties"

    def init_repositories(self, session: AsyncSession) -> None:
        self.organisatoren = OrganisatorReferentie(session)
        self.vensters = VensterRepository(session)
        self.evaluaties = EvaluatieReferentie(session)
        self.gebruikers = GebruikerRepository(session)
        self.erkenningen = ErkenningRepository(session)
        self.contacten = ContactRepository(session)
        self.activiteiten = ActiviteitRepository(session)
        self.koppelingen = KoppelingRepository(session)
        self.prestaties = PrestatieRepository(session)
        self.registratie = RegistratieLezer(session)
