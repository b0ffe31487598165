"""The embedded engines for one bench run: PostgreSQL and the broker on free ports of
127.0.0.1, in a temporary directory, stopped when the run ends."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

from wijkwerk.settings import KafkaSettings
from wijkwerk_platform.embedded import free_port
from wijkwerk_platform.embedded.broker import EmbeddedBroker
from wijkwerk_platform.embedded.postgres import EmbeddedPostgres


@dataclass
class Stack:
    pg: EmbeddedPostgres
    broker: EmbeddedBroker
    data_dir: Path

    @property
    def kafka(self) -> KafkaSettings:
        return KafkaSettings(bootstrap_servers=self.broker.bootstrap_servers)

    def database(self, service: str, name: str) -> str:
        from wijkwerk_platform.testing import migrated_database

        return migrated_database(self.pg, service, name)

    def rss_bytes(self) -> int:
        """Memory of PostgreSQL (postmaster and every backend) and the broker: the sum of
        each process's PSS (proportional set size), so PostgreSQL's shared buffers, mapped
        by every backend, count once rather than once per backend as summed RSS would."""
        return sum(self.rss_parts().values())

    def rss_parts(self) -> dict[str, int]:
        parts = {}
        for name, pid in (("postgres", self.pg.pid), ("broker", self.broker.pid)):
            total = 0
            with contextlib.suppress(psutil.Error):
                p = psutil.Process(pid) if pid else None
                for q in [p, *p.children(recursive=True)] if p else []:
                    with contextlib.suppress(psutil.Error):
                        total += q.memory_full_info().pss
            parts[name] = total
        return parts


@contextlib.contextmanager
def embedded_stack() -> Iterator[Stack]:
    with tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp:
        root = Path(tmp)
        pg = EmbeddedPostgres(root / "pg", free_port())
        pg.start()
        try:
            broker = EmbeddedBroker(free_port(), log_file=root / "tansu.log")
            broker.start()
            try:
                yield Stack(pg, broker, root)
            finally:
                broker.stop()
        finally:
            pg.stop()
