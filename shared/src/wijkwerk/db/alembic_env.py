"""The body of every service's ``migrations/env.py``: online migrations over asyncpg.

The URL comes from the alembic config (``wijkwerk migrate`` and the test fixtures set
it) or else from the service's Settings, so production runs ``alembic upgrade head``
with nothing but ``<SERVICE>_DATABASE_URL`` in the environment.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine


def run_migrations(context, settings_factory) -> None:
    url = context.config.get_main_option("sqlalchemy.url") or settings_factory().database_url

    def do_run(connection) -> None:
        context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run_async())
