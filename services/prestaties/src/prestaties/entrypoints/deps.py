from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from prestaties.config import Settings
from prestaties.service_layer.prestaties import Regels
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.http.sessie import Leessessie

# The dependencies are ``async def`` though they never wait: FastAPI runs a plain ``def``
# dependency on a worker thread, a thread hop per dependency per request.


async def get_uow(request: Request) -> PrestatiesUnitOfWork:
    """A fresh unit of work (and so a fresh session) for every request."""
    return PrestatiesUnitOfWork(request.app.state.runtime.sessions)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_regels(request: Request) -> Regels:
    s: Settings = request.app.state.settings
    return Regels(plafonds=s.plafonds(), verplaatsing=s.verplaatsing, termijnen=s.bevestigingstermijn,
                  feestdagen=frozenset(s.feestdagen))


async def vandaag() -> date:
    return date.today()


Uow = Annotated[PrestatiesUnitOfWork, Depends(get_uow)]
Instellingen = Annotated[Settings, Depends(get_settings)]
Vandaag = Annotated[date, Depends(vandaag)]

__all__ = ["Instellingen", "Leessessie", "Uow", "Vandaag", "get_regels", "get_settings", "get_uow"]
