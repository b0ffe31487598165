from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.repositories import OrganisatorRepository, WijkwerkerRepository
from toeleiding.adapters.trajecten import TrajectRepository
from toeleiding.adapters.wijzigingen import WijzigingRepository
from wijkwerk.db import UnitOfWork


class ToeleidingUnitOfWork(UnitOfWork):
    producer = "toeleiding"

    def init_repositories(self, session: AsyncSession) -> None:
        self.organisatoren = OrganisatorRepository(session)
        self.wijkwerkers = WijkwerkerRepository(session)
        self.trajecten = TrajectRepository(session)
        self.wijzigingen = WijzigingRepository(session)
