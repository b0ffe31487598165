"""What ``wijkwerk up`` is asked to run, and how a start fails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wijkwerk_platform.cli.services import SERVICES, ServiceSpec

HOST = "127.0.0.1"
EXAMPLE_SCOPES = "toeleiding:read toeleiding:write prestaties:read cheques:read"


class ShutdownRequested(BaseException):
    """SIGINT/SIGTERM arrived. A BaseException (like KeyboardInterrupt) so that no
    ``except Exception`` on the way swallows it."""


class StartupError(RuntimeError):
    """A step of ``up`` failed; the message says which and why."""


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
