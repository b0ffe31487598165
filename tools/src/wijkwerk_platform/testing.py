"""pytest plugin with the real embedded engines (load with ``-p wijkwerk_platform.testing``).

One PostgreSQL and one broker per test session, on free ports, in pytest's temporary
directory; tests isolate themselves with their own databases and topics. The engines
are children of the pytest process and die with it even on ``kill -9`` (see
:func:`wijkwerk_platform.embedded.parent_death_signal`).
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import pytest

from wijkwerk_platform.embedded import EmbeddedError, free_port, port_is_free

if TYPE_CHECKING:
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

__all__ = [
    "async_wait_until",
    "embedded_pg",
    "free_port",
    "fresh_database",
    "kafka_bootstrap",
    "migrated_database",
    "superuser_url",
    "wait_until",
]

# Another process can take a free port between our choice and the engine's bind.
_PORT_ATTEMPTS = 3


@pytest.fixture(scope="session")
def embedded_pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    """A running PostgreSQL for the session (superuser ``postgres``, trust auth), without
    fsync: a throwaway cluster, whose server the fault tests kill but never the machine."""
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

    data_dir = tmp_path_factory.mktemp("embedded-pg") / "pg"
    pg = _start_on_free_port(lambda port: EmbeddedPostgres(data_dir, port, durable=False))
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``host:port`` of a running in-memory broker for the session."""
    from wijkwerk_platform.embedded.broker import EmbeddedBroker

    log_file = tmp_path_factory.mktemp("embedded-broker") / "tansu.log"
    broker = _start_on_free_port(lambda port: EmbeddedBroker(port, log_file=log_file))
    try:
        yield broker.bootstrap_servers
    finally:
        broker.stop()


class _Engine(Protocol):
    host: str
    port: int

    def start(self) -> None: ...


E = TypeVar("E", bound=_Engine)


def _start_on_free_port(make: Callable[[int], E]) -> E:
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        engine = make(free_port())
        try:
            engine.start()
            return engine
        except EmbeddedError:
            # Retry only when someone else took the port; other failures are real.
            if attempt == _PORT_ATTEMPTS or port_is_free(engine.host, engine.port):
                raise
    raise AssertionError("unreachable")


def fresh_database(pg: EmbeddedPostgres, name: str) -> str:
    """An empty database ``name`` (dropped first if it exists); returns its URL."""
    pg.drop_database(name)
    pg.create_database(name)
    return pg.url(name)


def migrated_database(pg: EmbeddedPostgres, service_name: str, db_name: str | None = None) -> str:
    """A fresh database with ``service_name``'s migrations applied as its owner role (a
    copy of one migrated per cluster and service, :func:`copied_database`); returns the URL of the service's application role (which owns nothing and may not
    change the append-only tables: ``wijkwerk.db.rollen``), as the services connect.
    Safe to call from async fixtures (migrations then run on a helper thread)."""
    from wijkwerk_platform.cli.services import copied_database, embedded_database, service

    spec = service(service_name)
    name = db_name or service_name
    template = _TEMPLATES.get((pg.data_dir, service_name))
    if template is None:
        # Migrated once per cluster and service; every test database is a copy of it.
        template = f"sjabloon_{service_name}"
        pg.drop_database(template)
        embedded_database(pg, spec, template)
        _TEMPLATES[(pg.data_dir, service_name)] = template
    pg.drop_database(name)
    _, app_url = copied_database(pg, spec, template, name)
    return app_url


# (cluster, service) → the migrated database the tests' databases are copied from.
_TEMPLATES: dict[tuple[Path, str], str] = {}


def superuser_url(url: str) -> str:
    """The same database as the cluster's superuser: for tests that play the attacker
    with full rights, or set up tables of their own."""
    from sqlalchemy.engine import make_url

    from wijkwerk_platform.embedded.postgres import SUPERUSER

    return make_url(url).set(username=SUPERUSER).render_as_string(hide_password=False)


def wait_until(
    predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.05
) -> None:
    """Poll ``predicate`` until truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"condition not met within {timeout}s: {_describe(predicate)}")
        time.sleep(min(interval, remaining))


async def async_wait_until(
    predicate: Callable[[], object | Awaitable[object]],
    timeout: float = 10.0,
    interval: float = 0.05,
) -> None:
    """Like :func:`wait_until`, without blocking the loop; ``predicate`` may be async."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    async def holds() -> bool:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        return bool(result)

    while not await holds():
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError(f"condition not met within {timeout}s: {_describe(predicate)}")
        await asyncio.sleep(min(interval, remaining))


def _describe(predicate: Callable[..., object]) -> str:
    try:
        return inspect.getsource(predicate).strip()
    except (OSError, TypeError):
        return repr(predicate)
