"""The data-dir lock of ``wijkwerk up``: one run per data directory."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


class LockHeld(RuntimeError):
    """Another process holds the data directory."""



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
