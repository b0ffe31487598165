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
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from wijkwerk_platform.cli.children import Children, ServiceProcess
from wijkwerk_platform.cli.lock import DataDirLock, LockHeld
from wijkwerk_platform.cli.logecho import LogEcho
from wijkwerk_platform.cli.options import EXAMPLE_SCOPES, HOST, ShutdownRequested, StartupError, UpOptions
from wijkwerk_platform.cli.services import ServiceSpec, embedded_database
from wijkwerk_platform.embedded import EmbeddedError, log_tail, port_is_free, wait_until

if TYPE_CHECKING:
    from wijkwerk_platform.embedded.broker import EmbeddedBroker
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

__all__ = ["DataDirLock", "LockHeld", "StartupError", "Supervisor", "UpOptions"]


class Supervisor(Children):
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


def _display_path(path: Path) -> str:
    """Relative to the working directory when inside it (shorter, still usable)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
