"""Each service as a real uvicorn server on a migrated database, for API-level security
tests and fuzzing. ``servers``: workers off, the HTTP surface only. ``live_servers``: the
four services with their relays and consumers on their own broker, so data created through
one service's API reaches the others (the cross-organisation walk)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from wijkwerk_platform import scopetabel
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.testing import migrated_database, wait_until
from wijkwerk_platform.testkit import Tokens

HERE = os.path.dirname(__file__)
# The cross-organisation walk's helpers (wandeling.py, probes*.py) are imported by name, as
# tests/faults does with its own.
if HERE not in sys.path:
    sys.path.insert(0, HERE)

FUZZED_SERVICES = ("toeleiding", "prestaties", "cheques", "evaluatie")

# Every scope a route asks for, from the routes themselves (a new scope cannot be missed).
ALL_SCOPES = tuple(sorted({s for r in scopetabel.rijen() for s in r.scopes}))


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen


@pytest.fixture(scope="session")
def security_tokens(tmp_path_factory) -> Tokens:
    return Tokens.create(tmp_path_factory.mktemp("security-keys"))


def _start(name: str, db_url: str, tokens: Tokens, log_dir, kafka: str, *, port: int | None = None,
           workers: bool = False, extra_env: dict[str, str] | None = None) -> Server:
    port = port or free_port()
    prefix = name.upper()
    env = {
        **os.environ,
        f"{prefix}_DATABASE_URL": db_url,
        f"{prefix}_RUN_WORKERS": "true" if workers else "false",
        f"{prefix}_LOG_JSON": "true",
        "KAFKA_BOOTSTRAP_SERVERS": kafka,  # e.g. the ledger recompute reads the topics
        "AUTH_PUBLIC_KEY_FILE": str(tokens.public_key),
        "AUTH_PRIVATE_KEY_FILE": str(tokens.private_key),
        **(extra_env or {}),
    }
    log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", f"{name}.entrypoints.api:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: {(log_dir / f'{name}.log').read_text()[-2000:]}")
        try:
            return httpx.get(url + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(healthy, timeout=30, interval=0.1)
    return Server(name, url, proc)


@pytest.fixture(scope="session")
def servers(embedded_pg, kafka_bootstrap, security_tokens, tmp_path_factory) -> Iterator[dict[str, Server]]:
    log_dir = tmp_path_factory.mktemp("security-logs")
    ports = {name: free_port() for name in FUZZED_SERVICES}
    # Wired to each other: the recompute reads prestaties' event archive over HTTP. With the
    # workers off no relay drains an outbox, so the recompute's wait for it is kept short.
    wiring = {
        **{f"{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
        "CHEQUES_HERBEREKENING_WACHT_S": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    started: dict[str, Server] = {}
    try:
        for name in FUZZED_SERVICES:
            db = migrated_database(embedded_pg, name, f"sec_{name}")
            started[name] = _start(name, db, security_tokens, log_dir, kafka_bootstrap, port=ports[name],
                                   extra_env=wiring)
        yield started
    finally:
        for server in started.values():
            server.proc.terminate()
            server.proc.wait(timeout=15)


@pytest.fixture(scope="module")
def live_servers(embedded_pg, security_tokens, tmp_path_factory) -> Iterator[dict[str, Server]]:
    """The four services with workers, wired to each other, on a broker of their own: the
    session broker's fixed topic names are shared with other tests, whose consumers must
    not fold this module's events (nor these services theirs)."""
    from wijkwerk_platform.embedded.broker import EmbeddedBroker

    log_dir = tmp_path_factory.mktemp("live-logs")
    broker = EmbeddedBroker(free_port(), log_file=log_dir / "tansu.log")
    broker.start()
    ports = {name: free_port() for name in FUZZED_SERVICES}
    wiring = {
        **{f"{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
        "KAFKA_TOPIC_PARTITIONS": "2",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    started: dict[str, Server] = {}
    try:
        for name in FUZZED_SERVICES:
            db = migrated_database(embedded_pg, name, f"live_{name}")
            started[name] = _start(name, db, security_tokens, log_dir, broker.bootstrap_servers,
                                   port=ports[name], workers=True, extra_env=wiring)
        yield started
    finally:
        for server in started.values():
            server.proc.terminate()
            server.proc.wait(timeout=15)
        broker.stop()


@pytest.fixture(scope="session")
def central_headers(security_tokens) -> dict[str, str]:
    """A central (VDAB) caller holding every scope: fuzzing reaches past authorisation."""
    return security_tokens.headers(*ALL_SCOPES, org_type="vdab")
