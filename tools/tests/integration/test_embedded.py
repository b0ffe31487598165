"""The embedded engines and the `wijkwerk up` lock, on the real binaries."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import psutil
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from wijkwerk.messaging.admin import TopicSetupError, ensure_topics, topic_partition_counts
from wijkwerk_platform.cli.lock import DataDirLock, LockHeld
from wijkwerk_platform.embedded import EmbeddedError, free_port
from wijkwerk_platform.embedded.broker import EmbeddedBroker
from wijkwerk_platform.embedded.postgres import EmbeddedPostgres
from wijkwerk_platform.testing import fresh_database, wait_until

pytestmark = pytest.mark.integration


def _dsn(pg: EmbeddedPostgres, database: str = "postgres") -> str:
    return pg.url(database, driver=None)


def _processes_in(data_dir: Path) -> list[psutil.Process]:
    """postgres processes working in ``data_dir`` (a stopped server leaves none)."""
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if (proc.info["name"] or "").startswith("postgres") and Path(proc.cwd()) == data_dir:
                found.append(proc)
        except psutil.Error:
            pass
    return found


@pytest.fixture(scope="module")
def own_pg(tmp_path_factory: pytest.TempPathFactory):
    """A PostgreSQL of this module's own, to stop, kill and restart."""
    pg = EmbeddedPostgres(tmp_path_factory.mktemp("own-pg") / "pg", free_port())
    pg.start()
    yield pg
    pg.stop()


# --- PostgreSQL --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_postgres_answers_over_tcp(embedded_pg: EmbeddedPostgres) -> None:
    assert embedded_pg.url("x") == f"postgresql+asyncpg://postgres@127.0.0.1:{embedded_pg.port}/x"
    conn = await asyncpg.connect(_dsn(embedded_pg))
    try:
        assert await conn.fetchval("SELECT 1") == 1
        settings = dict(await conn.fetch(
            "SELECT name, setting FROM pg_settings WHERE name IN "
            "('fsync', 'max_connections', 'idle_in_transaction_session_timeout', 'listen_addresses')"
        ))
    finally:
        await conn.close()
    assert settings == {
        "fsync": "off",  # the tests' throwaway cluster (see the next test for `wijkwerk up`'s)
        "max_connections": "200",
        "idle_in_transaction_session_timeout": "60000",
        "listen_addresses": "127.0.0.1",
    }


def test_a_cluster_is_durable_unless_asked_otherwise(tmp_path: Path) -> None:
    def options(pg: EmbeddedPostgres) -> dict[str, str]:
        given = pg._server_options()
        return dict(given[i + 1].split("=", 1) for i, flag in enumerate(given) if flag == "-c")

    assert {k: options(EmbeddedPostgres(tmp_path, 5999))[k] for k in ("fsync", "full_page_writes")} == {
        "fsync": "on", "full_page_writes": "on"}
    assert {k: options(EmbeddedPostgres(tmp_path, 5999, durable=False))[k] for k in ("fsync", "full_page_writes")} == {
        "fsync": "off", "full_page_writes": "off"}


@pytest.mark.asyncio
async def test_databases_are_created_idempotently_and_dropped(embedded_pg: EmbeddedPostgres) -> None:
    name = f"db_{uuid.uuid4().hex[:8]}"
    embedded_pg.create_database(name)  # called inside a running loop: uses a helper thread
    embedded_pg.create_database(name)
    conn = await asyncpg.connect(_dsn(embedded_pg, name))
    await conn.close()
    url = fresh_database(embedded_pg, name)
    assert url.endswith(f"/{name}")
    embedded_pg.drop_database(name)
    embedded_pg.drop_database(name)
    with pytest.raises(asyncpg.InvalidCatalogNameError):
        await asyncpg.connect(_dsn(embedded_pg, name))


def test_restart_reuses_the_data(own_pg: EmbeddedPostgres) -> None:
    async def write() -> None:
        conn = await asyncpg.connect(_dsn(own_pg))
        await conn.execute("CREATE TABLE IF NOT EXISTS kept (v text); INSERT INTO kept VALUES ('before restart')")
        await conn.close()

    async def read() -> list[str]:
        conn = await asyncpg.connect(_dsn(own_pg))
        try:
            return [r["v"] for r in await conn.fetch("SELECT v FROM kept")]
        finally:
            await conn.close()

    asyncio.run(write())
    pid = own_pg.pid
    started = time.monotonic()
    own_pg.stop()
    stopped = time.monotonic()
    assert not own_pg.is_running() and not _processes_in(own_pg.data_dir)
    own_pg.start()
    restarted = time.monotonic()
    assert own_pg.pid != pid
    assert "before restart" in asyncio.run(read())
    print(f"\nPostgreSQL stop {stopped - started:.3f}s, restart {restarted - stopped:.3f}s")


def test_a_killed_server_leaves_no_blocking_postmaster_pid(own_pg: EmbeddedPostgres) -> None:
    assert own_pg.pid is not None
    os.kill(own_pg.pid, signal.SIGKILL)
    wait_until(lambda: not own_pg.is_running(), timeout=5)
    assert (own_pg.data_dir / "postmaster.pid").exists()  # stale, as after a crash
    own_pg.start()  # waits for orphaned backends, removes the stale file, recovers
    assert asyncio.run(_select_one(own_pg)) == 1


