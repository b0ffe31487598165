from sqlalchemy.ext.asyncio import AsyncSession

from toeleiding.adapters.organisatoren import OrganisatorRepository
from toeleiding.adapters.trajecten import TrajectRepository
from toeleiding.adapters.wijkwerkers import WijkwerkerRepository
from toeleiding.adapters.wijzigingen import WijzigingRepository
from wijkwerk.db import UnitOfWork


class ToeleidingUnitOfWork(UnitOfWork):
    producer = "toeleiding"

    def init_repositories(self, session: AsyncSession) -> None:
        self.organisatoren = OrganisatorRepository(session)
        self.wijkwerkers = WijkwerkerRepository(session)
        self.trajecten = TrajectRepository(session)
        self.wijzigingen = WijzigingRepository(session)
