"""TLS between the services (issue #22, item 6): what an internal HTTP client verifies.

The services' certificates are issued by the platform's own CA (cert-manager on Kubernetes,
deploy/README "Edge"); ``WIJKWERK_CA_FILE`` names it. Set, every internal client (cheques →
toeleiding's bank details, the archives of the recompute and the rebuild, the dashboard's
pipeline figures) trusts that CA and nothing else; unset, the system's CAs (plain HTTP URLs,
the embedded default, need none). Hostnames are always checked.
"""

from __future__ import annotations

import functools
import ssl


def verify(ca_file: str | None) -> ssl.SSLContext | bool:
    """``verify=`` for an httpx client: a context trusting ``ca_file`` only, or True."""
    return _context(ca_file) if ca_file else True


@functools.cache
def _context(ca_file: str) -> ssl.SSLContext:
    # One context per file and process: loading a CA bundle costs milliseconds, and a
    # context is safe to share between clients. A rotated CA file needs a restart, as the
    # server certificate does (deploy/README: rotating certificates).
    context = ssl.create_default_context(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
