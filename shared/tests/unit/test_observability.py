"""uvicorn's loggers go through our JSON handler, and --no-access-log stays off."""

from __future__ import annotations

import logging

import pytest

from wijkwerk.observability import configure_logging


@pytest.fixture
def access_logger():
    logger = logging.getLogger("uvicorn.access")
    saved = (list(logger.handlers), logger.propagate)
    yield logger
    logger.handlers[:], logger.propagate = saved


def test_an_access_log_switched_off_by_uvicorn_stays_off(access_logger):
    access_logger.handlers.clear()
    access_logger.propagate = False  # what uvicorn does for --no-access-log
    configure_logging("t")
    assert access_logger.propagate is False


def test_an_access_log_uvicorn_writes_goes_through_our_handler(access_logger):
    access_logger.handlers[:] = [logging.StreamHandler()]  # uvicorn's default plain-text handler
    access_logger.propagate = False
    configure_logging("t")
    assert (access_logger.handlers, access_logger.propagate) == ([], True)


def test_the_pool_gauges_follow_the_engine_at_scrape_time():
    """WijkwerkDbPoolExhausted compares checked_out with capacity (pool_size + max_overflow)."""
    import asyncio

    from prometheus_client import REGISTRY

    from wijkwerk.db import create_engine
    from wijkwerk.observability import measure_pool

    engine = create_engine("postgresql+asyncpg://u:p@127.0.0.1:1/db", pool_size=3)
    measure_pool("pooltest", engine)

    def gauge(state: str) -> float | None:
        return REGISTRY.get_sample_value("wijkwerk_db_pool_connections", {"service": "pooltest", "state": state})

    try:
        assert (gauge("checked_out"), gauge("size"), gauge("capacity")) == (0, 0, 6)
        assert gauge("overflow") == -3  # SQLAlchemy: negative until the pool is full
    finally:
        asyncio.run(engine.dispose())
