"""The services, PostgreSQL and the broker as separate processes the tests can break.

Unlike ``wijkwerk up`` (whose supervisor stops everything when a child dies), every
part is started here on its own, so one can be killed with SIGKILL and restarted
while the others keep running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from wijkwerk.auth import ensure_local_keypair
from wijkwerk_platform.cli.services import SERVICES, embedded_database, service
from wijkwerk_platform.embedded import free_port, parent_death_signal
from wijkwerk_platform.embedded.broker import EmbeddedBroker
from wijkwerk_platform.embedded.postgres import EmbeddedPostgres
from wijkwerk_platform.testing import wait_until
from wijkwerk_platform.testkit import Tokens

SOAK = os.environ.get("WIJKWERK_SOAK") == "1"


def scaled(bounded: int, soak: int) -> int:
    return soak if SOAK else bounded


def base(name: str) -> str:
    """The service of a process name: ``prestaties-2`` is a replica of ``prestaties``."""
    return name.rsplit("-", 1)[0] if name[-1:].isdigit() else name


def kill9(pid: int) -> None:
    proc = psutil.Process(pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


@dataclass
class Stack:
    root: Path
    services: tuple[str, ...]
    partitions: int = 4
    env_extra: dict[str, str] = field(default_factory=dict)
    replicas: dict[str, int] = field(default_factory=dict)  # e.g. {"prestaties": 2}: "prestaties-2" too
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    opstart: float = 0.0  # seconds the services took to become ready in start()
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.pg = EmbeddedPostgres(self.root / "pg", free_port())
        self.broker = EmbeddedBroker(free_port(), log_file=self.root / "tansu.log")
        self.private_key, self.public_key = ensure_local_keypair(self.root / "keys")
        self.ports = {s.name: free_port() for s in SERVICES}
        self.ports.update({n: free_port() for n in self.names if n not in self.ports})

    @property
    def names(self) -> tuple[str, ...]:
        """Every service process: each service, then its extra replicas (``<service>-<n>``)."""
        extra = tuple(f"{s}-{i}" for s in self.services for i in range(2, self.replicas.get(s, 1) + 1))
        return self.services + extra

    def replicas_of(self, name: str) -> list[str]:
        return [n for n in self.names if base(n) == name]

    # --- engines -------------------------------------------------------------------
    @property
    def pg_port(self) -> int:
        return self.pg.port

    @property
    def kafka_port(self) -> int:
        return self.broker.port

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap_servers

    @property
    def tokens(self) -> Tokens:
        return Tokens(self.private_key, self.public_key)

    def start(self) -> None:
        self.pg.start()
        self.broker.start()
        for name in self.services:
            self.pg.drop_database(name)
            embedded_database(self.pg, service(name))
        t0 = time.monotonic()
        for name in self.names:
            self.spawn(name)
        for name in self.names:
            self.wait_ready(name, timeout=90)
        # The fault-free start of every service, on this machine and now: the baseline
        # restarts and recoveries are bounded by (a multiple of).
        self.opstart = time.monotonic() - t0

    def stop(self) -> None:
        for name in list(self.procs):
            self.terminate(name)
        self.broker.stop()
        self.pg.stop()

    def kill_broker(self) -> None:
        pid = self.broker.pid
        assert pid is not None
        kill9(pid)
        self.broker._proc = None  # noqa: SLF001 - it is dead; start() starts a new one

    # --- services ------------------------------------------------------------------
    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def env(self, name: str) -> dict[str, str]:
        spec = service(base(name))
        env = dict(os.environ)
        env.update({
            spec.database_url_env: self.pg.url(base(name), user=spec.app_role),
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "KAFKA_TOPIC_PARTITIONS": str(self.partitions),
            "KAFKA_REQUEST_TIMEOUT_S": "3",
            "AUTH_PUBLIC_KEY_FILE": str(self.public_key),
            "AUTH_PRIVATE_KEY_FILE": str(self.private_key),
            **{f"{s.env_prefix}_URL": self.url(s.name) for s in SERVICES},
            "WIJKWERK_ENV": "embedded",
            "PYTHONUNBUFFERED": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        })
        env.update(self.env_extra)
        return env

    def spawn(self, name: str) -> None:
        spec = service(base(name))
        with (self.root / f"{name}.log").open("ab") as log:
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", spec.app_factory, "--factory", "--host", "127.0.0.1",
                 "--port", str(self.ports[name]), "--no-access-log"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env(name),
                start_new_session=True, preexec_fn=parent_death_signal(signal.SIGTERM),
            )

    def kill9(self, name: str) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def terminate(self, name: str) -> None:
        proc = self.procs.pop(name)
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)  # a frozen process handles SIGTERM only once resumed
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def ready_status(self, name: str, path: str = "/ready") -> int | None:
        """``/ready``: the API (its database); ``/ready/workers``: relay and consumers."""
        try:
            return httpx.get(self.url(name) + path, timeout=2, trust_env=False).status_code
        except httpx.HTTPError:
            return None

    def wait_ready(self, name: str, timeout: float = 60) -> float:
        started = time.monotonic()

        def ready() -> bool:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"{name} exited {proc.returncode}:\n{self.log_tail(name)}")
            return self.ready_status(name) == 200 and self.ready_status(name, "/ready/workers") == 200

        wait_until(ready, timeout=timeout, interval=0.1)
        return time.monotonic() - started

    def log_tail(self, name: str, chars: int = 4000) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def query(self, database: str, sql: str, *args) -> list:
        """Rows of ``sql`` in ``database``, as the superuser (what a test checks behind the APIs)."""
        import asyncpg

        from wijkwerk_platform.embedded import run_coroutine_sync

        async def rows() -> list:
            conn = await asyncpg.connect(host=self.pg.host, port=self.pg.port, user="postgres", database=database)
            try:
                return [tuple(r) for r in await conn.fetch(sql, *args)]
            finally:
                await conn.close()

        return run_coroutine_sync(rows)

    def outbox_backlog(self, name: str) -> int:
        """Unpublished outbox rows of ``name``, straight from its database."""
        return self.query(name, "SELECT count(*) FROM outbox WHERE published_at IS NULL")[0][0]

    def metrics(self, name: str) -> str:
        return httpx.get(self.url(name) + "/metrics", timeout=5, trust_env=False).text


def metric_sum(text: str, name: str, **labels: str) -> float:
    """Sum of a Prometheus sample ``name`` over the series matching ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total
