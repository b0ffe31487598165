import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cheques.adapters.sepa import Opdrachtgever
from cheques.adapters.toeleiding import BankgegevensBron, ToeleidingBankgegevens
from cheques.config import Settings
from cheques.domain.fouten import Onbeschikbaar
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.http import tls
from wijkwerk.http.sessie import Leessessie
from wijkwerk.messaging.archief import ArchiefBron, DatabaseArchief, GeschiedenisOnbeschikbaar, HttpArchief

# The dependencies are ``async def`` though they never wait: FastAPI runs a plain ``def``
# dependency on a worker thread, a thread hop per dependency per request.


async def get_uow(request: Request) -> ChequesUnitOfWork:
    """A fresh unit of work (and so a fresh session) for every request."""
    return ChequesUnitOfWork(request.app.state.runtime.sessions)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_klok() -> Callable[[], float]:
    """Wall-clock time for what is about now, not about a business date: a webhook's
    staleness and which issuer secrets are valid (tests override it)."""
    return time.time


async def get_bankgegevens(request: Request) -> BankgegevensBron:
    settings: Settings = request.app.state.settings
    token = request.app.state.dienstentoken
    if token is None:
        async def geen() -> str:
            raise Onbeschikbaar("No way to get a service token for toeleiding.", rule="bankgegevens-onbeschikbaar")

        token = geen
    return ToeleidingBankgegevens(settings.urls.toeleiding_url, token, timeout_s=settings.toeleiding_timeout_s,
                                  verify=tls.verify(settings.urls.ca_file))


async def get_opdrachtgever(request: Request) -> Opdrachtgever:
    s: Settings = request.app.state.settings
    return Opdrachtgever(naam=s.sepa_naam, iban=s.sepa_iban, bic=s.sepa_bic)


async def get_uow_factory(request: Request) -> Callable[[], ChequesUnitOfWork]:
    """For handlers that need more than one transaction (the payout run)."""
    sessions = request.app.state.runtime.sessions
    return lambda: ChequesUnitOfWork(sessions)


async def get_sessies(request: Request) -> async_sessionmaker[AsyncSession]:
    """The session factory, for a job that runs its own transactions (the recompute)."""
    sessies: async_sessionmaker[AsyncSession] = request.app.state.runtime.sessions
    return sessies


async def get_archieven(request: Request) -> dict[str, ArchiefBron]:
    """Where the recompute reads each topic's history: cheques' own archive in its
    database, prestaties' over HTTP from the producer (with the service token)."""
    settings: Settings = request.app.state.settings
    token = request.app.state.dienstentoken
    if token is None:
        async def geen() -> str:
            raise GeschiedenisOnbeschikbaar("no way to get a service token for prestaties' archive")

        token = geen
    return {
        settings.cheques_topic: DatabaseArchief(request.app.state.runtime.engine),
        settings.prestaties_topic: HttpArchief(settings.urls.prestaties_url, token,
                                               verify=tls.verify(settings.urls.ca_file)),
    }


Uow = Annotated[ChequesUnitOfWork, Depends(get_uow)]
Instellingen = Annotated[Settings, Depends(get_settings)]

__all__ = ["Instellingen", "Leessessie", "Uow", "get_archieven", "get_bankgegevens", "get_klok", "get_opdrachtgever",
           "get_sessies", "get_settings", "get_uow", "get_uow_factory"]
