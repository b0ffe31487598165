"""``/metrics`` on a port of its own (issue #22, item 6): ``<SERVICE>_METRICS_PORT``.

Set, the API port no longer answers ``/metrics`` (404) and this process serves the same
registry on the metrics port, from prometheus_client's threaded server: the scraper (and a
NetworkPolicy that admits only it) reaches the metrics without reaching the API, and the
API's edge never exposes them. The server runs beside the event loop, so a scrape of a
process at its in-flight limit is still answered. Unset (the embedded default), ``/metrics``
stays on the API port.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server

log = logging.getLogger("wijkwerk.metrics")


@dataclass
class MetriekServer:
    server: WSGIServer
    thread: threading.Thread

    @classmethod
    def start(cls, host: str, port: int) -> MetriekServer:
        """Binds at once: a port in use stops the start-up with the OSError."""
        server, thread = start_http_server(port, addr=host)
        log.info("metrics on %s:%d", host, port)
        return cls(server, thread)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
