"""The children of ``wijkwerk up`` besides the engines: the services under uvicorn (their
environment, start, health wait and stop) and the demo loader."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from rich.console import Console

from wijkwerk.vingerafdruk import maak_sleutel
from wijkwerk_platform.cli.options import HOST, StartupError, UpOptions
from wijkwerk_platform.cli.services import SERVICES, ServiceSpec, with_port_base
from wijkwerk_platform.embedded import child_env, log_tail, parent_death_signal

if TYPE_CHECKING:
    from wijkwerk_platform.embedded.broker import EmbeddedBroker
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres


@dataclass
class ServiceProcess:
    spec: ServiceSpec
    proc: subprocess.Popen[bytes]
    log_path: Path
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = self.spec.local_url(HOST)




class Children:
    """What the supervisor starts, watches and stops as processes of its own."""

    options: UpOptions
    console: Console
    data_dir: Path
    logs_dir: Path
    pg: EmbeddedPostgres | None
    broker: EmbeddedBroker | None
    children: dict[str, ServiceProcess]
    keys: tuple[Path, Path] | None
    _stopping: bool
    _demo: subprocess.Popen[bytes] | None

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
            # The personal-data fingerprints' key (ADR 0024), created once next to the JWT key.
            "WIJKWERK_VINGERAFDRUK_SLEUTEL_FILE": str(maak_sleutel(private_key.parent)),
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
