from typing import Annotated

from fastapi import Depends, Request

from toeleiding.config import Settings
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.http.sessie import Leessessie

# The dependencies are ``async def`` though they never wait: FastAPI runs a plain ``def``
# dependency on a worker thread, a thread hop per dependency per request.


async def get_uow(request: Request) -> ToeleidingUnitOfWork:
    """A fresh unit of work (and so a fresh session) for every request."""
    return ToeleidingUnitOfWork(request.app.state.runtime.sessions)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Uow = Annotated[ToeleidingUnitOfWork, Depends(get_uow)]
Instellingen = Annotated[Settings, Depends(get_settings)]

__all__ = ["Instellingen", "Leessessie", "Uow", "get_settings", "get_uow"]
