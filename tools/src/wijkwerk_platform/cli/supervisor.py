"""``wijkwerk up``: the whole platform on one machine, as children of one process.

Start order: lock the data dir, PostgreSQL, one database per service + migrations,
the broker, every topic (explicitly, before any client can auto-create it with the
wrong partition count), the signing key, the services; then wait for their /health.
Stop order is the reverse of dependency: services, broker, PostgreSQL.

Every child runs in its own session (a terminal's Ctrl-C reaches only us, and we stop
them in order) and gets a parent-death signal, so even ``kill -9`` of this process
leaves nothing running; the data-dir lock is an flock the kernel drops with us.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

import httpx
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wijkwerk_platform.cli.services import SERVICES, ServiceSpec, embedded_database, with_port_base
from wijkwerk_platform.embedded import (
    EmbeddedError,
    child_env,
    log_tail,
    parent_death_signal,
    port_is_free,
    wait_until,
)

if TYPE_CHECKING:
    from wijkwerk_platform.embedded.broker import EmbeddedBroker
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

HOST = "127.0.0.1"
EXAMPLE_SCOPES = "toeleiding:read toeleiding:write prestaties:read cheques:read"


class ShutdownRequested(BaseException):
    """SIGINT/SIGTERM arrived. A BaseException (like KeyboardInterrupt) so that no
    ``except Exception`` on the way swallows it."""


class StartupError(RuntimeError):
    """A step of ``up`` failed; the message says which and why."""


class LockHeld(RuntimeError):
    """Another process holds the data directory."""


# --- the data-dir lock -------------------------------------------------------------


class DataDirLock:
    """An exclusive ``flock`` on ``path`` (``<data-dir>/up.lock``).

    flock belongs to the open file, so the kernel releases it however the holder
    dies, ``kill -9`` included: there is never a stale lock to clean up. The pid
    written into the file only serves the error message.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(
                f"Another `wijkwerk up` (pid {holder}) is already using {self.path.parent}; "
                "stop it first or pass another --data-dir."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# --- options and children ----------------------------------------------------------


@dataclass(frozen=True)
class UpOptions:
    data_dir: Path = Path(".wijkwerk")
    pg_port: int = 55432
    kafka_port: int = 19092
    partitions: int = 8
    # Messages a topic may hold before its relay trims it (all consumed; ADR 0004); 0: never.
    broker_rotation: int = 20_000
    services: tuple[ServiceSpec, ...] = SERVICES
    port_base: int = 8000
    demo: bool = False
    demo_scale: float = 1.0
    demo_seed: int = 42
    echo: bool = False
    health_timeout_s: float = 60.0
    stop_timeout_s: float = 10.0
    # A service of a killed run may still be finishing its graceful shutdown.
    port_release_timeout_s: float = 10.0


@dataclass
class ServiceProcess:
    spec: ServiceSpec
    proc: subprocess.Popen[bytes]
    log_path: Path
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = self.spec.local_url(HOST)


# --- the supervisor ----------------------------------------------------------------


class Supervisor:
    def __init__(self, options: UpOptions, console: Console | None = None) -> None:
        self.options = options
        self.console = console or Console(highlight=False)
        self.data_dir = options.data_dir.expanduser().resolve()
        self.logs_dir = self.data_dir / "logs"
        self.pg: EmbeddedPostgres | None = None
        self.broker: EmbeddedBroker | None = None
        self.children: dict[str, ServiceProcess] = {}
        self.keys: tuple[Path, Path] | None = None
        self._stopping = False
        self._echo: LogEcho | None = None
        self._demo: subprocess.Popen[bytes] | None = None

    # Public entry point ------------------------------------------------------------

    def run(self) -> int:
        """Start everything, supervise until a signal or a child's death, stop
        everything. Returns the process exit code."""
        previous = self._install_signal_handlers()
        try:
            with DataDirLock(self.data_dir / "up.lock"):
                return self._run_locked()
        except LockHeld as exc:
            self.console.print(f"[red]{escape(str(exc))}[/red]")
            return 2
        except ShutdownRequested:  # before the lock was ours: nothing started yet
            return 0
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _run_locked(self) -> int:
        try:
            started = time.monotonic()
            self._start_everything()
            self._print_summary(time.monotonic() - started)
            if self.options.demo:
                self._start_demo()
            return self._watch()
        except ShutdownRequested:
            self.console.print("\nStopping …")
            return 0
        except (EmbeddedError, StartupError) as exc:
            self.console.print(f"[red]{escape(str(exc))}[/red]")
            return 1
        except Exception:  # e.g. a failing migration: show where
            self.console.print_exception()
            return 1
        finally:
            self._stopping = True
            self._stop_everything()

    # Signals -----------------------------------------------------------------------

    def _install_signal_handlers(self) -> dict[int, Any]:
        def handle(signum: int, frame: FrameType | None) -> None:
            if self._stopping:
                self.console.print("Already stopping; every step has a deadline.")
                return
            raise ShutdownRequested(signal.Signals(signum).name)

        previous = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.getsignal(signum)
            signal.signal(signum, handle)
        return previous

    # Start -------------------------------------------------------------------------

    def _start_everything(self) -> None:
        from wijkwerk.auth import ensure_local_keypair
        from wijkwerk_platform.embedded.broker import EmbeddedBroker
        from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

        self.logs_dir.mkdir(parents=True, exist_ok=True)
        self._wait_for_service_ports()

        self.pg = EmbeddedPostgres(self.data_dir / "pg", self.options.pg_port, HOST)
        self._step(f"PostgreSQL on {HOST}:{self.options.pg_port}", self.pg.start)
        for spec in self.options.services:
            self._step(f"database {spec.name} migrated", lambda spec=spec: self._prepare_database(spec))

        self.broker = EmbeddedBroker(self.options.kafka_port, HOST, log_file=self.logs_dir / "broker.log")
        self._step(f"Kafka-protocol broker on {self.broker.bootstrap_servers}", self.broker.start)
        topics = self._topics()
        self._step(
            f"{len(topics)} topics with {self.options.partitions} partitions",
            lambda: asyncio.run(self._ensure_topics(topics)),
        )
        self.keys = ensure_local_keypair(self.data_dir / "keys")

        if self.options.echo:  # created first: it remembers where this run's output begins
            self._echo = LogEcho(self.console, {s.name: self._log_path(s) for s in self.options.services})
        for spec in self.options.services:
            self.children[spec.name] = self._spawn(spec)
        if self._echo is not None:
            self._echo.start()
        self._step(f"{len(self.children)} services healthy", self._wait_healthy)

    def _step(self, what: str, action: Callable[[], object]) -> None:
        started = time.monotonic()
        action()
        self.console.print(f"[green]✓[/green] {what} [dim]({time.monotonic() - started:.2f}s)[/dim]")

    def _wait_for_service_ports(self) -> None:
        for spec in self.options.services:
            if port_is_free(HOST, spec.port):
                continue
            self.console.print(f"Port {spec.port} ({spec.name}) is in use; waiting for it to be released …")
            try:
                wait_until(
                    lambda spec=spec: port_is_free(HOST, spec.port),
                    timeout=self.options.port_release_timeout_s,
                    interval=0.1,
                )
            except TimeoutError:
                raise StartupError(
                    f"Port {spec.port} for {spec.name} is in use by another process. Stop it, or "
                    f"start without it (--only)."
                ) from None

    def _prepare_database(self, spec: ServiceSpec) -> None:
        """The database owned by the service's owner role and migrated as it; the service
        itself connects as its application role (wijkwerk.db.rollen)."""
        assert self.pg is not None
        embedded_database(self.pg, spec)

    @staticmethod
    def _topics() -> list[str]:
        from wijkwerk.events.topics import ALL_TOPICS, dlq_topic

        return [*ALL_TOPICS, *(dlq_topic(t) for t in ALL_TOPICS)]

    async def _ensure_topics(self, topics: list[str]) -> None:
        from wijkwerk.messaging.admin import TopicSetupError, ensure_topics

        assert self.broker is not None
        try:
            await ensure_topics(self.broker.bootstrap_servers, topics, self.options.partitions, 1, timeout_s=30.0)
        except TopicSetupError as exc:
            raise StartupError(str(exc)) from exc

    def _service_env(self, spec: ServiceSpec) -> dict[str, str]:
        assert self.pg is not None and self.broker is not None and self.keys is not None
        private_key, public_key = self.keys
        extra = {
            spec.database_url_env: self.pg.url(spec.name, user=spec.app_role),
            "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap_servers,
            "KAFKA_TOPIC_PARTITIONS": str(self.options.partitions),
            "AUTH_PUBLIC_KEY_FILE": str(public_key),
            # In the embedded default services mint their own service-to-service tokens.
            "AUTH_PRIVATE_KEY_FILE": str(private_key),
            # Every service's URL, on this run's ports (also those not started here).
            **{other.url_env: other.local_url(HOST) for other in with_port_base(SERVICES, self.options.port_base)},
            "WIJKWERK_ENV": "embedded",
            "PYTHONUNBUFFERED": "1",  # log lines reach the file when written
        }
        # The memory broker honours no retention: each relay trims its topic once every
        # consumer has read it (ADR 0004); the archive keeps the history.
        rotatie = f"{spec.env_prefix}_BROKER_ROTATIE_BERICHTEN"
        if rotatie not in os.environ:
            extra[rotatie] = str(self.options.broker_rotation)
        env = child_env(extra=extra)
        # Calls between services stay on loopback even if the shell sets a proxy.
        no_proxy = ",".join(filter(None, [env.get("NO_PROXY", ""), HOST, "localhost"]))
        env["NO_PROXY"] = env["no_proxy"] = no_proxy
        return env

    def _log_path(self, spec: ServiceSpec) -> Path:
        return self.logs_dir / f"{spec.name}.log"

    def _spawn(self, spec: ServiceSpec) -> ServiceProcess:
        log_path = self._log_path(spec)
        with log_path.open("ab") as log_fh:  # the child keeps its own descriptor
            log_fh.write(f"\n===== wijkwerk up: starting {spec.name} at {time.ctime()} =====\n".encode())
            log_fh.flush()
            proc = subprocess.Popen(
                [
                    sys.executable, "-m", "uvicorn", spec.app_factory, "--factory",
                    "--host", HOST, "--port", str(spec.port), "--no-access-log",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log_fh,
                stderr=subprocess.STDOUT,
                env=self._service_env(spec),
                start_new_session=True,
                preexec_fn=parent_death_signal(signal.SIGTERM),
            )
        return ServiceProcess(spec, proc, log_path)

    def _wait_healthy(self) -> None:
        pending = dict(self.children)
        deadline = time.monotonic() + self.options.health_timeout_s
        # trust_env=False: a proxy from the shell must not intercept loopback calls.
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while pending:
                for name, child in list(pending.items()):
                    code = child.proc.poll()
                    if code is not None:
                        raise StartupError(
                            f"{name} exited with code {code} while starting.\n"
                            f"--- {child.log_path} (tail) ---\n{log_tail(child.log_path)}"
                        )
                    with contextlib.suppress(httpx.HTTPError):
                        if client.get(f"{child.url}/health").status_code == 200:
                            del pending[name]
                if not pending:
                    return
                if time.monotonic() >= deadline:
                    raise StartupError(
                        f"Not healthy within {self.options.health_timeout_s:.0f}s: {', '.join(pending)}. "
                        f"See {self.logs_dir}/<service>.log"
                    )
                time.sleep(0.1)

    # Run ---------------------------------------------------------------------------

    def _print_summary(self, elapsed_s: float) -> None:
        table = Table(title=f"wijk-werken is up ({elapsed_s:.1f}s)", title_justify="left")
        table.add_column("Service")
        table.add_column("URL", no_wrap=True)
        table.add_column("API docs", no_wrap=True)
        table.add_column("Log", overflow="fold")  # wrap, never elide a path
        for child in self.children.values():
            table.add_row(child.spec.name, child.url, f"{child.url}/docs", _display_path(child.log_path))
        self.console.print(table)
        assert self.pg is not None and self.broker is not None
        self.console.print(
            f"PostgreSQL  {escape(self.pg.url('<service>', driver=None))}  (data: {self.pg.data_dir})\n"
            f"Kafka       {self.broker.bootstrap_servers}  (in memory: topics are re-filled from the outbox after a restart)\n"
            f"Token       wijkwerk token --scope \"{EXAMPLE_SCOPES}\" --org-type vdab "
            f"--data-dir {self.options.data_dir}\n"
            "Ctrl-C stops everything.",
            soft_wrap=True,  # keep the commands copy-pasteable
        )

    def _start_demo(self) -> None:
        """``wijkwerk demo`` in a process of its own (its progress on this console): the
        world it generates and its HTTP clients go back to the system when it is done,
        instead of staying in the supervisor for as long as the platform runs."""
        self._demo = subprocess.Popen(
            [
                sys.executable, "-m", "wijkwerk_platform.cli.main", "demo", "--data-dir", str(self.data_dir),
                "--scale", str(self.options.demo_scale), "--seed", str(self.options.demo_seed),
                "--port-base", str(self.options.port_base),
            ],
            stdin=subprocess.DEVNULL,
            env=child_env(),
            preexec_fn=parent_death_signal(signal.SIGTERM),
        )
        threading.Thread(target=self._wait_for_demo, args=(self._demo,), name="wijkwerk-demo", daemon=True).start()

    def _wait_for_demo(self, demo: subprocess.Popen[bytes]) -> None:
        started = time.monotonic()
        code = demo.wait()
        if self._stopping:
            return
        if code == 0:
            self.console.print(f"[green]✓[/green] demo data loaded ({time.monotonic() - started:.1f}s)")
        else:  # the platform stays up; the demo is a convenience
            self.console.print(f"[red]The demo failed (exit code {code}); the platform keeps running.[/red]")

    def _stop_demo(self) -> None:
        if self._demo is None or self._demo.poll() is not None:
            return
        self._demo.terminate()
        try:
            self._demo.wait(5.0)
        except subprocess.TimeoutExpired:
            self._demo.kill()
            self._demo.wait(5.0)

    def _watch(self) -> int:
        """Block until a signal (ShutdownRequested) or a child's unexpected exit."""
        assert self.pg is not None and self.broker is not None
        while True:
            for name, child in self.children.items():
                code = child.proc.poll()
                if code is not None:
                    self.console.print(
                        f"[red]{name} exited unexpectedly with code {code}; stopping everything.[/red]\n"
                        f"--- {child.log_path} (tail) ---\n{escape(log_tail(child.log_path))}"
                    )
                    return 1
            for engine, log in ((self.pg, self.pg.log_file), (self.broker, self.broker.log_file)):
                if not engine.is_running():
                    self.console.print(
                        f"[red]{type(engine).__name__} exited unexpectedly; stopping everything.[/red]\n"
                        f"--- {log} (tail) ---\n{escape(log_tail(log))}"
                    )
                    return 1
            # A watchdog poll, not a wait for a condition: it runs until told to stop.
            time.sleep(0.25)

    # Stop --------------------------------------------------------------------------

    def _stop_everything(self) -> None:
        started = time.monotonic()
        ran = bool(self.children) or any(e is not None and e.is_running() for e in (self.pg, self.broker))
        if self._echo is not None:
            self._echo.stop()
        self._stop_demo()
        self._stop_services()
        for name, engine in (("broker", self.broker), ("PostgreSQL", self.pg)):
            if engine is None:
                continue
            try:
                engine.stop()
            except Exception as exc:  # keep going: the next engine must still stop
                self.console.print(f"[red]Stopping {name} failed: {escape(repr(exc))}[/red]")
        if ran:
            self.console.print(f"Stopped everything ({time.monotonic() - started:.2f}s).")

    def _stop_services(self) -> None:
        """SIGTERM to all at once (uvicorn shuts down gracefully; a second signal would
        force it), one shared deadline, then SIGKILL to whatever is left."""
        running = [c for c in self.children.values() if c.proc.poll() is None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.options.stop_timeout_s
        for child in running:
            try:
                child.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.console.print(f"[yellow]{child.spec.name} did not stop in time; killing it.[/yellow]")
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait(5.0)


def _display_path(path: Path) -> str:
    """Relative to the working directory when inside it (shorter, still usable)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- optional log echo -------------------------------------------------------------


class LogEcho:
    """Follows the services' log files and prints new lines, prefixed by service.

    The services write to their files directly (not through a pipe to us), so their
    logs never depend on this thread keeping up."""

    def __init__(self, console: Console, files: dict[str, Path]) -> None:
        self._console = console
        self._files = files
        self._offsets = {name: path.stat().st_size if path.exists() else 0 for name, path in files.items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wijkwerk-log-echo", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)

    def _run(self) -> None:
        with contextlib.ExitStack() as stack:
            handles: dict[str, IO[bytes]] = {}
            for name, path in self._files.items():
                fh = stack.enter_context(path.open("rb"))
                fh.seek(self._offsets[name])  # only what this run writes
                handles[name] = fh
            width = max(map(len, handles), default=0)
            while not self._stop.wait(0.25):
                for name, fh in handles.items():
                    for line in _new_lines(fh):
                        self._console.print(f"[dim]{name:<{width}}[/dim] | {escape(line)}", soft_wrap=True)


def _new_lines(fh: IO[bytes]) -> Iterator[str]:
    while True:
        position = fh.tell()
        line = fh.readline()
        if not line:
            return
        if not line.endswith(b"\n"):  # partial line: re-read it when complete
            fh.seek(position)
            return
        yield line.decode("utf-8", errors="replace").rstrip("\n")
