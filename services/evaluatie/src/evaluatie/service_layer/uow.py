from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.adapters.bemiddelaars import Bemiddelaars
from evaluatie.adapters.correcties import Correcties
from evaluatie.adapters.getuigschriften import Getuigschriften
from evaluatie.adapters.leesmodellen import Leesmodellen
from evaluatie.adapters.signalen import Signalen
from evaluatie.adapters.trajecten import TrajectRepository
from evaluatie.adapters.webhooks import Abonnementen
from evaluatie.adapters.werk import WerkEnGeld
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
        # The read models the consumed events fold into (service_layer.consumenten.rapportering).
        self.leesmodellen = Leesmodellen(session)
        self.werk = WerkEnGeld(session)