def test_a_postmaster_pid_naming_another_live_postgres_is_stale(
    own_pg: EmbeddedPostgres, embedded_pg: EmbeddedPostgres
) -> None:
    # The pid-reuse case PostgreSQL itself gets wrong: the pid is alive, runs as the
    # same system user, but serves another cluster.
    own_pg.stop()
    pidfile = own_pg.data_dir / "postmaster.pid"
    pidfile.write_text(f"{embedded_pg.pid}\n{own_pg.data_dir}\n")
    own_pg.start()
    assert asyncio.run(_select_one(own_pg)) == 1
    assert embedded_pg.is_running()


def test_a_second_server_on_a_running_cluster_is_refused(own_pg: EmbeddedPostgres) -> None:
    twin = EmbeddedPostgres(own_pg.data_dir, free_port(), stop_timeout_s=0.5)
    with pytest.raises(EmbeddedError, match="already running"):
        twin.start()
    assert own_pg.is_running()


def test_postgres_on_a_taken_port_fails_fast_and_clearly(tmp_path: Path, embedded_pg: EmbeddedPostgres) -> None:
    started = time.monotonic()
    with pytest.raises(EmbeddedError, match=f"{embedded_pg.port}.*already in use"):
        EmbeddedPostgres(tmp_path / "pg", embedded_pg.port).start()
    assert time.monotonic() - started < 1.0


async def _select_one(pg: EmbeddedPostgres) -> int:
    conn = await asyncpg.connect(_dsn(pg))
    try:
        return int(await conn.fetchval("SELECT 1"))
    finally:
        await conn.close()


# --- broker ------------------------------------------------------------------------


def test_broker_starts_stops_and_refuses_a_taken_port(tmp_path: Path) -> None:
    broker = EmbeddedBroker(free_port(), log_file=tmp_path / "tansu.log")
    started = time.monotonic()
    broker.start()
    ready = time.monotonic()
    try:
        assert broker.is_running()
        assert broker.bootstrap_servers == f"127.0.0.1:{broker.port}"
        with pytest.raises(EmbeddedError, match="already in use"):
            EmbeddedBroker(broker.port).start()
    finally:
        pid = broker.pid
        broker.stop()
    stopped = time.monotonic()
    assert not broker.is_running() and not psutil.pid_exists(pid or -1)
    print(f"\nbroker start {ready - started:.3f}s, stop {stopped - ready:.3f}s")


def test_broker_that_exits_zero_on_a_taken_port_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone takes the port between our check and Tansu's bind: Tansu exits 0.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        monkeypatch.setattr("wijkwerk_platform.embedded.broker.port_is_free", lambda host, port: True)
        broker = EmbeddedBroker(port, log_file=tmp_path / "tansu.log")
        with pytest.raises(EmbeddedError, match="exited with code 0"):
            broker.start()
        assert not broker.is_running()


@pytest.mark.asyncio
async def test_topics_get_the_requested_partition_count(
    kafka_bootstrap: str, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = f"t.{uuid.uuid4().hex[:8]}", f"t.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [a, b, a], partitions=3)
    assert await topic_partition_counts(kafka_bootstrap, [a, b]) == {a: 3, b: 3}

    with caplog.at_level(logging.WARNING, logger="wijkwerk.admin"):
        await ensure_topics(kafka_bootstrap, [a], partitions=5)  # existing: left alone
    assert await topic_partition_counts(kafka_bootstrap, [a]) == {a: 3}
    assert f"{a} has 3 partitions, not the 5" in caplog.text

    # Asking about a missing topic must not auto-create it (with 4 partitions).
    missing = f"t.{uuid.uuid4().hex[:8]}"
    assert await topic_partition_counts(kafka_bootstrap, [missing]) == {}
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        assert missing not in await admin.list_topics()
    finally:
        await admin.close()


@pytest.mark.asyncio
async def test_ensure_topics_gives_up_at_its_deadline_without_a_broker() -> None:
    started = time.monotonic()
    with pytest.raises(TopicSetupError, match="no Kafka broker answered"):
        await ensure_topics(f"127.0.0.1:{free_port()}", ["t"], partitions=1, timeout_s=1.0)
    assert time.monotonic() - started < 5.0


@pytest.mark.asyncio
async def test_produce_consume_round_trip(kafka_bootstrap: str) -> None:
    topic = f"t.{uuid.uuid4().hex[:8]}"
    await ensure_topics(kafka_bootstrap, [topic], partitions=2)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for i in range(10):
            await producer.send_and_wait(topic, f"m{i}".encode(), key=f"k{i % 3}".encode())
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=50
    )
    await consumer.start()
    received: list[bytes] = []
    try:
        deadline = asyncio.get_running_loop().time() + 15
        while len(received) < 10 and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            received += [r.value for records in batch.values() for r in records]
    finally:
        await consumer.stop()
    assert sorted(received) == sorted(f"m{i}".encode() for i in range(10))
    assert await topic_partition_counts(kafka_bootstrap, [topic]) == {topic: 2}


# --- the `wijkwerk up` lock -------------------------------------------------------


def test_the_lock_refuses_a_second_holder(tmp_path: Path) -> None:
    path = tmp_path / "up.lock"
    with DataDirLock(path):
        with pytest.raises(LockHeld, match=f"pid {os.getpid()}"):
            DataDirLock(path).acquire()
    with DataDirLock(path) as again:  # released on exit
        assert again.held


def test_a_killed_holder_never_leaves_a_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "up.lock"
    holder = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, time; from pathlib import Path; from wijkwerk_platform.cli.lock import DataDirLock; "
            "DataDirLock(Path(sys.argv[1])).acquire(); print('locked', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            DataDirLock(path).acquire()
        holder.kill()
        holder.wait(5)
        with DataDirLock(path) as lock:
            assert lock.held
    finally:
        holder.kill()
        holder.wait(5)
