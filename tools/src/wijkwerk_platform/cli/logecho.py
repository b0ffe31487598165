"""``wijkwerk up --echo``: the services' log lines on the console, prefixed by service."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.markup import escape


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
