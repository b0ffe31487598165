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
    """The rules' settings, built once per settings object (the hot path asks every request)."""
    state = request.app.state
    s: Settings = state.settings
    onthouden: tuple[Settings, Regels] | None = getattr(state, "regels", None)
    if onthouden is None or onthouden[0] is not s:
        onthouden = s, Regels(plafonds=s.plafonds(), verplaatsing=s.verplaatsing, termijnen=s.bevestigingstermijn,
                              feestdagen=frozenset(s.feestdagen))
        state.regels = onthouden
    return onthouden[1]


async def vandaag() -> date:
    return date.today()


Uow = Annotated[PrestatiesUnitOfWork, Depends(get_uow)]
Instellingen = Annotated[Settings, Depends(get_settings)]
Vandaag = Annotated[date, Depends(vandaag)]

__all__ = ["Instellingen", "Leessessie", "Uow", "Vandaag", "get_regels", "get_settings", "get_uow"]
