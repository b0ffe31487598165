"""The read session a route gets as a dependency (polar's ``get_db_read_session``), so that
no route opens a session from ``request.app.state`` itself. It never commits: writes go
through a handler and its unit of work (STYLE habit 3)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession


async def leessessie(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request, from the service's runtime; closed when the request ends."""
    async with request.app.state.runtime.sessions() as session:
        yield session


Leessessie = Annotated[AsyncSession, Depends(leessessie)]
