"""Async SQLAlchemy engines: one per process, one session per request or batch."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine


def create_engine(url: str, *, pool_size: int = 10, application_name: str = "wijkwerk") -> AsyncEngine:
    return _create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,  # survive a PostgreSQL restart without restarting the service
        pool_timeout=10,
        connect_args={
            "server_settings": {
                "application_name": application_name,
                # A stuck transaction must not hold back the outbox relay or bloat tables.
                "idle_in_transaction_session_timeout": "60000",
            },
            "timeout": 5,
            "command_timeout": 60,
        },
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
