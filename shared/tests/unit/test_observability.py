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
