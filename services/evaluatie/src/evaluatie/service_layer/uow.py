from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.bemiddelaars import Bemiddelaars
from evaluatie.adapters.correcties import Correcties
from evaluatie.adapters.getuigschriften import Getuigschriften
from evaluatie.adapters.signalen import Signalen
from evaluatie.adapters.trajecten import TrajectRepository
from evaluatie.adapters.webhooks import Abonnementen
from wijkwerk.db import UnitOfWork


class EvaluatieUnitOfWork(UnitOfWork):
    producer = "evaluatie"

    def init_repositories(self, session: AsyncSession) -> None:
        self.trajecten = TrajectRepository(session)
        self.bemiddelaars = Bemiddelaars(session)
        self.correcties = Correcties(session)
        self.abonnementen = Abonnementen(session)
        self.signalen = Signalen(session)
        self.getuigschriften = Getuigschriften(session)
